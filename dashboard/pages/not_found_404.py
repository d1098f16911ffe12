"""The page for any unknown path (Dash Pages picks the module named ``not_found_404``)."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.components.shell import home_link_text, href
from dashboard.i18n import normalise_language, translator


def layout(lang: str | None = None, **_):
    lang = normalise_language(lang)
    _ = translator(lang)
    return html.Div(
        [
            dcc.Store(id="page-version", data=_version()),  # the footer is drawn from it
            html.H1(_("Page not found"), className="page-title"),
            html.P(_("There is no page at this address.")),
            dcc.Link(home_link_text(_election(), lang), href=href("/", lang)),
        ],
        id="page-not-found",
    )


def _election():
    """The election whose home the page links to (None when none can be read: the link still leads home)."""
    from dashboard.components import data as data_module

    try:
        return data_module.election()
    except Exception:
        return None


def _version():
    """The served version, for the footer (it is drawn from the page's ``page-version`` store)."""
    from dashboard.components import data as data_module

    try:
        return data_module.version()
    except Exception:
        return None


def register(app) -> None:
    from dashboard.charts.view_state import page_title

    dash.register_page(
        __name__,
        path="/404",
        layout=layout,
        title=page_title(lambda lang, **_kw: translator(lang)("Page not found")),
    )
