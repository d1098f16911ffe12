"""The figures every kind of contest is shown with, from one set of functions (no copy per kind).

A contest's *options* are its ballot's columns (``Election.options``): parties, candidates, or yes and no.
What an option's share is of depends on the kind, as the commission publishes it
(``dashboard.electoral.summary.share_base_of``):

- party list and presidential: the valid votes, for parties or candidates and against all (2023 Amanat
  53.90 %; 2019 Tokayev 70.96 %) — a president's outcome is then tested on the contest's ``base``, those
  who took part by default ("more than half of the voters who took part", docs/format.md);
- referendum: those who took part ("more than half of the citizens who took part voted yes").

Each share is an exact ratio of integers (``percent``); nothing is rounded before a rule is tested
(``dashboard.electoral.outcome`` tests the rules on the counts themselves).
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.boundaries import unit_keys
from dashboard.components import compute
from dashboard.electoral import outcome as rules
from dashboard.electoral.outcome import percent
from dashboard.electoral.summary import PartyResult, share_base_of, unit_figures
from dashboard.regions import NATIONAL

#: The line a shares chart draws, by kind: the list threshold (when the contest states one) or half.
HALF = 50.0


def base_of(contest) -> str:
    """What the kind's shares are of: ``votes_counted`` (parties and against all), ``took_part``
    (``dashboard.electoral.summary.share_base_of``, the one definition)."""
    return share_base_of(contest)


def line_pct(contest) -> float | None:
    """Where the shares chart draws its line: a list's stated threshold (None when not reported: nothing
    may assume 5 %), half for a president or a referendum question, none for a single-mandate contest."""
    if contest.kind == "party_list":
        return contest.threshold_pct
    if contest.kind in ("presidential", "referendum"):
        return HALF
    return None


def option_summary(election, contest_key: str, unit: str = NATIONAL):
    """The contest's summary in ``unit``: each option's ``share_pct`` is of the kind's base (the core's
    ``share_base_of``: a candidate's 4,800 of 9,800 valid votes reads 48.98 %, a referendum's yes of those
    who took part). A referendum ballot has no "against all": it is no row."""
    return compute.summary(election, contest_key, unit)


@dataclass(frozen=True)
class Standing:
    """Where a contest stands: options by votes (``PartyResult``s, share of the kind's base), whether the
    outcome may read as final (``decided``) and the outcome the summary computed (``outcome``: the dict of
    ``dashboard.electoral.outcome``, the one implementation of the rules; None outside its own area)."""

    kind: str
    options: tuple[PartyResult, ...]
    decided: bool
    took_part: int | None
    registered: int | None
    turnout_pct: float | None
    outcome: dict | None = None


def decided(election, contest) -> bool:
    """The count of ``contest`` is over: not ``counting``, no station missing (``Progress.partial``)."""
    from dashboard.components.progress import is_partial

    return not is_partial(compute.summary(election, contest.key, contest.area))


def standing(election, contest) -> Standing:
    """The contest's standing in its own area: its options' shares and the summary's outcome; decided when
    the summary says so (every station in, not counting, every figure the rule needs reported)."""
    summary = option_summary(election, contest.key, contest.area)
    return Standing(contest.kind, summary.parties, summary.decided, summary.took_part, summary.registered,
                    summary.turnout_pct, summary.outcome)


def yes_majorities(election, contest_key: str) -> list[dict]:
    """The referendum by region, in registry order: ``unit``, ``yes``, ``no``, ``took_part``, ``registered``,
    ``yes_pct`` (of those who took part), ``turnout_pct``, ``yes_majority`` (more than half of those who
    took part voted yes: exactly ``2 × yes > took part``; None when a figure is not reported)."""
    rows = []
    for unit in unit_keys(election):  # the units of its day: 17 before June 2022
        figures = unit_figures(election, contest_key, unit)[0]
        yes, no, took, reg = (figures.get(k) for k in ("yes", "no", "took_part", "registered"))
        rows.append({
            "unit": unit, "yes": yes, "no": no, "took_part": took, "registered": reg,
            "yes_pct": percent(yes, took), "turnout_pct": percent(took, reg),
            "yes_majority": None if yes is None or took is None else rules.more_than_half(yes, took),
        })
    return rows


__all__ = ["HALF", "Standing", "base_of", "decided", "line_pct", "option_summary", "standing", "yes_majorities"]
