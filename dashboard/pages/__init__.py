"""Dash Pages: one module per page, each with ``register(app)`` that registers the page (layout and
path) and its callbacks on that app.

Pages are registered explicitly (the app is built with ``pages_folder=""``) rather than discovered by
import side effects, so that ``create_app`` can build several independent apps in one process.
"""

from __future__ import annotations

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
