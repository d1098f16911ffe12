"""A party-list contest's vote shares in one unit: ``contest`` (default the Mazhilis party list; a
maslikhat's is shown in its own region), ``unit`` (``kz`` or a region)."""

from __future__ import annotations

import pandas as pd

from dashboard.components import compute
from dashboard.components.progress import mark_projection
from dashboard.components.results import finish
from dashboard.components.shell import href
from dashboard.electoral.turnout import turnout_at
from dashboard.figures.common import AGAINST_ALL
from dashboard.figures.parties import party_shares_bar
from dashboard.figures.text import literal
from dashboard.i18n import translator
from dashboard.model import FINAL
from dashboard.regions import NATIONAL, is_region, unit_name

from .base import NotReported, party_name, refuse, shown_pct

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
    if found is not None and found.body == "maslikhat" and unit != found.area:
        unit = found.area  # a maslikhat is elected in its own region only
    return {"contest": contest, "unit": unit}


def check(election, contest=None, unit=None) -> None:
    """Refuse a contest that is not a party list here, a unit that is no region, or a region outside a
    maslikhat's (its figures do not exist: asking for them raised deep in the summary, a 500)."""
    contests = party_lists(election)
    if contest is not None and contest not in contests:
        refuse("contest", contest, "a party-list contest of this election")
    if unit is not None and not (unit == NATIONAL or is_region(unit)):
        refuse("unit", unit, "'kz' or a region key")
    found = contests.get(contest)
    if found is not None and found.body == "maslikhat" and unit not in (None, NATIONAL, found.area):
        refuse("unit", unit, f"{found.area!r}, the only region of contest {contest!r}")


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


#: The columns of the shares download: one row per bar the chart draws (the parties, then "against all"),
#: each with the unit's base figures, so a reader can check every share against what it is a share of.
COLUMNS = [
    "contest", "unit", "party", "party_name", "votes", "share_pct", "share_pct_exact", "passed_threshold",
    "seats", "votes_counted", "registered", "took_part", "turnout_pct", "turnout_pct_exact",
    "turnout_pct_published", "invalid",
]


def table(election, lang: str, state: dict) -> pd.DataFrame:
    """The bars of the chart as rows: the parties (``votes``, ``share_pct`` rounded as the chart prints it,
    ``share_pct_exact`` the full ratio, ``passed_threshold``, ``seats``), then ``against_all``; every row
    also carries the unit's base (``votes_counted``, ``registered``, ``took_part``, ``turnout_pct``,
    ``invalid``). ``turnout_pct`` is ``took_part / registered`` of these counts (54.19 % in 2023);
    ``turnout_pct_published`` the commission's final turnout figure, the one the pages show (54.21 %).
    Empty (the header alone): not reported."""
    try:
        contest, summary, p = _summary(election, lang, state)
    except NotReported:
        return pd.DataFrame(columns=COLUMNS)
    names = {x.key: x for x in election.parties}
    threshold = contest.threshold_pct
    rows = [
        _row(r.party, r.votes, r.share_pct, lang, names,
             share_pct=shown_pct(r.share_pct, threshold=threshold, passed=r.passed_threshold),
             passed_threshold=r.passed_threshold, seats=r.seats)
        for r in summary.parties
    ]
    rows.append(_row(AGAINST_ALL, summary.against_all, summary.against_all_share_pct, lang, names,
                     share_pct=shown_pct(summary.against_all_share_pct)))
    base = {
        "contest": p["contest"], "unit": p["unit"], "votes_counted": summary.votes_counted,
        "registered": summary.registered, "took_part": summary.took_part,
        "turnout_pct": shown_pct(summary.turnout_pct), "turnout_pct_exact": summary.turnout_pct,
        "turnout_pct_published": turnout_at(election, FINAL).get(p["unit"]), "invalid": summary.invalid,
    }
    df = pd.DataFrame([{**base, **r} for r in rows], columns=COLUMNS)
    for col in ("votes", "seats", "votes_counted", "registered", "took_part", "invalid"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("Int64")
    for col in ("share_pct", "share_pct_exact", "turnout_pct", "turnout_pct_exact", "turnout_pct_published"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
    return df


def _row(key: str, votes, exact, lang: str, names: dict, **rest) -> dict:
    return {"party": key, "party_name": party_name(key, names, lang), "votes": votes, "share_pct_exact": exact,
            **rest}
