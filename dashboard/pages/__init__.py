"""Dash Pages: one module per page, each with ``register(app)`` that registers the page (layout and
path) and its callbacks on that app.

Pages are registered explicitly (the app is built with ``pages_folder=""``) rather than discovered by
import side effects, so that ``create_app`` can build several independent apps in one process.

Every page lives under its election: a page registers ``path_template=election_template(PATH)``
(``/e/<election>/turnout``) and ``register_pages`` wraps its layout and title so that they serve the
election the path names (``data.use_election``) — an election that is not served is the not-found page,
and a real 404 (``web.hardening``). The page's own code never sees the ``election`` variable; its links
name the election through ``shell.href``.

``/`` is the front page: the default election's home (``Library.default_id()``), rendered in place by a
page of its own (``FRONT_PAGE``) with the home page's layout. Not a redirect: the front page is the most
visited URL on election night, and a 302 would add a round trip to every first view, and a redirect
nginx must not cache for long when the default election changes. Its content is cached under the
default election's version key, the same entry as ``/e/<default>/``, and its links name the election.
"""

from __future__ import annotations

import contextlib
import functools
import importlib

from dashboard.charts import share_card
from dashboard.charts.view_state import ViewState, request_query

#: The path template prefix of every page: the election's id.
ELECTION_PREFIX = "/e/<election>"
#: The Dash Pages module name of the front page (``/``): the default election's home page.
FRONT_PAGE = "dashboard.pages.front_page"

PAGE_MODULES = (
    "dashboard.pages.mazhilis",
    "dashboard.pages.region",
    "dashboard.pages.turnout",
    "dashboard.pages.maslikhats",
    "dashboard.pages.embed",
    "dashboard.pages.observers",
    "dashboard.pages.not_found_404",
)


def election_template(path: str) -> str:
    """The Dash Pages path template of ``path`` inside an election: ``/turnout`` ->
    ``/e/<election>/turnout``; ``/`` -> ``/e/<election>/`` (the election's home)."""
    return ELECTION_PREFIX + (path if path != "/" else "/")


def register_pages(app) -> None:
    import dash

    for name in PAGE_MODULES:
        importlib.import_module(name).register(app)
    not_found = _not_found_page()
    for page in dash.page_registry.values():
        if not page.get("description"):
            page["description"] = page_description
        if ELECTION_PREFIX in (page.get("path_template") or ""):
            page["layout"] = in_election(page["layout"], not_found["layout"])
            page["title"] = in_election(page["title"], not_found["title"])
    _register_front_page()
    share_card.install()  # og:image / twitter:image of each view: its headline chart's image


def _not_found_page() -> dict:
    import dash

    return next(p for p in dash.page_registry.values() if p["module"].endswith(".not_found_404"))


def _home_page() -> dict:
    import dash

    home = election_template("/")
    return next(p for p in dash.page_registry.values() if p.get("path_template") == home)


def _register_front_page() -> None:
    """``/``: the home page of the default election (see the module's docstring)."""
    import dash

    home = _home_page()
    dash.register_page(
        FRONT_PAGE,
        path="/",
        layout=home["layout"],
        title=home["title"],
        description=home["description"],
        name="Front page",
        order=0,
    )
    _longest_templates_first()


def _longest_templates_first() -> None:
    """Order the pages of an election longest template first. Dash Pages matches a path against the
    templates in registry order with ``fnmatch``, whose ``*`` also matches ``/``: ``e/*/turnout`` matches
    ``e/<id>/embed/turnout`` (election ``<id>/embed``, a 404) and ``e/*`` any path of an election. A longer
    template is tried first, so a path is matched by the template with as many segments as it has."""
    import dash

    def segments(page) -> int:
        template = page.get("path_template") or ""
        return template.strip("/").count("/") + 1 if ELECTION_PREFIX in template else 0

    for page in sorted(dash.page_registry.values(), key=segments, reverse=True):
        if segments(page):
            dash.page_registry.move_to_end(page["module"])
    for page in [p for p in dash.page_registry.values() if not segments(p)]:
        dash.page_registry.move_to_end(page["module"])


def in_election(view, not_found_view):
    """A page's ``layout`` or ``title`` serving the election of its ``election`` path variable (the
    default election without one: the front page), or the not-found page's for an election that is not
    served. The wrapped function keeps its attributes (the HTTP cache reads ``view``, ``page``)."""
    from dashboard.components import data as data_module

    if not callable(view):
        return view

    @functools.wraps(view)
    def wrapper(election=None, **kwargs):
        try:
            data_module.use_election(election)
        except data_module.UnknownElection:
            return not_found_view(**kwargs) if callable(not_found_view) else not_found_view
        return view(**kwargs)

    return wrapper


def page_description(**_path_variables) -> str:
    """The page's ``<meta name="description">`` (and og/twitter description) in the language of the URL:
    Dash Pages renders it into the served HTML, which search engines and link previews read."""
    from dashboard.i18n import description, normalise_language

    return description(normalise_language(request_query().get("lang")))


def cached_layout(page: str, layout, view: ViewState, *, page_version: bool = True):
    """``layout`` cached per page, canonical view state (``view``) and data version.

    Building a page's plotly figures costs 0.3–2 s; on election night thousands of visitors ask for the
    same few views of the same version. The key holds ``version_key()`` (election id and data version),
    so a new version is never served stale (see ``dashboard.cache``), and Redis shares the result between
    gunicorn workers. The layout is rendered from the canonical state, so what is cached for a decorated
    URL is what the plain URL shows.

    The routing callback passes ``data_version``, the version the browser asked for (the shell's
    ``data-version`` store): the page is rendered from that version when the process holds it, so page
    and shell agree. With ``page_version`` the result is preceded by a ``page-version`` store holding the
    version it was rendered from; the page's callbacks read it (``data.use_version``) so a recoloured
    map never shows another version's figures than the page around it.
    """
    from dash import dcc

    from dashboard.cache import cached_figure
    from dashboard.components import data as data_module

    @functools.wraps(layout)
    def wrapper(data_version=None, **kwargs):
        data_module.use_version(data_version)  # the path's election chose the request's (in_election)
        election, version_key = data_module.election_and_version_key()
        state = view.state(election, kwargs)
        if state is None:
            content = layout(**kwargs)
        else:
            parts = sorted(state.items())
            content = cached_figure(f"layout:{page}", version_key, parts, compute=lambda: layout(**state))
        if not page_version:
            return content
        return [dcc.Store(id="page-version", data=data_module.page_version()), content]

    wrapper.uncached = layout
    wrapper.page = page
    wrapper.view = view
    return wrapper


def use_page_version(version) -> None:
    """For a page's callback: compute from the election and version the page was rendered with (its
    ``page-version`` store, ``{"election": id, "version": n}``), read from disk if this process no longer
    holds it."""
    from dashboard.components import data as data_module

    data_module.use_version(version, load=True, select=True)


def use_page_path(pathname) -> None:
    """For a page's callback that knows its page by the browser's path (``_pages_location.pathname``):
    serve the election it names, so the links it writes (``shell.href``) stay in that election. A path
    of no served election leaves the request as it was."""
    from dashboard.components import data as data_module

    with contextlib.suppress(data_module.UnknownElection):
        data_module.use_path(pathname if isinstance(pathname, str) else None)
