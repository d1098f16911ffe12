"""A party-list contest's vote shares in one unit: ``contest`` (default the Mazhilis party list; a
maslikhat's is shown in its own region), ``unit`` (``kz`` or a region)."""

from __future__ import annotations

import pandas as pd

from dashboard.components import compute
from dashboard.components.progress import mark_projection
from dashboard.components.results import finish
from dashboard.components.shell import href
from dashboard.figures.parties import party_shares_bar
from dashboard.figures.text import literal
from dashboard.i18n import translator
from dashboard.regions import NATIONAL, is_region, unit_name

from .base import NotReported

PARAMS = ("contest", "unit")


def _party_lists(election) -> dict:
    return {c.key: c for c in election.contests if c.kind == "party_list"}


def party_lists(election) -> dict:
    """{contest key: contest} of the party-list contests (memoised: every cached request validates)."""
    return compute.memo(election, "party-list-contests", _party_lists)


def resolve(election, contest=None, unit=None) -> dict:
    contests = party_lists(election)
    contest = contest if isinstance(contest, str) and contest in contests else compute.MAZHILIS_LIST
    unit = unit if isinstance(unit, str) and (unit == NATIONAL or is_region(unit)) else NATIONAL
    found = contests.get(contest)
    if found is not None and found.body == "maslikhat" and unit == NATIONAL:
        unit = found.area  # a maslikhat is elected in its own region only
    return {"contest": contest, "unit": unit}


def state(election, contest=None, unit=None) -> dict:
    r = resolve(election, contest, unit)
    out = {"contest": r["contest"]} if r["contest"] != compute.MAZHILIS_LIST else {}
    return {**out, "unit": r["unit"]} if r["unit"] != NATIONAL else out


def params(election, state: dict) -> dict:
    return resolve(election, state.get("contest"), state.get("unit"))


def full_view(lang: str, state: dict, params: dict) -> str:
    contest, unit = params["contest"], params["unit"]
    if unit == NATIONAL:
        return href("/", lang)
    if contest == compute.MAZHILIS_LIST:
        return href(f"/region/{unit}", lang, contest=contest)
    return href("/maslikhats", lang, region=unit)


def _summary(election, lang, state):
    _ = translator(lang)
    p = params(election, state)
    if not compute.has_contest(election, p["contest"]):
        raise NotReported(_("The party-list results of this contest are not reported."))
    summary = compute.summary(election, p["contest"], p["unit"])
    if not any(r.share_pct is not None for r in summary.parties):
        raise NotReported(
            _("The party-list results are not reported for {unit}.", unit=unit_name(p["unit"], lang))
        )
    return election.contest(p["contest"]), summary, p


def title(election, lang: str, state: dict) -> str:
    _ = translator(lang)
    p = params(election, state)
    name = literal(unit_name(p["unit"], lang))  # a figure's title (plotly text)
    contest = party_lists(election).get(p["contest"])
    if contest is not None and contest.body == "maslikhat":
        return _("Maslikhat party-list vote in {unit}", unit=name)
    return _("Mazhilis party-list vote in {unit}", unit=name)


def figure(election, lang: str, state: dict):
    contest, summary, _p = _summary(election, lang, state)
    bar = party_shares_bar(
        summary, election.parties, lang, contest.threshold_pct, title=title(election, lang, state)
    )
    fig = finish(bar, election, lang)
    if summary.seats_projection:  # an embed shows the title as its heading: room for the label
        fig = mark_projection(fig, lang)
    return fig


def table(election, lang: str, state: dict) -> pd.DataFrame:
    """One row per party: ``party, party_name, votes, share_pct, passed_threshold, seats`` (raw values,
    as the contest's summary holds them; empty: not reported)."""
    try:
        contest, summary, p = _summary(election, lang, state)
    except NotReported:
        return pd.DataFrame(columns=["contest", "unit", "party", "party_name", "votes", "share_pct"])
    names = {x.key: x for x in election.parties}
    rows = [
        {
            "contest": p["contest"],
            "unit": p["unit"],
            "party": r.party,
            "party_name": names[r.party].full_name(lang) if r.party in names else r.party,
            "votes": r.votes,
            "share_pct": r.share_pct,
            "passed_threshold": r.passed_threshold,
            "seats": r.seats,
        }
        for r in summary.parties
    ]
    df = pd.DataFrame(rows)
    df["votes"] = df["votes"].astype("Int64")
    df["seats"] = pd.to_numeric(df["seats"], errors="coerce").astype("Int64")
    return df
