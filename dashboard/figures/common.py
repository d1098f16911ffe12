"""Shared look and helpers of every figure builder: colours, fonts, number separators, the text alternative.

Every builder returns a ``plotly.graph_objects.Figure`` whose ``layout.meta`` is a dict::

    {"alt": "<one-paragraph text alternative>",
     "columns": ["Party", "Share", ...],      # header of the data table, in the figure's language
     "rows": [["Amanat", "53,90 %", ...], …]} # the figures shown, formatted for the language

so a page can show an accessible table next to the chart (``figure_table(fig)``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import format_pct, is_missing, normalise_language, translator
from dashboard.model import FINAL, INDEPENDENT, Party

#: Colour of the "against all" line of the ballot.
AGAINST_ALL_COLOUR = "#4d4d4d"
#: Colour of self-nominated (independent) deputies.
INDEPENDENT_COLOUR = "#333333"
#: Colour of anything the files do not report (bars, seats): light grey, never a value colour.
NOT_REPORTED_COLOUR = "#cccccc"
#: Map fill of a unit with no figure: mid-grey, so the outline of the country stays readable.
MAP_NOT_REPORTED_COLOUR = "#a6a6a6"
#: Map fill of a unit with some figures but not the one mapped (a maslikhat with two parties' votes
#: missing has no leader): sand, told apart from "not reported" and from every value colour.
MAP_INCOMPLETE_COLOUR = "#d9c9a3"
#: The national line / bar (not a party colour).
NATIONAL_COLOUR = "#111111"
#: A highlighted unit other than the nation.
HIGHLIGHT_COLOUR = "#d95f02"
#: Other units in "one of many" charts.
OTHER_UNIT_COLOUR = "#b3b3b3"
#: Neutral bar colour (turnout ranking).
NEUTRAL_BAR_COLOUR = "#4a78a8"
AGAINST_ALL = "against_all"

FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif'
#: plotly ``layout.separators``: decimal mark then thousands separator (matches dashboard.i18n.format_*).
SEPARATORS = {"en": ".,", "kk": ", ", "ru": ", "}

SIMULATED_BANNER_NAME = "simulated_banner"


def separators(lang: str) -> str:
    return SEPARATORS[normalise_language(lang)]


def pct_suffix(lang: str) -> str:
    """What follows a number formatted by plotly as a percentage: ``%`` in English, `` %`` otherwise."""
    return "%" if normalise_language(lang) == "en" else "\u00a0%"


def party_lookup(parties: Iterable[Party]) -> dict[str, Party]:
    return {p.key: p for p in parties}


def party_key(party) -> str:
    """The key of a ``Party`` or of a plain key string (``PartyResult.party`` may be either)."""
    return getattr(party, "key", party)


def party_colour(key: str, lookup: Mapping[str, Party]) -> str:
    if key in lookup:
        return lookup[key].colour
    if key == INDEPENDENT:
        return INDEPENDENT_COLOUR
    if key == AGAINST_ALL:
        return AGAINST_ALL_COLOUR
    return NOT_REPORTED_COLOUR


def party_label(key: str, lookup: Mapping[str, Party], lang: str) -> str:
    _ = translator(lang)
    if key in lookup:
        return lookup[key].short_name(lang)
    if key == INDEPENDENT:
        return _("Independent")
    if key == AGAINST_ALL:
        return _("Against all")
    return key


def time_label(time: str, lang: str) -> str:
    """``2023-03-19T10:10:00+06:00`` -> ``10:10`` (the clock time as reported); ``final`` translated."""
    _ = translator(lang)
    if time == FINAL:
        return _("final")
    text = str(time)
    if "T" in text:
        return text.split("T", 1)[1][:5]
    return text


def field_label(field: str, election, lang: str) -> str:
    """A column of the files (``registered``, a party key…) as the page names it in ``lang``: the audit
    trail and the observers' findings showed ``registered`` or ``against_all`` on kk/ru pages."""
    _ = translator(lang)
    labels = {
        "registered": _("Registered voters"),
        "took_part": _("Took part"),
        "invalid": _("Invalid ballots"),
        "against_all": _("Against all"),
        "turnout_pct": _("Turnout"),
        "status": _("Status"),
        "winner": _("Winner"),
        "party": _("Party"),
    }
    if field in labels:
        return labels[field]
    if election is not None and field in election.option_keys:
        return election.option(field).short_name(normalise_language(lang))
    return field


def contest_label(key: str, election, lang: str) -> str:
    """A contest key as words: "Mazhilis, party list", "Maslikhat of Abai Region, single-mandate"."""
    from dashboard.regions import unit_name

    _ = translator(lang)
    contest = next((c for c in election.contests if c.key == key), None) if election is not None else None
    if contest is None:
        return key
    body = (_("Mazhilis") if contest.body == "mazhilis"
            else _("Maslikhat of {unit}", unit=unit_name(contest.area, normalise_language(lang))))
    kind = {"party_list": _("party list"), "single_mandate": _("single-mandate")}.get(contest.kind, contest.kind)
    return f"{body}, {kind}"


def fmt_pct(value, lang: str, digits: int = 2) -> str:
    return format_pct(value, lang, digits)


def missing(value) -> bool:
    return is_missing(value)


def reported_rows(df, column: str):
    """The rows of ``df`` whose ``column`` holds a figure (an empty frame stays an empty frame)."""
    mask = pd.Series([not is_missing(v) for v in df[column]], index=df.index, dtype=bool)
    return df[mask]


def base_layout(fig: go.Figure, lang: str, title: str, *, subtitle: str | None = None) -> go.Figure:
    """Fonts, separators, title and margins shared by every figure."""
    title_spec: dict = {"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 16}}
    if subtitle:
        title_spec["subtitle"] = {"text": subtitle, "font": {"size": 12, "color": "#555555"}}
    fig.update_layout(
        template="plotly_white",
        title=title_spec,
        font={"family": FONT_FAMILY, "size": 12, "color": "#222222"},
        separators=separators(lang),
        hoverlabel={"font": {"family": FONT_FAMILY}},
        margin={"l": 8, "r": 8, "t": 64 if subtitle else 44, "b": 8},
    )
    return fig


def set_meta(fig: go.Figure, alt: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> go.Figure:
    """Attach the text alternative and the data table (strings, already formatted) to ``layout.meta``."""
    fig.update_layout(meta={"alt": alt, "columns": list(columns), "rows": [list(r) for r in rows]})
    return fig


def figure_table(fig: go.Figure) -> tuple[list[str], list[list[str]]]:
    """The (columns, rows) a figure carries in ``layout.meta``."""
    meta = fig.layout.meta or {}
    return list(meta.get("columns", [])), [list(r) for r in meta.get("rows", [])]


def figure_alt(fig: go.Figure) -> str:
    return (fig.layout.meta or {}).get("alt", "")


def apply_simulated_banner(fig: go.Figure, lang: str) -> go.Figure:
    """Mark a figure as built from the simulated rehearsal election: a visible watermark and a top line.

    Idempotent: applying it twice leaves one banner. Also prefixes the text alternative.
    """
    _ = translator(lang)
    text = _("SIMULATED — rehearsal data")
    if any(getattr(a, "name", None) == SIMULATED_BANNER_NAME for a in fig.layout.annotations or ()):
        return fig
    fig.add_annotation(
        name=SIMULATED_BANNER_NAME,
        text=f"<b>{text}</b>",
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        xanchor="center",
        yanchor="middle",
        showarrow=False,
        textangle=-18,
        font={"size": 20, "color": "rgba(200, 30, 30, 0.45)"},
        bgcolor="rgba(255, 255, 255, 0.35)",
        bordercolor="rgba(200, 30, 30, 0.38)",
        borderwidth=2,
        borderpad=6,
    )
    meta = dict(fig.layout.meta or {})
    alt = meta.get("alt", "")
    if not alt.startswith(text):
        meta["alt"] = f"{text}. {alt}" if alt else text
        fig.update_layout(meta=meta)
    return fig


def has_simulated_banner(fig: go.Figure) -> bool:
    return any(getattr(a, "name", None) == SIMULATED_BANNER_NAME for a in fig.layout.annotations or ())
