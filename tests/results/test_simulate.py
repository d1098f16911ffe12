"""The simulated rehearsal election: deterministic, complete, and valid under every package rule."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.regions import region_keys
from dashboard.rehearsal.simulate import PARTY_KEYS, simulate_election, write_simulated

N = 1000
COUNTS = ["registered", "took_part", "invalid", "against_all", *PARTY_KEYS]


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    return write_simulated(tmp_path_factory.mktemp("sim") / "pkg", N, seed=7)


@pytest.fixture(scope="module")
def results(package) -> pd.DataFrame:
    return pd.read_csv(
        package / "results.csv", dtype={"contest": str, "unit": str}, keep_default_na=False, na_values=[""]
    )


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_gives_identical_bytes(tmp_path):
    a = write_simulated(tmp_path / "a", 300, seed=11)
    b = write_simulated(tmp_path / "b", 300, seed=11)
    assert _files(a) == _files(b)
    za = write_simulated(tmp_path / "a.zip", 300, seed=11)
    zb = write_simulated(tmp_path / "b.zip", 300, seed=11)
    assert za.read_bytes() == zb.read_bytes()


def test_different_seed_gives_different_figures(tmp_path):
    a = write_simulated(tmp_path / "a", 300, seed=11)
    b = write_simulated(tmp_path / "b", 300, seed=12)
    assert (a / "results.csv").read_bytes() != (b / "results.csv").read_bytes()
    assert json.loads((a / "election.json").read_text())["id"] == "sim-11-300"


def test_cli_writes_folder_and_zip(tmp_path):
    assert main(["simulate", "--stations", "100", "--seed", "5", str(tmp_path / "out")]) == 0
    assert {"election.json", "results.csv", "turnout.csv", "districts.csv"} <= set(_files(tmp_path / "out"))
    assert main(["simulate", "--stations", "100", "--seed", "5", str(tmp_path / "out.zip")]) == 0
    with zipfile.ZipFile(tmp_path / "out.zip") as zf:
        assert zf.read("results.csv") == (tmp_path / "out" / "results.csv").read_bytes()
    assert main(["simulate", "--stations", "3", str(tmp_path / "tiny")]) == 2


def test_election_json(package):
    doc = json.loads((package / "election.json").read_text(encoding="utf-8"))
    assert doc["simulated"] is True
    assert doc["id"] == f"sim-7-{N}"
    assert doc["date"] == "2023-03-19"
    assert doc["names"]["en"].startswith("SIMULATED — rehearsal data")
    assert doc["names"]["ru"].startswith("СИМУЛЯЦИЯ — репетиционные данные")
    assert doc["names"]["kk"].startswith("СИМУЛЯЦИЯ — жаттығу деректері")
    assert [p["key"] for p in doc["parties"]] == list(PARTY_KEYS)
    colours = {p["key"]: p["colour"] for p in doc["parties"]}
    assert colours["amanat"] == "#0072B2" and colours["baytaq"] == "#009E73"
    keys = [c["key"] for c in doc["contests"]]
    assert keys[:2] == ["mazhilis_party_list", "mazhilis_single_mandate"]
    for r in region_keys():
        assert f"maslikhat_{r}_party_list" in keys and f"maslikhat_{r}_single_mandate" in keys
    assert len(keys) == 2 + 2 * len(region_keys())
    contests = {c["key"]: c for c in doc["contests"]}
    assert contests["mazhilis_party_list"]["seats"] == 69
    assert contests["mazhilis_party_list"]["threshold_pct"] == 5.0
    assert contests["mazhilis_single_mandate"]["seats"] == 29
    for r in region_keys():
        lst, sm = contests[f"maslikhat_{r}_party_list"], contests[f"maslikhat_{r}_single_mandate"]
        assert lst["area"] == sm["area"] == r
        assert lst["seats"] == sm["seats"] and 8 <= lst["seats"] <= 25


def test_shape(results, package):
    assert len(region_keys()) == 20
    mz = results[results.contest == "mazhilis_party_list"]
    stations = mz[mz.unit.str.contains("/")]
    assert len(stations) == N and stations.unit.is_unique
    assert set(mz.unit) - set(stations.unit) == {"abroad"}
    assert set(stations.unit.str.split("/").str[0]) == set(region_keys())
    assert stations.unit.str.fullmatch(r"[a-z_]+/[A-Za-z0-9_-]+").all()
    ml = results[results.contest.str.startswith("maslikhat_")]
    assert len(ml) == N
    # each maslikhat row is a station of its own region
    region_of_contest = ml.contest.str.removeprefix("maslikhat_").str.removesuffix("_party_list")
    assert (region_of_contest == ml.unit.str.split("/").str[0]).all()
    assert sorted(ml.unit) == sorted(stations.unit)
    assert not results.duplicated(["contest", "unit"]).any()
    # no kz or region rows: those are sums of the stations
    assert not results.unit.isin(["kz", *region_keys()]).any()

    d = pd.read_csv(package / "districts.csv", dtype=str, keep_default_na=False)
    doc = json.loads((package / "election.json").read_text(encoding="utf-8"))
    for c in doc["contests"]:
        if c["kind"] == "single_mandate":
            rows = d[d.contest == c["key"]]
            assert len(rows) == c["seats"], c["key"]
            assert rows.district.is_unique
            assert (rows.winner != "").all()
            assert rows.party.isin([*PARTY_KEYS, "independent"]).all()
            if c["area"] != "kz":
                assert (rows.unit == c["area"]).all()
    mzd = d[d.contest == "mazhilis_single_mandate"]
    assert len(mzd) == 29 and mzd.unit.isin(region_keys()).all()
    assert (d.party == "independent").any()


def test_counts_are_valid(results):
    assert results[["registered", "took_part", "invalid", "against_all"]].notna().all().all()
    for col in COUNTS:
        present = results[col].dropna()
        assert (present >= 0).all() and (present == present.round()).all(), col
    assert (results.took_part <= results.registered).all()
    cast = results[["invalid", "against_all", *PARTY_KEYS]].sum(axis=1, min_count=1)
    assert (cast <= results.took_part).all()
    assert (cast >= 0.98 * results.took_part).all()


def test_ballots_match_contest_parties(results, package):
    doc = json.loads((package / "election.json").read_text(encoding="utf-8"))
    for c in doc["contests"]:
        if c["kind"] != "party_list":
            continue
        rows = results[results.contest == c["key"]]
        listed = c.get("parties") or list(PARTY_KEYS)
        assert rows[listed].notna().all().all(), c["key"]
        off = [p for p in PARTY_KEYS if p not in listed]
        assert rows[off].isna().all().all(), c["key"]


def test_turnout_is_monotone_and_matches_results(results, package):
    t = pd.read_csv(
        package / "turnout.csv", dtype={"time": str, "unit": str}, keep_default_na=False, na_values=[""]
    )
    units = {"kz", "abroad", *region_keys()}
    assert set(t.unit) == units
    assert (t.took_part <= t.registered).all() and (t.took_part >= 0).all()
    times = [x for x in dict.fromkeys(t.time) if x != "final"]
    assert times == [f"2023-03-19T{h}:00:00+06:00" for h in ("10", "12", "14", "16", "18")]
    for unit, rows in t.groupby("unit", sort=False):
        assert list(rows.time) == [*times, "final"], unit
        assert rows.took_part.is_monotonic_increasing, unit
        assert rows.registered.nunique() == 1, unit
    # kz is the sum of the regions and abroad at every time
    for _time, rows in t.groupby("time"):
        kz = rows[rows.unit == "kz"].iloc[0]
        rest = rows[rows.unit != "kz"]
        assert kz.took_part == rest.took_part.sum() and kz.registered == rest.registered.sum()
    # final = the Mazhilis party-list results of the unit
    mz = results[results.contest == "mazhilis_party_list"].assign(top=lambda d: d.unit.str.split("/").str[0])
    sums = mz.groupby("top")[["registered", "took_part"]].sum()
    final = t[t.time == "final"].set_index("unit")
    for unit in [*region_keys(), "abroad"]:
        assert final.loc[unit, "registered"] == sums.loc[unit, "registered"]
        assert final.loc[unit, "took_part"] == sums.loc[unit, "took_part"]
    assert final.loc["kz", "took_part"] == mz.took_part.sum()


def test_regional_variation():
    e = simulate_election(2000, seed=2023)
    mz = e.contest_rows("mazhilis_party_list")
    mz = mz.assign(top=mz.unit.str.split("/").str[0])
    by_region = mz[mz.top != "abroad"].groupby("top")[list(PARTY_KEYS)].sum()
    leaders = by_region.idxmax(axis=1)
    assert leaders.nunique() >= 3
    national = mz[list(PARTY_KEYS) + ["against_all"]].sum()
    share = national / national.sum() * 100
    assert share["amanat"] > 35 and (share[list(PARTY_KEYS)] < 5).sum() >= 1
    turnout = mz.groupby("top").took_part.sum() / mz.groupby("top").registered.sum()
    assert turnout.max() - turnout.min() > 0.2
    assert e.simulated and e.id == "sim-2023-2000"


def test_loads_through_the_package_loader(package, tmp_path):
    from dashboard.ingest.package import load_package

    election = load_package(package)
    assert election.simulated
    assert election.id == f"sim-7-{N}"
    assert len(election.contest_rows("mazhilis_party_list")) == N + 1
    original = simulate_election(N, seed=7)
    for col in COUNTS:
        assert election.results[col].sum() == original.results[col].sum(), col
    assert len(election.districts) == len(original.districts)
    assert len(election.turnout) == len(original.turnout)
    zipped = write_simulated(tmp_path / "p.zip", 200, seed=3)
    election = load_package(zipped)
    assert election.id == "sim-3-200"
