"""Turnout through election day: one line per unit (``unit``: that region's line, labelled, against the
national one, every other unit light grey behind them). Also the report times every turnout chart reads
(the turnout map and the ranking)."""

from __future__ import annotations

import pandas as pd

from dashboard.components import compute
from dashboard.components.results import finish
from dashboard.components.shell import href
from dashboard.electoral.turnout import report_times, turnout_at, turnout_table
from dashboard.figures.common import time_label
from dashboard.figures.maps import TURNOUT_RANGE, map_patch_values
from dashboard.figures.turnout import turnout_lines
from dashboard.i18n import translator
from dashboard.regions import NATIONAL, is_region, region_keys, unit_name

from .base import NotReported, refuse, with_exact

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
    """One colour scale for every report time and every page (``TURNOUT_RANGE``), so the slider and the
    home map compare like with like."""
    return TURNOUT_RANGE


def region_values(election, t) -> dict:
    values = turnout_at(election, t) if t else {}
    return {k: values.get(k) for k in region_keys()}


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
            title=_("Turnout through election day: {unit} and Kazakhstan", unit=unit_name(unit, lang)),
        )
        fig = label_line_ends(fig, {unit: unit_name(unit, lang), NATIONAL: unit_name(NATIONAL, lang)})
    else:
        # every unit in grey behind the nation: the nation's line named where it ends
        fig = label_line_ends(turnout_lines(table, lang), {NATIONAL: unit_name(NATIONAL, lang)})
    return finish(fig, election, lang)


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
            text=f"<b>{names[unit]}</b>",
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
            "unit_name": [unit_name(u, lang) for u in df["unit"]],
            "turnout_pct": pd.to_numeric(df["turnout_pct"], errors="coerce"),
        }
    )
    return with_exact(out.reset_index(drop=True), "turnout_pct")


def title(election, lang: str, state: dict) -> str:
    _ = translator(lang)
    unit = state.get("unit")
    if unit:
        return _("Turnout through election day: {unit} and Kazakhstan", unit=unit_name(unit, lang))
    return ""
