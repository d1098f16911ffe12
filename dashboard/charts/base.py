"""What every chart of the catalogue is made of: the built chart, "not reported", the source line."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard.electoral.rounding import round_pct
from dashboard.figures.common import missing, party_label
from dashboard.figures.text import plain as text_plain
from dashboard.i18n import translator


class BadParameter(ValueError):
    """A URL parameter value the chart does not know (a download or image answers 400): falling back to
    the default would hand a reader of ``?unit=nowhere`` the national figures as if they were asked for."""


def refuse(name: str, value, known: str) -> None:
    raise BadParameter(f"parameter {name!r}: {str(value)[:60]!r} is not {known}")


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


def party_name(key: str, names: dict, lang: str) -> str:
    """A party's full name in ``lang``; for the keys that are no party (``independent``, ``against_all``)
    the label the charts draw, translated — a download must read as the chart does."""
    return names[key].full_name(lang) if key in names else party_label(key, names, lang)


def shown_pct(value, **threshold) -> float | None:
    """A percentage rounded as the pages print it (two places, never across the ``threshold``); None
    stays None. Downloads carry it beside the exact figure, so a reader finds the number the page shows."""
    return None if missing(value) else float(round_pct(value, 2, **threshold))


def with_exact(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """``df`` with ``column`` (a percentage) rounded as the pages print it and the full value beside it
    as ``<column>_exact``: a figure computed from counts (54.18817442751815) reads as the page's 54.19."""
    out = df.copy()
    exact = pd.to_numeric(out[column], errors="coerce").astype("float64")
    out[column] = [shown_pct(v) for v in exact]
    out[column] = out[column].astype("float64")
    out.insert(out.columns.get_loc(column) + 1, f"{column}_exact", exact)
    return out


def plain(text: str) -> str:
    """A plotly title as plain text (its ``<br>`` line breaks become spaces, its entities characters)."""
    return text_plain(text)


def figure_title(fig) -> str:
    if fig is None:
        return ""
    layout = fig.get("layout") if isinstance(fig, dict) else fig.to_plotly_json()["layout"]
    title = (layout or {}).get("title") or {}
    return plain(title.get("text", "") if isinstance(title, dict) else str(title))
