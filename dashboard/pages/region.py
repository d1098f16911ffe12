"""Placeholder: region page (being built)."""

from __future__ import annotations

import dash
from dash import html


def layout(**_kw):
    return html.Div("region", id="page-region")


def register(app) -> None:
    dash.register_page(__name__, path="/region", layout=layout, title="Saylau")
