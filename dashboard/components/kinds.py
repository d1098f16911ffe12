"""The figures every kind of contest is shown with, from one set of functions (no copy per kind).

A contest's *options* are its ballot's columns (``Election.options``): parties, candidates, or yes and no.
What an option's share is of depends on the kind, as the law counts it:

- party list: the votes for parties and against all (the commission's 2023 shares; the summary's);
- presidential: the contest's ``base``, by default those who took part ("more than half of the voters who
  took part", docs/format.md);
- referendum: those who took part ("more than half of the citizens who took part voted yes").

Each share is an exact ratio of integers (``percent``); nothing is rounded before a rule is tested
(``dashboard.electoral.outcome`` tests the rules on the counts themselves).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from dashboard.components import compute
from dashboard.electoral import outcome as rules
from dashboard.electoral.summary import PartyResult, percent, unit_figures
from dashboard.regions import NATIONAL, region_keys

#: The line a shares chart draws, by kind: the list threshold (when the contest states one) or half.
HALF = 50.0


def base_of(contest) -> str:
    """What the kind's shares are of: ``votes_counted`` (parties and against all), ``took_part``."""
    if contest.kind == "presidential":
        return getattr(contest, "base", "took_part") or "took_part"
    if contest.kind == "referendum":
        return "took_part"
    return "votes_counted"


def line_pct(contest) -> float | None:
    """Where the shares chart draws its line: a list's stated threshold (None when not reported: nothing
    may assume 5 %), half for a president or a referendum question, none for a single-mandate contest."""
    if contest.kind == "party_list":
        return contest.threshold_pct
    if contest.kind in ("presidential", "referendum"):
        return HALF
    return None


def option_summary(election, contest_key: str, unit: str = NATIONAL):
    """The contest's summary in ``unit`` with each option's ``share_pct`` of the kind's base (``base_of``).

    A party list's summary as it is. A presidential or referendum one with its shares recomputed: of those
    who took part, so 4,800 of 10,000 reads 48 % (of the votes for candidates and against all it would be
    48.98 %, a figure the law does not test). A referendum ballot has no "against all": it is no row."""
    summary = compute.summary(election, contest_key, unit)
    contest = election.contest(contest_key)
    base = base_of(contest)
    if base == "votes_counted":
        return summary
    whole = summary.took_part if base == "took_part" else summary.votes_counted
    parties = tuple(replace(r, share_pct=percent(r.votes, whole)) for r in summary.parties)
    against = None if contest.kind == "referendum" else percent(summary.against_all, whole)
    return replace(summary, parties=parties, against_all_share_pct=against)


@dataclass(frozen=True)
class Standing:
    """Where a contest stands: options by votes (``PartyResult``s, share of the kind's base), whether the
    count is over (``decided``), and for a referendum its rules' verdict."""

    kind: str
    options: tuple[PartyResult, ...]
    decided: bool
    took_part: int | None
    registered: int | None
    turnout_pct: float | None
    president: rules.PresidentialOutcome | None = None
    referendum: rules.ReferendumOutcome | None = None


def decided(election, contest) -> bool:
    """The count of ``contest`` is over: not ``counting``, no station missing (``Progress.partial``)."""
    from dashboard.components.progress import is_partial

    return not is_partial(compute.summary(election, contest.key, contest.area))


def unit_answers(election, contest_key: str) -> dict[str, tuple[int, int]] | None:
    """{unit: (yes, took part)} of the 20 regions and cities; None when any unit lacks either figure (the
    two-thirds rule cannot be tested then; only a published outcome can say)."""
    out = {}
    for unit in region_keys():
        figures, reported, _n, _m = unit_figures(election, contest_key, unit)
        yes, took = figures.get("yes"), figures.get("took_part")
        if not reported or yes is None or took is None:
            return None
        out[unit] = (int(yes), int(took))
    return out


def standing(election, contest) -> Standing:
    """The contest's standing nationally (its own area), with its kind's rule applied to the counts."""
    summary = option_summary(election, contest.key, contest.area)
    found = Standing(contest.kind, summary.parties, decided(election, contest), summary.took_part,
                     summary.registered, summary.turnout_pct)
    votes = {r.party: r.votes for r in summary.parties}
    if contest.kind == "presidential" and summary.took_part is not None and None not in votes.values():
        base = summary.took_part if base_of(contest) == "took_part" else summary.votes_counted
        if base is not None:
            found = replace(found, president=rules.presidential({k: int(v) for k, v in votes.items()}, int(base)))
    if contest.kind == "referendum" and None not in (summary.registered, summary.took_part, votes.get("yes")):
        units = unit_answers(election, contest.key) if contest.constitutional else None
        found = replace(found, referendum=rules.referendum(
            int(summary.registered), int(summary.took_part), int(votes["yes"]), units, contest.constitutional))
    return found


def yes_majorities(election, contest_key: str) -> list[dict]:
    """The referendum by region, in registry order: ``unit``, ``yes``, ``no``, ``took_part``, ``registered``,
    ``yes_pct`` (of those who took part), ``turnout_pct``, ``yes_majority`` (more than half of those who
    took part voted yes: exactly ``2 × yes > took part``; None when a figure is not reported)."""
    rows = []
    for unit in region_keys():
        figures = unit_figures(election, contest_key, unit)[0]
        yes, no, took, reg = (figures.get(k) for k in ("yes", "no", "took_part", "registered"))
        rows.append({
            "unit": unit, "yes": yes, "no": no, "took_part": took, "registered": reg,
            "yes_pct": percent(yes, took), "turnout_pct": percent(took, reg),
            "yes_majority": None if yes is None or took is None else rules.more_than_half(yes, took),
        })
    return rows


__all__ = ["HALF", "Standing", "base_of", "decided", "line_pct", "option_summary", "standing", "unit_answers",
           "yes_majorities"]
