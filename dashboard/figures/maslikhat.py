"""All regional maslikhats at a glance: seats by party per area, honest about areas with no data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.common import (
    NOT_REPORTED_COLOUR,
    base_layout,
    missing,
    party_colour,
    party_label,
    party_lookup,
    reported_rows,
    set_meta,
)
from dashboard.figures.text import literal
from dashboard.i18n import NOT_REPORTED, format_number, translator
from dashboard.model import INDEPENDENT, Party
from dashboard.regions import region_keys, unit_name


def maslikhat_overview(
    df: pd.DataFrame,
    parties: Sequence[Party],
    lang: str,
    *,
    totals: Mapping[str, int | None] | None = None,
    areas: Sequence[str] | None = None,
    title: str | None = None,
) -> go.Figure:
    """Stacked horizontal bars: one row per area (registry order), one segment per party (its seats, list +
    single-mandate). An area with no seat figure gets no bar and the text "not reported"; when ``totals``
    (area -> size of the assembly) is given, seats not accounted for are a light-grey "not reported"
    segment.

    ``df``: ``area, party, kind, seats`` (``dashboard.electoral.composition.all_maslikhat_seats``); rows with
    seats not reported are ignored. One Bar trace per party present (``meta["party"]`` = key), then a
    "not reported" Bar (seats not accounted for), then a text-only trace for areas with no data.
    """
    _ = translator(lang)
    nr = _(NOT_REPORTED)
    lookup = party_lookup(parties)
    areas = list(region_keys()) if areas is None else list(areas)
    known = reported_rows(df, "seats").copy()
    known["seats"] = [int(v) for v in known["seats"]]
    known = known[known["area"].isin(areas)]
    by_area_party = known.groupby(["area", "party"], sort=False)["seats"].sum()
    area_total = known.groupby("area", sort=False)["seats"].sum().to_dict()

    order = [p.key for p in parties if p.key in set(known["party"])]
    if INDEPENDENT in set(known["party"]):
        order.append(INDEPENDENT)
    order += [k for k in dict.fromkeys(known["party"]) if k not in order]

    names = {a: unit_name(a, lang) for a in areas}
    drawn = {a: literal(n) for a, n in names.items()}  # the y categories and hovers; the table keeps names
    with_data = [a for a in areas if area_total.get(a, 0) > 0]
    without = [a for a in areas if a not in with_data]

    def kind_split(area: str, key: str) -> str:
        rows = known[(known["area"] == area) & (known["party"] == key)]
        pl = int(rows.loc[rows["kind"] == "party_list", "seats"].sum())
        sm = int(rows.loc[rows["kind"] == "single_mandate", "seats"].sum())
        return _(
            "party list: {pl}, single-mandate: {sm}", pl=format_number(pl, lang), sm=format_number(sm, lang)
        )

    fig = go.Figure()
    for key in order:
        label = literal(party_label(key, lookup, lang))
        xs = [int(by_area_party.get((a, key), 0)) for a in with_data]
        fig.add_trace(
            go.Bar(
                name=label,
                orientation="h",
                y=[drawn[a] for a in with_data],
                x=xs,
                customdata=with_data,
                marker={"color": party_colour(key, lookup), "line": {"color": "#ffffff", "width": 0.5}},
                hovertext=[
                    f"<b>{drawn[a]}</b><br>{label}: {format_number(x, lang)}<br>{kind_split(a, key)}"
                    for a, x in zip(with_data, xs, strict=True)
                ],
                hovertemplate="%{hovertext}<extra></extra>",
                meta={"party": key},
            )
        )
    unaccounted = []
    for a in with_data:
        size = None if totals is None else totals.get(a)
        unaccounted.append(max(0, int(size) - area_total[a]) if not missing(size) else 0)
    fig.add_trace(
        go.Bar(
            name=nr,
            orientation="h",
            y=[drawn[a] for a in with_data],
            x=unaccounted,
            customdata=with_data,
            marker={
                "color": "rgba(0,0,0,0)",
                "line": {"color": NOT_REPORTED_COLOUR, "width": 1.5},
                "pattern": {"shape": "/", "fgcolor": NOT_REPORTED_COLOUR, "size": 5},
            },
            hovertext=[
                f"<b>{drawn[a]}</b><br>{nr}: {format_number(n, lang)}"
                for a, n in zip(with_data, unaccounted, strict=True)
            ],
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=any(unaccounted),
            meta={"party": None},
        )
    )
    fig.add_trace(
        go.Scatter(
            name="no_data",
            mode="text",
            y=[drawn[a] for a in without],
            x=[0.0] * len(without),
            customdata=without,
            text=["\u2002" + nr] * len(without),
            textposition="middle right",
            textfont={"color": "#666666", "style": "italic"},
            hovertemplate="<b>%{y}</b><br>" + nr + "<extra></extra>",
            showlegend=False,
            cliponaxis=False,
        )
    )
    base_layout(fig, lang, title if title is not None else _("Regional maslikhats: seats by party"))
    xmax = max([area_total[a] + u for a, u in zip(with_data, unaccounted, strict=True)], default=10)
    fig.update_layout(
        barmode="stack",
        bargap=0.25,
        dragmode=False,
        height=max(260, 110 + 24 * len(areas)),
        legend={"orientation": "h", "x": 0, "y": -0.06, "yanchor": "top", "traceorder": "normal"},
    )
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=[drawn[a] for a in areas],
        autorange="reversed",
        automargin=True,
        fixedrange=True,
    )
    fig.update_xaxes(range=[0, xmax * 1.05], fixedrange=True)  # the title says these are seats

    columns = [_("Region"), *[party_label(k, lookup, lang) for k in order], nr, _("Total")]
    rows = []
    for a in areas:
        if a in with_data:
            i = with_data.index(a)
            cells = [format_number(int(by_area_party.get((a, k), 0)), lang) for k in order]
            size = None if totals is None else totals.get(a)
            total_cell = format_number(size if not missing(size) else area_total[a], lang)
            rows.append(
                [names[a], *cells, format_number(unaccounted[i], lang) if unaccounted[i] else "", total_cell]
            )
        else:
            rows.append([names[a], *[nr] * len(order), nr, nr])
    alt = _(
        "Seats by party in the regional maslikhats: figures for {n} of {m} areas; the others are not reported.",
        n=len(with_data),
        m=len(areas),
    )
    set_meta(fig, alt, columns, rows)
    return fig
