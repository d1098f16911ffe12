"""Placeholder: turnout page (being built)."""

from __future__ import annotations

import dash
from dash import html


def layout(**_kw):
    return html.Div("turnout", id="page-turnout")


def register(app) -> None:
    dash.register_page(__name__, path="/turnout", layout=layout, title="Saylau")
