"""Placeholder: maslikhats page (being built)."""

from __future__ import annotations

import dash
from dash import html


def layout(**_kw):
    return html.Div("maslikhats", id="page-maslikhats")


def register(app) -> None:
    dash.register_page(__name__, path="/maslikhats", layout=layout, title="Saylau")
