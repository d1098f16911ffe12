"""Units ranked by turnout at one report time: ``time`` (default the latest time with figures for
regions)."""

from __future__ import annotations

import pandas as pd

from dashboard.boundaries import day_names, unit_keys
from dashboard.boundaries import unit_name as day_name
from dashboard.components.results import finish
from dashboard.components.shell import href
from dashboard.electoral.turnout import turnout_at
from dashboard.figures.common import time_label
from dashboard.figures.turnout import turnout_ranking
from dashboard.i18n import translator
from dashboard.regions import NATIONAL

from . import turnout as turnout_chart
from .base import NotReported, figure_title, refuse, with_exact

PARAMS = ("time",)


def check(election, time=None) -> None:
    if time is not None and not turnout_chart.known_time(election, time):
        refuse("time", time, "a report time of this election (e.g. 18:10 or final)")


def state(election, time=None) -> dict:
    if not turnout_chart.has_times(election):
        return {}
    t = turnout_chart.resolve_time(election, time)
    return {"time": t} if t != turnout_chart.default_time(election) else {}


def _time(election, state: dict):
    return state.get("time") or turnout_chart.default_time(election)


def params(election, state: dict) -> dict:
    t = _time(election, state)
    return {"time": time_label(t, "en")} if t else {}


def full_view(lang: str, state: dict, params: dict) -> str:
    return href("/turnout", lang, **params)


def values(election, t) -> dict:
    found = turnout_at(election, t) if t else {}
    return {NATIONAL: found.get(NATIONAL), **{k: found.get(k) for k in unit_keys(election)}}  # units of its day


def ranking_figure(election, t, lang):
    return finish(turnout_ranking(values(election, t), lang, time=t, names=day_names(election, lang)), election, lang)


def figure(election, lang: str, state: dict):
    _ = translator(lang)
    if not turnout_chart.has_times(election):
        raise NotReported(_("Turnout through the day is not reported."))
    return ranking_figure(election, _time(election, state), lang)


def table(election, lang: str, state: dict) -> pd.DataFrame:
    """``time, unit, unit_name, turnout_pct`` (rounded as printed), ``turnout_pct_exact`` for the nation
    and each unit, highest turnout first (not reported last, empty)."""
    t = _time(election, state)
    found = values(election, t)
    df = pd.DataFrame(
        {
            "time": t or "",
            "unit": list(found),
            "unit_name": [day_name(election, k, lang) for k in found],
            "turnout_pct": pd.to_numeric(pd.Series(list(found.values()), dtype="object"), errors="coerce"),
        }
    )
    ranked = df.sort_values("turnout_pct", ascending=False, na_position="last", kind="stable")
    return with_exact(ranked.reset_index(drop=True), "turnout_pct")


def title(election, lang: str, state: dict) -> str:
    try:
        return figure_title(figure(election, lang, state))
    except NotReported:
        return ""
