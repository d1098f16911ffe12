"""The change in turnout between two votes, by unit, in percentage points on a diverging scale centred at
0: ``from`` and ``to`` name the votes (election ids of the library; default: the vote before the page's,
and the page's). The units are the ones both votes compare on: the 17 of before 8 June 2022 when either
was held before then (a later vote's old unit: its parts' counts summed, or grey — cannot be combined —
where only percentages are published). The arithmetic is ``dashboard.electoral.history``."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from dashboard.boundaries import UNITS_2022
from dashboard.components import history as hist
from dashboard.components import ui
from dashboard.components.results import finish
from dashboard.components.shell import href
from dashboard.electoral import history as H
from dashboard.figures.common import MAP_NOT_REPORTED_COLOUR, base_layout, set_meta
from dashboard.figures.maps import CENTER, LAT_RANGE, LON_RANGE
from dashboard.figures.text import literal
from dashboard.i18n import format_float, translator

from .base import NotReported, refuse, with_exact

PARAMS = ("from", "to")
#: Brown (lower) to purple (higher): PuOr, safe for colour-blind readers, white at 0.
SCALE = [[0.0, "#b35806"], [0.25, "#f1a340"], [0.5, "#f7f7f7"], [0.75, "#998ec3"], [1.0, "#542788"]]
OLD_GEOJSON_URL = "/geodata/units_2022.geojson"


def _ids() -> list[str]:
    return [e.id for e in hist.elections()]


def check(election, **query) -> None:
    known = _ids()
    for name in PARAMS:
        value = query.get(name)
        if value is not None and value not in known:
            refuse(name, value, "an election id of /api/v1/elections")


def defaults(election) -> tuple[str | None, str]:
    """(from, to) by default: the vote before the page's election, and the page's."""
    earlier = [e for e in hist.elections() if e.date < election.date]
    return (max(earlier, key=lambda e: e.date).id if earlier else None), election.id


def resolve(election, state: dict) -> tuple[str | None, str]:
    d_from, d_to = defaults(election)
    return state.get("from", d_from), state.get("to", d_to)


def state(election, **query) -> dict:
    known = _ids()
    d_from, d_to = defaults(election)
    out = {}
    for name, default in (("from", d_from), ("to", d_to)):
        value = query.get(name)
        if isinstance(value, str) and value in known and value != default:
            out[name] = value
    return out


def params(election, state: dict) -> dict:
    a, b = resolve(election, state)
    return {k: v for k, v in (("from", a), ("to", b)) if v}


def full_view(lang: str, state: dict, params: dict) -> str:
    return href("/turnout", lang)


def _change(election, state: dict):
    a, b = resolve(election, state)
    if a is None:
        return None
    return hist.memo("turnout-change", _compute, a, b)


def _compute(elections, a: str, b: str):
    before, after = hist.by_id(elections, a), hist.by_id(elections, b)
    if before is None or after is None:
        return None
    if before.date > after.date:  # always the later minus the earlier
        before, after = after, before
    return before, after, H.turnout_change(before, after)


def title(election, lang: str, state: dict) -> str:
    _ = translator(lang)
    found = _change(election, state)
    if found is None:
        return _("Change in turnout")
    before, after, change = found
    return _("Change in turnout from {before} to {after}: {change} nationally",
             before=hist.short_date(before.date), after=hist.short_date(after.date),
             change=hist.points_text(change.national, lang))


def _geojson_url(change) -> str:
    if change.boundaries.key == UNITS_2022:
        import dash

        try:
            return dash.get_relative_path(OLD_GEOJSON_URL)
        except Exception:
            return OLD_GEOJSON_URL
    return ui.geojson_url()


def figure(election, lang: str, state: dict):
    _ = translator(lang)
    found = _change(election, state)
    if found is None:
        raise NotReported(_("There is no earlier vote to compare with."))
    before, after, change = found
    keys = list(change.boundaries.unit_keys())
    names = {k: change.boundaries.unit_name(k, lang) for k in keys}
    values = [change.units[k] for k in keys]
    shown = [abs(v) for v in values if v is not None]
    if not shown:
        raise NotReported(_("Turnout by unit is not reported for these votes."))
    top = max(5.0, math.ceil(max(shown) / 5) * 5)

    def hover(k):
        v = change.units[k]
        if v is None:
            why = hist.cannot_combine(lang) if change.why.get(k) == H.NOT_COMBINABLE else _("not reported")
            return f"{literal(names[k])}<br>{why}"
        return (f"{literal(names[k])}<br>{hist.points_text(v, lang)}<br>"
                f"{hist.short_date(before.date)}: {hist.turnout_text(change.before[k], lang)} → "
                f"{hist.short_date(after.date)}: {hist.turnout_text(change.after[k], lang)}")

    common = {"geojson": _geojson_url(change), "featureidkey": "id", "locations": keys,
              "hovertext": [hover(k) for k in keys], "hovertemplate": "%{hovertext}<extra></extra>",
              "marker": {"line": {"color": "#ffffff", "width": 0.8}}}
    fig = go.Figure()
    fig.add_trace(go.Choropleth(
        name="values", z=values, zmin=-top, zmax=top, zmid=0, colorscale=SCALE, **common,
        colorbar={"title": {"text": _("points")}, "orientation": "h", "y": -0.02, "yanchor": "top",
                  "thickness": 12, "len": 0.9, "ticksuffix": ""},
    ))
    fig.add_trace(go.Choropleth(
        name="not_reported", z=[1 if v is None else None for v in values], showscale=False,
        colorscale=[[0.0, MAP_NOT_REPORTED_COLOUR], [1.0, MAP_NOT_REPORTED_COLOUR]], zmin=0, zmax=1, **common,
    ))
    fig.add_trace(_cities(change, names, hover, top))
    set_names = change.boundaries.names.get(lang, change.boundaries.names["en"])
    subtitle = _("Percentage points, on {units}; grey: not reported or cannot be combined.", units=set_names)
    base_layout(fig, lang, title(election, lang, state), subtitle=literal(subtitle))
    fig.update_geos(
        visible=False, fitbounds=False,
        projection={"type": "conic conformal", "parallels": [45, 52], "rotation": {"lon": CENTER["lon"]}},
        lonaxis={"range": list(LON_RANGE)}, lataxis={"range": list(LAT_RANGE)}, center=CENTER,
        showland=False, showcountries=False, showcoastlines=False, showframe=False, showlakes=False,
        showocean=False, showrivers=False, showsubunits=False, bgcolor="rgba(0,0,0,0)",
    )
    fig.update_layout(height=460, dragmode=False, margin={"l": 0, "r": 0, "t": 84, "b": 60},
                      paper_bgcolor="rgba(0,0,0,0)", showlegend=False)
    columns = [_("Unit"), hist.short_date(before.date), hist.short_date(after.date), _("Change")]
    rows = [[names[k], hist.turnout_text(change.before[k], lang), hist.turnout_text(change.after[k], lang),
             hist.points_text(change.units[k], lang) if change.units[k] is not None
             else (hist.cannot_combine(lang) if change.why.get(k) == H.NOT_COMBINABLE else _("not reported"))]
            for k in keys]
    set_meta(fig, title(election, lang, state), columns, rows)
    return finish(fig, election, lang)


def _cities(change, names: dict, hover, top: float):
    """The three cities as markers in their colours (tiny at country scale: Almaty's −18.77 points was
    invisible), named."""
    from dashboard.figures.maps import CITY_KEYS, CITY_LABEL_POSITIONS
    from dashboard.geodata import city_points

    points = city_points()
    cities = [k for k in CITY_KEYS if k in points and k in names]
    values = [change.units.get(k) for k in cities]
    return go.Scattergeo(
        name="cities", lon=[points[k][0] for k in cities], lat=[points[k][1] for k in cities],
        text=[literal(names[k]) for k in cities], mode="markers+text",
        textposition=[CITY_LABEL_POSITIONS[k] for k in cities], textfont={"size": 12, "color": "#1a1a1a"},
        hovertext=[hover(k) for k in cities], hovertemplate="%{hovertext}<extra></extra>", showlegend=False,
        marker={"size": 14, "line": {"width": 1.5, "color": "#1a1a1a"},
                "color": [MAP_NOT_REPORTED_COLOUR if v is None else _colour(v, top) for v in values]},
    )


def _colour(value: float, top: float) -> str:
    from dashboard.figures.maps import colour_at

    return colour_at(SCALE, -top, top, value)


def table(election, lang: str, state: dict) -> pd.DataFrame:
    """One row per unit of the set both votes compare on: ``unit, unit_name, boundaries, from, to,
    from_turnout_pct, to_turnout_pct, change_points`` (``change_points`` rounded to two places,
    ``change_points_exact`` beside it), ``why`` (``not_combinable`` / ``not_reported``) where it is empty;
    the first row is the country (``unit`` = ``kz``)."""
    found = _change(election, state)
    if found is None:
        return pd.DataFrame()
    before, after, change = found
    n1, n2 = H.national_turnout(before), H.national_turnout(after)
    rows = [{"unit": "kz", "unit_name": change.boundaries.unit_name("kz", lang), "boundaries": change.boundaries.key,
             "from": before.id, "to": after.id, "from_turnout_pct": n1.pct, "to_turnout_pct": n2.pct,
             "change_points": change.national, "why": "" if change.national is not None else H.NOT_REPORTED}]
    for k in change.boundaries.unit_keys():
        rows.append({"unit": k, "unit_name": change.boundaries.unit_name(k, lang),
                     "boundaries": change.boundaries.key, "from": before.id, "to": after.id,
                     "from_turnout_pct": change.before[k].pct, "to_turnout_pct": change.after[k].pct,
                     "change_points": change.units[k], "why": change.why.get(k, "")})
    out = pd.DataFrame(rows)
    out["change_points"] = pd.to_numeric(out["change_points"], errors="coerce")
    exact = out["change_points"].copy()
    out["change_points"] = [None if pd.isna(v) else float(format_float(v, "en").replace("−", "-")) for v in exact]
    out.insert(out.columns.get_loc("change_points") + 1, "change_points_exact", exact)
    return with_exact(with_exact(out, "from_turnout_pct"), "to_turnout_pct")
