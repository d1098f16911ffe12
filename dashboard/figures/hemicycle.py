"""The chamber as a hemicycle of seat dots.

Layout (the usual parliament-chart algorithm): the half-annulus between radius 1/2 and 1 holds ``r`` rows of
concentric arcs; ``r`` is the fewest rows whose capacity (arc length / seat spacing) holds every seat; seats
are shared between rows in proportion to each row's capacity (largest remainders, outer rows first), laid out
evenly along each arc, then all seats are sorted by angle (left to right) and filled party by party.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.common import (
    INDEPENDENT_COLOUR,
    NOT_REPORTED_COLOUR,
    base_layout,
    party_colour,
    party_label,
    party_lookup,
    reported_rows,
    set_meta,
)
from dashboard.figures.text import literal
from dashboard.i18n import NOT_REPORTED, format_number, ntranslator, translator
from dashboard.model import INDEPENDENT, Party

SYMBOLS = {"party_list": "circle", "single_mandate": "diamond", None: "circle-open"}
INNER_RADIUS = 0.5


def _row_radii(nrows: int) -> tuple[list[float], float]:
    """Radii of ``nrows`` rows (inner first) and the spacing between rows (also the seat spacing)."""
    if nrows == 1:
        return [0.75], 0.25
    spacing = (1 - INNER_RADIUS) / (nrows - 1)
    return [INNER_RADIUS + i * spacing for i in range(nrows)], spacing


def row_capacities(nrows: int) -> list[int]:
    """How many seats each of ``nrows`` rows (inner first) holds at a seat spacing equal to the row spacing."""
    radii, spacing = _row_radii(nrows)
    return [int(math.pi * r / spacing + 1e-9) + 1 for r in radii]


def rows_for(nseats: int) -> int:
    nrows = 1
    while sum(row_capacities(nrows)) < nseats:
        nrows += 1
    return nrows


def seat_positions(nseats: int) -> list[tuple[float, float]]:
    """(x, y) of ``nseats`` seats, sorted left to right (by angle, then from the inside out)."""
    if nseats <= 0:
        return []
    nrows = rows_for(nseats)
    caps = row_capacities(nrows)
    total_cap = sum(caps)
    exact = [c * nseats / total_cap for c in caps]
    counts = [math.floor(e) for e in exact]
    left = nseats - sum(counts)
    # Largest remainders; ties go to the outer rows.
    for i in sorted(range(nrows), key=lambda i: (-(exact[i] - counts[i]), -i))[:left]:
        counts[i] += 1
    seats = []
    radii, _spacing = _row_radii(nrows)
    for radius, n in zip(radii, counts, strict=True):
        for s in range(n):
            angle = math.pi * (1 - s / (n - 1)) if n > 1 else math.pi / 2
            seats.append((angle, radius))
    seats.sort(key=lambda ar: (-round(ar[0], 9), ar[1]))
    return [(r * math.cos(a), r * math.sin(a)) for a, r in seats]


def default_marker_size(nseats: int, width_px: int = 420) -> float:
    """A dot size (px) for a chart about ``width_px`` wide: 80 % of the seat spacing."""
    _radii, spacing = _row_radii(rows_for(max(nseats, 1)))
    return max(4.0, min(22.0, 0.8 * spacing * width_px / 2.16))


def hemicycle(
    seats: pd.DataFrame,
    parties: Sequence[Party],
    lang: str,
    total: int | None = None,
    *,
    title: str | None = None,
    marker_size: float | None = None,
) -> go.Figure:
    """Seat dots by party: party-list seats filled circles, single-mandate seats diamonds; independents dark
    grey; seats not accounted for (``total`` known, composition not) light hollow dots, "not reported".

    ``seats``: DataFrame ``party, kind, seats`` (kind ``party_list``/``single_mandate``; a missing ``kind``
    column means party list; rows whose seats are not reported are left out of the known seats).
    Parties are filled left to right in the order of ``parties``, then independents, then any other key,
    then the seats not reported. One trace per party with seats (``meta["party"]`` = party key, legend name
    "Amanat 62"), then one "not reported" trace (``meta["party"]`` None), then two legend-only traces
    explaining the symbols (``meta["symbol_key"]``).
    """
    _ = translator(lang)
    ngettext = ntranslator(lang)
    lookup = party_lookup(parties)
    df = seats.copy()
    if "kind" not in df.columns:
        df["kind"] = "party_list"
    df = reported_rows(df, "seats")
    df = df.assign(seats=[int(v) for v in df["seats"]])
    known = int(df["seats"].sum()) if len(df) else 0
    if total is None:
        total = known
    if known > total:
        raise ValueError(f"{known} seats by party exceed the chamber's {total}")

    order = [p.key for p in parties]
    extra = [k for k in dict.fromkeys(df["party"]) if k not in order and k != INDEPENDENT]
    order = order + ([INDEPENDENT] if INDEPENDENT in set(df["party"]) else []) + extra
    kinds = ("party_list", "single_mandate")

    positions = seat_positions(total)
    size = marker_size or default_marker_size(total)
    fig = go.Figure()
    cursor = 0
    table_rows = []
    for key in order:
        part = df[df["party"] == key]
        counts = {k: int(part.loc[part["kind"] == k, "seats"].sum()) for k in kinds}
        n = sum(counts.values())
        if n == 0:
            continue
        symbols = [SYMBOLS[k] for k in kinds for _i in range(counts[k])]
        kind_names = [
            _("party list") if k == "party_list" else _("single-mandate")
            for k in kinds
            for _i in range(counts[k])
        ]
        xy = positions[cursor : cursor + n]
        cursor += n
        name = party_label(key, lookup, lang)
        drawn = literal(name)  # the legend and the hover; the table keeps the name as it is
        colour = INDEPENDENT_COLOUR if key == INDEPENDENT else party_colour(key, lookup)
        fig.add_trace(
            go.Scatter(
                name=f"{drawn} {format_number(n, lang)}",
                legendgroup=key,
                x=[p[0] for p in xy],
                y=[p[1] for p in xy],
                mode="markers",
                marker={"color": colour, "symbol": symbols, "size": size, "line": {"width": 0}},
                customdata=kind_names,
                hovertemplate=f"<b>{drawn}</b> · {ngettext('{n} seat', '{n} seats', n)}"
                "<br>%{customdata}<extra></extra>",
                meta={
                    "party": key,
                    "party_list": counts["party_list"],
                    "single_mandate": counts["single_mandate"],
                },
            )
        )
        table_rows.append(
            [
                name,
                format_number(counts["party_list"], lang),
                format_number(counts["single_mandate"], lang),
                format_number(n, lang),
            ]
        )

    unknown = total - known
    nr = _(NOT_REPORTED)
    xy = positions[cursor:]
    fig.add_trace(
        go.Scatter(
            name=f"{nr} {format_number(unknown, lang)}",
            legendgroup="not_reported",
            x=[p[0] for p in xy],
            y=[p[1] for p in xy],
            mode="markers",
            marker={
                "color": NOT_REPORTED_COLOUR,
                "symbol": "circle-open",
                "size": size,
                "line": {"width": 2},
            },
            hovertemplate=f"<b>{nr}</b><extra></extra>",
            showlegend=unknown > 0,
            meta={"party": None, "not_reported": unknown},
        )
    )
    if unknown:
        table_rows.append([nr, nr, nr, format_number(unknown, lang)])
    # Legend keys for the two symbols (no data: legend only), when both are drawn: one symbol alone needs
    # no key (a lone grey "● party list" read as one more party).
    both = df["kind"].eq("party_list").any() and df["kind"].eq("single_mandate").any()
    for kind, label in (("party_list", _("party list")), ("single_mandate", _("single-mandate"))):
        fig.add_trace(
            go.Scatter(
                name=label,
                legendgroup="symbols",
                x=[None],
                y=[None],
                mode="markers",
                marker={"color": "#777777", "symbol": SYMBOLS[kind], "size": 10},
                hoverinfo="skip",
                showlegend=bool(both),
                meta={"symbol_key": kind, "drawn": bool(df["kind"].eq(kind).any())},
            )
        )

    # the word agrees with the number: 1 мандат, 2 мандата, 5 мандатов
    seats_word = ngettext("seat", "seats", total)
    fig.add_annotation(
        name="total",
        text=f"<b>{format_number(total, lang)}</b><br><span style='font-size:15px'>{seats_word}</span>",
        x=0,
        y=0.02,
        xref="x",
        yref="y",
        showarrow=False,
        yanchor="bottom",
        font={"size": 22},
    )
    base_layout(fig, lang, title if title is not None else _("Seats"))
    fig.update_xaxes(visible=False, range=[-1.08, 1.08], fixedrange=True)
    fig.update_yaxes(visible=False, range=[-0.06, 1.08], scaleanchor="x", scaleratio=1, fixedrange=True)
    fig.update_layout(
        dragmode=False,
        showlegend=True,
        legend={"orientation": "h", "x": 0.5, "xanchor": "center", "y": 0, "yanchor": "top"},
        margin={"l": 4, "r": 4, "t": 44, "b": 4},
    )
    alt = ngettext("A chamber of {n} seat.", "A chamber of {n} seats.", total)
    if unknown:
        alt += " " + ngettext(
            "The party of {n} seat is not reported.", "The party of {n} seats is not reported.", unknown
        )
    set_meta(fig, alt, [_("Party"), _("Party list"), _("Single-mandate"), _("Total")], table_rows)
    return fig


def seat_key(fig, lang: str) -> str:
    """The sentence under a chamber chart saying what its marks mean — only the marks it has: a fixed
    "diamonds: single-mandate seats; dark grey: self-nominated deputies" stood under charts with neither."""
    _ = translator(lang)
    data = fig["data"] if isinstance(fig, dict) else fig.data
    metas = [(t.get("meta") if isinstance(t, dict) else t.meta) or {} for t in data]
    drawn = {m["symbol_key"] for m in metas if m.get("drawn")}
    parts = []
    if "party_list" in drawn:
        parts.append(_("circles: party-list seats"))
    if "single_mandate" in drawn:
        parts.append(_("diamonds: single-mandate seats"))
    if any(m.get("party") == INDEPENDENT and m.get("party_list", 0) + m.get("single_mandate", 0) for m in metas):
        parts.append(_("dark grey: self-nominated (independent) deputies"))
    if any(m.get("not_reported") for m in metas):
        parts.append(_("hollow: not reported"))
    text = "; ".join(parts)
    return f"{text[:1].upper()}{text[1:]}." if text else ""



def hemicycle_svg(fig, *, majority: bool = True, ink: str = "#222222") -> str:
    """A hemicycle figure (``hemicycle``) as a small standalone SVG: the same seats in the same places and
    colours, the chamber's size in the middle and, with ``majority``, a dashed line up the middle where
    a majority begins. For the outcome on a phone's first screen: an image the browser draws at once, with
    no plotly to wait for; the page names the colours, and the figure's ``meta.alt`` is its text.

    Only numbers and colours go into it (no name from the files): nothing in it to escape."""
    data = fig["data"] if isinstance(fig, dict) else [t.to_plotly_json() for t in fig.data]
    seats = []
    for trace in data:
        if "symbol_key" in (trace.get("meta") or {}):
            continue  # the legend's symbol keys: no seats
        marker = trace.get("marker") or {}
        symbols = marker.get("symbol")
        for i, (x, y) in enumerate(zip(trace.get("x") or (), trace.get("y") or (), strict=True)):
            if x is not None and y is not None:
                symbol = symbols[i] if isinstance(symbols, list | tuple) else symbols
                seats.append((float(x), -float(y), marker.get("color", "#999999"), symbol))
    if not seats:
        return ""
    _radii, spacing = _row_radii(rows_for(len(seats)))
    r = 0.4 * spacing
    marks = "".join(_svg_seat(x, y, colour, symbol, r) for x, y, colour, symbol in seats)
    line = (f'<line x1="0" y1="-0.46" x2="0" y2="-1.07" stroke="{ink}" stroke-width="0.012" '
            'stroke-dasharray="0.035 0.025"/>') if majority else ""
    total = (f'<text x="0" y="-0.1" text-anchor="middle" font-family="sans-serif" font-size="0.26" '
             f'font-weight="700" fill="{ink}">{len(seats)}</text>')
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-1.06 -1.09 2.12 1.13">{line}{marks}{total}</svg>'


def _svg_seat(x: float, y: float, colour: str, symbol, r: float) -> str:
    if symbol == "diamond":  # a single-mandate seat
        return f'<path d="M{x:.4f} {y - r * 1.2:.4f}l{r * 1.2:.4f} {r * 1.2:.4f}l-{r * 1.2:.4f} {r * 1.2:.4f}l-{r * 1.2:.4f} -{r * 1.2:.4f}z" fill="{colour}"/>'
    if symbol == "circle-open":  # a seat not reported
        return f'<circle cx="{x:.4f}" cy="{y:.4f}" r="{r * 0.85:.4f}" fill="none" stroke="{colour}" stroke-width="{r * 0.3:.4f}"/>'
    return f'<circle cx="{x:.4f}" cy="{y:.4f}" r="{r:.4f}" fill="{colour}"/>'


def mark_majority(fig, total: int | None, lang: str):
    """The majority line of a chamber chart: a dashed line up the middle (half the seats lie on each side
    of it) and "73 of 145 seats for a majority" at its top. Nothing for an unknown size."""
    from dashboard.electoral.outcome import majority_of

    if not total:
        return fig
    ngettext = ntranslator(lang)
    fig.add_shape(name="majority", type="line", xref="x", yref="y", x0=0, x1=0, y0=0.46, y1=1.04,
                  line={"color": "#222222", "width": 1.2, "dash": "dash"}, layer="below")
    fig.add_annotation(
        name="majority_label",
        text=ngettext("{m} of {n} seat for a majority", "{m} of {n} seats for a majority", total,
                      m=format_number(majority_of(total), lang)),
        x=0, y=1.04, xref="x", yref="y", yanchor="bottom", showarrow=False, font={"size": 11, "color": "#222222"},
    )
    meta = dict(fig.layout.meta or {})
    meta["majority"] = majority_of(total)
    return fig.update_layout(meta=meta)
