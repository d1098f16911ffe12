"""Contest summaries: registered, turnout, votes, shares, threshold and seats of one contest in one unit.

Aggregation follows docs/format.md: a unit's figures are its own ``results.csv`` row if there is one;
otherwise the sum of the rows under it (a region or ``abroad``: its ``region/CODE`` rows; ``kz``: its
regions and ``abroad``). A summed column with an empty cell in any row is "not reported" (None).
A row with *every* count cell empty is an uncounted station written as a blank row: it is dropped at
every level, so it gives the same figures as no row at all (while counting, a unit's figure is the sum
over its counted stations, and ``progress.py`` says how many of how many that is).

Nothing is presented as an official figure when it cannot be computed:

* shares are of *votes counted* = party votes + against all; when any ballot party's votes or the
  against-all count is not reported, every share (and ``votes_counted``) is None — votes are still shown;
* seats are computed only for a party-list contest with known ``seats``, in the contest's own area
  (``kz`` for the Mazhilis, the region for a regional maslikhat), and only when the contest is
  **complete** there; otherwise ``seats`` is None and ``seats_computed`` False. While the count is
  partial (status ``counting``, or stations still missing) they are computed from the votes counted so
  far when those are all known, and ``seats_projection`` is True: a projection, never the result.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from fractions import Fraction

import pandas as pd

from dashboard.electoral.outcome import chamber_outcome, percent, presidential_outcome, referendum_outcome
from dashboard.electoral.progress import contest_progress
from dashboard.electoral.seats import allocate_seats, as_fraction, passes_threshold
from dashboard.model import CHAMBER_KINDS, Contest, Election
from dashboard.regions import ABROAD, NATIONAL, is_region, region_keys, top_unit


@dataclass(frozen=True)
class PartyResult:
    party: str
    votes: int | None  # None = not reported
    share_pct: float | None  # 100 * votes / (party votes + against_all); None when not computable
    passed_threshold: bool | None  # None: not computable, or not the contest's own area, or single-mandate
    seats: int | None  # None when seats are not computed (incomplete contest, seats unknown, single-mandate)
    published_seats: int | None  # from composition.csv for this contest (in its own area), if any


@dataclass(frozen=True)
class ContestSummary:
    contest: str
    unit: str
    registered: int | None
    took_part: int | None
    turnout_pct: float | None
    invalid: int | None
    against_all: int | None
    against_all_share_pct: float | None
    votes_counted: int | None  # party votes + against_all; None unless all of them are reported
    parties: tuple[PartyResult, ...]  # by votes descending (ties: ballot order); not reported last
    reported: bool  # the files hold any figure for this contest + unit
    complete: bool  # every ballot party and against_all reported (and, for a sum, every sub-unit)
    seats_computed: bool
    #: How many of the rows this figure is built from hold any figure, out of how many there are:
    #: 1/1 for a unit's own row; for a sum, its sub-units (``kz``: the 20 regions, plus ``abroad`` when
    #: the contest has rows for it; a region: its ``region/CODE`` rows); 0/0 when nothing is there.
    units_reporting: int
    units_expected: int
    #: The contest's status and the polling stations counted/expected here (None: no station list).
    status: str = "final"
    stations_counted: int | None = None
    stations_expected: int | None = None
    #: Seats computed from a partial count: a projection of the count so far, not the result.
    seats_projection: bool = False
    #: The contest's kind (model.KINDS); ``parties`` then holds its options: parties, candidates or yes/no.
    kind: str = "party_list"
    #: What the figures decide, in the contest's own area (None elsewhere): docs/format.md, "Kinds of contest and their outcomes".
    outcome: dict | None = None
    #: False while counting, with stations missing or with a figure the outcome needs not reported: then
    #: nothing may read as final ("not decided yet", "leading: …").
    decided: bool = False

    def to_dict(self) -> dict:
        doc = asdict(self)
        doc["parties"] = [asdict(p) for p in self.parties]
        return doc


def _value(v) -> int | None:
    return None if pd.isna(v) else int(v)


def _row_figures(row: pd.Series, fields: tuple[str, ...]) -> dict[str, int | None]:
    return {f: _value(row[f]) for f in fields}


def _sum(parts: list[dict[str, int | None]], fields: tuple[str, ...]) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for f in fields:
        values = [p[f] for p in parts]
        known = [v for v in values if v is not None]
        out[f] = sum(known) if values and len(known) == len(values) else None
    return out


def _has_any(figures: dict[str, int | None]) -> bool:
    return any(v is not None for v in figures.values())


def _contest_frame(election: Election, contest_key: str):
    """(rows, top unit of each row, whether the row is under a region) of a contest, computed once per
    election: summaries of every region of a 10,000-station contest reuse it."""
    memo = election.__dict__.setdefault("_contest_frames", {})
    if contest_key not in memo:
        rows = election.contest_rows(contest_key)
        fields = [f for f in election.count_columns if f in rows.columns]
        rows = rows[~rows[fields].isna().all(axis=1).to_numpy(dtype=bool)]  # a blank row = no row
        units = rows["unit"].astype(str)
        top = units.str.split("/", n=1).str[0]
        memo[contest_key] = (rows, top, units.str.contains("/", regex=False))
    return memo[contest_key]


Figures = tuple[dict[str, int | None], bool, int, int]


def _station_sums(election: Election, contest_key: str) -> dict[str, Figures]:
    """Each region's (and ``abroad``'s) figures summed over its ``region/CODE`` rows, in one pass over the
    contest, once per election: a page of a 10,000-station night asks for every region several times,
    and filtering the rows region by region made each new version cost seconds of CPU."""
    memo = election.__dict__.setdefault("_station_sums", {})
    if contest_key not in memo:
        fields = list(election.count_columns)
        rows, top, is_sub = _contest_frame(election, contest_key)
        under = rows.loc[is_sub.to_numpy(dtype=bool), fields]
        keys = top[is_sub].to_numpy()
        missing = under.isna()
        totals = under.groupby(keys, sort=False).sum()  # skips the missing cells; `missing` says where
        gaps = missing.groupby(keys, sort=False).any()
        reporting = (~missing.all(axis=1)).groupby(keys, sort=False).sum()
        sizes = missing.groupby(keys, sort=False).size()
        memo[contest_key] = {
            str(unit): (
                {f: None if gaps.at[unit, f] else int(totals.at[unit, f]) for f in fields},
                int(reporting[unit]) > 0, int(reporting[unit]), int(sizes[unit]),
            )
            for unit in totals.index
        }
    return memo[contest_key]


def _own_rows(election: Election, contest_key: str) -> dict[str, int]:
    """Position in the contest frame of each unit's first row, once per election."""
    memo = election.__dict__.setdefault("_own_rows", {})
    if contest_key not in memo:
        units = _contest_frame(election, contest_key)[0]["unit"].astype(str).to_numpy()
        first: dict[str, int] = {}
        for i, u in enumerate(units):
            first.setdefault(u, i)
        memo[contest_key] = first
    return memo[contest_key]


def unit_figures(election: Election, contest_key: str, unit: str) -> Figures:
    """(figures by column, reported, units_reporting, units_expected) of one contest in one unit.

    A unit's own row wins; without one, ``kz`` is the sum of its regions (and ``abroad``) and a region the
    sum of its stations. Memoised per election (an election is never changed in place; a new version is
    a new object), so the caller gets a copy of the figures.
    """
    memo = election.__dict__.setdefault("_unit_figures", {})
    if (contest_key, unit) not in memo:
        memo[contest_key, unit] = _unit_figures(election, contest_key, unit)
    figures, reported, reporting, expected = memo[contest_key, unit]
    return dict(figures), reported, reporting, expected


def _unit_figures(election: Election, contest_key: str, unit: str) -> Figures:
    fields = election.count_columns
    rows, top, _ = _contest_frame(election, contest_key)
    own = _own_rows(election, contest_key).get(unit)
    if own is not None:
        figures = _row_figures(rows.iloc[own], fields)
        return figures, _has_any(figures), 1, 1
    if unit == NATIONAL:
        subs = list(region_keys())
        if (top == ABROAD).any():
            subs.append(ABROAD)
        parts = []
        reporting = 0
        for sub in subs:
            figs, reported, _, _ = unit_figures(election, contest_key, sub)
            if reported:
                reporting += 1
                parts.append(figs)
        figures = _sum(parts, fields)
        return figures, reporting > 0, reporting, len(subs)
    if is_region(unit) or unit == ABROAD:
        return _station_sums(election, contest_key).get(unit, (dict.fromkeys(fields), False, 0, 0))
    return dict.fromkeys(fields), False, 0, 0


def in_area(area: str, unit: str) -> bool:
    """Whether ``unit`` lies in a contest's area (``kz`` holds every unit)."""
    return area == NATIONAL or top_unit(unit) == area


def threshold_fraction(threshold_pct: float) -> Fraction:
    """The contest's threshold as an exact fraction of votes counted (5.0 -> 1/20)."""
    return as_fraction(threshold_pct) / 100


def threshold_base(contest, votes_counted: int | None, took_part: int | None) -> int | None:
    """The total the list threshold is a share of (election.json ``threshold_base``; docs/format.md).

    ``votes_counted`` (party votes + against all) is how the commission's 2023 percentages are
    computed and the default; ``took_part`` counts every voter who took part, invalid ballots included.
    """
    if contest.threshold_base == "took_part":
        return took_part if votes_counted is not None else None
    return votes_counted


def _published(election: Election, contest_key: str) -> dict[str, int]:
    comp = election.composition
    if not len(comp):
        return {}
    comp = comp[comp["contest"] == contest_key]
    return {str(r["party"]): int(r["seats"]) for _, r in comp.iterrows() if not pd.isna(r["seats"])}


def contest_summary(election: Election, contest_key: str, unit: str | None = NATIONAL) -> ContestSummary:
    """The summary of ``contest_key`` in ``unit`` (default ``kz``; None = the contest's own area).

    Raises KeyError for an unknown contest and ValueError for a unit outside the contest's area.
    """
    contest = election.contest(contest_key)
    if unit is None:
        unit = contest.area
    if not in_area(contest.area, unit):
        raise ValueError(f"unit {unit!r} is outside the area {contest.area!r} of contest {contest_key!r}")
    ballot = election.options(contest_key)
    figures, reported, units_reporting, units_expected = unit_figures(election, contest_key, unit)
    progress = contest_progress(election, contest_key, unit)

    votes = {p: figures[p] for p in ballot}
    against_all = figures["against_all"]
    known = {p: v for p, v in votes.items() if v is not None}  # all of ``votes`` when ``all_votes``
    # A ballot without "against all" (a referendum's, the 2019 presidential's): its empty cell is no missing figure.
    has_against = contest.has_against_all
    all_votes = (against_all is not None or not has_against) and len(known) == len(votes)
    votes_counted = sum(known.values()) + (against_all or 0) if all_votes else None
    if progress.stations_expected is None:
        everything_in = units_reporting == units_expected and units_expected > 0
    else:  # the station list says what is expected here (a region without stations expects nothing)
        everything_in = progress.stations_counted == progress.stations_expected and reported
    complete = all_votes and everything_in
    own_area = unit == contest.area
    is_list = contest.kind == "party_list"
    base = threshold_base(contest, votes_counted, figures["took_part"])

    passed: dict[str, bool | None] = dict.fromkeys(ballot)
    if is_list and own_area and all_votes and base is not None and contest.threshold_pct is not None:
        limit = threshold_fraction(contest.threshold_pct)
        passed = {p: passes_threshold(v, base, limit) for p, v in known.items()}

    projection = progress.partial and all_votes and reported
    seats_computed = (is_list and own_area and (complete or projection) and contest.seats is not None
                      and base is not None and contest.threshold_pct is not None)
    seats: dict[str, int | None] = dict.fromkeys(ballot)
    if seats_computed:
        # all three checked for seats_computed
        # (a ballot without "against all", 2021's: no such votes, not a missing count — all_votes says so)
        assert contest.seats is not None and contest.threshold_pct is not None
        assert against_all is not None or not has_against
        seats = dict(allocate_seats(
            known, contest.seats, threshold=threshold_fraction(contest.threshold_pct), against_all=against_all or 0,
            total=base, tie_rule=contest.tie_rule,
        ))

    published = _published(election, contest_key) if own_area else {}
    # A referendum's shares are of those who took part, as the commission publishes them (2024: 5,561,937
    # yes of 7,820,204 = 71.12 %) and as the law's "more than half of those who took part" reads them.
    share_base = figures["took_part"] if contest.kind == "referendum" else votes_counted
    results = [
        PartyResult(
            party=p,
            votes=votes[p],
            share_pct=percent(votes[p], share_base),
            passed_threshold=passed[p],
            seats=seats[p],
            published_seats=published.get(p),
        )
        for p in ballot
    ]
    order = {p: i for i, p in enumerate(ballot)}
    results.sort(key=lambda r: (r.votes is None, -(r.votes or 0), order[r.party]))

    registered, took_part = figures["registered"], figures["took_part"]
    outcome = _outcome(election, contest, figures, votes_counted) if own_area else None
    return ContestSummary(
        contest=contest_key,
        unit=unit,
        registered=registered,
        took_part=took_part,
        turnout_pct=percent(took_part, registered),
        invalid=figures["invalid"],
        against_all=against_all,
        against_all_share_pct=percent(against_all, votes_counted),
        votes_counted=votes_counted,
        parties=tuple(results),
        reported=reported,
        complete=complete,
        seats_computed=seats_computed,
        units_reporting=units_reporting,
        units_expected=units_expected,
        status=progress.status,
        stations_counted=progress.stations_counted,
        stations_expected=progress.stations_expected,
        seats_projection=seats_computed and progress.partial,
        kind=contest.kind,
        outcome=outcome,
        decided=_decided(contest.kind, outcome, complete, everything_in and not progress.partial, seats_computed),
    )


def _outcome(election: Election, contest: Contest, figures: dict[str, int | None],
             votes_counted: int | None) -> dict:
    """The contest's outcome in its own area (docs/format.md, "Kinds of contest and their outcomes"), from the figures so far."""
    if contest.kind == "presidential":
        base = figures["took_part"] if contest.base == "took_part" else votes_counted
        votes = {k: figures[k] for k in election.options(contest.key)}
        return presidential_outcome(votes, base, contest.base, contest.published_outcome)
    if contest.kind == "referendum":
        return referendum_outcome(figures["registered"], figures["took_part"], figures["yes"],
                                  _unit_answers(election, contest.key), len(region_keys()),
                                  contest.constitutional, contest.published_outcome)
    return chamber_outcome(chamber_seats(election, contest))


def _unit_answers(election: Election, contest_key: str) -> dict[str, tuple[int, int]] | None:
    """Each region's (yes, took part), for the two-thirds rule; None unless all 20 are reported (abroad is
    not one of the regions, cities of republican significance and the capital the rule counts)."""
    out = {}
    for region in region_keys():
        figures = unit_figures(election, contest_key, region)[0]
        yes, took = figures["yes"], figures["took_part"]
        if yes is None or took is None:
            return None
        out[region] = (yes, took)
    return out


def chamber_seats(election: Election, contest: Contest) -> int | None:
    """Seats of the chamber a contest fills: the seats of its body's party-list and single-mandate contests
    in its area (Mazhilis 69 + 29 = 98; a list-only Kurultai 145); None when one is not reported."""
    seats = [c.seats for c in election.contests
             if (c.body, c.area) == (contest.body, contest.area) and c.kind in CHAMBER_KINDS]
    return None if not seats or any(n is None for n in seats) else sum(n for n in seats if n is not None)


def _decided(kind: str, outcome: dict | None, complete: bool, all_in: bool, seats_computed: bool) -> bool:
    """Whether the outcome may read as final: every unit (station) counted and not counting any more
    (``all_in``), and every figure the outcome needs reported — a president's votes and base (not the
    against-all count, which a ballot may lack), a referendum's counts; a party list's seats."""
    if not all_in or outcome is None:
        return False
    if kind == "presidential":
        return outcome["basis"] == "published" or bool(outcome["elected"] or outcome["second_round"])
    if kind == "referendum":
        return outcome["adopted"] is not None
    if kind == "party_list":
        return complete and seats_computed
    return complete
