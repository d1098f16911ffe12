"""Dash Pages: one module per page, each with ``register(app)`` that registers the page (layout and
path) and its callbacks on that app.

Pages are registered explicitly (the app is built with ``pages_folder=""``) rather than discovered by
import side effects, so that ``create_app`` can build several independent apps in one process.
"""

from __future__ import annotations

import functools
import importlib

from dashboard.i18n import DEFAULT_LANGUAGE, normalise_language

PAGE_MODULES = (
    "dashboard.pages.mazhilis",
    "dashboard.pages.region",
    "dashboard.pages.turnout",
    "dashboard.pages.maslikhats",
    "dashboard.pages.embed",
    "dashboard.pages.observers",
    "dashboard.pages.not_found_404",
)


def register_pages(app) -> None:
    import dash

    for name in PAGE_MODULES:
        importlib.import_module(name).register(app)
    for page in dash.page_registry.values():
        if not page.get("description"):
            page["description"] = page_description
    from dashboard.charts import share_card

    share_card.install()  # og:image / twitter:image of each view: its headline chart's image


def page_description(**_path_variables) -> str:
    """The page's ``<meta name="description">`` (and og/twitter description) in the language of the URL:
    Dash Pages renders it into the served HTML, which search engines and link previews read."""
    from dashboard.i18n import description, normalise_language

    return description(normalise_language(request_query().get("lang")))


def request_query() -> dict[str, str]:
    """The query of the URL being rendered: the routing callback's ``_pages_location.search`` inside a
    callback, else the request's own query (the first HTML load of a page)."""
    from urllib.parse import parse_qs

    import dash
    import flask

    try:
        inputs = dash.callback_context.inputs
    except Exception:
        inputs = None
    if inputs and "_pages_location.search" in inputs:
        search = inputs.get("_pages_location.search") or ""
        return {k: v[-1] for k, v in parse_qs(search.lstrip("?")).items()}
    try:
        return {k: v for k, v in flask.request.args.items()}
    except RuntimeError:  # outside a request
        return {}


def page_title(describe):
    """A Dash Pages ``title`` in the visitor's language: ``describe(lang, **path_and_query)`` returns the
    page's own part, which is followed by " — Saylau".

    Dash Pages passes a callable title only the path variables; the language (and any other view state)
    is read from the URL of the request, so the browser tab and shared-link previews follow both the page
    and the language.
    """

    def title(**path_variables):
        query = request_query()
        lang = normalise_language(query.pop("lang", None))
        try:
            part = describe(lang, **{**query, **path_variables})
        except Exception:  # a title must never take a page down
            part = None
        return f"{part} — Saylau" if part else "Saylau"

    return title


class ViewState:
    """A page's URL state, made canonical: the cache key of its rendered views.

    ``canonical(election, **params)`` validates the parameters the way the page's layout does and returns
    only those that change what is drawn (the language included when it is not the default; defaults
    removed), or None for a view not worth a cache entry (a page saying "not found"). The layout called
    with the canonical state draws exactly what it draws for the raw URL — the same tree for ``?lang=EN&
    fbclid=…`` as for ``?lang=en`` — so the layout cache and the HTTP cache (``dashboard.web.fastcache``)
    hold one entry per view, however the link was decorated.

    ``params`` are the names the page reads from its path and query (the canonical function's own
    parameters unless given): everything else in a URL (``fbclid``, ``utm_*``, …) is ignored.
    """

    def __init__(self, canonical, params: tuple[str, ...] | None = None):
        import inspect

        self.canonical = canonical
        if params is None:
            named = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
            found = list(inspect.signature(canonical).parameters.values())[1:]  # after ``election``
            params = tuple(p.name for p in found if p.kind in named)
        self.params = frozenset(params)

    def state(self, election, values: dict) -> dict | None:
        """The canonical state of ``values`` (path variables and query, anything else ignored)."""
        return self.canonical(election, **{k: v for k, v in values.items() if k in self.params})


def with_language(lang, state: dict) -> dict:
    """``state`` plus the normalised language, unless it is the default one."""
    lang = normalise_language(lang)
    return {"lang": lang, **state} if lang != DEFAULT_LANGUAGE else dict(state)


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
        data_module.use_version(data_version)
        election, version_key = data_module.election_and_version_key()
        state = view.state(election, kwargs)
        if state is None:
            content = layout(**kwargs)
        else:
            parts = sorted(state.items())
            content = cached_figure(f"layout:{page}", version_key, parts, compute=lambda: layout(**state))
        if not page_version:
            return content
        return [dcc.Store(id="page-version", data=data_module.version()), content]

    wrapper.uncached = layout
    wrapper.page = page
    wrapper.view = view
    return wrapper


def use_page_version(version) -> None:
    """For a page's callback: compute from the version the page was rendered with (its ``page-version``
    store), read from disk if this process no longer holds it."""
    from dashboard.components import data as data_module

    data_module.use_version(version, load=True)
