"""How much of the count is in: a contest's status and its polling stations counted out of expected.

A station is *counted* for a contest when its results.csv row holds any figure. A row with every count
cell empty says nothing, so it is the same as no row at all: an uncounted station gives the same
progress (and, in ``summary.py``, the same figures) however it is written. Stations are expected when
stations.csv lists them; without that list nobody can say how much is missing, and the counts are None.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.members import isin
from dashboard.model import Election
from dashboard.regions import NATIONAL

#: The count columns of a results row (registered, took_part, invalid, against_all); parties follow.

COUNTING, PRELIMINARY, FINAL = "counting", "preliminary", "final"
STATUS_WORDS = {COUNTING: "Counting", PRELIMINARY: "Preliminary", FINAL: "Final"}


@dataclass(frozen=True)
class Progress:
    status: str  # "counting" | "preliminary" | "final"
    stations_counted: int | None  # None = the election gives no station list
    stations_expected: int | None

    @property
    def fraction(self) -> float | None:
        """counted / expected; None when unknown (no station list, or no station expected here)."""
        if self.stations_counted is None or not self.stations_expected:
            return None
        return self.stations_counted / self.stations_expected

    @property
    def partial(self) -> bool:
        """Figures are of part of the count: still counting, or stations still missing."""
        missing = self.stations_counted is not None and self.stations_counted < (self.stations_expected or 0)
        return self.status == COUNTING or missing


def counted_units(election: Election, contest_key: str) -> np.ndarray:
    """Units (sorted) whose results row of this contest holds any figure; memoised per election."""
    memo = election.__dict__.setdefault("_counted_units", {})
    if contest_key not in memo:
        rows = election.contest_rows(contest_key)
        fields = [f for f in election.count_columns if f in rows.columns]
        has = rows[fields].notna().any(axis=1).to_numpy(dtype=bool)
        memo[contest_key] = np.unique(rows["unit"].astype(str).to_numpy()[has])
    return memo[contest_key]


def _station_tops(election: Election) -> tuple[np.ndarray, np.ndarray]:
    memo = election.__dict__
    if "_station_tops" not in memo:
        units = election.stations["unit"].astype(str).to_numpy()
        memo["_station_tops"] = (units, np.array([u.split("/", 1)[0] for u in units], dtype=str))
    return memo["_station_tops"]


def _within(units: np.ndarray, tops: np.ndarray, place: str) -> np.ndarray:
    """Mask of stations inside ``place`` (``kz``, a region, ``abroad`` or one station)."""
    if place == NATIONAL:
        return np.ones(len(units), bool)
    return (tops == place) | (units == place)


def contest_progress(election: Election, contest_key: str, unit: str = NATIONAL) -> Progress:
    """Status and stations counted/expected of one contest in ``unit`` (within the contest's area)."""
    contest = election.contest(contest_key)
    if not len(election.stations):
        return Progress(contest.status, None, None)
    memo = election.__dict__.setdefault("_progress", {})
    key = (contest_key, unit)
    if key not in memo:
        units, tops = _station_tops(election)
        mask = _within(units, tops, unit) & _within(units, tops, contest.area)
        counted = int(isin(units[mask], counted_units(election, contest_key)).sum())
        memo[key] = Progress(contest.status, counted, int(mask.sum()))
    return memo[key]


def headline_contest(election: Election) -> str:
    """The contest a page headline speaks for: the election's lead contest (``Election.lead_contest``: the
    Mazhilis party list for 2023)."""
    return election.lead_contest().key


def election_progress(election: Election, unit: str = NATIONAL) -> Progress:
    """Progress of the headline contest (``headline_contest``) in ``unit``."""
    return contest_progress(election, headline_contest(election), unit)


def progress_line(p: Progress) -> str:
    """"Preliminary · 1,234 of 10,081 polling stations counted (12.2 %)", or just the status word.

    The percentage is rounded toward the side it is on, so 10,080 of 10,081 reads 99.9 %, never 100.0 %.
    """
    from dashboard.electoral.rounding import format_plain_pct

    word = STATUS_WORDS.get(p.status, p.status)
    if p.stations_counted is None or p.stations_expected is None:
        return word
    line = f"{word} · {p.stations_counted:,} of {p.stations_expected:,} polling stations counted"
    if p.stations_expected:
        exact = 100 * p.stations_counted / p.stations_expected
        done = p.stations_counted >= p.stations_expected
        share = format_plain_pct(exact, 1, threshold=100, passed=done, suffix=" %")
        line += f" ({share})"
    return line
