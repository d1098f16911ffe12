"""Dash Pages: one module per page, each with ``register(app)`` that registers the page (layout and
path) and its callbacks on that app.

Pages are registered explicitly (the app is built with ``pages_folder=""``) rather than discovered by
import side effects, so that ``create_app`` can build several independent apps in one process.
"""

from __future__ import annotations

import functools
import importlib

from dashboard.charts import share_card
from dashboard.charts.view_state import ViewState, request_query

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
    share_card.install()  # og:image / twitter:image of each view: its headline chart's image


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
