"""The in-memory form of one election's official results, shared by the store, the arithmetic and the UI.

Missing figures are ``pd.NA`` ("not reported"), never zero: every count column is a nullable ``Int64``.
An ``Election`` is immutable once built; a new dataset version builds a new one.

Which bodies and kinds of vote an election has comes from its package, not from code: a contest is of one
of ``KINDS`` and names any body key (built-in names for the bodies Kazakhstan votes for, others declared
in election.json). A contest's *options* are the columns of results.csv its ballot counts: its parties, its
candidates, or the answers ``yes``/``no`` of a referendum question.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from dashboard.regions import NATIONAL

#: The count columns every results.csv row has, before one column per option (party, candidate, answer).
#: The one definition: the readers, the validator, the arithmetic and the observers all use it.
COUNT_COLUMNS = ("registered", "took_part", "invalid", "against_all")
#: Canonical columns of results.csv, before one column per option key.
RESULT_BASE_COLUMNS = ("contest", "unit", *COUNT_COLUMNS)
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

KINDS = ("party_list", "single_mandate", "presidential", "referendum")
#: The kinds that fill the seats of a chamber (a Mazhilis: 69 by list + 29 single-mandate; a Kurultai: lists).
CHAMBER_KINDS = ("party_list", "single_mandate")
#: Names of the bodies the site knows without a declaration (glossary: docs/glossary.md). Any other body a
#: contest names must be declared in election.json ``bodies``; there is no closed list of bodies.
BODY_NAMES: dict[str, dict[str, str]] = {
    "kurultai": {"kk": "Құрылтай", "ru": "Курултай", "en": "Kurultai"},
    "mazhilis": {"kk": "Мәжіліс", "ru": "Мажилис", "en": "Mazhilis"},
    "maslikhat": {"kk": "Мәслихат", "ru": "Маслихат", "en": "Maslikhat"},
    "president": {"kk": "Президент", "ru": "Президент", "en": "President"},
    "referendum": {"kk": "Референдум", "ru": "Референдум", "en": "Referendum"},
}
#: The answers of a referendum question: their results.csv columns.
YES, NO = "yes", "no"
ANSWERS = (YES, NO)
#: What a presidential candidate's "more than half" is of: those who took part (the law's default,
#: docs/format.md) or the votes for candidates and against all.
PRESIDENTIAL_BASES = ("took_part", "votes_counted")
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
class Candidate:
    """A presidential candidate; ``key`` (the surname in lowercase Latin, ``tokayev``) is a results.csv
    column. Same duck type as ``Party``, so charts and tables take either."""

    key: str
    names: dict  # {"kk", "ru", "en"} full names
    short: dict  # {"kk", "ru", "en"} short names (falls back to names)
    colour: str  # "#rrggbb"
    nominated_by: dict | None = field(default=None, hash=False)  # {"kk", "ru", "en"} who nominated

    def short_name(self, lang: str = "en") -> str:
        return self.short.get(lang) or self.short.get("en") or self.full_name(lang)

    def full_name(self, lang: str = "en") -> str:
        return self.names.get(lang) or self.names.get("en") or self.key


@dataclass(frozen=True)
class Answer:
    """A referendum answer (``yes``/``no``): names and colour are built in, not read from a package."""

    key: str
    names: dict
    colour: str

    @property
    def short(self) -> dict:
        return self.names

    def short_name(self, lang: str = "en") -> str:
        return self.names.get(lang) or self.names["en"]

    def full_name(self, lang: str = "en") -> str:
        return self.short_name(lang)


#: Yes and No: kk «Иә»/«Жоқ», ru «Да»/«Нет» (the words printed on Kazakh referendum ballots). Colours: the
#: two ends of Paul Tol's colour-blind-safe diverging scheme PRGn (green for yes, purple for no), so the
#: referendum map's diverging scale centred at 50 % uses the same hues, and neither is one of the
#: Okabe-Ito colours the 2023 parties use.
ANSWER_OPTIONS: dict[str, Answer] = {
    YES: Answer(YES, {"kk": "Иә", "ru": "Да", "en": "Yes"}, "#1B7837"),
    NO: Answer(NO, {"kk": "Жоқ", "ru": "Нет", "en": "No"}, "#762A83"),
}


@dataclass(frozen=True)
class Contest:
    key: str
    body: str  # any body key: built-in (BODY_NAMES) or declared in election.json ``bodies``
    kind: str  # one of KINDS
    area: str  # "kz" or a region key
    seats: int | None  # None: not reported
    #: The list threshold, % of ``threshold_base``; None = not reported (no seats computed). No default:
    #: the Kurultai's threshold was not found in the sources, so nothing may assume 5 %.
    threshold_pct: float | None = None
    #: Parties on this contest's ballot; () means every party of the election.
    parties: tuple[str, ...] = ()
    #: "counting" | "preliminary" | "final" (election.json ``contests[].status``; STATUSES).
    status: str = "final"
    #: The total the threshold is a share of (THRESHOLD_BASES); the default reproduces 2023.
    threshold_base: str = "votes_counted"
    #: How equal remainders are settled (TIE_RULES).
    tie_rule: str = "more_votes_then_ballot_order"
    #: A referendum question, by language.
    question: dict | None = field(default=None, hash=False)
    #: A referendum on the Constitution: adopted only with a yes majority in two-thirds of the units too.
    constitutional: bool = False
    #: Candidates on a presidential ballot; () means every candidate of the election.
    candidates: tuple[str, ...] = ()
    #: An outcome the sources state without the figures to compute it (shown as published, ``basis``).
    published_outcome: dict | None = field(default=None, hash=False)
    #: What a presidential candidate's "more than half" is of (PRESIDENTIAL_BASES).
    base: str = "took_part"

    def question_text(self, lang: str = "en") -> str:
        """The question in ``lang`` (English, then any language, as fallbacks); "" without a question."""
        q = self.question or {}
        return q.get(lang) or q.get("en") or next(iter(q.values()), "")


@dataclass(frozen=True)
class Election:
    id: str
    date: str  # ISO date of election day
    names: dict  # {"kk", "ru", "en"}
    parties: tuple[Party, ...]
    contests: tuple[Contest, ...]
    #: One row per (contest, unit): RESULT_BASE_COLUMNS + one Int64 column per option key (option_keys).
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
    #: Presidential candidates (election.json ``candidates``); each key is a results.csv column.
    candidates: tuple[Candidate, ...] = ()
    #: Names of the bodies election.json declares ({key: {"kk", "ru", "en"}}); they win over BODY_NAMES.
    bodies: dict = field(default_factory=dict)

    @cached_property
    def party_keys(self) -> tuple[str, ...]:
        return tuple(p.key for p in self.parties)

    @cached_property
    def candidate_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.candidates)

    @cached_property
    def option_keys(self) -> tuple[str, ...]:
        """Every option column of results.csv: party keys, candidate keys, then yes/no when any contest
        is a referendum (so a package without one keeps exactly its 2023 columns)."""
        answers = ANSWERS if any(c.kind == "referendum" for c in self.contests) else ()
        return (*self.party_keys, *self.candidate_keys, *answers)

    @cached_property
    def option_objects(self) -> tuple[Party | Candidate | Answer, ...]:
        """The options of ``option_keys``, in that order (what a results.csv header may name)."""
        return tuple(self.option(k) for k in self.option_keys)

    @cached_property
    def count_columns(self) -> tuple[str, ...]:
        """Every Int64 column of ``results``: COUNT_COLUMNS + option_keys."""
        return (*COUNT_COLUMNS, *self.option_keys)

    @cached_property
    def _parties(self) -> dict[str, Party]:
        return {p.key: p for p in self.parties}

    @cached_property
    def _options(self) -> dict[str, Party | Candidate | Answer]:
        return {**ANSWER_OPTIONS, **{c.key: c for c in self.candidates}, **self._parties}

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

    def contest_candidates(self, key: str) -> tuple[str, ...]:
        """The candidates on a presidential ballot, in the election's candidate order."""
        listed = self.contest(key).candidates
        return tuple(c for c in self.candidate_keys if not listed or c in listed)

    @cached_property
    def _ballots(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for c in self.contests:
            if c.kind == "referendum":
                out[c.key] = ANSWERS
            elif c.kind == "presidential":
                out[c.key] = self.contest_candidates(c.key)
            else:
                out[c.key] = self.contest_parties(c.key)
        return out

    def options(self, contest_key: str) -> tuple[str, ...]:
        """The option columns a contest's ballot counts: its parties, its candidates, or yes and no."""
        return self._ballots[contest_key]

    def option(self, key: str) -> Party | Candidate | Answer:
        """A party, candidate or answer by key: anything with ``key``, ``colour``, ``short_name(lang)``
        and ``full_name(lang)``. KeyError for an unknown key."""
        return self._options[key]

    def body_name(self, body: str, lang: str = "en") -> str:
        """A body's name: declared in election.json, else built in, else its key."""
        names = self.bodies.get(body) or BODY_NAMES.get(body) or {}
        return names.get(lang) or names.get("en") or body

    def lead_contest(self) -> Contest:
        """What the front page of this election leads with: the first nationwide contest in the order
        presidential, referendum (its first question), party list of the Kurultai, of the Mazhilis, of
        any other body; else the first contest."""
        national = [c for c in self.contests if c.area == NATIONAL]
        ranks = (lambda c: c.kind == "presidential", lambda c: c.kind == "referendum",
                 lambda c: c.kind == "party_list" and c.body == "kurultai",
                 lambda c: c.kind == "party_list" and c.body == "mazhilis",
                 lambda c: c.kind == "party_list")
        for rank in ranks:
            for c in national:
                if rank(c):
                    return c
        return self.contests[0]

    def kinds(self) -> tuple[str, ...]:
        """The distinct kinds of this election's contests, the lead contest's first, then in file order."""
        return tuple(dict.fromkeys([self.lead_contest().kind, *(c.kind for c in self.contests)]))

    def find_contest(self, body: str, kind: str, area: str) -> Contest | None:
        for c in self.contests:
            if (c.body, c.kind, c.area) == (body, kind, area):
                return c
        return None

    def contest_rows(self, key: str) -> pd.DataFrame:
        return self.results[self.results["contest"] == key]

    def name(self, lang: str = "en") -> str:
        return self.names.get(lang) or self.names.get("en") or self.id
