"""The record across votes: each vote's turnout, on the units of its day and on a coarser set, the change
between two votes, and how a vote compares with the previous one of its kind.

**A vote's national turnout** is, in this order: the commission's ``final`` turnout report; the lead
contest's counts (took part / registered), ``preliminary`` when the contest is not final or its sources
call them so; the last interim report (``preliminary``). Nothing else: a vote with none of
these has its turnout not reported.

**A unit's turnout** is the lead contest's counts for that unit when the results hold both, else its last
turnout report (counts when the report has them, else the published percentage).

**Other borders.** Two votes on different boundary sets compare on the coarser one (the 17 units before
8 June 2022, ``dashboard.boundaries``): an old unit made of several of a vote's units gets their counts
summed (registered and took part), never their percentages averaged. Where a part has only a percentage
the unit's figure is ``not_combinable``: the pages say that it cannot be combined.

Pure core: no dash, no flask; the figures are the election's, nothing is estimated.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from dashboard.boundaries import UNITS_2022, BoundarySet, boundary_set, for_election
from dashboard.electoral.summary import contest_summary
from dashboard.electoral.turnout import turnout_table
from dashboard.model import FINAL, NATIONAL, Election

#: How a turnout figure was obtained.
COUNT = "count"  # took part / registered of one unit
REPORT = "report"  # a percentage the commission published
COMBINED = "combined"  # counts of several units summed
NOT_COMBINABLE = "not_combinable"  # several units, some with a percentage only
NOT_REPORTED = "not_reported"


@dataclass(frozen=True)
class Turnout:
    """One turnout figure: ``pct`` (None: not reported or not combinable, ``basis`` says which), the counts
    when known, whether it is ``preliminary``, and for a unit made of several the parts it was made of."""

    pct: float | None
    basis: str
    preliminary: bool = False
    registered: int | None = None
    took_part: int | None = None
    parts: tuple[str, ...] = field(default=())

    @property
    def reported(self) -> bool:
        return self.pct is not None


MISSING = Turnout(None, NOT_REPORTED)


def _int(value) -> int | None:
    if value is None or value is pd.NA:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return int(value)


def _counted(registered: int | None, took_part: int | None, preliminary: bool) -> Turnout | None:
    if registered is None or took_part is None or registered <= 0:
        return None
    return Turnout(100 * took_part / registered, COUNT, preliminary, registered, took_part)


def kind(election: Election) -> str:
    """The kind of the vote: its lead contest's (``presidential``, ``referendum``, ``party_list``)."""
    return election.lead_contest().kind


def _labelled_preliminary(election: Election, contest: str, unit: str) -> bool:
    """Whether the sources call the contest's registered or took-part figure of ``unit`` preliminary (a
    note starting with "preliminary"), or the contest is not final."""
    c = election.contest(contest)
    if c.status != "final":
        return True
    s = election.sources
    if not len(s):
        return False
    rows = s[(s["file"] == "results.csv") & (s["contest"] == contest) & (s["unit"] == unit)
             & s["field"].isin(["registered", "took_part"])]
    return any(str(n).strip().lower().startswith("preliminary") for n in rows["note"])


def _own_counts(election: Election, unit: str) -> tuple[int | None, int | None]:
    """(registered, took part) of the lead contest's own row for ``unit`` in results.csv."""
    r = election.results
    if not len(r):
        return None, None
    key = election.lead_contest().key
    rows = r[(r["contest"] == key) & (r["unit"] == unit)]
    if not len(rows):
        return None, None
    row = rows.iloc[-1]
    return _int(row.get("registered")), _int(row.get("took_part"))


def national_turnout(election: Election) -> Turnout:
    """The vote's national turnout (see the module's docstring for the order of the sources)."""
    lead = election.lead_contest()
    s = contest_summary(election, lead.key)
    preliminary = _labelled_preliminary(election, lead.key, NATIONAL)
    counted = _counted(s.registered, s.took_part, preliminary)
    table = turnout_table(election)
    own = table[(table["unit"] == NATIONAL) & table["turnout_pct"].notna()]
    final = own[own["time"] == FINAL]
    if len(final):  # the commission's figure after the final count (2023: 54.21 %, the counts give 54.19 %)
        row = final.iloc[-1]
        return Turnout(float(row["turnout_pct"]), REPORT, False, _int(row["registered"]), _int(row["took_part"]))
    if counted is not None:
        return counted
    if len(own):
        row = own.iloc[-1]
        return Turnout(float(row["turnout_pct"]), REPORT, True, _int(row["registered"]), _int(row["took_part"]))
    return MISSING


def unit_turnouts(election: Election) -> dict[str, Turnout]:
    """Each unit of the vote's own boundary set with its turnout (MISSING where none is reported)."""
    bset = for_election(election)
    lead = election.lead_contest().key
    table = turnout_table(election)
    table = table[table["turnout_pct"].notna()]
    out: dict[str, Turnout] = {}
    for unit in bset.unit_keys():
        registered, took_part = _own_counts(election, unit)
        counted = _counted(registered, took_part, _labelled_preliminary(election, lead, unit))
        if counted is not None:
            out[unit] = counted
            continue
        rows = table[table["unit"] == unit]
        if not len(rows):
            out[unit] = MISSING
            continue
        row = rows.iloc[-1]  # time order, final last
        reg, took = _int(row["registered"]), _int(row["took_part"])
        basis = COUNT if reg is not None and took is not None else REPORT
        out[unit] = Turnout(float(row["turnout_pct"]), basis, row["time"] != FINAL, reg, took)
    return out


def comparable_set(elections: Iterable[Election]) -> BoundarySet:
    """The boundary set several votes compare on: the coarsest of theirs (the 17 old units when any vote
    was held on them)."""
    keys = {for_election(e).key for e in elections}
    return boundary_set(UNITS_2022) if UNITS_2022 in keys else boundary_set(next(iter(keys)))


def on_set(election: Election, target: BoundarySet) -> dict[str, Turnout]:
    """The vote's turnout on the units of ``target`` (a set as coarse as the vote's own or coarser): a unit
    the vote had as such keeps its figure; a unit made of several of the vote's units sums their counts,
    or is ``NOT_COMBINABLE`` when any of them has a percentage only (never an average of percentages)."""
    own_set = for_election(election)
    own = unit_turnouts(election)
    out: dict[str, Turnout] = {}
    for unit in target.unit_keys():
        covers = set(target.covers[unit])
        parts = [u for u in own_set.unit_keys() if set(own_set.covers[u]) <= covers]
        if {c for u in parts for c in own_set.covers[u]} != covers:
            out[unit] = MISSING  # the vote's unit is larger than this one: no figure for a part of it
        elif len(parts) == 1:
            out[unit] = own[parts[0]]
        elif all(own[p].registered is not None and own[p].took_part is not None for p in parts):
            registered = sum(own[p].registered or 0 for p in parts)
            took_part = sum(own[p].took_part or 0 for p in parts)
            counted = _counted(registered, took_part, any(own[p].preliminary for p in parts))
            out[unit] = (Turnout(counted.pct, COMBINED, counted.preliminary, registered, took_part, tuple(parts))
                         if counted else Turnout(None, NOT_COMBINABLE, parts=tuple(parts)))
        elif all(not own[p].reported for p in parts):
            out[unit] = Turnout(None, NOT_REPORTED, parts=tuple(parts))
        else:
            out[unit] = Turnout(None, NOT_COMBINABLE, parts=tuple(parts))
    return out


@dataclass(frozen=True)
class Point:
    """One vote on a turnout line."""

    election: str
    date: str
    kind: str
    turnout: Turnout


def national_series(elections: Sequence[Election]) -> list[Point]:
    """Every vote's national turnout, oldest first."""
    return [Point(e.id, e.date, kind(e), national_turnout(e)) for e in sorted(elections, key=lambda e: e.date)]


def unit_series(elections: Sequence[Election], unit: str, boundaries: BoundarySet) -> list[Point]:
    """Unit ``unit`` of ``boundaries`` across the votes that can be shown on that set (every vote for the
    17 old units; the votes held on the set otherwise), oldest first."""
    out = []
    for e in sorted(elections, key=lambda e: e.date):
        own = for_election(e)
        if own.key != boundaries.key and boundaries.key != UNITS_2022:
            continue
        out.append(Point(e.id, e.date, kind(e), on_set(e, boundaries).get(unit, MISSING)))
    return out


def old_unit(unit: str) -> str:
    """The unit of the 17 old units that today's ``unit`` lay in (``abai`` -> ``east_kazakhstan``)."""
    return boundary_set(UNITS_2022).unit_of(unit)


def changed(unit: str) -> bool:
    """Whether today's ``unit`` differs from the old unit it lay in (the three regions split on
    8 June 2022 and the three formed then)."""
    return boundary_set(UNITS_2022).covers[old_unit(unit)] != (unit,)


@dataclass(frozen=True)
class Change:
    """The change in turnout between two votes on their comparable units, in percentage points."""

    boundaries: BoundarySet
    national: float | None
    #: unit -> points (None: not reported in either vote, or not combinable: ``why``).
    units: dict[str, float | None]
    why: dict[str, str]
    before: dict[str, Turnout]
    after: dict[str, Turnout]


def turnout_change(before: Election, after: Election) -> Change:
    """``after``'s turnout minus ``before``'s, by unit of the set both compare on and nationally."""
    bset = comparable_set([before, after])
    a, b = on_set(before, bset), on_set(after, bset)
    units: dict[str, float | None] = {}
    why: dict[str, str] = {}
    for unit in bset.unit_keys():
        x, y = a.get(unit, MISSING), b.get(unit, MISSING)
        if x.pct is not None and y.pct is not None:
            units[unit] = y.pct - x.pct
        else:
            units[unit] = None
            why[unit] = NOT_COMBINABLE if NOT_COMBINABLE in (x.basis, y.basis) else NOT_REPORTED
    n1, n2 = national_turnout(before), national_turnout(after)
    national = n2.pct - n1.pct if n1.pct is not None and n2.pct is not None else None
    return Change(bset, national, units, why, a, b)


def previous_of_kind(election: Election, elections: Iterable[Election]) -> Election | None:
    """The latest vote before ``election`` whose lead contest is of the same kind (and, for party lists,
    the same body), or None."""
    lead = election.lead_contest()
    earlier = [e for e in elections if e.date < election.date and kind(e) == lead.kind
               and (lead.kind != "party_list" or e.lead_contest().body == lead.body)]
    return max(earlier, key=lambda e: e.date) if earlier else None


@dataclass(frozen=True)
class ShareChange:
    """A party on both ballots: its share in each (``before_of_parties``: that share is of the votes for
    parties, the ballot having no reported "against all" count) and the change in points."""

    party: str
    before: float
    after: float
    before_of_parties: bool

    @property
    def points(self) -> float:
        return self.after - self.before


def _shares(election: Election) -> tuple[dict[str, float], bool]:
    """The lead contest's shares by party as the summary computes them; where it cannot (no "against all"
    count reported) and every party's votes are, each party's share of the votes for parties (flagged)."""
    lead = election.lead_contest()
    s = contest_summary(election, lead.key)
    shares = {r.party: r.share_pct for r in s.parties if r.share_pct is not None}
    if shares:
        return shares, False
    votes = {r.party: r.votes for r in s.parties}
    if not votes or any(v is None for v in votes.values()) or s.against_all is not None:
        return {}, False
    total = sum(v or 0 for v in votes.values())
    return ({p: 100 * (v or 0) / total for p, v in votes.items()} if total else {}), True


def share_changes(before: Election, after: Election) -> list[ShareChange]:
    """Party shares of two party-list votes for the parties on both ballots (party keys are kept across
    elections: 2021 Nur Otan is ``amanat``), in the order of ``after``'s result."""
    if kind(before) != "party_list" or kind(after) != "party_list":
        return []
    old, of_parties = _shares(before)
    new, _flag = _shares(after)
    return [ShareChange(p, old[p], v, of_parties) for p, v in new.items() if p in old]
