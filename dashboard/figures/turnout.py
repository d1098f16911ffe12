"""Turnout through election day: lines per unit, small multiples, and a ranking at one report time.

Input is the table of ``dashboard.electoral.turnout.turnout_table``: columns ``time, unit, turnout_pct``
(``registered``, ``took_part`` are not needed). ``time`` is an ISO time with offset or ``final``; the x axis
shows the clock time as reported ("10:10") and "final" translated, in time order with "final" last. A unit
with no figure at a time has a gap there (never a zero, never a line drawn across).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.common import (
    HIGHLIGHT_COLOUR,
    NATIONAL_COLOUR,
    NEUTRAL_BAR_COLOUR,
    OTHER_UNIT_COLOUR,
    base_layout,
    fmt_pct,
    missing,
    pct_suffix,
    set_meta,
    time_label,
)
from dashboard.figures.text import literal
from dashboard.i18n import NOT_REPORTED, translator
from dashboard.model import FINAL
from dashboard.regions import NATIONAL, region_keys, unit_name


def ordered_times(times) -> list[str]:
    """Report times in time order, ``final`` last."""
    distinct = list(dict.fromkeys(str(t) for t in times))
    clock = sorted((t for t in distinct if t != FINAL), key=lambda t: pd.Timestamp(t))
    return clock + ([FINAL] if FINAL in distinct else [])


def ordered_units(units) -> list[str]:
    """``kz`` first, then regions in registry order, then anything else (``abroad``) in the given order."""
    present = list(dict.fromkeys(units))
    keys = [k for k in region_keys() if k in present]
    rest = [u for u in present if u not in keys and u != NATIONAL]
    return ([NATIONAL] if NATIONAL in present else []) + keys + rest


def _series(table: pd.DataFrame, unit: str, times: Sequence[str]) -> list[float | None]:
    rows = table[table["unit"] == unit]
    by_time = {str(t): v for t, v in zip(rows["time"], rows["turnout_pct"], strict=True)}
    return [None if missing(by_time.get(t)) else float(by_time[t]) for t in times]


def _hover(name: str, lang: str) -> str:
    return f"<b>{literal(name)}</b><br>%{{x}}: %{{y:.2f}}{pct_suffix(lang)}<extra></extra>"


def _name(unit: str, lang: str, names: Mapping[str, str] | None) -> str:
    """A unit's name: the election's name of the day when given (``names``: Nur-Sultan in 2019), else today's."""
    return (names or {}).get(unit) or unit_name(unit, lang)


def _table_meta(
    table: pd.DataFrame, units: Sequence[str], times: Sequence[str], labels: Sequence[str], lang: str,
    names: Mapping[str, str] | None = None,
):
    _ = translator(lang)
    columns = [_("Region"), *labels]
    rows = [[_name(u, lang, names), *[fmt_pct(v, lang) for v in _series(table, u, times)]] for u in units]
    return columns, rows


def turnout_lines(
    table: pd.DataFrame,
    lang: str,
    highlight: str = NATIONAL,
    units: Sequence[str] | None = None,
    *,
    title: str | None = None,
    names: Mapping[str, str] | None = None,
) -> go.Figure:
    """One line per unit: others thin grey, the nation thick and dark, ``highlight`` (if not the nation) in
    an accent colour and drawn last. ``meta["unit"]`` of each trace is its unit key; the hover shows the
    unit's name; the legend lists the nation, the highlight and one "Other regions" entry.
    """
    _ = translator(lang)
    times = ordered_times(table["time"])
    labels = [time_label(t, lang) for t in times]
    units = ordered_units(table["unit"]) if units is None else list(units)
    if highlight not in units and highlight in set(table["unit"]):
        units.append(highlight)
    fig = go.Figure()
    first_other = True
    draw = [u for u in units if u not in (NATIONAL, highlight)]
    draw += [u for u in (NATIONAL, highlight) if u in units]
    for unit in dict.fromkeys(draw):
        name = _name(unit, lang, names)
        if unit == NATIONAL:
            line, marker, legend, label = {"color": NATIONAL_COLOUR, "width": 4}, 7, True, name
        elif unit == highlight:
            line, marker, legend, label = {"color": HIGHLIGHT_COLOUR, "width": 3}, 6, True, name
        else:
            line, marker, legend, label = (
                {"color": OTHER_UNIT_COLOUR, "width": 1},
                3,
                first_other,
                _("Other regions"),
            )
            first_other = False
        # The legend shows names; the unit key is in ``meta["unit"]`` and ``customdata`` for the page.
        fig.add_trace(
            go.Scatter(
                name=literal(label),
                x=labels,
                y=_series(table, unit, times),
                mode="lines+markers",
                line=line,
                marker={"size": marker, "color": line["color"]},
                connectgaps=False,
                hovertemplate=_hover(name, lang),
                legendgroup="others" if label != name else unit,
                showlegend=legend,
                customdata=[unit] * len(labels),
                meta={"unit": unit},
            )
        )
    base_layout(fig, lang, title if title is not None else _("Turnout through election day"))
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=labels, fixedrange=True)
    fig.update_yaxes(range=[0, 100], ticksuffix=pct_suffix(lang), fixedrange=True)
    fig.update_layout(
        dragmode=False,
        hovermode="closest",
        legend={"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"},
        margin={"l": 8, "r": 8, "t": 44, "b": 8},
    )
    columns, rows = _table_meta(table, units, times, labels, lang, names)
    last = _series(table, NATIONAL, times)
    known = [(lab, v) for lab, v in zip(labels, last, strict=True) if v is not None]
    alt = _("Turnout through election day in {n} units.", n=len(units))
    if known:
        alt += " " + _(
            "National turnout: {pct} ({time}).", pct=fmt_pct(known[-1][1], lang), time=known[-1][0]
        )
    set_meta(fig, alt, columns, rows)
    return fig


def turnout_small_multiples(
    table: pd.DataFrame,
    lang: str,
    columns: int = 5,
    *,
    title: str | None = None,
    names: Mapping[str, str] | None = None,
) -> go.Figure:
    """A grid of one small chart per region/city (registry order): the unit's line over the national one.

    ``columns``: 4 or 5 on wide screens; a page can ask for 2 on phones. Each unit's trace has
    ``meta["unit"]`` = its key; national reference lines have ``meta["unit"] == "kz"``.
    """
    _ = translator(lang)
    times = ordered_times(table["time"])
    labels = [time_label(t, lang) for t in times]
    units = [u for u in ordered_units(table["unit"]) if u != NATIONAL]
    columns = max(1, int(columns))
    nrows = max(1, math.ceil(len(units) / columns))
    fig = make_subplots(
        rows=nrows,
        cols=columns,
        shared_xaxes=True,
        shared_yaxes=True,
        subplot_titles=[literal(_name(u, lang, names)) for u in units],
        vertical_spacing=min(0.12, 0.35 / nrows),
        horizontal_spacing=0.02,
    )
    national = _series(table, NATIONAL, times)
    national_name = unit_name(NATIONAL, lang)
    for i, unit in enumerate(units):
        row, col = i // columns + 1, i % columns + 1
        if any(v is not None for v in national):
            fig.add_trace(
                go.Scatter(
                    name=literal(national_name),
                    x=labels,
                    y=national,
                    mode="lines",
                    line={"color": OTHER_UNIT_COLOUR, "width": 1.5, "dash": "dot"},
                    hovertemplate=_hover(national_name, lang),
                    showlegend=i == 0,
                    legendgroup=NATIONAL,
                    meta={"unit": NATIONAL},
                ),
                row=row,
                col=col,
            )
        name = _name(unit, lang, names)
        fig.add_trace(
            go.Scatter(
                name=literal(name),
                x=labels,
                y=_series(table, unit, times),
                mode="lines+markers",
                line={"color": NATIONAL_COLOUR, "width": 2},
                marker={"size": 3},
                connectgaps=False,
                hovertemplate=_hover(name, lang),
                customdata=[unit] * len(labels),
                showlegend=False,
                meta={"unit": unit},
            ),
            row=row,
            col=col,
        )
    for annotation in fig.layout.annotations:
        annotation.font = {"size": 10}
    base_layout(fig, lang, title if title is not None else _("Turnout by region, compared with the country"))
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=labels,
        fixedrange=True,
        tickfont={"size": 9},
        showticklabels=False,
    )
    fig.update_xaxes(showticklabels=True, row=nrows)
    fig.update_yaxes(
        range=[0, 100], ticksuffix=pct_suffix(lang), fixedrange=True, tickfont={"size": 9}, dtick=25
    )
    fig.update_layout(
        dragmode=False,
        height=max(300, 60 + 150 * nrows),
        legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "bottom", "yref": "container"},
        margin={"l": 8, "r": 8, "t": 70, "b": 56},
    )
    cols, rows = _table_meta(table, [NATIONAL, *units], times, labels, lang, names)
    set_meta(
        fig,
        _("Turnout through election day in each region and city, each compared with the country."),
        cols,
        rows,
    )
    return fig


def turnout_ranking(
    values: Mapping[str, float | None],
    lang: str,
    *,
    time: str | None = None,
    title: str | None = None,
    names: Mapping[str, str] | None = None,
) -> go.Figure:
    """Units ranked by turnout at one time (highest on top); the nation (key ``kz``, if given) is a dark bar
    and a dotted vertical line; units with no figure are listed at the bottom with "not reported".

    ``values``: unit key -> turnout % (None/NaN = not reported). ``time``: the report time (ISO or
    ``final``) for the title. Trace 0: the bars (``customdata`` = unit key); trace 1: "not reported" labels.
    """
    _ = translator(lang)
    nr = _(NOT_REPORTED)
    known = [(u, float(v)) for u, v in values.items() if not missing(v)]
    known.sort(key=lambda uv: (-uv[1], uv[0]))
    absent = [u for u, v in values.items() if missing(v)]
    absent = ordered_units(absent)
    shown = [_name(u, lang, names) for u, _v in known]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            name="turnout",
            orientation="h",
            y=[literal(n) for n in shown],
            x=[v for _u, v in known],
            customdata=[u for u, _v in known],
            marker={"color": [NATIONAL_COLOUR if u == NATIONAL else NEUTRAL_BAR_COLOUR for u, _v in known]},
            text=[fmt_pct(v, lang) for _u, v in known],
            # inside the bar's end (plotly shrinks it to fit a short bar): printed beside the bar, a
            # label ran off the right edge of a narrow (phone, 300 px iframe) chart
            textposition="inside",
            insidetextanchor="end",
            cliponaxis=False,
            hovertemplate="<b>%{y}</b><br>%{x:.2f}" + pct_suffix(lang) + "<extra></extra>",
            showlegend=False,
        )
    )
    absent_names = [_name(u, lang, names) for u in absent]
    fig.add_trace(
        go.Scatter(
            name="not_reported",
            mode="text",
            y=[literal(n) for n in absent_names],
            x=[0.0] * len(absent),
            customdata=absent,
            text=["\u2002" + nr] * len(absent),
            textposition="middle right",
            textfont={"color": "#666666", "style": "italic"},
            hovertemplate="<b>%{y}</b><br>" + nr + "<extra></extra>",
            showlegend=False,
            cliponaxis=False,
        )
    )
    national = values.get(NATIONAL)
    if not missing(national):
        fig.add_shape(
            name="national",
            type="line",
            xref="x",
            yref="paper",
            x0=float(national),
            x1=float(national),
            y0=0,
            y1=1,
            line={"color": NATIONAL_COLOUR, "width": 1, "dash": "dot"},
            # behind the bars: the shares are printed inside the bars' ends, and a line drawn over them
            # ran through the labels of every unit near the national figure
            layer="below",
        )
    heading = _("Turnout by region")
    if time is not None:
        heading = _("Turnout by region at {time}", time=time_label(time, lang))
        heading = heading[:1].upper() + heading[1:]  # kk: "{time} кезіндегі…" with time "қорытынды"
    base_layout(fig, lang, title if title is not None else heading)
    order = [literal(n) for n in shown + absent_names]
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=order,
        autorange="reversed",
        automargin=True,
        fixedrange=True,
    )
    top = max([v for _u, v in known], default=100.0)
    fig.update_xaxes(
        range=[0, min(100.0, top * 1.04)], ticksuffix=pct_suffix(lang), fixedrange=True, nticks=5, tickangle=0
    )
    fig.update_layout(dragmode=False, height=max(240, 70 + 24 * len(order)), bargap=0.2)
    rows = [[_name(u, lang, names), fmt_pct(v, lang)] for u, v in known] + [[n, nr] for n in absent_names]
    alt = heading + "."
    if known:
        alt += " " + _("Highest: {unit}, {pct}.", unit=shown[0], pct=fmt_pct(known[0][1], lang))
    set_meta(fig, alt, [_("Region"), _("Turnout")], rows)
    return fig
