"""Turnout through election day: one line per unit (``unit``: that region's line, labelled, against the
national one, every other unit light grey behind them). Also the report times every turnout chart reads
(the turnout map and the ranking)."""

from __future__ import annotations

import pandas as pd

from dashboard.boundaries import day_names, for_election, unit_keys
from dashboard.boundaries import unit_name as day_name
from dashboard.components import compute
from dashboard.components.results import finish
from dashboard.components.shell import href
from dashboard.electoral.turnout import report_times, turnout_at, turnout_table
from dashboard.figures.common import OTHER_UNIT_COLOUR, time_label
from dashboard.figures.maps import fitted_range, map_patch_values
from dashboard.figures.text import literal
from dashboard.figures.turnout import turnout_lines
from dashboard.i18n import translator
from dashboard.regions import NATIONAL, is_region, unit_name

from .base import NotReported, refuse, with_exact
from .labels import map_label

PARAMS = ("unit",)


# ---------------------------------------------------------------- report times (shared by turnout charts)


def times_of(election) -> list[str]:
    """The slider's stops: the report times with figures for regions. A time reported for the whole
    country only (2023: the final figure) would colour no region — an all-grey map reading "0 of 20";
    that figure is the page's "Final turnout", named as such."""
    times = report_times(election)
    table = turnout_table(election)
    regional = set(table.loc[(table["unit"] != NATIONAL) & table["turnout_pct"].notna(), "time"])
    return [t for t in times if t in regional] or times


def resolve_time(election, value) -> str | None:
    """A report time from the URL (its clock label like ``18:10``, ``final``, or the ISO text)."""
    times = times_of(election)
    if not times:
        return None
    for t in times:
        if value in (t, time_label(t, "en")):
            return t
    # default: the latest time with figures for regions (the final figure is often national only)
    latest, _values = compute.latest_region_turnout(election)
    return latest or times[-1]


def has_times(election) -> bool:
    return bool(compute.memo(election, "turnout-times", times_of))


def default_time(election) -> str | None:
    return compute.memo(election, "turnout-default-time", resolve_time, None)


def zrange(election) -> tuple[float, float]:
    """One colour scale for every report time of the slider, fitted to the regions' figures of the whole
    day (a fixed 0–100 % made 42 % and 67 % look alike): the same colour is the same turnout at 10:10
    and at the final count."""
    return compute.memo(election, "turnout-zrange", _zrange)


def _zrange(election) -> tuple[float, float]:
    table = turnout_table(election)
    shown = table[table["unit"].isin(list(unit_keys(election))) & table["turnout_pct"].notna()]
    return fitted_range([float(v) for v in shown["turnout_pct"]])


def region_values(election, t) -> dict:
    values = turnout_at(election, t) if t else {}
    return {k: values.get(k) for k in unit_keys(election)}  # the units of its day


def map_changes(election, t, lang):
    """(values, patch changes) of the turnout map at report time ``t``."""
    values = region_values(election, t)
    return values, map_patch_values(
        values,
        mode="turnout",
        parties=election.parties,
        lang=lang,
        zrange=zrange(election),
        time_label=time_label(t, lang) if t else None,
        units=for_election(election),
    )


# ---------------------------------------------------------------- the chart


def known_time(election, value) -> bool:
    """Whether ``value`` names a report time of this election (ISO text, its clock label, ``final``)."""
    return any(value in (t, time_label(t, "en")) for t in report_times(election))


def check(election, unit=None) -> None:
    if unit is not None and not (unit == NATIONAL or is_region(unit)):
        refuse("unit", unit, "'kz' or a region key")


def state(election, unit=None) -> dict:
    return {"unit": unit} if isinstance(unit, str) and is_region(unit) else {}


def params(election, state: dict) -> dict:
    return dict(state)


def full_view(lang: str, state: dict, params: dict) -> str:
    unit = state.get("unit")
    return href(f"/region/{unit}", lang) if unit else href("/turnout", lang)


def figure(election, lang: str, state: dict):
    _ = translator(lang)
    table = turnout_table(election)
    unit = state.get("unit")
    if not len(table) or (unit and not (table["unit"] == unit).any()):
        raise NotReported(_("Turnout through the day is not reported."))
    if unit:
        # the chosen unit labelled in colour, the nation in black, every other unit light grey behind
        fig = turnout_lines(
            table,
            lang,
            highlight=unit,
            title=title(election, lang, state),
            names=day_names(election, lang),
        )
        fig = label_line_ends(fig, {unit: day_name(election, unit, lang), NATIONAL: unit_name(NATIONAL, lang)})
    else:
        # every unit in grey behind the nation: the nation's line named where it ends, and each grey line
        # named at the right edge in the order the lines end (twenty unnamed lines said nothing)
        fig = label_line_ends(turnout_lines(table, lang, names=day_names(election, lang)), {NATIONAL: unit_name(NATIONAL, lang)})
        fig = label_other_ends(fig, lang)
    return finish(fig, election, lang)


#: The least distance between two end labels, in percentage points of the 0–100 axis (an 11 px line of
#: text on a ~380 px plot).
END_LABEL_GAP = 3.0
END_LABEL_MARGIN = 118


def spread(values: list[float], gap: float = END_LABEL_GAP, low: float = 0.0, high: float = 100.0) -> list[float]:
    """``values`` (ascending) moved apart to at least ``gap`` each, as little as possible, within
    ``low``–``high``: labels near their lines' ends without overlapping."""
    out = list(values)
    for i in range(1, len(out)):
        out[i] = max(out[i], out[i - 1] + gap)
    if out and out[-1] > high:
        out[-1] = high
        for i in range(len(out) - 2, -1, -1):
            out[i] = min(out[i], out[i + 1] - gap)
    return [max(low, v) for v in out]


def label_other_ends(fig, lang: str):
    """The grey lines' names at the right edge, each at the height its line ends (moved apart where
    they would overlap); the hover names a line too."""
    ends = []
    for trace in fig.data:
        unit = (trace.meta or {}).get("unit")
        if unit in (None, NATIONAL) or trace.line.color != OTHER_UNIT_COLOUR:
            continue
        points = [(x, y) for x, y in zip(trace.x, trace.y, strict=False) if y is not None and y == y]
        if points:
            ends.append((points[-1][1], points[-1][0], unit))
    ends.sort()
    edge = len(fig.data[0].x) - 0.5  # the right edge of a category axis
    for y, (end, x, unit) in zip(spread([e[0] for e in ends]), ends, strict=True):
        fig.add_annotation(  # the name at the edge, a hairline to where its line ends
            x=x, y=end, axref="x", ax=edge, ayref="y", ay=y, xanchor="left", yanchor="middle",
            showarrow=True, arrowhead=0, arrowwidth=0.6, arrowcolor="#b3b3b3", standoff=2,
            text=short_name(unit, lang), font={"size": 9, "color": "#4d4d4d"}, name=f"end-{unit}",
        )
    fig.update_layout(margin={"r": END_LABEL_MARGIN})
    return fig


def short_name(unit: str, lang: str) -> str:
    """The name the map labels use (no "Region"/«область»/«облысы»), on one line."""

    return map_label(unit, lang).replace("-<br>", "-").replace("<br>", " ")


def label_line_ends(fig, names: dict):
    """Direct labels at the last point of the named units' lines (a legend sits far from its line)."""
    for trace in fig.data:
        unit = (trace.meta or {}).get("unit")
        if unit not in names or trace.x is None:
            continue
        points = [(x, y) for x, y in zip(trace.x, trace.y, strict=False) if y is not None and y == y]
        if not points:
            continue
        x, y = points[-1]
        fig.add_annotation(
            x=x,
            y=y,
            text=f"<b>{literal(names[unit])}</b>",
            showarrow=False,
            xanchor="right",
            yanchor="bottom",
            yshift=6,
            font={"color": trace.line.color, "size": 12},
            name=f"label-{unit}",
        )
    return fig


def table(election, lang: str, state: dict) -> pd.DataFrame:
    """Turnout (%) at each report time for each unit, as drawn: ``time, unit, unit_name, turnout_pct``
    (rounded as printed) and ``turnout_pct_exact``."""
    df = turnout_table(election)
    out = pd.DataFrame(
        {
            "time": df["time"].astype(str),
            "unit": df["unit"],
            "unit_name": [day_name(election, u, lang) for u in df["unit"]],
            "turnout_pct": pd.to_numeric(df["turnout_pct"], errors="coerce"),
        }
    )
    return with_exact(out.reset_index(drop=True), "turnout_pct")


def title(election, lang: str, state: dict) -> str:
    _ = translator(lang)
    unit = state.get("unit")
    if unit:
        return _("Turnout through election day: {unit} and Kazakhstan", unit=literal(day_name(election, unit, lang)))
    return ""
