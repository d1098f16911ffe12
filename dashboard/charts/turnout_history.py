"""Turnout at every vote since 2019: the country's line, and with ``unit`` (a region or city of today) that
unit's line against it.

A unit whose borders changed on 8 June 2022 (East Kazakhstan, Almaty Region, Karaganda, and the three
regions carved out of them) has two lines: the old unit across every vote, on the borders before 8 June
2022 (a later vote's figure: the counts of its parts summed — where only percentages are published it
cannot be combined, and the line has a gap that the subtitle and the table name), and today's unit for the
votes held on today's borders. Preliminary figures are open markers, and say so in the hover and the
table. The arithmetic is ``dashboard.electoral.history``."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.boundaries import UNITS_2022, UNITS_2023, boundary_set
from dashboard.components import history as hist
from dashboard.components.results import finish
from dashboard.electoral import history as H
from dashboard.figures.common import base_layout, set_meta
from dashboard.figures.text import literal
from dashboard.i18n import translator
from dashboard.regions import NATIONAL, unit_name

from . import turnout as _turnout
from .base import NotReported, with_exact

PARAMS = ("unit",)
NATIONAL_COLOUR = "#1a1a1a"
#: The same unit parameter as the turnout chart (``unit``: kz or a region; its page the region's or Turnout),
#: one definition: the catalogue reads them here.
check, state, params, full_view = _turnout.check, _turnout.state, _turnout.params, _turnout.full_view
UNIT_COLOUR = "#0072B2"
OLD_COLOUR = "#D55E00"


def old_name(unit: str, lang: str) -> str:
    """An old unit's name with its borders: "East Kazakhstan Region (borders before 8 June 2022)"."""
    _ = translator(lang)
    return _("{unit} (borders before 8 June 2022)", unit=boundary_set(UNITS_2022).unit_name(unit, lang))


def series(elections, unit: str | None) -> list[tuple[str, str, str, list[H.Point]]]:
    """(series key, boundary set, colour, points) of each line: the country, then the unit's lines."""
    out = [(NATIONAL, "", NATIONAL_COLOUR, H.national_series(elections))]
    if not unit:
        return out
    old = H.old_unit(unit)
    if not H.changed(unit):
        out.append((unit, UNITS_2022, UNIT_COLOUR, H.unit_series(elections, unit, boundary_set(UNITS_2022))))
        return out
    out.append((unit, UNITS_2023, UNIT_COLOUR, H.unit_series(elections, unit, boundary_set(UNITS_2023))))
    out.append((f"{old}@{UNITS_2022}", UNITS_2022, OLD_COLOUR,
                H.unit_series(elections, old, boundary_set(UNITS_2022))))
    return out


def _series(unit):
    return hist.memo("turnout-history", series, unit)


def series_name(key: str, lang: str) -> str:
    if "@" in key:
        return old_name(key.split("@", 1)[0], lang)
    return unit_name(key, lang)


def title(election, lang: str, state: dict) -> str:
    _ = translator(lang)
    unit = state.get("unit")
    points = _series(unit)[0][3]
    since = points[0].date[:4] if points else ""
    if unit:
        return _("Turnout at every vote since {year}: {unit} and Kazakhstan", year=since,
                 unit=literal(unit_name(unit, lang)))
    return _("Turnout at every vote since {year}", year=since)


def figure(election, lang: str, state: dict):
    _ = translator(lang)
    unit = state.get("unit")
    lines = _series(unit)
    if not lines[0][3] or all(p.turnout.pct is None for _k, _b, _c, pts in lines for p in pts):
        raise NotReported(_("Turnout is not reported for any vote."))
    fig = go.Figure()
    gaps: list[str] = []
    for key, _set, colour, points in lines:
        name = series_name(key, lang)
        dash_ = "dash" if "@" in key else "solid"
        fig.add_trace(go.Scatter(
            x=[p.date for p in points],
            y=[p.turnout.pct for p in points],
            mode="lines+markers",
            connectgaps=False,
            # the old unit's long name on two lines: one line was clipped on a phone
            name="<br>(".join(literal(part) for part in name.split(" (", 1)),
            meta={"series": key},
            line={"color": colour, "width": 3 if key == NATIONAL else 2, "dash": dash_},
            marker={"size": 9, "color": colour,
                    "symbol": ["circle-open" if p.turnout.preliminary else "circle" for p in points],
                    "line": {"width": 2, "color": colour}},
            hovertext=[f"{literal(name)}<br>{hist.long_date(p.date, lang)} · {hist.kind_name(p.kind, lang)}"
                       f"<br>{hist.turnout_text(p.turnout, lang)}" for p in points],
            hovertemplate="%{hovertext}<extra></extra>",
        ))
        missing = [hist.short_date(p.date) for p in points if p.turnout.basis == H.NOT_COMBINABLE]
        if missing:
            gaps.append(_("{unit}, {dates}: {why}", unit=name, dates=", ".join(missing),
                          why=hist.cannot_combine(lang)))
    subtitle = _("Open markers: preliminary figures.")
    if gaps:
        subtitle = subtitle + " " + "; ".join(gaps)
    base_layout(fig, lang, title(election, lang, state), subtitle=literal(subtitle))
    fig.update_layout(
        height=420,
        yaxis={"title": {"text": _("Turnout, %")}, "rangemode": "tozero", "range": [0, 100], "fixedrange": True},
        xaxis={"type": "date", "tickformat": "%Y", "fixedrange": True, "dtick": "M12"},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        margin={"l": 8, "r": 8, "t": 110 if gaps else 72, "b": 8},
    )
    columns = [_("Vote"), *[series_name(k, lang) for k, _b, _c, _p in lines]]
    by_line = [{p.election: p.turnout for p in pts} for _k, _b, _c, pts in lines]
    rows = []
    for p in reversed(lines[0][3]):
        label = f"{hist.long_date(p.date, lang)} · {hist.kind_name(p.kind, lang)}"
        rows.append([label, *[hist.turnout_text(line.get(p.election, H.MISSING), lang) if p.election in line
                              else "—" for line in by_line]])
    set_meta(fig, title(election, lang, state), columns, rows)
    return finish(fig, election, lang)


def table(election, lang: str, state: dict) -> pd.DataFrame:
    """One row per vote and line: ``election, date, kind, series, unit_name, boundaries, turnout_pct``
    (rounded as printed) and ``turnout_pct_exact``, ``preliminary``, ``basis`` (``count``, ``report``,
    ``combined``, ``not_combinable``, ``not_reported``), ``registered``, ``took_part``, ``parts`` (the units
    a combined or uncombinable figure is made of)."""
    rows = []
    for key, bset, _colour, points in _series(state.get("unit")):
        for p in points:
            t = p.turnout
            rows.append({"election": p.election, "date": p.date, "kind": p.kind, "series": key,
                         "unit_name": series_name(key, lang), "boundaries": bset, "turnout_pct": t.pct,
                         "preliminary": t.preliminary, "basis": t.basis, "registered": t.registered,
                         "took_part": t.took_part, "parts": " ".join(t.parts)})
    out = pd.DataFrame(rows)
    if not len(out):
        return out
    out["registered"] = out["registered"].astype("Int64")
    out["took_part"] = out["took_part"].astype("Int64")
    return with_exact(out, "turnout_pct")
