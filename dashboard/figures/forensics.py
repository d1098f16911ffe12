"""Figures of the Observers page (their one-line keys are the page's notes under each chart: plotly does
not wrap subtitles, which a phone would cut off): the election fingerprint, integer-percentage histograms and the
turnout increases per interval. Data in (frames and arrays from ``dashboard.observers``), Figure out.

Only ``scatter`` and ``bar`` traces: the 2-D histogram is binned here (numpy) and drawn as square markers,
so the figures need no trace type beyond those the site's partial plotly.js bundle already carries.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.common import (
    HIGHLIGHT_COLOUR,
    NATIONAL_COLOUR,
    NEUTRAL_BAR_COLOUR,
    OTHER_UNIT_COLOUR,
    base_layout,
    fmt_pct,
    pct_suffix,
    set_meta,
    time_label,
)
from dashboard.figures.text import literal, plain
from dashboard.i18n import format_float, format_number, translator
from dashboard.observers import forensics
from dashboard.regions import ABROAD, NATIONAL, unit_name

#: Station counts marked on the fingerprint's (logarithmic) colour scale.
COLOUR_TICKS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
#: The data table under a chart lists at most this many rows (the fullest cells first).
MAX_TABLE_ROWS = 300


def fingerprint_figure(stations: pd.DataFrame, leader: str, lang: str, bin_pct: float = 1.0,
                       kind: str | None = "party_list") -> go.Figure:
    """Klimek et al.'s 2-D histogram: stations per cell of turnout (x) × the leader's share (y); the
    leader named as the contest's ``kind`` names its options (a party, a candidate, an answer)."""
    _ = translator(lang)
    drawn = literal(leader)  # a party's name from the files, in the hover and the axis title
    tx, sy, counts = forensics.fingerprint(stations, bin_pct)
    i, j = np.nonzero(counts)
    n = counts[i, j]
    x, y = tx[i] + bin_pct / 2, sy[j] + bin_pct / 2
    fig = go.Figure(
        go.Scatter(
            x=x, y=y, mode="markers",
            marker={"symbol": "square", "size": 6, "color": np.log10(n) if len(n) else [],
                    "colorscale": "Viridis", "showscale": True, "cmin": 0,
                    "colorbar": {"title": {"text": _("Stations")}, "thickness": 8, "len": 0.8,
                                 "tickvals": np.log10(COLOUR_TICKS).tolist(),
                                 "ticktext": [str(t) for t in COLOUR_TICKS]}},
            customdata=n,
            hovertemplate=_("Turnout") + f" %{{x:.0f}}{pct_suffix(lang)}<br>{drawn} %{{y:.0f}}{pct_suffix(lang)}"
            + "<br>" + _("Stations") + ": %{customdata}<extra></extra>",
        )
    )
    base_layout(fig, lang, _("Election fingerprint"))
    fig.update_xaxes(title=_("Turnout") + ", %", range=[0, 101], dtick=10)
    fig.update_yaxes(title=forensics.leader_text(kind, "share_of", lang, drawn) + ", %", range=[0, 101], dtick=10)
    fig.update_layout(height=460, showlegend=False)
    order = np.argsort(-n, kind="stable")[:MAX_TABLE_ROWS]
    rows = [[fmt_pct(x[k] - bin_pct / 2, lang, 0), fmt_pct(y[k] - bin_pct / 2, lang, 0), format_number(n[k], lang)]
            for k in order]
    alt = forensics.leader_text(kind, "fingerprint_alt", lang, leader, count=format_number(len(stations), lang))
    return set_meta(fig, alt, [_("Turnout from"), _("Share from"), _("Stations")], rows)


def integer_histogram(values, lang: str, title: str, axis: str, bin_pct: float = 0.1) -> go.Figure:
    """Kobak et al.'s histogram: stations per 0.1-point bin, the bins of whole percentages in colour.
    ``title`` and ``axis`` are plotly text (a party's name in them made ``literal`` by the caller)."""
    _ = translator(lang)
    centres, counts = forensics.fine_histogram(values, bin_pct)
    nz = np.nonzero(counts)[0]
    lo, hi = (centres[nz[0]] - 1, centres[nz[-1]] + 1) if len(nz) else (0, 100)
    whole = np.isclose(centres, np.round(centres), atol=bin_pct / 10)
    colours = np.where(whole, HIGHLIGHT_COLOUR, NEUTRAL_BAR_COLOUR)
    fig = go.Figure(go.Bar(x=centres, y=counts, marker={"color": colours, "line": {"width": 0}},
                           width=bin_pct, hovertemplate=f"%{{x:.1f}}{pct_suffix(lang)}: %{{y}}<extra></extra>"))
    share = forensics.integer_share(values)
    base_layout(fig, lang, title)
    fig.update_xaxes(title=axis + ", %", range=[lo, hi])
    fig.update_yaxes(title=_("Stations"))
    fig.update_layout(height=320, bargap=0, showlegend=False)
    top = [k for k in np.argsort(-counts, kind="stable")[:MAX_TABLE_ROWS] if counts[k]]
    rows = [[fmt_pct(centres[k], lang, 1), format_number(counts[k], lang)] for k in sorted(top)]
    alt = _("{title}: stations per 0.1-point bin; whole percentages marked. Stations within 0.05 of a whole "
            "percentage: {share} (about 10 % if figures are not rounded).", title=plain(title),
            share=fmt_pct(100 * share, lang, 1) if share == share else "—")
    return set_meta(fig, alt, [plain(axis), _("Stations")], rows)


def increments_figure(inc: pd.DataFrame, flagged: set[tuple[str, str]], lang: str) -> go.Figure:
    """Each unit's turnout increase per interval next to its peers': a dot per unit and interval, the
    median as a black bar, flagged increases in orange (``flagged`` holds (time, unit) pairs)."""
    _ = translator(lang)
    fig = go.Figure()
    if len(inc):
        label = {t: f"{time_label(b, lang)}–{time_label(t, lang)}" for t, b in zip(inc["time"], inc["before_time"],
                                                                                strict=True)}
        peers = inc[~inc["unit"].isin([NATIONAL, ABROAD])]
        hit = np.array([(t, u) in flagged for t, u in zip(peers["time"], peers["unit"], strict=True)], dtype=bool)
        for mask, colour, name, size in ((~hit, OTHER_UNIT_COLOUR, _("Regions"), 8),
                                         (hit, HIGHLIGHT_COLOUR, _("Flagged"), 11)):
            part = peers[mask]
            fig.add_trace(go.Scatter(
                x=[label[t] for t in part["time"]], y=part["change"], mode="markers", name=name,
                marker={"color": colour, "size": size, "line": {"width": 1, "color": "#ffffff"}},
                text=[literal(unit_name(u, lang)) for u in part["unit"]],
                hovertemplate="<b>%{text}</b><br>%{x}: %{y:+.2f}<extra></extra>"))
        medians = inc.drop_duplicates("time")
        fig.add_trace(go.Scatter(
            x=[label[t] for t in medians["time"]], y=medians["median"], mode="markers", name=_("Median"),
            marker={"symbol": "line-ew", "size": 28, "line": {"width": 3, "color": NATIONAL_COLOUR}},
            hovertemplate=_("Median") + ": %{y:+.2f}<extra></extra>"))
    base_layout(fig, lang, _("Turnout increase per interval, region by region"))
    fig.update_yaxes(title=_("Points"), zeroline=True)
    fig.update_layout(height=420, legend={"orientation": "h", "y": -0.15})
    rows = [[unit_name(u, lang), label[t], format_float(c, lang, signed=True), format_float(m, lang, signed=True),
             "" if z != z else format_float(z, lang, 1)]
            for t, u, c, m, z in zip(inc["time"], inc["unit"], inc["change"], inc["median"], inc["z"],
                                     strict=True)] if len(inc) else []
    alt = _("Turnout increase in points between consecutive reports, for each region, with the median region.")
    return set_meta(fig, alt, [_("Unit"), _("Interval"), _("Points"), _("Median"), _("Robust z-score")], rows)
