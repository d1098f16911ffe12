"""What every chart of the catalogue is made of: the built chart, "not reported", the source line."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard.figures.text import plain as text_plain
from dashboard.i18n import translator


class NotReported(Exception):
    """The chart has nothing to draw in this state; the message says why, in the reader's language."""


@dataclass
class Chart:
    """One chart in one state: its figure (None: not reported, ``message`` says why), its canonical
    state, its URL parameters (the state with the defaults resolved, for links and file names), the
    link to its full view, its title and its raw table."""

    chart: str
    state: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    figure: object = None
    full_view: str = "/"
    message: str | None = None
    title: str = ""
    table: pd.DataFrame | None = None


def source_text(lang: str, version, *, simulated: bool = False) -> str:
    """The credit drawn under every chart (embed, image, download): site, source, data version."""
    _ = translator(lang)
    parts = ["Saylau", _("data: Central Election Commission of Kazakhstan"), _("version {n}", n=version)]
    if simulated:
        parts.append(_("SIMULATED — rehearsal data"))
    return " · ".join(parts)


def plain(text: str) -> str:
    """A plotly title as plain text (its ``<br>`` line breaks become spaces, its entities characters)."""
    return text_plain(text)


def figure_title(fig) -> str:
    if fig is None:
        return ""
    layout = fig.get("layout") if isinstance(fig, dict) else fig.to_plotly_json()["layout"]
    title = (layout or {}).get("title") or {}
    return plain(title.get("text", "") if isinstance(title, dict) else str(title))
