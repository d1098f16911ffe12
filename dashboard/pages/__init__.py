"""Dash Pages: one module per page, each with ``register(app)`` that registers the page (layout and
path) and its callbacks on that app.

Pages are registered explicitly (the app is built with ``pages_folder=""``) rather than discovered by
import side effects, so that ``create_app`` can build several independent apps in one process.
"""

from __future__ import annotations

import functools
import importlib

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
    from dashboard.i18n import normalise_language

    def title(**path_variables):
        query = request_query()
        lang = normalise_language(query.pop("lang", None))
        try:
            part = describe(lang, **{**query, **path_variables})
        except Exception:  # a title must never take a page down
            part = None
        return f"{part} — Saylau" if part else "Saylau"

    return title


def cached_layout(page: str, layout):
    """``layout`` cached per page, arguments (language, view state from the URL) and data version.

    Building a page's plotly figures costs 0.3–2 s; on election night thousands of visitors ask for the
    same few views of the same version. The key holds the election id and the store's data version, so a
    new version is never served stale (see ``dashboard.cache``), and Redis shares the result between
    gunicorn workers.
    """
    from dashboard.cache import cached_figure
    from dashboard.components import data as data_module

    @functools.wraps(layout)
    def wrapper(**kwargs):
        election = data_module.election()
        version = f"{election.id}@{data_module.version()}"
        parts = sorted((k, v) for k, v in kwargs.items() if v not in (None, ""))
        return cached_figure(f"layout:{page}", version, parts, compute=lambda: layout(**kwargs))

    wrapper.uncached = layout
    return wrapper
