"""The in-memory form of one election's official results, shared by the store, the arithmetic and the UI.

Missing figures are ``pd.NA`` ("not reported"), never zero: every count column is a nullable ``Int64``.
An ``Election`` is immutable once built; a new dataset version builds a new one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

#: Canonical count columns of results.csv, before one column per party key.
RESULT_BASE_COLUMNS = ("contest", "unit", "registered", "took_part", "invalid", "against_all")
TURNOUT_COLUMNS = ("time", "unit", "registered", "took_part", "turnout_pct")
DISTRICT_COLUMNS = ("contest", "district", "unit", "winner", "party")
COMPOSITION_COLUMNS = ("contest", "party", "seats")
SOURCE_COLUMNS = ("file", "contest", "unit", "time", "field", "source_url", "note")
#: stations.csv: the polling stations expected to report (``unit`` is ``region/CODE`` or ``abroad``).
STATION_COLUMNS = ("unit", "station", "registered")
#: A lone status update (status.csv): the commission moving a contest from counting to final.
STATUS_COLUMNS = ("contest", "status")

#: Party key used in districts.csv / composition.csv for self-nominated winners.
INDEPENDENT = "independent"
#: The ``time`` label of the commission's final turnout figure in turnout.csv.
FINAL = "final"

BODIES = ("mazhilis", "maslikhat")
KINDS = ("party_list", "single_mandate")
#: A contest's status, in the order the commission moves through them on election night.
STATUSES = ("counting", "preliminary", "final")
#: What the list threshold is a percentage of: party votes + against all (as the commission's 2023
#: percentages are computed) or every voter who took part (ballots issued, including invalid ones).
THRESHOLD_BASES = ("votes_counted", "took_part")
#: How equal largest remainders are settled (docs/format.md, "The arithmetic, made explicit").
TIE_RULES = ("more_votes_then_ballot_order", "ballot_order")


@dataclass(frozen=True)
class Party:
    key: str
    short: dict  # {"kk", "ru", "en"} short names
    names: dict  # {"kk", "ru", "en"} full names
    colour: str  # "#rrggbb"

    def short_name(self, lang: str = "en") -> str:
        return self.short.get(lang) or self.short.get("en") or self.key

    def full_name(self, lang: str = "en") -> str:
        return self.names.get(lang) or self.names.get("en") or self.short_name(lang)


@dataclass(frozen=True)
class Contest:
    key: str
    body: str  # "mazhilis" | "maslikhat"
    kind: str  # "party_list" | "single_mandate"
    area: str  # "kz" or a region key
    seats: int | None  # None: not reported
    threshold_pct: float = 5.0
    #: Parties on this contest's ballot; () means every party of the election.
    parties: tuple[str, ...] = ()
    #: "counting" | "preliminary" | "final" (election.json ``contests[].status``; STATUSES).
    status: str = "final"
    #: The total the threshold is a share of (THRESHOLD_BASES); the default reproduces 2023.
    threshold_base: str = "votes_counted"
    #: How equal remainders are settled (TIE_RULES).
    tie_rule: str = "more_votes_then_ballot_order"


@dataclass(frozen=True)
class Election:
    id: str
    date: str  # ISO date of election day
    names: dict  # {"kk", "ru", "en"}
    parties: tuple[Party, ...]
    contests: tuple[Contest, ...]
    #: One row per (contest, unit): RESULT_BASE_COLUMNS + one Int64 column per party key.
    results: pd.DataFrame
    #: One row per (time, unit): TURNOUT_COLUMNS; turnout_pct is Float64, computed from counts when given.
    turnout: pd.DataFrame
    #: Single-mandate winners (DISTRICT_COLUMNS); winner/party may be <NA> where not reported.
    districts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=DISTRICT_COLUMNS))
    #: Published seat counts by party for a contest (COMPOSITION_COLUMNS), where individual winners are unknown.
    composition: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COMPOSITION_COLUMNS))
    #: Where each figure comes from (SOURCE_COLUMNS); empty fields mean "applies to all".
    sources: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SOURCE_COLUMNS))
    #: True for the rehearsal election written by ``python -m dashboard simulate``.
    simulated: bool = False
    #: Free-text notes from election.json (e.g. known disagreements between sources), by language.
    notes: dict = field(default_factory=dict)
    #: Raw election.json "extra" keys preserved verbatim (forward compatibility).
    extra: dict = field(default_factory=dict)
    #: The polling stations expected to report (STATION_COLUMNS; ``registered`` Int64); empty when the
    #: package has no stations.csv, and then nobody can say how much of the count is in.
    stations: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        {"unit": pd.Series(dtype="str"), "station": pd.Series(dtype="str"),
         "registered": pd.Series(dtype="Int64")}))

    @cached_property
    def party_keys(self) -> tuple[str, ...]:
        return tuple(p.key for p in self.parties)

    @cached_property
    def _parties(self) -> dict[str, Party]:
        return {p.key: p for p in self.parties}

    @cached_property
    def _contests(self) -> dict[str, Contest]:
        return {c.key: c for c in self.contests}

    def party(self, key: str) -> Party:
        return self._parties[key]

    def contest(self, key: str) -> Contest:
        return self._contests[key]

    def contest_parties(self, key: str) -> tuple[str, ...]:
        """The parties on a contest's ballot, in the election's party order."""
        listed = self.contest(key).parties
        return tuple(p for p in self.party_keys if not listed or p in listed)

    def find_contest(self, body: str, kind: str, area: str) -> Contest | None:
        for c in self.contests:
            if (c.body, c.kind, c.area) == (body, kind, area):
                return c
        return None

    def contest_rows(self, key: str) -> pd.DataFrame:
        return self.results[self.results["contest"] == key]

    def name(self, lang: str = "en") -> str:
        return self.names.get(lang) or self.names.get("en") or self.id
