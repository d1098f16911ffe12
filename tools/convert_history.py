"""Build the packages of the six national votes since 2019 from the published figures in sources/history/.

    python tools/convert_history.py [--out DIR]        # default: dashboard/data/

Writes ``<out>/<election-id>/`` (election.json, results.csv, turnout.csv, sources.csv) for
kz-2019-06-09 (presidential), kz-2021-01-10 (Mazhilis), kz-2022-06-05 (referendum), kz-2022-11-20
(presidential), kz-2024-10-06 (referendum), kz-2026-03-15 (referendum), and
``docs/history_conflicts.csv``: every disagreement between sources that touches a figure of a
package, with the value used and why.

Every package in ``dashboard/data/`` is served as an embedded election (dashboard/store/library.py). The format is docs/format.md plus the kinds of
contest of DESIGN-18 §1: ``candidates`` and ``presidential`` contests, ``referendum`` contests with a
``question``, ``constitutional`` and, where the sources state an outcome without the figures to compute it,
``published_outcome``; ``threshold_pct`` is left out where the sources do not give it (not reported).
Each election also names its boundary set (``"boundaries"``, ``dashboard/boundaries.py``): the three
votes before 8 June 2022 were counted in 17 units (``units_2022``).

Rules, as for tools/convert_2023.py: every figure keeps its source URL (sources.csv), and its note says
whether it is preliminary or final; nothing is invented — what the sources lack stays empty ("not
reported"), never zero, and nothing is derived (an invalid-ballot count is never computed as ballots
minus votes); a share published without its count is not turned into a count (it is quoted in the
sources.csv note of the empty cell). Where sources disagree, the value used and the other are in
conflicts.csv and in the figure's note. The output is deterministic: running again writes identical bytes.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from dashboard.boundaries import UNITS_2022, UNITS_2023, boundary_set  # noqa: E402

SOURCES = ROOT / "sources" / "history"
OUT = ROOT / "dashboard" / "data"
#: Where the disagreements between sources are written (in docs/ (sources/history/conflicts*.csv are inputs), not among the packages: every
#: folder of dashboard/data/ with an election.json is served as an election).
CONFLICTS_OUT = ROOT / "docs" / "history_conflicts.csv"

#: The amendments of May 2021 added the «Против всех» line to ballots of every level and lowered the
#: Mazhilis threshold from 7 % to 5 % (Minister of Justice Irgaliyev, 5 May 2021): before them the 2019
#: presidential and the January 2021 Mazhilis ballots had no "against all" line, and the 2021 threshold was 7 %.
AMENDMENTS_2021 = "https://kazaknews.kz/obshhestvo/pravo-golosovat-protiv-vseh-budut-imet-kazahstancy"
AMENDMENTS_2021_NOTE = ("Minister Irgaliyev, 5 May 2021: the amendments add the «Против всех» line to the ballots "
                        "of all levels and lower the Mazhilis threshold from 7 % to 5 %")
#: The 2021 Mazhilis seats as the commission's deputy chairman announced them on 12 January 2021.
SEATS_2021 = "https://ru.sputnik.kz/politics/20210112/16003169/Partiya-Nur-Otan-poluchit-76-mandatov-v-mazhilise---TsIK.html"
SEATS_2021_SPLIT = (("amanat", 76), ("ak_zhol", 12), ("qhp", 10))

RESULT_BASE = ("contest", "unit", "registered", "took_part", "invalid", "against_all")
TURNOUT_COLUMNS = ("time", "unit", "registered", "took_part", "turnout_pct")
SOURCE_COLUMNS = ("file", "contest", "unit", "time", "field", "source_url", "note")
CONFLICT_COLUMNS = (
    "election",
    "contest",
    "unit",
    "field",
    "value_used",
    "other_values",
    "sources",
    "assessment",
)

#: English unit names of the source files -> registry keys. The capital appears as "Nur-Sultan (Astana)"
#: before September 2022 and "Astana" after; the key is the same (names of the day: dashboard/boundaries.py).
UNIT_KEYS = {
    "Kazakhstan": "kz",
    "Abai": "abai",
    "Akmola": "akmola",
    "Aktobe": "aktobe",
    "Almaty region": "almaty_region",
    "Atyrau": "atyrau",
    "West Kazakhstan": "west_kazakhstan",
    "Zhambyl": "zhambyl",
    "Zhetysu": "zhetysu",
    "Karaganda": "karaganda",
    "Kostanay": "kostanay",
    "Kyzylorda": "kyzylorda",
    "Mangystau": "mangystau",
    "Pavlodar": "pavlodar",
    "North Kazakhstan": "north_kazakhstan",
    "Turkistan": "turkistan",
    "Ulytau": "ulytau",
    "East Kazakhstan": "east_kazakhstan",
    "Nur-Sultan (Astana)": "astana",
    "Astana": "astana",
    "Almaty city": "almaty",
    "Shymkent": "shymkent",
}

#: Okabe–Ito, colour-blind safe, in ballot order of the result (the winner first).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")

#: A question's wording not in the sources is a short description; this note says so.
DESCRIBED = (
    "the official wording of the ballot question is not in the project's sources: the question is a short "
    "description of it (kk/ru/en by the project); the wording: to be checked"
)


# --------------------------------------------------------------------------- reading the sources


@dataclass(frozen=True)
class Fig:
    """One published figure: a row of a sources/history file."""

    value: str
    source_url: str
    quote: str
    note: str

    @property
    def int(self) -> int:
        return int(self.value)


class Sources:
    """The long-format files of sources/history/, looked up one figure at a time (exactly one must match)."""

    def __init__(self, folder: Path = SOURCES) -> None:
        self.rows: list[dict[str, str]] = []
        self.conflicts: list[dict[str, str]] = []
        for path in sorted(folder.glob("*.csv")):
            if path.name.startswith("checks"):
                continue
            with open(path, encoding="utf-8", newline="") as f:
                rows = [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(f)]
            if path.name.startswith("conflicts"):
                self.conflicts += rows
            else:
                self.rows += rows

    def fig(self, election: str, unit: str, subject: str, metric: str, url: str = "") -> Fig:
        """The one row of ``election`` for (unit, subject, metric); ``url`` narrows to sources containing it."""
        found = [
            r
            for r in self.rows
            if (r["election"], r["unit"], r["subject"], r["metric"]) == (election, unit, subject, metric)
            and url in r["source_url"]
        ]
        if len(found) != 1:
            raise LookupError(f"{election} {unit} {subject} {metric} {url!r}: {len(found)} rows, expected 1")
        r = found[0]
        return Fig(r["value"], r["source_url"], r["quote"], r["note"])

    def conflict(self, topic: str, figure: str) -> dict[str, str]:
        """The one row of sources/history/conflicts*.csv about (topic, figure)."""
        found = [r for r in self.conflicts if (r["topic"], r["figure"]) == (topic, figure)]
        if len(found) != 1:
            raise LookupError(f"conflict {topic!r} {figure!r}: {len(found)} rows, expected 1")
        return found[0]

    def all(self, election: str, metric: str, subject: str = "_total") -> list[tuple[str, Fig]]:
        """Every unit's row of ``metric`` (in file order) as (unit key, figure)."""
        return [
            (UNIT_KEYS[r["unit"]], Fig(r["value"], r["source_url"], r["quote"], r["note"]))
            for r in self.rows
            if r["election"] == election and r["metric"] == metric and r["subject"] == subject
        ]


# --------------------------------------------------------------------------- a package being built


@dataclass
class Package:
    election: dict
    option_columns: tuple[str, ...]
    results: list[dict] = field(default_factory=list)
    turnout: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    #: Published seats (composition.csv), where the sources give them.
    composition: list[dict] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.election["id"]

    def row(self, contest: str, unit: str) -> dict:
        """The results row of (contest, unit), created empty (every cell not reported) if new."""
        for r in self.results:
            if (r["contest"], r["unit"]) == (contest, unit):
                return r
        r = dict.fromkeys(RESULT_BASE + self.option_columns) | {"contest": contest, "unit": unit}
        self.results.append(r)
        return r

    def source(self, file: str, url: str, *, contest="", unit="", time="", field="", note="") -> None:
        self.sources.append(
            dict(file=file, contest=contest, unit=unit, time=time, field=field, source_url=url, note=note)
        )

    def result(self, contest: str, unit: str, column: str, fig: Fig, note: str) -> None:
        """Put a published count into results.csv, with its source and note."""
        self.row(contest, unit)[column] = fig.int
        self.source("results.csv", fig.source_url, contest=contest, unit=unit, field=column, note=note)

    def not_reported(self, contest: str, unit: str, column: str, url: str, note: str) -> None:
        """Say in sources.csv why a cell is empty (a unit with no figure at all gets no results row)."""
        self.source("results.csv", url, contest=contest, unit=unit, field=column, note=note)

    def turnout_pct(self, time: str, unit: str, fig: Fig, note: str) -> None:
        self.turnout.append(
            dict(time=time, unit=unit, registered=None, took_part=None, turnout_pct=fig.value)
        )
        self.source("turnout.csv", fig.source_url, time=time, unit=unit, field="turnout_pct", note=note)

    def conflict(self, contest, unit, column, used, other, sources, assessment) -> None:
        self.conflicts.append(
            dict(
                election=self.id,
                contest=contest,
                unit=unit,
                field=column,
                value_used=used,
                other_values=other,
                sources=sources,
                assessment=assessment,
            )
        )


def _names(kk: str, ru: str, en: str) -> dict:
    return {"kk": kk, "ru": ru, "en": en}


def _candidate(key, names, colour, nominated_by=None) -> dict:
    """A candidate; the short name is the surname (the last word of the full name) in each language."""
    doc = {
        "key": key,
        "names": names,
        "short": {lang: n.split()[-1] for lang, n in names.items()},
        "colour": colour,
    }
    if nominated_by:
        doc["nominated_by"] = nominated_by
    return doc


def _election(id_, names, boundaries, contests, notes, *, parties=(), candidates=()) -> dict:
    assert boundaries == boundary_set(boundaries).key
    # Key order as dashboard/store/write.py writes a package, so the store's copy has the same bytes.
    doc: dict = {"id": id_, "date": id_[3:], "names": names, "simulated": False, "parties": list(parties),
                 "contests": list(contests)}  # fmt: skip
    if candidates:
        doc["candidates"] = list(candidates)
    doc["notes"] = notes
    doc["boundaries"] = boundaries
    return doc


def _turnout_series(pkg: Package, src: Sources, election: str, metric: str, time: str, note: str) -> None:
    """One interim report of turnout % for every unit the source lists (national first, then registry order)."""
    figs = dict(src.all(election, metric))
    order = ["kz", *boundary_set(pkg.election["boundaries"]).unit_keys()]
    unknown = set(figs) - set(order)
    if unknown:
        raise ValueError(f"{election} {metric}: units outside the boundary set: {sorted(unknown)}")
    for unit in order:
        if unit in figs:
            pkg.turnout_pct(time, unit, figs[unit], note)


# --------------------------------------------------------------------------- 2019 presidential


CANDIDATES_2019 = (
    # key, (kk, ru, en), source subject, nominated_by (kk, ru, en) or None
    ("tokayev", ("Қасым-Жомарт Тоқаев", "Касым-Жомарт Токаев", "Kassym-Jomart Tokayev"), "Tokayev (Nur Otan)",
     ("«Nur Otan» партиясы", "Партия «Nur Otan»", "Nur Otan Party")),
    ("kosanov", ("Әміржан Қосанов", "Амиржан Косанов", "Amirzhan Kosanov"), "Kosanov (Ult Tagdyry)",
     ("«Ұлт тағдыры» қозғалысы", "Движение «Ұлт тағдыры»", "Ult Tagdyry movement")),
    ("espaeva", ("Дания Еспаева", "Дания Еспаева", "Daniya Espaeva"), "Espaeva (Ak Zhol)",
     ("«Ақ жол» партиясы", "Партия «Ак жол»", "Ak Zhol Party")),
    ("rakhimbekov", ("Төлеутай Рақымбеков", "Толеутай Рахимбеков", "Toleutai Rakhimbekov"), "Rakhimbekov (Auyl)",
     ("«Ауыл» партиясы", "Партия «Ауыл»", "Auyl Party")),
    ("taspikhov", ("Амангелді Таспихов", "Амангельды Таспихов", "Amangeldy Taspikhov"), "Taspikhov (FTU)",
     ("Кәсіподақтар федерациясы", "Федерация профсоюзов", "Federation of Trade Unions")),
    ("akhmetbekov", ("Жамбыл Ахметбеков", "Жамбыл Ахметбеков", "Zhambyl Akhmetbekov"), "Akhmetbekov (KNPK)",
     ("Қазақстан коммунистік халық партиясы", "Коммунистическая народная партия Казахстана",
      "Communist People's Party of Kazakhstan")),
    ("tugel", ("Садыбек Түгел", "Садыбек Тугел", "Sadybek Tugel"), "Tugel", None),
)  # fmt: skip


def _presidential_contest(keys: tuple[str, ...], against_all: bool = True) -> dict:
    """The presidential contest; ``base`` is left at the law's default (took part), so it is not written;
    ``"against_all": false`` only for a ballot without that line (2019)."""
    contest: dict = {
        "key": "president",
        "body": "president",
        "kind": "presidential",
        "area": "kz",
        "candidates": list(keys),
    }
    if not against_all:
        contest["against_all"] = False
    return contest


def build_2019(src: Sources) -> Package:
    e = "president_2019"
    keys = tuple(c[0] for c in CANDIDATES_2019)
    cands = [
        _candidate(k, _names(*n), PALETTE[i], _names(*nom) if nom else None)
        for i, (k, n, _, nom) in enumerate(CANDIDATES_2019)
    ]
    notes = {
        "en": "Votes for each candidate: the Central Election Commission's final result (via the Russian "
        "Wikipedia infobox); registered voters and voters who took part: the preliminary figures. "
        "Turnout by unit: the Commission's preliminary figures on the 17 units of the day. Not reported: "
        "invalid ballots, results by unit. The 2019 ballot had no 'against all' line (it was added in May 2021).",
        "ru": "Голоса за кандидатов — окончательные итоги ЦИК (по карточке русской Википедии); число "
        "избирателей и принявших участие — предварительные данные. Явка по регионам — "
        "предварительные данные ЦИК по 17 регионам того времени. Не опубликованы: недействительные "
        "бюллетени, результаты по регионам. В бюллетене 2019 года не было строки «против всех» (её добавили в мае 2021 года).",
        "kk": "Кандидаттардың дауыстары — ОСК-ның түпкілікті қорытындысы (орыс Уикипедиясының карточкасы "
        "бойынша); сайлаушылар мен дауыс беруге қатысқандар саны — алдын ала деректер."
        " Өңірлер бойынша сайлаушылардың келуі — сол кездегі 17 өңір бойынша ОСК-ның алдын ала "
        "деректері. Жарияланбаған: жарамсыз бюллетеньдер, өңірлер бойынша нәтижелер. 2019 жылғы "
        "бюллетеньде «бәріне қарсы» жолы болған жоқ (ол 2021 жылғы мамырда қосылды).",
    }
    pkg = Package(
        _election(
            "kz-2019-06-09",
            _names(
                "Қазақстан Республикасы Президентінің сайлауы, 2019 жылғы 9 маусым",
                "Выборы Президента Республики Казахстан, 9 июня 2019 года",
                "Presidential election, 9 June 2019",
            ),
            UNITS_2022,
            [_presidential_contest(keys, against_all=False)],
            notes,
            candidates=cands,
        ),
        keys,
    )
    c = "president"
    pkg.source("election.json", AMENDMENTS_2021, contest=c, field="against_all",
               note=f"false: the 2019 ballot had no 'against all' line; {AMENDMENTS_2021_NOTE}")  # fmt: skip
    for key, _, subject, _ in CANDIDATES_2019:
        f = src.fig(e, "Kazakhstan", subject, "votes")
        pct = src.fig(e, "Kazakhstan", subject, "pct")
        pkg.result(c, "kz", key, f, f"final; published {pct.value}% of the votes for candidates; {f.note}")
        pkg.source("election.json", f.source_url, contest=c, field=f"candidates.{key}",
                   note=f"candidate as listed in the source: {subject}")  # fmt: skip
    reg = src.fig(e, "Kazakhstan", "_total", "registered")
    took = src.fig(e, "Kazakhstan", "_total", "took_part")
    pkg.result(c, "kz", "registered", reg, "preliminary: the list published with the result")
    pkg.result(c, "kz", "took_part", took, "preliminary")
    pkg.not_reported(c, "kz", "invalid", took.source_url, "not reported")
    pkg.not_reported(c, "kz", "against_all", AMENDMENTS_2021,
                     "empty, not missing: the 2019 ballot had no 'against all' line (contest against_all false)")  # fmt: skip
    night = src.fig(e, "Kazakhstan", "_total", "registered_prelim")
    pkg.conflict(c, "kz", "registered", reg.value, f"{night.value} (election-night list)",
                 f"{reg.source_url} ; {night.source_url}",
                 "not a contradiction: the election-night list and the later list; the later one is used "
                 "with the took-part figure published with it")  # fmt: skip
    pkg.conflict(c, "kz", "tokayev", src.fig(e, "Kazakhstan", "Tokayev (Nur Otan)", "votes").value,
                 "6504054 / 70.76% (preliminary)",
                 "https://clever-geek.imtqy.com/articles/7846249/index.html ; "
                 "https://kp.ua/politics/639609-kazakhstan-vozghlavyt-preemnyk-nazarbaeva",
                 "preliminary vs final: the final result is used")  # fmt: skip
    _turnout_series(
        pkg, src, e, "turnout_pct_prelim", "2019-06-09T20:00:00+06:00",
        "CEC preliminary turnout on the 17 units of the day; the source gives no hour: placed at the close "
        "of polls (20:00 Astana time), to be checked",
    )  # fmt: skip
    return pkg


# --------------------------------------------------------------------------- 2021 Mazhilis


PARTIES_2021 = (
    # key (the party's key in every package), source subject, short (kk, ru, en), names (kk, ru, en)
    ("amanat", "Nur Otan", ("Nur Otan", "Nur Otan", "Nur Otan"),
     ("«Nur Otan» партиясы", "Партия «Nur Otan»", "Nur Otan Party"), "#0072B2"),
    ("ak_zhol", "Ak Zhol", ("Ақ жол", "Ак жол", "Ak Zhol"),
     ("Қазақстанның «Ақ жол» демократиялық партиясы", "Демократическая партия Казахстана «Ак жол»",
      "Ak Zhol Democratic Party of Kazakhstan"), "#F0E442"),
    ("qhp", "People's Party of Kazakhstan", ("Халық партиясы", "Народная партия", "People's Party"),
     ("Қазақстан Халық партиясы", "Народная партия Казахстана", "People's Party of Kazakhstan"), "#D55E00"),
    ("auyl", "Auyl", ("Ауыл", "Ауыл", "Auyl"),
     ("«Ауыл» халықтық-демократиялық патриоттық партиясы", "Народно-демократическая патриотическая партия «Ауыл»",
      "Auyl People's Democratic Patriotic Party"), "#E69F00"),
    ("adal", "Adal", ("Adal", "Adal", "Adal"), ("«Adal» партиясы", "Партия «Adal»", "Adal Party"), "#999999"),
)  # fmt: skip


def build_2021(src: Sources) -> Package:
    e = "mazhilis_2021"
    keys = tuple(p[0] for p in PARTIES_2021)
    parties = [
        {"key": k, "short": _names(*short), "names": _names(*names), "colour": colour}
        for k, _, short, names, colour in PARTIES_2021
    ]
    c = "mazhilis_party_list"
    seats = sum(n for _, n in SEATS_2021_SPLIT)
    contest = {"key": c, "body": "mazhilis", "kind": "party_list", "area": "kz", "seats": seats,
               "threshold_pct": 7.0, "against_all": False}
    notes = {
        "en": "Final national result of the Mazhilis party lists (Central Election Commission). The key 'amanat' is the party named Nur Otan on the day (renamed AMANAT in 2022), so that "
        "2021 and 2023 compare. The threshold was 7 % and the ballot had no 'against all' line (both "
        "changed in May 2021); the 98 party-list seats as the Commission published them. Not reported: invalid ballots, party votes by unit (Kyzylorda: shares only). Turnout by unit: the "
        "Commission's preliminary figures at 22:00 on the 17 units of the day. The maslikhat elections of "
        "the same day are not included.",
        "ru": "Окончательные итоги голосования по партийным спискам в Мажилис по стране (ЦИК). Ключ «amanat» — партия, называвшаяся в тот день Nur Otan (в 2022 году переименована в "
        "AMANAT), чтобы 2021 и 2023 годы можно было сравнить. Порог был 7 %, строки «против всех» в бюллетене "
        "не было (и то, и другое изменено в мае 2021 года); 98 мандатов по партийным спискам — как опубликовала ЦИК. "
        "В источниках нет: недействительных бюллетеней, голосов за партии по регионам "
        "(Кызылорда — только проценты). Явка по регионам — предварительные данные ЦИК на 22:00 по 17 "
        "регионам того времени. Выборы в маслихаты того же дня не включены.",
        "kk": "Мәжіліске партиялық тізімдер бойынша дауыс берудің ел бойынша түпкілікті қорытындысы (ОСК). «amanat» кілті — сол күні Nur Otan деп аталған партия (2022 жылы AMANAT "
        "болып өзгертілді), 2021 және 2023 жылдарды салыстыру үшін. Кедергі 7 % болды, бюллетеньде «бәріне қарсы» жолы "
        "болған жоқ (екеуі де 2021 жылғы мамырда өзгертілді); партиялық тізімдер бойынша 98 мандат — ОСК жариялағандай. "
        "Дереккөздерде жоқ: жарамсыз бюллетеньдер, өңірлер бойынша партиялардың дауыстары "
        "(Қызылорда — тек пайыздар). Өңірлер бойынша сайлаушылардың келуі — сол кездегі 17 өңір бойынша "
        "ОСК-ның 22:00-дегі алдын ала деректері. Сол күнгі мәслихат сайлауы енгізілмеген.",
    }
    pkg = Package(
        _election(
            "kz-2021-01-10",
            _names(
                "Парламент Мәжілісінің депутаттарын сайлау, 2021 жылғы 10 қаңтар",
                "Выборы депутатов Мажилиса Парламента, 10 января 2021 года",
                "Elections to the Mazhilis, 10 January 2021",
            ),
            UNITS_2022,
            [contest],
            notes,
            parties=parties,
        ),
        keys,
    )
    for key, subject, *_ in PARTIES_2021:
        f = src.fig(e, "Kazakhstan", subject, "votes")
        pct = src.fig(e, "Kazakhstan", subject, "pct")
        pkg.result(c, "kz", key, f, f"final; published {pct.value}%")
    reg = src.fig(e, "Kazakhstan", "_total", "registered")
    ballots = src.fig(e, "Kazakhstan", "_total", "ballots_issued")
    valid = src.fig(e, "Kazakhstan", "_total", "valid_votes")
    pkg.result(c, "kz", "registered", reg, "final")
    pkg.result(c, "kz", "took_part", ballots, "final: ballots issued, published as 63.25% of registered")
    pkg.not_reported(c, "kz", "invalid", valid.source_url,
                     f"not reported: the {valid.int:,} valid votes equal the sum of the five parties' votes; "
                     "ballots issued minus valid votes is not published as the invalid count, so it is not derived")  # fmt: skip
    pkg.not_reported(c, "kz", "against_all", AMENDMENTS_2021,
                     "empty, not missing: the 2021 ballot had no 'against all' line (contest against_all false)")  # fmt: skip
    pkg.source("election.json", AMENDMENTS_2021, contest=c, field="against_all",
               note=f"false: the January 2021 ballot had no 'against all' line; {AMENDMENTS_2021_NOTE}")  # fmt: skip
    pkg.source("election.json", AMENDMENTS_2021, contest=c, field="threshold_pct",
               note=f"7.0: the threshold of January 2021; {AMENDMENTS_2021_NOTE}")  # fmt: skip
    split = ", ".join(f"{k} {n}" for k, n in SEATS_2021_SPLIT)
    pkg.source("election.json", SEATS_2021, contest=c, field="seats",
               note=f"{seats}: the sum of the published split ({split}), announced by the commission's deputy "
               "chairman K. Petrov on 12 January 2021; final")  # fmt: skip
    for key, n in SEATS_2021_SPLIT:
        pkg.composition.append({"contest": c, "party": key, "seats": n})
        pkg.source("composition.csv", SEATS_2021, contest=c, field=key,
                   note=f"final: {n} seats as published («Распределение депутатских мандатов…»)")  # fmt: skip

    # Kyzylorda: registered and took part, and the parties' shares (no counts).
    k_reg = src.fig(e, "Kyzylorda", "_total", "registered")
    k_took = src.fig(e, "Kyzylorda", "_total", "took_part")
    stage = "regional result; the source does not say whether preliminary or final"
    pkg.result(c, "kyzylorda", "registered", k_reg, stage)
    pkg.result(c, "kyzylorda", "took_part", k_took, f"{stage}; {k_took.note}")
    shares = ", ".join(
        f"{subject} {src.fig(e, 'Kyzylorda', subject, 'pct').value}%" for _, subject, *_ in PARTIES_2021
    )
    for key, *_ in PARTIES_2021:
        pkg.not_reported(c, "kyzylorda", key, k_reg.source_url,
                         f"not reported as a count; the source publishes shares only: {shares}")  # fmt: skip
    pkg.conflict(c, "kyzylorda", "took_part", k_took.value, "'363 754 мың' (sic: 'thousand')", k_took.source_url,
                 "'мың' is a typo: 363,754 / 492,198 = 73.90% as printed")  # fmt: skip
    shym = src.fig(e, "Shymkent", "Nur Otan", "pct")
    pkg.source("results.csv", shym.source_url, contest=c, unit="shymkent", field="amanat",
               note=f"not reported as a count: Nur Otan {shym.value}% (article title); Auyl about 12% "
               "(rounded in the source); Zhambyl: Nur Otan 'nearly 80%' — shares, not used")  # fmt: skip
    _turnout_series(pkg, src, e, "turnout_pct_prelim_2200", "2021-01-10T22:00:00+06:00",
                    "CEC preliminary turnout (ballots issued / registered) at 22:00 Astana time, 17 units of the day")  # fmt: skip
    return pkg


# --------------------------------------------------------------------------- referendums


def _referendum_contest(key, question, constitutional, published_outcome=None, status=None) -> dict:
    doc = {"key": key, "body": "referendum", "kind": "referendum", "area": "kz", "question": question}
    if constitutional:  # false is the default and is not written
        doc["constitutional"] = True
    if published_outcome:
        doc["published_outcome"] = published_outcome
    if status:
        doc["status"] = status
    return doc


def _shares_only(pkg: Package, src: Sources, e: str, c: str, units: dict[str, str]) -> None:
    """Units whose yes/no were published as shares only: say so on their empty yes/no cells."""
    for unit, name in units.items():
        parts, url = [], ""
        for subject in ("yes", "no"):
            rows = [
                r
                for r in src.rows
                if (r["election"], r["unit"], r["subject"], r["metric"]) == (e, name, subject, "pct")
            ]
            if rows:
                parts.append(f"{subject} {rows[0]['value']}%")
                url = " ; ".join(dict.fromkeys(r["source_url"] for r in rows))
        text = ", ".join(parts)
        for subject in ("yes", "no"):
            pkg.not_reported(c, unit, subject, url,
                             f"not reported as a count; published as shares of those who took part only "
                             f"(CEC preliminary): {text}")  # fmt: skip


def _referendum_national(pkg, src, e, c, *, url="", stage="final", extra_slot=None) -> None:
    """The national row of a referendum: registered, took part, invalid, yes, no — and the ballots no column holds."""
    reg = src.fig(e, "Kazakhstan", "_total", "registered", url)
    took = src.fig(e, "Kazakhstan", "_total", "took_part", url)
    pkg.result(c, "kz", "registered", reg, stage)
    pkg.result(c, "kz", "took_part", took, stage)
    for subject in ("yes", "no"):
        f = src.fig(e, "Kazakhstan", subject, "votes", url)
        pct = src.fig(e, "Kazakhstan", subject, "pct")
        pkg.result(c, "kz", subject, f, f"{stage}; published {pct.value}% of those who took part")
    if extra_slot:
        metric, what = extra_slot
        f = src.fig(e, "Kazakhstan", "_total", metric)
        pkg.source("results.csv", f.source_url, contest=c, unit="kz", field="took_part",
                   note=f"{f.int:,} {what}: no column of the format holds them, so yes + no + invalid is less "
                   "than took part by exactly this number")  # fmt: skip


def build_2022_referendum(src: Sources) -> Package:
    e = "referendum_2022_constitution"
    c = "constitutional_amendments"
    ozodi = src.fig(e, "Kazakhstan", "yes", "votes_prelim")
    question = _names(
        "Қазақстан Республикасының Конституциясына өзгерістер мен толықтырулар",
        "Изменения и дополнения в Конституцию Республики Казахстан",
        "Amendments and additions to the Constitution of the Republic of Kazakhstan",
    )
    notes = {
        "en": "Final national result (Central Referendum Commission, as published by abai.kz and the "
        "Wikipedia infobox). 125,859 ballots had both answers marked: valid but counted for neither. By unit "
        "only shares of yes and no were published, for 5 of the 17 units of the day, so the rule of a yes "
        "majority in two-thirds of the units cannot be computed: the Commission's statement that yes had a "
        "majority in every one of the 17 units is shown as published. Turnout by unit: preliminary, 22:00.",
        "ru": "Окончательные итоги по стране (Центральная референдумная комиссия, по публикации abai.kz и "
        "карточке Википедии). В 125 859 бюллетенях отмечены оба ответа: они действительны, но не учтены ни "
        "за один ответ. По регионам опубликованы только доли «за» и «против», для 5 из 17 регионов того "
        "времени, поэтому правило большинства «за» в двух третях регионов нельзя проверить расчётом: "
        "заявление комиссии о большинстве «за» в каждом из 17 регионов показано как опубликованное. Явка по "
        "регионам — предварительная, на 22:00.",
        "kk": "Ел бойынша түпкілікті қорытынды (Орталық референдум комиссиясы, abai.kz жарияланымы және "
        "Уикипедия карточкасы бойынша). 125 859 бюллетеньде екі жауап та белгіленген: олар жарамды, бірақ "
        "ешбір жауапқа есептелмеген. Өңірлер бойынша «иә» және «жоқ» үлестері ғана, сол кездегі 17 өңірдің "
        "5-еуі үшін жарияланған, сондықтан өңірлердің үштен екісінде «иә» көпшілігі ережесін есептеу мүмкін "
        "емес: комиссияның 17 өңірдің әрқайсысында «иә» көпшілік болды деген мәлімдемесі жарияланғандай "
        "көрсетіледі. Өңірлер бойынша сайлаушылардың келуі — алдын ала, 22:00.",
    }
    outcome = {"units_with_yes_majority": 17}
    pkg = Package(
        _election(
            "kz-2022-06-05",
            _names(
                "Конституцияға өзгерістер енгізу жөніндегі республикалық референдум, 2022 жылғы 5 маусым",
                "Республиканский референдум по поправкам в Конституцию, 5 июня 2022 года",
                "Referendum on amendments to the Constitution, 5 June 2022",
            ),
            UNITS_2022,
            [_referendum_contest(c, question, True, outcome)],
            notes,
        ),
        ("yes", "no"),
    )
    _referendum_national(
        pkg, src, e, c, extra_slot=("both_marked_not_counted", "ballots with both answers marked")
    )
    inv = src.fig(e, "Kazakhstan", "_total", "invalid")
    pkg.result(
        c,
        "kz",
        "invalid",
        inv,
        f"final; published {src.fig(e, 'Kazakhstan', '_total', 'invalid_pct').value}%",
    )
    pkg.source("election.json", ozodi.source_url, contest=c, field="published_outcome.units_with_yes_majority",
               note=f"CEC preliminary, 6 June 2022: «{ozodi.quote}»")  # fmt: skip
    pkg.source("election.json", inv.source_url, contest=c, field="question",
               note=f"{DESCRIBED}; the source reports support for «introducing amendments and additions to the Constitution»")  # fmt: skip
    prelim = {
        "yes": (src.fig(e, "Kazakhstan", "yes", "votes").value, "6163863 (CEC preliminary, 6 June)", ozodi.source_url),
        "no": (src.fig(e, "Kazakhstan", "no", "votes").value, "1490475 (CEC preliminary)", "CEC information message (no URL)"),
    }  # fmt: skip
    for subject, (used, other, url) in prelim.items():
        pkg.conflict(c, "kz", subject, used, other, f"https://en.wikipedia.org/wiki/2022_Kazakh_constitutional_referendum ; {url}",
                     "preliminary vs final: the final figure is used")  # fmt: skip
    took_pre = src.fig(e, "Kazakhstan", "_total", "took_part_prelim")
    pkg.conflict(c, "kz", "took_part", src.fig(e, "Kazakhstan", "_total", "took_part").value,
                 f"{took_pre.value} (preliminary, 68.06%)", f"https://abai.kz/tt/post/153057 ; {took_pre.source_url}",
                 "preliminary vs final: the final figure is used")  # fmt: skip

    # Almaty city: registered and took part (preliminary).
    for column, metric in (("registered", "registered"), ("took_part", "took_part")):
        f = src.fig(e, "Almaty city", "_total", metric)
        pkg.result(c, "almaty", column, f, "CEC preliminary")
    _shares_only(pkg, src, e, c, {"aktobe": "Aktobe", "almaty": "Almaty city", "atyrau": "Atyrau",
                                  "mangystau": "Mangystau", "west_kazakhstan": "West Kazakhstan",
                                  "kostanay": "Kostanay"})  # fmt: skip
    others = src.fig(e, "_other_regions", "yes", "pct_min")
    pkg.source("results.csv", others.source_url, contest=c, field="yes",
               note=f"the other units: 'more than 75%' yes (qualitative, not used): «{others.quote}»")  # fmt: skip

    # Turnout: the 22:00 preliminary report for all 17 units; Shymkent's 20:00 counts.
    shym_reg = src.fig(e, "Shymkent", "_total", "registered")
    shym_20 = src.fig(e, "Shymkent", "_total", "ballots_issued_2000")
    pkg.turnout.append(dict(time="2022-06-05T20:00:00+06:00", unit="shymkent", registered=shym_reg.int,
                            took_part=shym_20.int, turnout_pct=None))  # fmt: skip
    for column, f in (("registered", shym_reg), ("took_part", shym_20)):
        pkg.source("turnout.csv", f.source_url, time="2022-06-05T20:00:00+06:00", unit="shymkent", field=column,
                   note="city referendum commission at 20:00: ballots issued / voters on the list")  # fmt: skip
    _turnout_series(pkg, src, e, "turnout_pct_prelim_2200", "2022-06-05T22:00:00+06:00",
                    "CEC preliminary turnout (ballots issued / registered) at 22:00 Astana time, 17 units of the day")  # fmt: skip
    _final_turnout_not_in_series(pkg, src, e, c, "turnout_pct_prelim_2200", "22:00")
    return pkg


def _final_turnout_not_in_series(pkg: Package, src: Sources, e: str, c: str, evening: str, hour: str) -> None:
    """A unit's final turnout (took part) published below its evening figure (ballots issued).

    Two measures, not a contradiction; the turnout series may not go down, so the evening report (complete
    for every unit) stays in turnout.csv and the final figure is recorded here with its source.
    """
    evening_figs = dict(src.all(e, evening))
    for unit, fig in src.all(e, "turnout_pct"):
        if unit == "kz":
            continue
        late = evening_figs[unit]
        pkg.conflict(c, unit, "turnout_pct", f"{late.value} ({hour}, ballots issued; turnout.csv)",
                     f"{fig.value} (final result, took part: not in turnout.csv)",
                     f"{late.source_url} ; {fig.source_url}",
                     "different measures: ballots issued at the evening report vs took part in the result; "
                     "the series of a unit may not go down, so the complete evening report is kept")  # fmt: skip


def build_2022_president(src: Sources) -> Package:
    e = "president_2022"
    cands = (
        ("tokayev", ("Қасым-Жомарт Тоқаев", "Касым-Жомарт Токаев", "Kassym-Jomart Tokayev"), "Tokayev", None),
        ("dairabayev", ("Жиғули Дайрабаев", "Жигули Дайрабаев", "Zhiguli Dairabayev"), "Dairabayev (Auyl)",
         ("«Ауыл» партиясы", "Партия «Ауыл»", "Auyl Party")),
        ("abden", ("Қарақат Әбден", "Каракат Абден", "Karakat Abden"), "Abden", None),
        ("kazhyken", ("Мейрам Қажыкен", "Мейрам Кажыкен", "Meiram Kazhyken"), "Kazhyken", None),
        ("auesbayev", ("Нұрлан Әуесбаев", "Нурлан Ауесбаев", "Nurlan Auesbayev"), "Auesbayev (OSDP)",
         ("Жалпыұлттық социал-демократиялық партия", "Общенациональная социал-демократическая партия",
          "Nationwide Social Democratic Party")),
        ("tursynbekova", ("Салтанат Тұрсынбекова", "Салтанат Турсынбекова", "Saltanat Tursynbekova"),
         "Tursynbekova", None),
    )  # fmt: skip
    keys = tuple(k for k, *_ in cands)
    c = "president"
    notes = {
        "en": "National result: the Central Election Commission's preliminary figures (Kommersant); the "
        "final result changed Tokayev's votes by one (used). The ballot "
        "had an 'against all' line. Not reported: invalid ballots and results by unit. Turnout by unit: "
        "the Commission's preliminary figures at 22:00 on the 20 units since June 2022.",
        "ru": "Итоги по стране — предварительные данные ЦИК (Коммерсантъ); окончательные итоги "
        "изменили число голосов за Токаева на один (используются). В бюллетене была строка «против всех». "
        "Не опубликованы: недействительные бюллетени и результаты по регионам. Явка по регионам — "
        "предварительные данные ЦИК на 22:00 по 20 регионам, существующим с июня 2022 года.",
        "kk": "Ел бойынша қорытынды — ОСК-ның алдын ала деректері (Коммерсантъ); түпкілікті "
        "қорытынды Тоқаевтың дауыстарын бірге өзгертті (қолданылады). Бюллетеньде «бәріне қарсы» жолы "
        "болды. Жарияланбаған: жарамсыз бюллетеньдер және өңірлер бойынша нәтижелер. Өңірлер бойынша "
        "сайлаушылардың келуі — 2022 жылғы маусымнан бергі 20 өңір бойынша ОСК-ның 22:00-дегі алдын ала "
        "деректері.",
    }
    pkg = Package(
        _election(
            "kz-2022-11-20",
            _names(
                "Қазақстан Республикасы Президентінің сайлауы, 2022 жылғы 20 қараша",
                "Выборы Президента Республики Казахстан, 20 ноября 2022 года",
                "Presidential election, 20 November 2022",
            ),
            UNITS_2023,
            [_presidential_contest(keys)],
            notes,
            candidates=[
                _candidate(k, _names(*n), PALETTE[i], _names(*nom) if nom else None)
                for i, (k, n, _, nom) in enumerate(cands)
            ],
        ),
        keys,
    )
    for key, _, subject, _ in cands:
        f = src.fig(e, "Kazakhstan", subject, "votes")
        pct = src.fig(e, "Kazakhstan", subject, "pct")
        pkg.result(
            c,
            "kz",
            key,
            f,
            f"preliminary; published {pct.value}% of the valid votes (candidates and against all)",
        )
        pkg.source("election.json", f.source_url, contest=c, field=f"candidates.{key}",
                   note=f"candidate as listed in the source: «{f.quote}»")  # fmt: skip
    # Tokayev: the final result differs from the preliminary by one vote (a row of conflicts.csv); used.
    final = src.conflict("President 2022 national", "Tokayev votes")
    final_votes, final_url = int(final["value_b"].split()[0]), final["source_b"].split(" ; ")[0]
    prelim_votes = pkg.row(c, "kz")["tokayev"]
    pkg.row(c, "kz")["tokayev"] = final_votes
    pkg.source("results.csv", final_url, contest=c, unit="kz", field="tokayev",
               note=f"final result: {final_votes:,}; preliminary: {prelim_votes:,} ({final['source_a']})")  # fmt: skip
    pkg.conflict(c, "kz", "tokayev", f"{final_votes} (final)", f"{prelim_votes} (preliminary)",
                 f"{final['source_b']} ; {final['source_a']}",
                 "1-vote difference between the preliminary and the final result: the final is used")  # fmt: skip
    aa = src.fig(e, "Kazakhstan", "Against all", "votes")
    pkg.result(c, "kz", "against_all", aa, "preliminary; published 5.8% of the valid votes")
    pkg.conflict(c, "kz", "against_all", aa.value, "480484",
                 "kommersant.ru ; https://telegraf.news/world-news/tokaev-lidiruet-na-vyborah-v-kazahstane-ekzit-polly/",
                 "460,484 = 5.80% of the 7,940,477 valid votes; 480,484 is a typo")  # fmt: skip
    reg = src.fig(e, "Kazakhstan", "_total", "registered")
    took = src.fig(e, "Kazakhstan", "_total", "ballots_issued")
    pkg.result(c, "kz", "registered", reg, "preliminary: the updated voter lists")
    pkg.result(c, "kz", "took_part", took, "preliminary: voters who took part, published with turnout 69.44%")
    pkg.not_reported(c, "kz", "invalid", took.source_url,
                     "not reported: took part minus valid votes is not published as the invalid count, so it is not derived")  # fmt: skip
    _turnout_series(pkg, src, e, "turnout_pct_prelim_2200", "2022-11-20T22:00:00+06:00",
                    "CEC preliminary turnout (ballots issued / registered) at 22:00 Astana time")  # fmt: skip
    pkg.conflict(c, "astana", "turnout_pct", "48.6 (22:00)", "48.67 (20:00)",
                 "https://informburo.kz./kaz/newskaz/prezident-sajlauy-khazakhstanda-dauys-beru-ayakhtaldy ; "
                 "https://www.adyrna.kz/post/138515",
                 "the later figure is lower: one is a typo; the 22:00 figure is kept, the 20:00 one left out")  # fmt: skip
    return pkg


def build_2024(src: Sources) -> Package:
    e = "referendum_2024_npp"
    c = "nuclear_power_plant"
    question = _names(
        "Қазақстанда атом электр станциясын салу",
        "Строительство атомной электростанции в Казахстане",
        "Construction of a nuclear power plant in Kazakhstan",
    )
    notes = {
        "en": "National result of the Central Referendum Commission (preliminary of 7 October 2024; the final "
        "result repeats the same figures). 82,729 ballots had both answers marked: valid but counted for "
        "neither. Yes and no by unit were published for Turkistan and Almaty Region only (preliminary). "
        "Turnout by unit: preliminary, 20:00 (UTC+5).",
        "ru": "Итоги по стране Центральной референдумной комиссии (предварительные от 7 октября 2024 года; "
        "окончательные повторяют те же цифры). В 82 729 бюллетенях отмечены оба ответа: они действительны, "
        "но не учтены ни за один ответ. Голоса «за» и «против» по регионам опубликованы только для "
        "Туркестанской и Алматинской областей (предварительные). Явка по регионам — предварительная, на "
        "20:00 (UTC+5).",
        "kk": "Орталық референдум комиссиясының ел бойынша қорытындысы (2024 жылғы 7 қазандағы алдын ала; "
        "түпкілікті қорытынды сол сандарды қайталайды). 82 729 бюллетеньде екі жауап та белгіленген: олар "
        "жарамды, бірақ ешбір жауапқа есептелмеген. Өңірлер бойынша «иә» және «жоқ» дауыстары тек Түркістан "
        "және Алматы облыстары үшін жарияланған (алдын ала). Өңірлер бойынша сайлаушылардың келуі — алдын "
        "ала, 20:00 (UTC+5).",
    }
    pkg = Package(
        _election(
            "kz-2024-10-06",
            _names(
                "Атом электр станциясын салу туралы республикалық референдум, 2024 жылғы 6 қазан",
                "Республиканский референдум о строительстве атомной электростанции, 6 октября 2024 года",
                "Referendum on building a nuclear power plant, 6 October 2024",
            ),
            UNITS_2023,
            [_referendum_contest(c, question, False)],
            notes,
        ),
        ("yes", "no"),
    )
    _referendum_national(pkg, src, e, c, url="astanatimes.com/2024/10/nuclear",
                         stage="final (the preliminary result of 7 October, repeated by the final result)",
                         extra_slot=("both_marked_not_counted", "ballots with both answers marked"))  # fmt: skip
    inv = src.fig(e, "Kazakhstan", "_total", "invalid")
    pkg.result(c, "kz", "invalid", inv, "final")
    pkg.source("election.json", inv.source_url, contest=c, field="question",
               note=f"{DESCRIBED}; the source: «voted in favor of the construction»")  # fmt: skip
    for unit, name in (("turkistan", "Turkistan"), ("almaty_region", "Almaty region")):
        for subject in ("yes", "no"):
            f = src.fig(e, name, subject, "votes", "astanatimes.com")
            pkg.result(c, unit, subject, f, "CEC preliminary")
    t = src.fig(e, "Turkistan", "_total", "took_part")
    pkg.result(c, "turkistan", "took_part", t, "CEC preliminary (Azattyq, Kazakh service)")
    for unit in ("turkistan", "almaty_region"):
        pkg.not_reported(c, unit, "registered", t.source_url, "not reported")
    pkg.source("results.csv", "", field="registered",
               note="registered voters published before or on the morning of the vote (Akmola 513,254; "
               "Pavlodar 505,673; Shymkent 660,563; Almaty city about 1.2 million) are not results of the "
               "vote and are not used")  # fmt: skip
    _shares_only(pkg, src, e, c, {"almaty": "Almaty city", "kostanay": "Kostanay"})
    pkg.conflict(c, "kz", "no", "2045271", "2045371",
                 "astanatimes.com ; azattyq.org ; fakti.bg ; bes.media", "2,045,271 closes the national sum exactly: bes.media typo")  # fmt: skip
    pkg.conflict(c, "almaty", "yes/no/took_part", "not used", "174000 / 125000 / 318000 (rounded)",
                 "https://bes.media./news/predvaritelnie-itogi-referenduma-almatintsi-za-stroitelstvo-aes-v-kazahstane-b6750c",
                 "rounded in the source: not exact figures, left out")  # fmt: skip
    _turnout_series(pkg, src, e, "turnout_pct_prelim_2000", "2024-10-06T20:00:00+05:00",
                    "CEC preliminary turnout (ballots issued / registered) at 20:00 (UTC+5)")  # fmt: skip
    pkg.conflict(c, "aktobe", "turnout_pct", "75.15 (20:00)", "75.11 (20:00)",
                 "informburo.kz ; inalmaty.kz ; NUR.KZ reprint ; rydnyimedia.kz",
                 "unresolved: two CEC-quoting sources each way; 75.15 is kept")  # fmt: skip
    _final_turnout_not_in_series(pkg, src, e, c, "turnout_pct_prelim_2000", "20:00")
    return pkg


def build_2026(src: Sources) -> Package:
    e = "referendum_2026_new_constitution"
    c = "new_constitution"
    question = _names(
        "Сіз жобасы 2026 жылғы 12 ақпанда бұқаралық ақпарат құралдарында жарияланған Қазақстан "
        "Республикасының жаңа Конституциясын қабылдайсыз ба?",
        "Принимаете ли Вы новую Конституцию Республики Казахстан, проект которой опубликован в средствах "
        "массовой информации 12 февраля 2026 года?",
        "Do you accept the new Constitution of the Republic of Kazakhstan, the draft of which was published in "
        "the media on 12 February 2026?",
    )
    majority = src.fig(e, "Kazakhstan", "yes", "units_with_yes_majority")
    outcome = {"valid": True, "adopted": True, "units_with_yes_majority": 20}
    notes = {
        "en": "Preliminary national result of the Central Referendum Commission (16 March 2026). 127,868 "
        "ballots were reported as 'of an unestablished form' (the slot of both-marked ballots in 2022 and "
        "2024): valid for neither answer. Yes and no by unit were not published; the Commission's chair "
        "stated on 17 March that the Constitution was adopted with a yes majority in every one of the 20 "
        "units: shown as published. Turnout by unit: 18:00 (all 20) and 20:00 (16 of 20), UTC+5.",
        "ru": "Предварительные итоги по стране Центральной референдумной комиссии (16 марта 2026 года). "
        "127 868 бюллетеней названы «бюллетенями неустановленного образца» (в 2022 и 2024 годах на этом "
        "месте были бюллетени с двумя отметками): не учтены ни за один ответ. Голоса «за» и «против» по "
        "регионам не опубликованы; председатель комиссии 17 марта заявил, что Конституция принята и "
        "большинство «за» было в каждом из 20 регионов: показано как опубликованное. Явка по регионам — на "
        "18:00 (все 20) и 20:00 (16 из 20), UTC+5.",
        "kk": "Орталық референдум комиссиясының ел бойынша алдын ала қорытындысы (2026 жылғы 16 наурыз). "
        "127 868 бюллетень «белгіленбеген үлгідегі бюллетеньдер» деп аталды (2022 және 2024 жылдары бұл "
        "орында екі белгісі бар бюллетеньдер болған): ешбір жауапқа есептелмеген. Өңірлер бойынша «иә» және "
        "«жоқ» дауыстары жарияланбаған; комиссия төрағасы 17 наурызда Конституция қабылданды және 20 "
        "өңірдің әрқайсысында «иә» көпшілік болды деп мәлімдеді: жарияланғандай көрсетіледі. Өңірлер "
        "бойынша сайлаушылардың келуі — 18:00 (20-сы да) және 20:00 (20-ның 16-сы), UTC+5.",
    }
    pkg = Package(
        _election(
            "kz-2026-03-15",
            _names(
                "Жаңа Конституция жөніндегі республикалық референдум, 2026 жылғы 15 наурыз",
                "Республиканский референдум по новой Конституции, 15 марта 2026 года",
                "Referendum on a new Constitution, 15 March 2026",
            ),
            UNITS_2023,
            [_referendum_contest(c, question, True, outcome, status="preliminary")],
            notes,
        ),
        ("yes", "no"),
    )
    _referendum_national(pkg, src, e, c, stage="preliminary (16 March 2026)",
                         extra_slot=("ballots_unestablished_form", "ballots 'of an unestablished form' (as worded by the source)"))  # fmt: skip
    inv = src.fig(e, "Kazakhstan", "_total", "invalid_spoiled")
    pkg.result(c, "kz", "invalid", inv, "preliminary: 'spoiled' ballots")
    for what in ("published_outcome.adopted", "published_outcome.units_with_yes_majority"):
        pkg.source("election.json", majority.source_url, contest=c, field=what,
                   note=f"CEC chair Abdirov, 17 March 2026: the Constitution is adopted; «{majority.quote}»")  # fmt: skip
    pkg.source("election.json", "https://www.interfax.ru/world/1072243", contest=c, field="question",
               note="ru: the wording set by the decree of 11 February 2026 (sources/history/next_votes.md); "
               "kk and en: the project's translation, to be checked against the official kk text")  # fmt: skip
    pkg.source("election.json", majority.source_url, contest=c, field="published_outcome.valid",
               note="the Commission declared the referendum held; 9,127,192 of 12,482,613 took part (73.12%)")  # fmt: skip
    no_pct = src.fig(e, "Kazakhstan", "no", "pct")
    pkg.conflict(c, "kz", "no", "898099", f"{no_pct.value}% printed (recomputed 9.84%)",
                 f"{no_pct.source_url} ; karaganda24.kz", "rounding: 898,099 / 9,127,192 = 9.8398%; the count is used")  # fmt: skip
    _turnout_series(pkg, src, e, "turnout_pct_1800", "2026-03-15T18:00:00+05:00",
                    "CEC turnout (ballots issued / registered) at 18:00 (UTC+5)")  # fmt: skip
    _turnout_series(pkg, src, e, "turnout_pct_prelim_2000", "2026-03-15T20:00:00+05:00",
                    "CEC turnout (ballots issued / listed) at 20:00 (UTC+5); Mangystau, Pavlodar, North "
                    "Kazakhstan, Ulytau not reported")  # fmt: skip
    kz_2030 = src.fig(e, "Kazakhstan", "_total", "turnout_pct_prelim_2030")
    pkg.turnout_pct("2026-03-15T20:30:00+05:00", "kz", kz_2030, "CEC preliminary turnout at 20:30 (UTC+5)")
    pkg.conflict(c, "abai", "turnout_pct", "73.84 (18:00)", "Zhetysu also 73.84 in the same list",
                 "https://sn.kz/sn-akparat-agyny/134036-referendumda-8-8-millionnan-asta",
                 "two units with the same figure in one list: possibly a copying error; kept as printed")  # fmt: skip
    pkg.conflict(c, "kz", "turnout_pct", "73.24 (20:30, ballots issued; turnout.csv)",
                 "73.12 (result: took part / registered, from results.csv)",
                 f"{kz_2030.source_url} ; {src.fig(e, 'Kazakhstan', '_total', 'turnout_pct').source_url}",
                 "different measures: 9,126,850 ballots issued at 20:30 vs 9,127,192 took part of a larger "
                 "final list (12,482,613); both kept, labelled")  # fmt: skip
    return pkg


BUILDERS = (build_2019, build_2021, build_2022_referendum, build_2022_president, build_2024, build_2026)


# --------------------------------------------------------------------------- writing


def _csv_text(rows: list[dict], columns) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow(["" if r.get(c) is None else r[c] for c in columns])
    return buf.getvalue()


def _turnout_order(pkg: Package) -> list[dict]:
    """Reports in time order; within a time, the national figure first, then the set's registry order."""
    order = {k: i for i, k in enumerate(["kz", *boundary_set(pkg.election["boundaries"]).unit_keys()])}
    return sorted(pkg.turnout, key=lambda r: (r["time"], order[r["unit"]]))


def package_files(pkg: Package) -> dict[str, str]:
    """The package's files as text, in the canonical form (UTF-8, comma, plain integers, `.` decimals)."""
    files = {"election.json": json.dumps(pkg.election, ensure_ascii=False, indent=1) + "\n"}
    files["results.csv"] = _csv_text(pkg.results, RESULT_BASE + pkg.option_columns)
    if pkg.composition:
        files["composition.csv"] = _csv_text(pkg.composition, ("contest", "party", "seats"))
    if pkg.turnout:
        files["turnout.csv"] = _csv_text(_turnout_order(pkg), TURNOUT_COLUMNS)
    files["sources.csv"] = _csv_text(pkg.sources, SOURCE_COLUMNS)
    return files


def build_all(src: Sources | None = None) -> list[Package]:
    src = src or Sources()
    return [build(src) for build in BUILDERS]


def write_all(out: Path, conflicts_out: Path | None = None) -> list[Path]:
    """Write the packages into ``out`` and the conflicts to ``conflicts_out`` (default: in docs/ (sources/history/conflicts*.csv are inputs)
    when writing to dashboard/data/, else ``out/conflicts.csv``)."""
    out = Path(out)
    if conflicts_out is None:
        conflicts_out = CONFLICTS_OUT if out.resolve() == OUT.resolve() else out / "conflicts.csv"
    packages = build_all()
    written = []
    for pkg in packages:
        folder = out / pkg.id
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in package_files(pkg).items():
            (folder / name).write_text(text, encoding="utf-8")
        written.append(folder)
    conflicts = [c for pkg in packages for c in pkg.conflicts]
    conflicts_out.write_text(_csv_text(conflicts, CONFLICT_COLUMNS), encoding="utf-8")
    written.append(conflicts_out)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)
    for path in write_all(Path(args.out)):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
