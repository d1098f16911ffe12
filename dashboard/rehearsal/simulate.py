"""The simulated rehearsal election: a complete package shaped like 19 March 2023, with invented figures.

``python -m dashboard simulate --stations N [--seed S] OUT`` writes it as a package folder (or a ``.zip``
when OUT ends in ``.zip``). The same seed and N always give byte-identical files.
(``--kind kurultai|presidential|referendum`` draws the other kinds of vote on the same stations:
``kinds.py``; this module is ``--kind mazhilis``, the default.)

Shape of the package:

- the 7 parties of 2023 (names as published, colours from the Okabe–Ito palette);
- N polling stations ``<region>/<code>`` spread over the 20 regions roughly by electorate, plus one
  ``abroad`` row for the Mazhilis party list (abroad has no region, so it has no stations and no maslikhat);
- contests: ``mazhilis_party_list`` (69 seats, 5 %), ``mazhilis_single_mandate`` (29 districts), and for
  every region ``maslikhat_<region>_party_list`` / ``maslikhat_<region>_single_mandate`` (half the seats each);
  some regional ballots omit a small party (its cells stay empty);
- station rows for the party-list contests only (no ``kz`` or region rows: those are sums of the stations);
- ``districts.csv``: a winner for every single-mandate seat; ``turnout.csv``: counts at 10:00 … 18:00 and
  ``final`` for ``kz``, every region and ``abroad``; ``final`` equals the Mazhilis results.
- ``stations.csv``: every station (and ``abroad``), so pages can say how much of the count is in.

``--reported-fraction F`` (0 ≤ F < 1) writes the same election half-way through the count: every
contest ``counting``, results only for the first ⌊F·N⌉ stations of a seed-fixed counting order
(:func:`counting_order`, shared with ``replay``), turnout through 18:00 without ``final``, no districts yet.

``--plant-stuffing REGION:FRACTION`` plants a known irregularity for the observers' forensics
(:func:`plant_stuffing`): in that share of the region's stations turnout is set to a round 90–99 % and the
leading party's share to a round 85–95 %; the notes say so. Without it the output is unchanged.

Every figure here is invented; ``election.json`` says ``"simulated": true`` and every name says so.
"""

from __future__ import annotations

import dataclasses
import io
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd

from dashboard.model import (
    DISTRICT_COLUMNS,
    FINAL,
    INDEPENDENT,
    RESULT_BASE_COLUMNS,
    STATION_COLUMNS,
    Contest,
    Election,
    Party,
)
from dashboard.regions import ABROAD, NATIONAL, region_keys
from dashboard.rehearsal.draws import draw_votes, turnout_reports
from dashboard.rehearsal.nights import (
    PREVIOUS_SUFFIX,
    check_order,
    ordered,
    previous_date,
    previous_names,
    previous_results,
    previous_turnout,
)
from dashboard.store.write import write_package

DATE = "2023-03-19"


class HasStations(Protocol):
    """Anything with a ``stations.csv`` table: what the counting order is drawn from."""

    @property
    def stations(self) -> pd.DataFrame: ...

#: The parties of 2023, as the embedded package defines them (names in three languages, colours): one
#: definition of a party for the whole project.
PARTY_KEYS = ("amanat", "auyl", "respublica", "ak_zhol", "qhp", "osdp", "baytaq")

NAMES = {
    "en": "SIMULATED — rehearsal data: elections to the Mazhilis and the maslikhats",
    "ru": "СИМУЛЯЦИЯ — репетиционные данные: выборы депутатов Мажилиса и маслихатов",
    "kk": "СИМУЛЯЦИЯ — жаттығу деректері: Мәжіліс және мәслихаттар депутаттарының сайлауы",
}
NOTES = {
    "en": "SIMULATED — rehearsal data. Every figure in this package is invented by `python -m dashboard "
    "simulate`; it is not an official result.",
    "ru": "СИМУЛЯЦИЯ — репетиционные данные. Все цифры придуманы командой `python -m dashboard simulate`; "
    "это не официальные итоги.",
    "kk": "СИМУЛЯЦИЯ — жаттығу деректері. Барлық сандарды `python -m dashboard simulate` ойлап тапқан; "
    "бұл ресми қорытынды емес.",
}

#: Approximate registered voters per region (2023 order of magnitude) — sets sizes, not real figures.
ELECTORATE = {
    "abai": 416_000, "akmola": 518_000, "aktobe": 580_000, "almaty_region": 950_000, "atyrau": 412_000,
    "west_kazakhstan": 450_000, "zhambyl": 740_000, "zhetysu": 470_000, "karaganda": 762_000,
    "kostanay": 555_000, "kyzylorda": 486_000, "mangystau": 418_000, "pavlodar": 520_000,
    "north_kazakhstan": 382_000, "turkistan": 1_178_000, "ulytau": 138_000, "east_kazakhstan": 530_000,
    "astana": 789_000, "almaty": 1_300_000, "shymkent": 700_000,
}
ABROAD_ELECTORATE = 15_000
#: Polling stations per voter are higher in the countryside than in the three cities.
CITY_STATION_WEIGHT = 0.6

#: Seats of each maslikhat's party list (the single-mandate half has as many).
MASLIKHAT_HALF = {
    "abai": 15, "akmola": 16, "aktobe": 17, "almaty_region": 19, "atyrau": 15, "west_kazakhstan": 16,
    "zhambyl": 17, "zhetysu": 15, "karaganda": 18, "kostanay": 16, "kyzylorda": 16, "mangystau": 16,
    "pavlodar": 16, "north_kazakhstan": 15, "turkistan": 20, "ulytau": 10, "east_kazakhstan": 16,
    "astana": 17, "almaty": 21, "shymkent": 16,
}

#: The region of each of the 29 Mazhilis single-mandate districts, in district order.
MAZHILIS_DISTRICTS = (
    "astana", "astana", "almaty", "almaty", "almaty", "shymkent", "shymkent", "abai", "akmola", "aktobe",
    "almaty_region", "almaty_region", "atyrau", "west_kazakhstan", "zhambyl", "zhambyl", "zhetysu",
    "karaganda", "karaganda", "kostanay", "kyzylorda", "mangystau", "pavlodar", "north_kazakhstan",
    "turkistan", "turkistan", "turkistan", "ulytau", "east_kazakhstan",
)

#: National tendency of the party-list vote: invalid, against all, then the parties in PARTY_KEYS order.
BASE_SHARES = np.array([0.015, 0.038, 0.50, 0.11, 0.09, 0.085, 0.07, 0.046, 0.022])
#: Regions where another party is strong (so the maps are not one colour).
REGIONAL_SWING = {
    "almaty": {"amanat": 0.26, "respublica": 0.30, "ak_zhol": 0.15, "osdp": 0.08},
    "north_kazakhstan": {"amanat": 0.28, "qhp": 0.34},
    "kyzylorda": {"amanat": 0.26, "auyl": 0.42},
    "mangystau": {"amanat": 0.27, "ak_zhol": 0.33, "osdp": 0.07},
    "astana": {"amanat": 0.40, "respublica": 0.16, "ak_zhol": 0.15},
}
#: Mean turnout by region (varied; cities low, the south and the countryside high).
TURNOUT = {
    "abai": 0.58, "akmola": 0.60, "aktobe": 0.52, "almaty_region": 0.62, "atyrau": 0.57,
    "west_kazakhstan": 0.55, "zhambyl": 0.64, "zhetysu": 0.63, "karaganda": 0.58, "kostanay": 0.57,
    "kyzylorda": 0.68, "mangystau": 0.49, "pavlodar": 0.56, "north_kazakhstan": 0.62, "turkistan": 0.70,
    "ulytau": 0.73, "east_kazakhstan": 0.55, "astana": 0.42, "almaty": 0.27, "shymkent": 0.52,
}
ABROAD_TURNOUT = 0.35
#: Small parties that some regional maslikhat ballots leave out, with the chance of leaving them out.
MAY_BE_ABSENT = {"osdp": 0.3, "baytaq": 0.35, "qhp": 0.1}


def _parties() -> tuple[Party, ...]:
    from dashboard.store.embedded import embedded_election

    parties = {p.key: p for p in embedded_election().parties}
    return tuple(parties[key] for key in PARTY_KEYS)


def _allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder), at least 1 each."""
    n = len(weights)
    if total < n:
        raise ValueError(f"need at least {n} stations, one per region")
    share = weights / weights.sum() * (total - n)
    counts = np.floor(share).astype(np.int64)
    rest = total - n - int(counts.sum())
    order = np.argsort(-(share - counts), kind="stable")
    counts[order[:rest]] += 1
    return counts + 1


def _region_shares(rng: np.random.Generator, regions: tuple[str, ...]) -> np.ndarray:
    """Mean vote shares (invalid, against, parties…) per region, with a seed-dependent wobble."""
    out = np.empty((len(regions), len(BASE_SHARES)))
    for i, key in enumerate(regions):
        shares = BASE_SHARES.copy()
        for party, value in REGIONAL_SWING.get(key, {}).items():
            shares[2 + PARTY_KEYS.index(party)] = value
        shares = shares * rng.lognormal(0.0, 0.18, size=len(shares))
        out[i] = shares / shares.sum()
    return out


def _turnout_p(rng: np.random.Generator, mean: np.ndarray, spread: float = 0.35) -> np.ndarray:
    logit = np.log(mean / (1 - mean)) + rng.normal(0.0, spread, size=len(mean))
    return 1.0 / (1.0 + np.exp(-logit))


def _result_frame(contest: str, units, counts: dict[str, np.ndarray], on_ballot) -> pd.DataFrame:
    df = pd.DataFrame({"contest": contest, "unit": list(units)})
    for col in RESULT_BASE_COLUMNS[2:]:
        df[col] = pd.array(counts[col], dtype="Int64")
    for key in PARTY_KEYS:
        if key in on_ballot:
            df[key] = pd.array(counts[key], dtype="Int64")
        else:
            df[key] = pd.array([pd.NA] * len(df), dtype="Int64")
    return df


def _winner(rng: np.random.Generator, leader: str, n: int, prefix: str) -> tuple[str, str]:
    """A single-mandate winner: mostly Amanat or the region's leading party, some self-nominated."""
    u = rng.random()
    if u < 0.18:
        party = INDEPENDENT
    elif leader != "amanat" and u < 0.6:
        party = leader
    elif u < 0.93:
        party = "amanat"
    else:
        party = PARTY_KEYS[int(rng.integers(1, len(PARTY_KEYS)))]
    return f"Simulated candidate {prefix}-{n:02d}", party


def simulate_election(stations: int, seed: int = 2023, reported_fraction: float = 1.0,
                      plant: tuple[str, float] | None = None, order: str | None = None,
                      previous: str | None = None) -> Election:
    """A simulated election with ``stations`` polling stations (≥ 20), deterministic in ``seed``.

    ``reported_fraction`` < 1 gives the same election part-way through the count (see the module doc), the
    stations counted in ``order`` (``nights.ORDERS``; None: the seed-fixed random order);
    ``plant=(region, fraction)`` plants ballot stuffing there (:func:`plant_stuffing`); ``previous`` names
    the previous election (``"previous_election"``: ``previous_of``).
    """
    if not 0 <= reported_fraction <= 1:
        raise ValueError(f"the reported fraction must be between 0 and 1, not {reported_fraction}")
    check_order(order)
    full = _simulate_full(stations, seed)
    if plant is not None:
        full = plant_stuffing(full, plant[0], plant[1], seed)
    if previous is not None:
        full = dataclasses.replace(full, previous_election=previous)
    if reported_fraction == 1:
        return full
    return part_counted(full, seed, reported_fraction, order)


class HasResults(HasStations, Protocol):
    @property
    def results(self) -> pd.DataFrame: ...


def counting_order(election: HasResults, seed: int, order: str | None = None) -> np.ndarray:
    """The stations in the order a simulated night counts them (a permutation fixed by ``seed``): an
    ``Election`` or any package with a station list (``kinds.SimPackage``). ``order`` (``nights.ORDERS``)
    makes it realistic; None and ``random`` are the same seed-fixed random order."""
    units = election.stations["unit"].astype(str).to_numpy()
    if order is not None and order != "random":
        return ordered(units, election.results, seed, order)
    return units[np.random.default_rng([seed, 97]).permutation(len(units))]


def part_counted(full: Election, seed: int, fraction: float, order: str | None = None) -> Election:
    """``full`` while counting: results of the first ``round(fraction * N)`` stations of the counting order."""
    if not 0 <= fraction <= 1:
        raise ValueError(f"the reported fraction must be between 0 and 1, not {fraction}")
    stations = counting_order(full, seed, order)
    counted = stations[: int(round(fraction * len(stations)))]
    results = full.results[full.results["unit"].isin(counted)].reset_index(drop=True)
    turnout = full.turnout[full.turnout["time"] != FINAL].reset_index(drop=True)
    contests = tuple(dataclasses.replace(c, status="counting") for c in full.contests)
    return dataclasses.replace(full, results=results, turnout=turnout, contests=contests,
                               districts=full.districts.iloc[0:0])


@dataclasses.dataclass(frozen=True)
class Geography:
    """The polling stations of a simulated night and who voted at each (one row per station)."""

    regions: tuple[str, ...]
    per_region: np.ndarray  # stations in each region
    region_idx: np.ndarray  # each station's region (index into ``regions``)
    units: list[str]  # ``region/CODE`` of each station
    registered: np.ndarray
    took_part: np.ndarray
    cast: np.ndarray  # ballots in the box (≤ took_part: a few issued ballots never reach it)


def simulate_geography(rng: np.random.Generator, stations: int, turnout_shift: float = 0.0,
                       turnout_max: float = 0.9) -> Geography:
    """Stations spread over the 20 regions by electorate, and the voters of each.

    Every kind of night draws them the same way, so a region has the same stations whatever is voted
    on; ``turnout_shift`` moves every region's mean turnout (a referendum draws more voters than a party
    list), keeping the regions' differences.
    """
    regions = region_keys()
    nreg = len(regions)
    electorate = np.array([ELECTORATE[r] for r in regions], dtype=float)
    electorate *= rng.lognormal(0.0, 0.05, size=nreg)
    city = np.array([r in ("astana", "almaty", "shymkent") for r in regions])
    per_region = _allocate(stations, electorate * np.where(city, CITY_STATION_WEIGHT, 1.0))
    region_idx = np.repeat(np.arange(nreg), per_region)
    mean_size = electorate[region_idx] / per_region[region_idx]
    registered = np.maximum(10, np.rint(mean_size * rng.gamma(6.0, 1 / 6.0, size=stations))).astype(np.int64)
    units: list[str] = []
    for key, n in zip(regions, per_region, strict=True):
        width = max(4, len(str(int(n))))
        units.extend(f"{key}/{i:0{width}d}" for i in range(1, int(n) + 1))

    mean = np.array([TURNOUT[r] for r in regions]) + turnout_shift
    region_turnout = np.clip(mean + rng.normal(0, 0.03, nreg), 0.15, turnout_max)
    took_part = rng.binomial(registered, _turnout_p(rng, region_turnout[region_idx]))
    cast = took_part - rng.binomial(took_part, 0.002)
    return Geography(tuple(regions), per_region, region_idx, units, registered, took_part, cast)


def station_list(units: list[str], registered: list[int]) -> pd.DataFrame:
    """``stations.csv``: each station's unit, its code as the station name (``abroad`` for abroad)."""
    return pd.DataFrame({
        "unit": pd.Series(units, dtype=object),
        "station": pd.Series([u.split("/", 1)[-1] for u in units], dtype=object),
        "registered": pd.array(registered, dtype="Int64"),
    })[list(STATION_COLUMNS)]


def _simulate_full(stations: int, seed: int) -> Election:
    stations = int(stations)
    rng = np.random.default_rng(seed)
    geo = simulate_geography(rng, stations)
    regions, per_region, region_idx, units = geo.regions, geo.per_region, geo.region_idx, geo.units
    registered, took_part, cast = geo.registered, geo.took_part, geo.cast
    nreg = len(regions)

    # --- Mazhilis party list --------------------------------------------------------------------------
    shares = _region_shares(rng, regions)
    mz = draw_votes(rng, cast, shares[region_idx], concentration=60.0)
    abroad_reg = int(ABROAD_ELECTORATE * rng.lognormal(0.0, 0.05))
    abroad_took = int(rng.binomial(abroad_reg, ABROAD_TURNOUT))
    abroad_votes = rng.multinomial(
        abroad_took, np.array([0.01, 0.03, 0.45, 0.03, 0.2, 0.12, 0.04, 0.1, 0.02])
    )

    def counts_of(reg, took, votes):
        c = {"registered": reg, "took_part": took, "invalid": votes[:, 0], "against_all": votes[:, 1]}
        c.update({k: votes[:, 2 + j] for j, k in enumerate(PARTY_KEYS)})
        return c

    frames = [
        _result_frame(
            "mazhilis_party_list",
            [ABROAD, *units],
            counts_of(
                np.concatenate([[abroad_reg], registered]),
                np.concatenate([[abroad_took], took_part]),
                np.vstack([abroad_votes, mz]),
            ),
            PARTY_KEYS,
        )
    ]

    contests = [
        Contest("mazhilis_party_list", "mazhilis", "party_list", NATIONAL, 69, 5.0),
        Contest(
            "mazhilis_single_mandate", "mazhilis", "single_mandate", NATIONAL, len(MAZHILIS_DISTRICTS), 5.0
        ),
    ]
    leader = {r: PARTY_KEYS[int(np.argmax(shares[i, 2:]))] for i, r in enumerate(regions)}
    districts = []
    for n, key in enumerate(MAZHILIS_DISTRICTS, start=1):
        winner, party = _winner(rng, leader[key], n, "MZ")
        districts.append(("mazhilis_single_mandate", str(n), key, winner, party))

    # --- maslikhats: a list and a single-mandate half in every region ----------------------------------
    start = np.concatenate([[0], np.cumsum(per_region)])
    for i, key in enumerate(regions):
        on_ballot = tuple(p for p in PARTY_KEYS if rng.random() >= MAY_BE_ABSENT.get(p, 0.0))
        lo, hi = int(start[i]), int(start[i + 1])
        local = shares[i] * rng.lognormal(0.0, 0.1, size=len(BASE_SHARES))
        mask = np.array([True, True] + [p in on_ballot for p in PARTY_KEYS])
        local = np.where(mask, local, 0.0)
        local = local / local.sum()
        means = np.tile(local, (hi - lo, 1))
        ml = draw_votes(rng, cast[lo:hi], np.where(mask, means, 0.0), concentration=60.0)
        list_key = f"maslikhat_{key}_party_list"
        sm_key = f"maslikhat_{key}_single_mandate"
        half = MASLIKHAT_HALF[key]
        parties = on_ballot if len(on_ballot) < len(PARTY_KEYS) else ()
        contests.append(Contest(list_key, "maslikhat", "party_list", key, half, 5.0, parties))
        contests.append(Contest(sm_key, "maslikhat", "single_mandate", key, half, 5.0))
        frames.append(
            _result_frame(
                list_key, units[lo:hi], counts_of(registered[lo:hi], took_part[lo:hi], ml), on_ballot
            )
        )
        local_leader = PARTY_KEYS[int(np.argmax(local[2:]))]
        for n in range(1, half + 1):
            winner, party = _winner(rng, local_leader, n, key.upper().replace("_", "")[:6])
            districts.append((sm_key, str(n), key, winner, party))

    results = pd.concat(frames, ignore_index=True)
    for col in ("contest", "unit"):
        results[col] = results[col].astype(object)

    # --- turnout through the day ----------------------------------------------------------------------
    reg_by_region = np.bincount(region_idx, weights=registered, minlength=nreg).astype(np.int64)
    took_by_region = np.bincount(region_idx, weights=took_part, minlength=nreg).astype(np.int64)
    turnout = turnout_reports(rng, [*regions, ABROAD], np.concatenate([reg_by_region, [abroad_reg]]),
                              np.concatenate([took_by_region, [abroad_took]]), DATE, "+06:00")

    return Election(
        stations=station_list([*units, ABROAD], [*registered.tolist(), abroad_reg]),
        id=f"sim-{seed}-{stations}",
        date=DATE,
        names=dict(NAMES),
        parties=_parties(),
        contests=tuple(contests),
        results=results,
        turnout=turnout,
        districts=pd.DataFrame(districts, columns=list(DISTRICT_COLUMNS), dtype=object),
        simulated=True,
        notes=dict(NOTES),
    )


def zip_bytes(files: dict[str, bytes], date: str = DATE) -> bytes:
    """A package's files as one zip (files at its root, in name order, every member dated midnight of
    the election's ``date``): the same files always give the same bytes."""
    year, month, day = (int(x) for x in date.split("-"))
    stamp = (year, month, day, 0, 0, 0)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[name])
    return buf.getvalue()


def package_files(election: Election) -> dict[str, bytes]:
    """The files ``write_package`` writes for ``election``, by name."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_package(election, Path(tmp) / "package")
        return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def write_simulated(out: str | os.PathLike, stations: int, seed: int = 2023,
                    reported_fraction: float = 1.0, plant: tuple[str, float] | None = None,
                    order: str | None = None, previous: str | os.PathLike | None = None) -> Path:
    """Simulate and write a package folder, or a ``.zip`` (files at its root) when ``out`` ends in .zip;
    with ``previous`` also the previous election's package there (``previous_of``)."""
    out = Path(out)
    prev = None
    if previous is not None:
        prev = previous_of(simulate_election(stations, seed, 1.0, plant), seed)
    election = simulate_election(stations, seed, reported_fraction, plant, order,
                                 None if prev is None else prev.id)
    if prev is not None and previous is not None:
        _write(prev, Path(previous))
    return _write(election, out)


def _write(election: Election, out: Path) -> Path:
    if out.suffix.lower() != ".zip":
        return write_package(election, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(zip_bytes(package_files(election), election.date))
    return out


def previous_of(full: Election, seed: int) -> Election:
    """The previous Mazhilis party-list vote on the same stations, correlated with ``full``'s (``nights``)."""
    results, registered, took = previous_results(full.results, full.stations, seed)
    contest = dataclasses.replace(full.contests[0], status="final")
    date = previous_date(full.date)
    return Election(
        id=full.id + PREVIOUS_SUFFIX, date=date, names=previous_names(full.names), parties=full.parties,
        contests=(contest,), results=results[[*RESULT_BASE_COLUMNS, *full.party_keys]],
        turnout=previous_turnout(full.stations, registered, took, date, "+06:00", seed),
        stations=full.stations, simulated=True, notes=dict(full.notes),
        # today's 20 units, like tonight's: the date alone (before the 2022 split) would choose 17
        extra={**full.extra, "boundaries": "units_2023"},
    )


# --- a planted irregularity, for the observers' forensics ------------------------------------------------
#: Round figures the planted protocols are written with (Kobak et al. 2016: hand-written figures pile up
#: on integers): turnout 90–99 %, leading party's share 85–95 %.
PLANT_TURNOUT = (90, 99)
PLANT_SHARE = (85, 95)

PLANT_NOTES = {
    "en": "Planted irregularity: in {k} of {n} stations of {region}, turnout and the leading party's share "
          "were rewritten to round figures (ballot stuffing), so that the observers' page can show what it "
          "looks like.",
    "ru": "Заложенное нарушение: на {k} из {n} участков ({region}) явка и доля партии на первом месте заменены "
          "круглыми числами (вброс), чтобы страница для наблюдателей показала, как это выглядит.",
    "kk": "Әдейі енгізілген бұзушылық: {region} өңіріндегі {n} учаскенің {k} учаскесінде сайлаушылардың "
          "келуі мен жетекші партияның үлесі дөңгелек сандармен ауыстырылды (бюллетень салу), бақылаушылар "
          "беті оның қалай көрінетінін көрсету үшін.",
}


def parse_plant(text: str) -> tuple[str, float]:
    """``REGION:FRACTION`` (``karaganda:0.03``) -> ("karaganda", 0.03), with a clear error otherwise."""
    region, sep, fraction = str(text).partition(":")
    if not sep or region not in region_keys():
        raise ValueError(f"--plant-stuffing wants REGION:FRACTION with a region key ({', '.join(region_keys())}),"
                         f" not {text!r}")
    try:
        value = float(fraction)
    except ValueError:
        raise ValueError(f"--plant-stuffing: the fraction must be a number between 0 and 1, not {fraction!r}") from None
    if not 0 < value <= 1:
        raise ValueError(f"--plant-stuffing: the fraction must be above 0 and at most 1, not {value}")
    return region, value


def _rewrite(row: pd.Series, parties: list[str], leader: str, took: int, share_pct: int) -> dict:
    """One party-list protocol rewritten: ``took`` voters, the same invalid ballots and ballots taken away,
    the leader at ``share_pct`` % of the votes for parties and against all, the others scaled down."""
    others = ["against_all", *[p for p in parties if p != leader]]
    old = {k: int(row[k]) for k in (*others, leader, "invalid", "took_part")}
    away = old["took_part"] - old["invalid"] - sum(old[k] for k in (*others, leader))
    counted = max(0, took - away - old["invalid"])
    lead = int(round(share_pct / 100 * counted))
    rest = counted - lead
    weights = np.array([old[k] for k in others], dtype=float)
    parts = _allocate_exact(rest, weights)
    return {"took_part": took, leader: lead, **dict(zip(others, parts.tolist(), strict=True))}


def _allocate_exact(total: int, weights: np.ndarray) -> np.ndarray:
    """``total`` split in proportion to ``weights`` (largest remainder; zeros allowed)."""
    if total <= 0 or weights.sum() <= 0:
        return np.zeros(len(weights), dtype=np.int64)
    share = weights / weights.sum() * total
    counts = np.floor(share).astype(np.int64)
    order = np.argsort(-(share - counts), kind="stable")
    counts[order[: total - int(counts.sum())]] += 1
    return counts


def plant_stuffing(election: Election, region: str, fraction: float, seed: int) -> Election:
    """``election`` with ballot stuffing planted in ``ceil(fraction × stations)`` of ``region``'s stations.

    The stations are drawn with their own seed-fixed generator (so the rest of the simulation is as
    without the plant); each gets a round turnout in PLANT_TURNOUT and, in every party-list contest it
    votes in, its leading party (over the contest's stations) a round share in PLANT_SHARE. The region's
    and Kazakhstan's final turnout follow the new counts; the interim reports do not (the stuffing is
    written into the final protocols).
    """
    rng = np.random.default_rng([seed, 131])
    units = election.stations["unit"].astype(str)
    local = np.array(sorted(units[units.str.startswith(region + "/")]))
    k = int(np.ceil(fraction * len(local)))
    chosen = np.sort(rng.choice(local, size=k, replace=False))
    turnout = rng.integers(PLANT_TURNOUT[0], PLANT_TURNOUT[1] + 1, size=k)
    share = rng.integers(PLANT_SHARE[0], PLANT_SHARE[1] + 1, size=k)
    results = election.results.copy()
    added = 0
    for contest in election.contests:
        if contest.kind != "party_list":
            continue
        rows = results[results["contest"] == contest.key]
        mask = rows["unit"].isin(chosen)
        if not mask.any():
            continue
        parties = list(election.contest_parties(contest.key))
        leader = rows[parties].astype("float64").sum().idxmax()
        for idx in rows.index[mask]:
            row = results.loc[idx]
            j = int(np.searchsorted(chosen, row["unit"]))
            took = max(int(row["took_part"]), int(round(turnout[j] / 100 * int(row["registered"]))))
            if contest.key == "mazhilis_party_list":
                added += took - int(row["took_part"])
            for col, value in _rewrite(row, parties, leader, took, int(share[j])).items():
                results.loc[idx, col] = value
    turnout_rows = election.turnout.copy()
    final = (turnout_rows["time"] == FINAL) & turnout_rows["unit"].isin([region, NATIONAL])
    turnout_rows.loc[final, "took_part"] = turnout_rows.loc[final, "took_part"] + added
    turnout_rows.loc[final, "turnout_pct"] = pd.array(np.round(
        100.0 * turnout_rows.loc[final, "took_part"].to_numpy(float)
        / turnout_rows.loc[final, "registered"].to_numpy(float), 2), dtype="Float64")
    notes = {lang: f"{text} " + PLANT_NOTES[lang].format(k=k, n=len(local), region=region)
             for lang, text in election.notes.items()}
    return dataclasses.replace(election, results=results, turnout=turnout_rows, notes=notes,
                               id=f"{election.id}-planted-{region}")
