"""The night's estimate as a picture: each option's projected final share as a 90 % range.

Drawn so that nobody takes it for a result (issue 17: "never in the colours or words of a result"): one
neutral grey for every option (no party colours, no bars), a range with an open marker at the point
estimate, and "Estimate — not a result" in the title, the text alternative and the table. A threshold or
the half line is dashed, as on the results chart. Pure plotly: the words are the caller's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from dashboard.figures.common import base_layout, fmt_pct, set_meta
from dashboard.figures.text import literal
from dashboard.i18n import translator

#: The estimate's one colour (a result's chart uses the parties' colours): grey, 5.7:1 on white.
ESTIMATE_GREY = "#5f6368"
RANGE_WIDTH = 10
RANGE_COLOUR = "rgba(95, 99, 104, 0.35)"


@dataclass(frozen=True)
class Range:
    """One option's projected share (percent): its name (plain text), low, mid and high."""

    name: str
    low: float
    mid: float
    high: float


def estimate_figure(ranges: Sequence[Range], lang: str, title: str, *, line_pct: float | None = None,
                    line_label: str = "", subtitle: str | None = None) -> go.Figure:
    """A range per option, largest estimate on top; ``line_pct`` a dashed line (a threshold, 50 %)."""
    _ = translator(lang)
    rows = sorted(ranges, key=lambda r: -r.mid)[::-1]  # plotly draws the first category at the bottom
    names = [literal(r.name) for r in rows]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=[r.mid for r in rows], y=names, mode="markers", name=_("Estimate"),
        marker={"symbol": "diamond-open", "size": 12, "color": ESTIMATE_GREY, "line": {"width": 2}},
        error_x={"type": "data", "symmetric": False, "array": [r.high - r.mid for r in rows],
                 "arrayminus": [r.mid - r.low for r in rows], "color": RANGE_COLOUR,
                 "thickness": RANGE_WIDTH, "width": 0},
        customdata=[[fmt_pct(r.low, lang), fmt_pct(r.high, lang)] for r in rows],
        hovertemplate="%{y}: %{customdata[0]} – %{customdata[1]}<extra></extra>",
    ))
    top = max((r.high for r in rows), default=0.0)
    if line_pct is not None:
        fig.add_shape(type="line", name="threshold", x0=line_pct, x1=line_pct, y0=0, y1=1, yref="paper",
                      line={"dash": "dash", "color": "#222222", "width": 1})
        if line_label:
            # inside the plot, under its top edge: above it an embed's tight margin cut it off
            fig.add_annotation(x=line_pct, y=1, yref="paper", text=literal(line_label), showarrow=False,
                               xanchor="left", yanchor="top", xshift=3, font={"size": 11},
                               bgcolor="rgba(255, 255, 255, 0.8)")
        top = max(top, line_pct)
    base_layout(fig, lang, title, subtitle=subtitle)
    fig.update_layout(
        showlegend=False, height=max(220, 56 + 38 * len(rows)),
        xaxis={"range": [0, min(100.0, top * 1.08 + 1)], "ticksuffix": " %" if lang != "en" else "%",
               "title": {"text": _("Projected final share, 90 % range")}, "fixedrange": True},
        yaxis={"fixedrange": True, "automargin": True},
    )
    columns = [_("Option"), _("Estimate"), _("90 % range")]
    table = [[r.name, fmt_pct(r.mid, lang), f"{fmt_pct(r.low, lang)} – {fmt_pct(r.high, lang)}"]
             for r in sorted(ranges, key=lambda r: -r.mid)]
    alt = _("{title}. Estimate, not a result: ", title=title) + "; ".join(
        f"{name} {mid} ({span})" for name, mid, span in table)
    return set_meta(fig, alt, columns, table)
