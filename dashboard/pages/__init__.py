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
    "dashboard.pages.not_found_404",
)


def register_pages(app) -> None:
    for name in PAGE_MODULES:
        importlib.import_module(name).register(app)


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
