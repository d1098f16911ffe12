"""Simulated nights of every kind of Kazakh vote: a Kurultai, a presidential election, a referendum.

``python -m dashboard simulate --kind KIND OUT`` writes one as a package (``mazhilis``, the default, is
the 2023-shaped election of ``simulate.py``, byte for byte as before). Every kind is drawn on the same
polling stations for the same seed (``simulate.simulate_geography``): the 20 regions' electorates and
turnout, cities low and the south high. What is voted on differs:

- ``kurultai``: one nationwide party list, ``kurultai_party_list``, 145 seats, the parties of 2023. Its
  ``threshold_pct`` (5.0) is a **rehearsal value**, and the notes say so: the Kurultai's threshold was
  not found in the sources.
- ``presidential``: contest ``president`` with 5–7 invented candidates (keys ``alpha``, ``beta``, …; no
  real person), votes against all. The leader (Alpha) gets exactly ``--leader-pct`` % of the voters who
  took part nationally (rounded to a whole vote): at 48 % nobody has more than half and a second round
  follows; strongholds make other candidates lead some regions.
- ``referendum``: one constitutional question, contest ``referendum_1``, columns ``yes`` and ``no``
  (a referendum ballot has no "against all": that column stays empty). ``--yes-pct`` sets the national
  yes share of those who took part exactly (to a whole vote); ``--yes-units K`` makes exactly K of the 20
  regions and cities have a yes majority (yes > half of those who took part there, so also yes > no),
  the others a no majority — e.g. ``--yes-pct 61 --yes-units 12``: 61 % yes but too few units for a
  constitutional change (14 of 20 needed). Without it the units fall as the regions' swings put them.

The new kinds have no ``abroad`` row (their stations all lie in the 20 units a referendum's rule counts)
and no single-mandate contests, so no ``districts.csv``. Their dates are rehearsal dates (the Kurultai's
is the date reported for its first election), on the clock of the whole country since 1 March 2024,
UTC+5. Regional variation: each region's shares are the national ones times its strongholds and a
seed-fixed wobble, rescaled so that the regions, weighted by their voters, average to the national
shares; stations scatter around their region (a Dirichlet-multinomial). The same kind, seed and
stations always give byte-identical files. Ids: ``sim-<kind>-<seed>-<stations>``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dashboard.model import FINAL, RESULT_BASE_COLUMNS, STATION_COLUMNS, TURNOUT_COLUMNS
from dashboard.regions import region_keys
from dashboard.rehearsal.draws import draw_votes, turnout_reports
from dashboard.rehearsal.nights import (
    PREVIOUS_SUFFIX,
    check_order,
    previous_date,
    previous_names,
    previous_results,
    previous_turnout,
)
from dashboard.rehearsal.simulate import (
    BASE_SHARES,
    NOTES,
    PARTY_KEYS,
    Geography,
    _allocate_exact,
    _parties,
    counting_order,
    parse_plant,
    simulate_geography,
    station_list,
    write_simulated,
    zip_bytes,
)

KINDS = ("kurultai", "mazhilis", "presidential", "referendum")
UTC_OFFSET = "+05:00"  # one time zone for the whole country from 1 March 2024 (docs/format.md)
DATES = {"kurultai": "2026-08-23", "presidential": "2029-03-18", "referendum": "2027-10-03"}
#: Each kind's turnout against a party-list election's, in every region (a referendum or a president
#: draws more voters), and the highest mean turnout of a region.
TURNOUT_SHIFT = {"kurultai": 0.0, "presidential": 0.12, "referendum": 0.10}
TURNOUT_MAX = 0.93
INVALID_SHARE = 0.012
AGAINST_ALL_SHARE = 0.03

KURULTAI_SEATS = 145
KURULTAI_THRESHOLD = 5.0
#: Regions where a party is much stronger or weaker than nationally (multipliers of its national share).
KURULTAI_STRONGHOLDS = {
    "almaty": {"respublica": 3.6, "ak_zhol": 1.5, "osdp": 1.6, "amanat": 0.45},
    "astana": {"respublica": 1.6, "ak_zhol": 1.4, "amanat": 0.8},
    "north_kazakhstan": {"qhp": 5.0, "amanat": 0.5},
    "kyzylorda": {"auyl": 3.8, "amanat": 0.6},
    "mangystau": {"ak_zhol": 4.2, "osdp": 1.5, "amanat": 0.5},
    "turkistan": {"amanat": 1.25},
}

#: Invented candidates (Greek letters as surnames: nobody real), in ballot order, with Okabe–Ito colours.
CANDIDATES = (
    ("alpha", "Alpha", "Альфа", "#0072B2"),
    ("beta", "Beta", "Бета", "#D55E00"),
    ("gamma", "Gamma", "Гамма", "#009E73"),
    ("delta", "Delta", "Дельта", "#CC79A7"),
    ("epsilon", "Epsilon", "Эпсилон", "#E69F00"),
    ("zeta", "Zeta", "Дзета", "#56B4E9"),
    ("eta", "Eta", "Эта", "#882255"),
)
#: How the votes that are not Alpha's nor invalid nor against all split among the others, in order.
RIVAL_WEIGHTS = np.array([0.45, 0.22, 0.14, 0.09, 0.06, 0.04])
PRESIDENTIAL_STRONGHOLDS = {
    "almaty": {"beta": 1.9, "alpha": 0.8}, "astana": {"beta": 1.4},
    "north_kazakhstan": {"beta": 2.0, "alpha": 0.8}, "kostanay": {"beta": 1.8}, "pavlodar": {"beta": 1.6},
    "mangystau": {"gamma": 3.6, "alpha": 0.6}, "atyrau": {"gamma": 2.0}, "west_kazakhstan": {"gamma": 1.6},
    "east_kazakhstan": {"delta": 2.4}, "abai": {"delta": 2.0}, "karaganda": {"delta": 1.5},
    "turkistan": {"alpha": 1.3}, "kyzylorda": {"alpha": 1.25}, "zhambyl": {"alpha": 1.2},
    "shymkent": {"alpha": 1.2},
}

REFERENDUM_KEY = "referendum_1"
#: Each region's lean on the question, in log-odds of yes against the national figure.
REFERENDUM_SWING = {
    "turkistan": 0.7, "kyzylorda": 0.6, "zhambyl": 0.5, "shymkent": 0.45, "almaty_region": 0.35,
    "zhetysu": 0.3, "ulytau": 0.25, "atyrau": 0.2, "mangystau": 0.1, "aktobe": 0.1, "abai": 0.0,
    "west_kazakhstan": 0.0, "akmola": -0.15, "astana": -0.2, "east_kazakhstan": -0.3, "karaganda": -0.35,
    "pavlodar": -0.45, "kostanay": -0.5, "north_kazakhstan": -0.55, "almaty": -0.7,
}
#: Where a unit's yes share is put: a no majority at most 47 %, a yes majority between 52 and 93 %.
NO_RANGE, YES_RANGE = (0.20, 0.47), (0.52, 0.93)

NAMES = {
    "kurultai": {
        "en": "SIMULATED — rehearsal data: election of the deputies of the Kurultai",
        "ru": "СИМУЛЯЦИЯ — репетиционные данные: выборы депутатов Курултая",
        "kk": "СИМУЛЯЦИЯ — жаттығу деректері: Құрылтай депутаттарының сайлауы",
    },
    "presidential": {
        "en": "SIMULATED — rehearsal data: presidential election",
        "ru": "СИМУЛЯЦИЯ — репетиционные данные: выборы Президента",
        "kk": "СИМУЛЯЦИЯ — жаттығу деректері: Президент сайлауы",
    },
    "referendum": {
        "en": "SIMULATED — rehearsal data: republican referendum",
        "ru": "СИМУЛЯЦИЯ — репетиционные данные: республиканский референдум",
        "kk": "СИМУЛЯЦИЯ — жаттығу деректері: республикалық референдум",
    },
}
DATE_NOTE = {
    "en": "The date is a rehearsal date.",
    "ru": "Дата — репетиционная.",
    "kk": "Күні — жаттығу күні.",
}
KIND_NOTES = {
    "kurultai": {
        "en": "The 5 % threshold of this package is a rehearsal value: the Kurultai's threshold was not "
              "found in the sources.",
        "ru": "Барьер 5 % в этом пакете — репетиционное значение: барьер для Курултая в источниках не найден.",
        "kk": "Бұл пакеттегі 5 % межесі — жаттығу мәні: Құрылтайға өту межесі дереккөздерден табылмады.",
    },
    "presidential": {
        "en": "The candidates (Alpha, Beta, …) are invented; no real person is meant.",
        "ru": "Кандидаты (Альфа, Бета, …) выдуманы; реальные люди не имеются в виду.",
        "kk": "Кандидаттар (Альфа, Бета, …) ойдан шығарылған; нақты адамдар меңзелмейді.",
    },
    "referendum": {
        "en": "The question is invented for the rehearsal.",
        "ru": "Вопрос придуман для репетиции.",
        "kk": "Сұрақ жаттығу үшін ойдан шығарылған.",
    },
}
QUESTION = {
    "en": "SIMULATED question: Do you approve the amendments to the Constitution proposed in this rehearsal?",
    "ru": "СИМУЛЯЦИЯ: Одобряете ли вы поправки в Конституцию, предложенные в этой репетиции?",
    "kk": "СИМУЛЯЦИЯ: Осы жаттығуда ұсынылған Конституцияға өзгерістерді қолдайсыз ба?",
}


@dataclasses.dataclass(frozen=True)
class Steering:
    """What a rehearsal asks of the figures: the presidential leader's share and the number of
    candidates; the referendum's national yes share and its number of units with a yes majority."""

    leader_pct: float = 48.0
    candidates: int = 6
    yes_pct: float = 72.0
    yes_units: int | None = None

    def check(self) -> None:
        if not 35 <= self.leader_pct <= 90:  # below 35 % Beta's share of the rest would overtake Alpha
            raise ValueError(f"--leader-pct must be between 35 and 90, not {self.leader_pct}")
        if not 5 <= self.candidates <= len(CANDIDATES):
            raise ValueError(f"--candidates must be between 5 and {len(CANDIDATES)}, not {self.candidates}")
        if not 5 <= self.yes_pct <= 93:
            raise ValueError(f"--yes-pct must be between 5 and 93, not {self.yes_pct}")
        if self.yes_units is not None and not 0 <= self.yes_units <= len(region_keys()):
            raise ValueError(f"--yes-units must be between 0 and {len(region_keys())}, not {self.yes_units}")


@dataclasses.dataclass(frozen=True)
class SimPackage:
    """A simulated package of a new kind, as the files say it: ``election.json`` as a dict, and the
    tables. ``options`` are the ballot's columns after the base columns (parties, candidates, yes/no)."""

    doc: dict[str, Any]
    options: tuple[str, ...]
    results: pd.DataFrame
    turnout: pd.DataFrame
    stations: pd.DataFrame

    @property
    def id(self) -> str:
        return str(self.doc["id"])

    @property
    def date(self) -> str:
        return str(self.doc["date"])

    @property
    def contest_keys(self) -> tuple[str, ...]:
        return tuple(c["key"] for c in self.doc["contests"])

    @property
    def columns(self) -> tuple[str, ...]:
        return (*RESULT_BASE_COLUMNS, *self.options)

    def with_status(self, status: str) -> SimPackage:
        """The same package with every contest at ``status`` (written only when not ``final``)."""
        doc = dict(self.doc)
        contests = [{k: v for k, v in c.items() if k != "status"} for c in self.doc["contests"]]
        doc["contests"] = [c if status == FINAL else {**c, "status": status} for c in contests]
        return dataclasses.replace(self, doc=doc)

    def naming_previous(self, previous: str) -> SimPackage:
        """The same package naming ``previous`` as its previous election (``"previous_election"``)."""
        return dataclasses.replace(self, doc={**self.doc, "previous_election": previous})

    def files(self) -> dict[str, bytes]:
        """The package's files in canonical form (UTF-8, comma, English headers, plain integers)."""
        out = {
            "election.json": (json.dumps(self.doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
            "results.csv": csv_bytes(self.results, self.columns),
            "stations.csv": csv_bytes(self.stations, STATION_COLUMNS),
        }
        if len(self.turnout):
            # Counts are given, so the percentage is left to be derived from them (as write_package does).
            out["turnout.csv"] = csv_bytes(self.turnout.assign(turnout_pct=pd.NA), TURNOUT_COLUMNS)
        return out


def csv_bytes(df: pd.DataFrame, columns) -> bytes:
    return df.reindex(columns=list(columns)).to_csv(index=False, lineterminator="\n").encode("utf-8")


def part_counted(full: SimPackage, seed: int, fraction: float, order: str | None = None) -> SimPackage:
    """``full`` while counting: results of the first ``round(fraction × N)`` stations of the counting
    order (the one ``replay`` counts in; ``order``: ``nights.ORDERS``), turnout through 18:00 without
    ``final``, every contest counting."""
    if not 0 <= fraction <= 1:
        raise ValueError(f"the reported fraction must be between 0 and 1, not {fraction}")
    counted = counting_order(full, seed, order)[: int(round(fraction * len(full.stations)))]
    return dataclasses.replace(
        full.with_status("counting"),
        results=full.results[full.results["unit"].isin(counted)].reset_index(drop=True),
        turnout=full.turnout[full.turnout["time"] != FINAL].reset_index(drop=True),
    )


# --- arithmetic: regional means around the national shares, and exact steering ------------------------
def regional_means(rng: np.random.Generator, national: np.ndarray, options: tuple[str, ...],
                   strongholds: dict[str, dict[str, float]], regions: tuple[str, ...],
                   voters: np.ndarray) -> np.ndarray:
    """Each region's mean shares of ``options``: the national shares times the region's strongholds and
    a seed-fixed wobble, rescaled (iterative proportional fitting) so that the regions weighted by their
    ``voters`` average to ``national`` — swings around the national figure, not a new one."""
    means = np.tile(national, (len(regions), 1)) * rng.lognormal(0.0, 0.12, size=(len(regions), len(options)))
    for i, region in enumerate(regions):
        for option, factor in strongholds.get(region, {}).items():
            means[i, options.index(option)] *= factor
    weight = voters / voters.sum()
    for _ in range(60):
        means /= means.sum(axis=1, keepdims=True)
        means *= national / (weight @ means)
    return means / means.sum(axis=1, keepdims=True)


def split_rows(totals: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each row's total split over its columns in proportion to its weights, in exact integers (largest
    remainder). A row of zero weights splits evenly. When the weights are counts and the total is at most
    their sum, no cell gets more than its count."""
    w = weights.astype(float)
    s = w.sum(axis=1, keepdims=True)
    share = np.where(s > 0, w / np.where(s > 0, s, 1.0), 1.0 / w.shape[1]) * totals[:, None]
    base = np.floor(share).astype(np.int64)
    rest = totals - base.sum(axis=1)
    rank = np.argsort(np.argsort(-(share - base), axis=1, kind="stable"), axis=1, kind="stable")
    return base + (rank < rest[:, None])


def transfer(votes: np.ndarray, source: list[int], target: list[int], amount: int) -> None:
    """Move ``amount`` votes (in place) from the ``source`` columns to the ``target`` columns: taken
    from stations in proportion to their source votes, and within a station from each source column in
    proportion to its votes; given to the target columns in proportion to theirs. Totals per station
    stay as they were; no count goes below zero."""
    if amount == 0:
        return
    have = votes[:, source].sum(axis=1)
    if amount > have.sum():
        raise ValueError(f"cannot move {amount} votes: only {have.sum()} to take")
    per_station = split_rows(np.array([amount]), have[None, :])[0]
    taken = split_rows(per_station, votes[:, source])
    given = split_rows(per_station, votes[:, target] + 1)
    if (taken > votes[:, source]).any():  # cannot happen by split_rows' bound; never write a negative count
        raise AssertionError("transfer would take more votes than a station has")
    votes[:, source] -= taken
    votes[:, target] += given


def _geography(kind: str, stations: int, seed: int) -> tuple[np.random.Generator, Geography]:
    rng = np.random.default_rng(seed)
    return rng, simulate_geography(rng, int(stations), TURNOUT_SHIFT[kind], TURNOUT_MAX)


def _region_sums(geo: Geography, values: np.ndarray) -> np.ndarray:
    return np.bincount(geo.region_idx, weights=values, minlength=len(geo.regions)).astype(np.int64)


def _results(contest: str, geo: Geography, options: tuple[str, ...], votes: dict[str, np.ndarray | None]
             ) -> pd.DataFrame:
    """Station rows of one contest; an option given as None is off this ballot (its cells stay empty)."""
    df = pd.DataFrame({"contest": pd.Series([contest] * len(geo.units), dtype=object),
                       "unit": pd.Series(geo.units, dtype=object)})
    df["registered"] = pd.array(geo.registered, dtype="Int64")
    df["took_part"] = pd.array(geo.took_part, dtype="Int64")
    for col in ("invalid", "against_all", *options):
        value = votes[col]
        df[col] = pd.array([pd.NA] * len(df) if value is None else value, dtype="Int64")
    return df


def _package(kind: str, seed: int, geo: Geography, rng: np.random.Generator, doc: dict[str, Any],
             options: tuple[str, ...], results: pd.DataFrame) -> SimPackage:
    """Wrap a kind's contests and results: the common election.json fields, turnout, the station list."""
    date = DATES[kind]
    notes = {lang: f"{NOTES[lang]} {DATE_NOTE[lang]} {KIND_NOTES[kind][lang]}" for lang in ("en", "ru", "kk")}
    head = {"id": f"sim-{kind}-{seed}-{len(geo.units)}", "date": date, "names": dict(NAMES[kind]),
            "simulated": True}
    turnout = turnout_reports(rng, list(geo.regions), _region_sums(geo, geo.registered),
                              _region_sums(geo, geo.took_part), date, UTC_OFFSET)
    return SimPackage({**head, **doc, "notes": notes}, options, results, turnout,
                      station_list(geo.units, geo.registered.tolist()))


def _party_json() -> list[dict[str, Any]]:
    return [{"key": p.key, "short": p.short, "names": p.names, "colour": p.colour} for p in _parties()]


# --- the three kinds --------------------------------------------------------------------------------
def simulate_kurultai(stations: int, seed: int, steer: Steering) -> SimPackage:
    """145 seats from one nationwide party list; the parties of 2023 with their 2023-like tendency."""
    rng, geo = _geography("kurultai", stations, seed)
    options = ("invalid", "against_all", *PARTY_KEYS)
    means = regional_means(rng, BASE_SHARES, options, KURULTAI_STRONGHOLDS, geo.regions,
                           _region_sums(geo, geo.cast).astype(float))
    votes = draw_votes(rng, geo.cast, means[geo.region_idx], concentration=60.0)
    results = _results("kurultai_party_list", geo, PARTY_KEYS, dict(zip(options, votes.T, strict=True)))
    contest = {"key": "kurultai_party_list", "body": "kurultai", "kind": "party_list", "area": "kz",
               "seats": KURULTAI_SEATS, "threshold_pct": KURULTAI_THRESHOLD}
    return _package("kurultai", seed, geo, rng, {"parties": _party_json(), "contests": [contest]},
                    PARTY_KEYS, results)


def _candidate_json(key: str, en: str, cyr: str, colour: str) -> dict[str, Any]:
    return {
        "key": key,
        "names": {"kk": f"{cyr} (симуляциялық кандидат)", "ru": f"{cyr} (симулированный кандидат)",
                  "en": f"{en} (simulated candidate)"},
        "short": {"kk": cyr, "ru": cyr, "en": en},
        "colour": colour,
        "nominated_by": {"kk": "СИМУЛЯЦИЯ", "ru": "СИМУЛЯЦИЯ", "en": "SIMULATED"},
    }


def presidential_shares(leader_pct: float, candidates: int) -> np.ndarray:
    """National shares of (invalid, against all, Alpha, the rivals…): Alpha at ``leader_pct`` %, the rest
    split among the rivals by RIVAL_WEIGHTS, so Beta comes second (behind Alpha from 35 %: with 5
    candidates Beta has half of the rest, (95.8 − 35) / 2 = 30.4 %)."""
    rivals = RIVAL_WEIGHTS[: candidates - 1] / RIVAL_WEIGHTS[: candidates - 1].sum()
    rest = 1.0 - INVALID_SHARE - AGAINST_ALL_SHARE - leader_pct / 100
    return np.array([INVALID_SHARE, AGAINST_ALL_SHARE, leader_pct / 100, *(rest * rivals)])


def simulate_presidential(stations: int, seed: int, steer: Steering) -> SimPackage:
    """A president's election whose leader has exactly ``steer.leader_pct`` % of those who took part."""
    rng, geo = _geography("presidential", stations, seed)
    chosen = CANDIDATES[: steer.candidates]
    keys = tuple(c[0] for c in chosen)
    options = ("invalid", "against_all", *keys)
    means = regional_means(rng, presidential_shares(steer.leader_pct, steer.candidates), options,
                           PRESIDENTIAL_STRONGHOLDS, geo.regions, _region_sums(geo, geo.cast).astype(float))
    votes = draw_votes(rng, geo.cast, means[geo.region_idx], concentration=80.0)
    target = int(round(steer.leader_pct / 100 * int(geo.took_part.sum())))
    alpha, rivals = 2, list(range(3, len(options)))
    gap = target - int(votes[:, alpha].sum())
    if gap > 0:
        transfer(votes, rivals, [alpha], gap)
    else:
        transfer(votes, [alpha], rivals, -gap)
    results = _results("president", geo, keys, dict(zip(options, votes.T, strict=True)))
    contest = {"key": "president", "body": "president", "kind": "presidential", "area": "kz",
               "candidates": list(keys), "base": "took_part"}
    doc = {"parties": [], "candidates": [_candidate_json(*c) for c in chosen], "contests": [contest]}
    return _package("presidential", seed, geo, rng, doc, keys, results)


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def unit_yes_targets(rng: np.random.Generator, regions: tuple[str, ...], took: np.ndarray, yes_pct: float,
                     yes_units: int | None) -> np.ndarray:
    """Yes votes of each unit (region or city): ``yes_pct`` % of all who took part (to a whole vote), a
    yes majority (2 × yes > took part) in exactly ``yes_units`` units — the ones leaning most to yes —
    and a no majority (at most 47 % yes) in the others. ValueError when the two cannot both hold."""
    lean = np.array([REFERENDUM_SWING.get(r, 0.0) for r in regions]) + rng.normal(0.0, 0.15, len(regions))
    natural = _expit(np.log(yes_pct / (100 - yes_pct)) + lean)
    k = int((natural > 0.5).sum()) if yes_units is None else int(yes_units)
    is_yes = np.zeros(len(regions), dtype=bool)
    is_yes[np.argsort(-natural, kind="stable")[:k]] = True
    no_share = np.where(natural <= NO_RANGE[1], np.maximum(natural, NO_RANGE[0]),
                        rng.uniform(0.42, NO_RANGE[1], len(regions)))
    target = int(round(yes_pct / 100 * int(took.sum())))
    fixed = ~is_yes if k > 0 else np.zeros(len(regions), dtype=bool)
    bounds = YES_RANGE if k > 0 else NO_RANGE
    yes = np.where(fixed, np.floor(no_share * took), 0).astype(np.int64)
    need = target - int(yes[fixed].sum())
    share = need / int(took[~fixed].sum())
    if not bounds[0] <= share <= bounds[1]:
        raise ValueError(
            f"{yes_pct} % yes with a yes majority in {k} of {len(regions)} units cannot be simulated: the "
            f"units with {'a yes' if k else 'a no'} majority would need {100 * share:.1f} % yes "
            f"({100 * bounds[0]:.0f}–{100 * bounds[1]:.0f} % allowed)")
    for weights in (natural * took, took.astype(float)):  # the regions' leanings, else one even share
        yes[~fixed] = _allocate_exact(need, weights[~fixed])
        unit_share = yes / took
        if ((unit_share[~fixed] >= bounds[0]) & (unit_share[~fixed] <= bounds[1])).all():
            break
    return yes


def simulate_referendum(stations: int, seed: int, steer: Steering) -> SimPackage:
    """A constitutional referendum of one question, yes and no steered per unit (unit_yes_targets)."""
    rng, geo = _geography("referendum", stations, seed)
    took = _region_sums(geo, geo.took_part)
    yes_target = unit_yes_targets(rng, geo.regions, took, steer.yes_pct, steer.yes_units)
    invalid = rng.binomial(geo.cast, INVALID_SHARE)
    valid = geo.cast - invalid
    region_p = yes_target / np.maximum(1, _region_sums(geo, valid))
    logit = np.log(region_p / (1 - region_p))[geo.region_idx] + rng.normal(0.0, 0.3, len(valid))
    yes = rng.binomial(valid, _expit(logit))
    votes = np.column_stack([yes, valid - yes])
    for i in range(len(geo.regions)):  # each unit's yes exactly at its target
        rows = np.flatnonzero(geo.region_idx == i)
        local = votes[rows]
        gap = int(yes_target[i] - local[:, 0].sum())
        if gap > 0:
            transfer(local, [1], [0], gap)
        else:
            transfer(local, [0], [1], -gap)
        votes[rows] = local
    results = _results(REFERENDUM_KEY, geo, ("yes", "no"),
                       {"invalid": invalid, "against_all": None, "yes": votes[:, 0], "no": votes[:, 1]})
    contest = {"key": REFERENDUM_KEY, "body": "referendum", "kind": "referendum", "area": "kz",
               "question": dict(QUESTION), "constitutional": True}
    return _package("referendum", seed, geo, rng, {"parties": [], "contests": [contest]}, ("yes", "no"), results)


BUILDERS = {"kurultai": simulate_kurultai, "presidential": simulate_presidential,
            "referendum": simulate_referendum}


def simulate_kind(kind: str, stations: int, seed: int = 2023, reported_fraction: float = 1.0,
                  steer: Steering | None = None, order: str | None = None,
                  previous: str | None = None) -> SimPackage:
    """A simulated package of ``kind`` (not ``mazhilis``: that is ``simulate.simulate_election``), counted
    in ``order`` (``nights.ORDERS``) and naming ``previous`` as its previous election when given."""
    if kind not in BUILDERS:
        raise ValueError(f"--kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if not 0 <= reported_fraction <= 1:
        raise ValueError(f"the reported fraction must be between 0 and 1, not {reported_fraction}")
    check_order(order)
    steer = steer or Steering()
    steer.check()
    full = BUILDERS[kind](int(stations), seed, steer)
    if previous is not None:
        full = full.naming_previous(previous)
    return full if reported_fraction == 1 else part_counted(full, seed, reported_fraction, order)


def previous_package(full: SimPackage, seed: int) -> SimPackage:
    """The previous vote of ``full``'s kind on the same stations, correlated with it (``nights``)."""
    results, registered, took = previous_results(full.results, full.stations, seed)
    date = previous_date(full.date)
    contests = [{k: v for k, v in c.items() if k != "status"} for c in full.doc["contests"]]
    doc = {**{k: v for k, v in full.doc.items() if k != "previous_election"},
           "id": full.id + PREVIOUS_SUFFIX, "date": date, "names": previous_names(full.doc["names"]),
           "contests": contests,
           # drawn on today's 20 units, like tonight's: five years back is before the 2022 split, whose
           # 17 units the date alone would choose (dashboard/boundaries.py)
           "boundaries": "units_2023"}
    turnout = previous_turnout(full.stations, registered, took, date, UTC_OFFSET, seed)
    return SimPackage(doc, full.options, results, turnout, full.stations)


def _write_files(out: Path, files: dict[str, bytes], date: str) -> Path:
    if out.suffix.lower() == ".zip":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(zip_bytes(files, date))
        return out
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (out / name).write_bytes(data)
    return out


def write_kind(out: str | os.PathLike, kind: str, stations: int, seed: int = 2023,
               reported_fraction: float = 1.0, steer: Steering | None = None,
               plant: tuple[str, float] | None = None, order: str | None = None,
               previous: str | os.PathLike | None = None) -> Path:
    """Simulate ``kind`` and write it as a folder or, when ``out`` ends in .zip, a zip; with ``previous``
    also the previous election's package there."""
    out = Path(out)
    if kind == "mazhilis":
        return write_simulated(out, stations, seed, reported_fraction, plant, order, previous)
    if plant is not None:
        raise ValueError("--plant-stuffing works with --kind mazhilis only")
    prev_id = None
    if previous is not None:
        prev = previous_package(simulate_kind(kind, stations, seed, 1.0, steer), seed)
        _write_files(Path(previous), prev.files(), prev.date)
        prev_id = prev.id
    night = simulate_kind(kind, stations, seed, reported_fraction, steer, order, prev_id)
    return _write_files(out, night.files(), DATES[kind])


def steering(args) -> Steering:
    """The steering options of ``simulate`` and ``replay`` (defaults where a caller has none)."""
    default = Steering()
    return Steering(
        leader_pct=getattr(args, "leader_pct", default.leader_pct),
        candidates=getattr(args, "candidates", default.candidates),
        yes_pct=getattr(args, "yes_pct", default.yes_pct),
        yes_units=getattr(args, "yes_units", default.yes_units),
    )


def simulate_command(args) -> int:
    kind = getattr(args, "kind", "mazhilis")
    stuffing = getattr(args, "plant_stuffing", None)
    try:
        plant = parse_plant(stuffing) if stuffing else None
        path = write_kind(args.out, kind, args.stations, args.seed, getattr(args, "reported_fraction", 1.0),
                          steering(args), plant, getattr(args, "order", None), getattr(args, "previous", None))
    except ValueError as exc:
        print(f"simulate: {exc}", file=sys.stderr)
        return 2
    if kind == "mazhilis":  # today's line, word for word
        planted = f" with stuffing planted in {stuffing}" if stuffing else ""
        print(f"wrote simulated election sim-{args.seed}-{args.stations} ({args.stations} stations){planted} "
              f"to {path}")
    else:
        print(f"wrote simulated {kind} election sim-{kind}-{args.seed}-{args.stations} ({args.stations} "
              f"stations) to {path}")
    previous = getattr(args, "previous", None)
    if previous:
        night = f"sim-{args.seed}-{args.stations}" if kind == "mazhilis" else f"sim-{kind}-{args.seed}-{args.stations}"
        print(f"wrote its previous election {night}{PREVIOUS_SUFFIX} to {previous}")
    return 0
