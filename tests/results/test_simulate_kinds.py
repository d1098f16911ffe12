"""simulate --kind kurultai|presidential|referendum and replay --kind: each package's shape, its regional
splits, the steering options and determinism — read back from the files with ``csv``, as a user's tool would."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from dashboard.cli import main
from dashboard.regions import region_keys
from dashboard.rehearsal.kinds import split_rows, transfer

ROOT = Path(__file__).resolve().parents[2]
N = 400
BASE = ["contest", "unit", "registered", "took_part", "invalid", "against_all"]
PARTIES = ["amanat", "auyl", "respublica", "ak_zhol", "qhp", "osdp", "baytaq"]
GREEK = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"]


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=180)


def _simulate(out: Path, kind: str, *args: str, stations: int = N, seed: int = 7) -> Path:
    """``python -m dashboard simulate OUT --kind KIND …``, in this process (the command's own main)."""
    assert main(["simulate", str(out), "--kind", kind, "--stations", str(stations), "--seed", str(seed), *args]) == 0
    return out


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def _read(folder: Path, name: str) -> list[dict]:
    return _rows((folder / name).read_bytes())


def _doc(folder: Path) -> dict:
    return json.loads((folder / "election.json").read_text(encoding="utf-8"))


def _by_region(rows: list[dict], columns: list[str]) -> dict[str, dict[str, int]]:
    """Integer sums of ``columns`` per region (the part of the unit before the slash)."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(columns, 0))
    for r in rows:
        for c in columns:
            out[r["unit"].split("/")[0]][c] += int(r[c])
    return dict(out)


def _check_common(folder: Path, kind: str, date: str, options: list[str]) -> list[dict]:
    """What every new kind's package has: ids, names, stations in all 20 regions and no abroad, whole
    station rows, turnout at 10:00…18:00 UTC+5 and final = the sums of the results."""
    doc = _doc(folder)
    assert doc["id"] == f"sim-{kind}-7-{N}" and doc["simulated"] is True and doc["date"] == date
    assert doc["names"]["en"].startswith("SIMULATED — rehearsal data")
    assert doc["names"]["ru"].startswith("СИМУЛЯЦИЯ — репетиционные данные")
    assert doc["names"]["kk"].startswith("СИМУЛЯЦИЯ — жаттығу деректері")
    assert set(doc["notes"]) == {"kk", "ru", "en"}
    assert sorted(p.name for p in folder.iterdir()) == ["election.json", "results.csv", "stations.csv",
                                                        "turnout.csv"]  # no districts: no single mandates
    header = (folder / "results.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == BASE + options
    rows = _read(folder, "results.csv")
    stations = _read(folder, "stations.csv")
    assert len(stations) == N and [r["unit"] for r in rows] == [s["unit"] for s in stations]
    assert {s["unit"].split("/")[0] for s in stations} == set(region_keys())  # every region, no abroad
    for r in rows:
        took = int(r["took_part"])
        assert 0 < took <= int(r["registered"])
        assert int(r["invalid"]) + sum(int(r[o]) for o in options) + int(r["against_all"] or 0) <= took
    t = _read(folder, "turnout.csv")
    times = list(dict.fromkeys(x["time"] for x in t))
    assert times == [f"{date}T{h}:00:00+05:00" for h in ("10", "12", "14", "16", "18")] + ["final"]
    final = {x["unit"]: x for x in t if x["time"] == "final"}
    sums = _by_region(rows, ["registered", "took_part"])
    for region in region_keys():
        assert int(final[region]["took_part"]) == sums[region]["took_part"]
        assert int(final[region]["registered"]) == sums[region]["registered"]
    assert int(final["kz"]["took_part"]) == sum(int(r["took_part"]) for r in rows)
    turnout = [s["took_part"] / s["registered"] for s in sums.values()]
    assert max(turnout) - min(turnout) > 0.2  # cities low, the south high
    return rows


def test_kurultai_package(tmp_path):
    folder = _simulate(tmp_path / "k", "kurultai")
    doc = _doc(folder)
    assert [p["key"] for p in doc["parties"]] == PARTIES
    assert doc["contests"] == [{"key": "kurultai_party_list", "body": "kurultai", "kind": "party_list",
                                "area": "kz", "seats": 145, "threshold_pct": 5.0}]
    assert "rehearsal value" in doc["notes"]["en"] and "репетиционное значение" in doc["notes"]["ru"]
    assert "жаттығу мәні" in doc["notes"]["kk"]
    rows = _check_common(folder, "kurultai", "2026-08-23", PARTIES)
    assert {r["contest"] for r in rows} == {"kurultai_party_list"}
    assert all(r[c] != "" for r in rows for c in BASE + PARTIES)  # every party on the one ballot
    regions = _by_region(rows, PARTIES)
    leaders = {max(PARTIES, key=v.__getitem__) for v in regions.values()}
    assert "amanat" in leaders and len(leaders) >= 3  # strongholds: not one colour on the map
    national = {p: sum(v[p] for v in regions.values()) for p in PARTIES}
    votes = sum(national.values()) + sum(int(r["against_all"]) for r in rows)
    assert 35 < 100 * national["amanat"] / votes < 65
    assert any(100 * national[p] / votes < 5 for p in PARTIES)  # someone below the threshold


def test_presidential_package_with_a_second_round(tmp_path):
    folder = _simulate(tmp_path / "p", "presidential", "--leader-pct", "48")
    doc = _doc(folder)
    keys = GREEK[:6]
    assert [c["key"] for c in doc["candidates"]] == keys and doc["parties"] == []
    for c in doc["candidates"]:
        assert set(c["names"]) == set(c["short"]) == {"kk", "ru", "en"}
        assert "simulated" in c["names"]["en"] and "симулированный" in c["names"]["ru"]
    colours = [c["colour"] for c in doc["candidates"]]
    assert len(set(colours)) == 6 and all(len(x) == 7 and x.startswith("#") for x in colours)
    assert doc["contests"] == [{"key": "president", "body": "president", "kind": "presidential", "area": "kz",
                                "candidates": keys, "base": "took_part"}]
    rows = _check_common(folder, "presidential", "2029-03-18", keys)
    assert all(r["against_all"] != "" for r in rows)  # this ballot has "against all"
    took = sum(int(r["took_part"]) for r in rows)
    votes = {k: sum(int(r[k]) for r in rows) for k in keys}
    assert votes["alpha"] == round(0.48 * took)  # exactly 48 % of those who took part, to a whole vote
    assert 2 * votes["alpha"] < took  # not more than half: a second round…
    ranked = sorted(keys, key=votes.__getitem__, reverse=True)
    assert ranked[:2] == ["alpha", "beta"]  # …between Alpha and Beta
    regions = _by_region(rows, ["took_part", *keys])
    alpha_share = [v["alpha"] / v["took_part"] for v in regions.values()]
    assert min(alpha_share) < 0.40 and max(alpha_share) > 0.55  # the leader's strongholds and weak spots
    assert {max(keys, key=v.__getitem__) for v in regions.values()} - {"alpha"}  # a rival leads somewhere


def test_presidential_leader_elected_and_candidates(tmp_path):
    folder = _simulate(tmp_path / "p", "presidential", "--leader-pct", "55", "--candidates", "5", stations=200)
    rows = _read(folder, "results.csv")
    assert list(rows[0])[len(BASE):] == GREEK[:5]
    took = sum(int(r["took_part"]) for r in rows)
    alpha = sum(int(r["alpha"]) for r in rows)
    assert alpha == round(0.55 * took) and 2 * alpha > took
    low = _read(_simulate(tmp_path / "low", "presidential", "--leader-pct", "35", "--candidates", "5",
                          stations=200), "results.csv")
    votes = {k: sum(int(r[k]) for r in low) for k in GREEK[:5]}
    assert max(votes, key=votes.__getitem__) == "alpha"  # the lowest leader share still leads
    bad = _cli("simulate", str(tmp_path / "x"), "--kind", "presidential", "--candidates", "9")
    assert bad.returncode == 2 and "--candidates must be between 5 and 7" in bad.stderr


@pytest.mark.parametrize("units", [12, 14])
def test_referendum_steered_to_yes_pct_and_units(tmp_path, units):
    folder = _simulate(tmp_path / "r", "referendum", "--yes-pct", "61", "--yes-units", str(units))
    doc = _doc(folder)
    assert doc["parties"] == [] and "candidates" not in doc
    (contest,) = doc["contests"]
    assert {k: contest[k] for k in ("key", "body", "kind", "area", "constitutional")} == {
        "key": "referendum_1", "body": "referendum", "kind": "referendum", "area": "kz", "constitutional": True}
    assert set(contest["question"]) == {"kk", "ru", "en"} and contest["question"]["en"].startswith("SIMULATED")
    rows = _check_common(folder, "referendum", "2027-10-03", ["yes", "no"])
    assert all(r["against_all"] == "" for r in rows)  # a referendum ballot has no "against all"
    took = sum(int(r["took_part"]) for r in rows)
    yes = sum(int(r["yes"]) for r in rows)
    assert yes == round(0.61 * took)
    regions = _by_region(rows, ["took_part", "yes", "no"])
    assert len(regions) == 20
    with_yes = [k for k, v in regions.items() if 2 * v["yes"] > v["took_part"]]
    assert len(with_yes) == units
    assert len([k for k, v in regions.items() if v["yes"] > v["no"]]) == units
    for v in regions.values():  # the others have a no majority, not a tie
        assert 2 * v["yes"] > v["took_part"] or v["yes"] < v["no"]
    assert 2 * took > sum(int(r["registered"]) for r in rows)  # valid: more than half took part


def test_referendum_default_and_impossible_steering(tmp_path):
    rows = _read(_simulate(tmp_path / "r", "referendum", stations=200), "results.csv")
    took = sum(int(r["took_part"]) for r in rows)
    assert sum(int(r["yes"]) for r in rows) == round(0.72 * took)
    regions = _by_region(rows, ["took_part", "yes"])
    share = {k: v["yes"] / v["took_part"] for k, v in regions.items()}
    assert max(share.values()) - min(share.values()) > 0.15  # the units as the regions lean:
    assert share["turkistan"] > share["almaty"] and share["kyzylorda"] > share["north_kazakhstan"]
    bad = _cli("simulate", str(tmp_path / "x"), "--kind", "referendum", "--yes-pct", "40", "--yes-units", "20")
    assert bad.returncode == 2 and "cannot be simulated" in bad.stderr and not (tmp_path / "x").exists()


@pytest.mark.parametrize("kind", ["kurultai", "presidential", "referendum"])
def test_same_seed_same_bytes(tmp_path, kind):
    a = _simulate(tmp_path / "a", kind, stations=100, seed=3)
    b = _simulate(tmp_path / "b", kind, stations=100, seed=3)
    c = _simulate(tmp_path / "c", kind, stations=100, seed=4)
    files = sorted(p.name for p in a.iterdir())
    assert all((a / n).read_bytes() == (b / n).read_bytes() for n in files)
    assert (a / "results.csv").read_bytes() != (c / "results.csv").read_bytes()
    z = _simulate(tmp_path / "a.zip", kind, stations=100, seed=3)
    with zipfile.ZipFile(z) as zf:
        assert zf.namelist() == files
        assert all(zf.read(n) == (a / n).read_bytes() for n in files)
        date = json.loads(zf.read("election.json"))["date"]
        assert {i.date_time for i in zf.infolist()} == {(*map(int, date.split("-")), 0, 0, 0)}
    assert z.read_bytes() == _simulate(tmp_path / "b.zip", kind, stations=100, seed=3).read_bytes()


def test_mazhilis_is_the_default_kind(tmp_path):
    a = _simulate(tmp_path / "a", "mazhilis", stations=100, seed=3)
    done = _cli("simulate", str(tmp_path / "b"), "--stations", "100", "--seed", "3")
    assert done.returncode == 0 and done.stdout.startswith("wrote simulated election sim-3-100 (100 stations)")
    assert all((a / p.name).read_bytes() == p.read_bytes() for p in (tmp_path / "b").iterdir())
    bad = _cli("simulate", str(tmp_path / "x"), "--kind", "referendum", "--plant-stuffing", "abai:0.1")
    assert bad.returncode == 2 and "--kind mazhilis only" in bad.stderr


@pytest.mark.parametrize("kind", ["kurultai", "presidential", "referendum"])
def test_reported_fraction(tmp_path, kind):
    full = _simulate(tmp_path / "full", kind, stations=60, seed=3)
    half = _simulate(tmp_path / "half", kind, "--reported-fraction", "0.25", stations=60, seed=3)
    rows = _read(half, "results.csv")
    assert len(rows) == 15  # round(0.25 × 60)
    assert rows == [r for r in _read(full, "results.csv") if r["unit"] in {x["unit"] for x in rows}]
    assert len({r["unit"].split("/")[0] for r in rows}) > 5  # counted all over the country, not region by region
    assert _read(half, "stations.csv") == _read(full, "stations.csv")
    assert {c["status"] for c in _doc(half)["contests"]} == {"counting"}
    assert "status" not in _doc(full)["contests"][0]
    assert "final" not in (half / "turnout.csv").read_text(encoding="utf-8")


def test_replay_a_referendum_night(tmp_path):
    done = _cli("replay", str(tmp_path / "drop"), "--fast", "--kind", "referendum", "--stations", "60",
                "--seed", "3", "--batches", "3", "--yes-pct", "61", "--yes-units", "12")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("03 07:00 000-package.zip (")  # 3 October, 07:00
    names = sorted(p.name for p in (tmp_path / "drop").iterdir())
    assert [n.split("-", 1)[1] for n in names] == [
        "package.zip", "turnout-1000.csv", "turnout-1200.csv", "turnout-1400.csv", "turnout-1600.csv",
        "turnout-1800.csv", "results-001.csv", "results-002.csv", "results-003.csv", "turnout-final.csv",
        "status-preliminary.csv", "status-final.csv"]
    drop = {n.split("-", 1)[1]: (tmp_path / "drop" / n).read_bytes() for n in names}
    with zipfile.ZipFile(io.BytesIO(drop["package.zip"])) as z:
        opening = json.loads(z.read("election.json"))
        assert z.read("results.csv").decode() == ",".join(BASE + ["yes", "no"]) + "\n"  # nothing counted yet
        assert len(_rows(z.read("stations.csv"))) == 60 and "turnout.csv" not in z.namelist()
    assert opening["id"] == "sim-referendum-3-60" and opening["contests"][0]["status"] == "counting"
    # the night ends at the package `simulate` writes with the same options
    full = _simulate(tmp_path / "full", "referendum", "--yes-pct", "61", "--yes-units", "12", stations=60, seed=3)
    batches = [_rows(drop[f"results-00{i}.csv"]) for i in (1, 2, 3)]
    assert [len(b) for b in batches] == [20, 20, 20]
    counted = sorted((r for b in batches for r in b), key=lambda r: r["unit"])
    assert counted == sorted(_read(full, "results.csv"), key=lambda r: r["unit"])
    final = [r for r in _read(full, "turnout.csv") if r["time"] == "final"]
    assert [{k: r[k] for k in ("time", "unit", "registered", "took_part")} for r in final] == _rows(
        drop["turnout-final.csv"])
    assert _rows(drop["turnout-1000.csv"])[0]["time"] == "2027-10-03T10:00:00+05:00"
    assert drop["status-preliminary.csv"] == b"contest,status\nreferendum_1,preliminary\n"
    assert drop["status-final.csv"] == b"contest,status\nreferendum_1,final\n"


def test_split_rows_and_transfer_by_hand():
    # 10 over equal weights: 4, 3, 3 (the one left over goes to the first of equal remainders)
    assert split_rows(np.array([10]), np.array([[1, 1, 1]])).tolist() == [[4, 3, 3]]
    # 7 over 5 and 2 exactly; 3 over 1 and 1: 2, 1; a row of zero weights splits evenly
    assert split_rows(np.array([7, 3, 4]), np.array([[5, 2], [1, 1], [0, 0]])).tolist() == [[5, 2], [2, 1], [2, 2]]
    votes = np.array([[10, 30, 10], [10, 10, 30]])
    # move 20 into column 0 from columns 1 and 2: 10 from each station (each has 40 to give), taken in
    # proportion 30:10 (7.5, 2.5 -> 8, 2) and 10:30 (2.5, 7.5 -> 3, 7 by equal remainders in order)
    transfer(votes, [1, 2], [0], 20)
    assert votes.tolist() == [[20, 22, 8], [20, 7, 23]]
    assert votes.sum(axis=1).tolist() == [50, 50]
    with pytest.raises(ValueError, match="only 29 to take"):  # 22 + 7 left in column 1
        transfer(votes, [1], [0], 30)


# --- through the real validator and store (the format is kinds-core's: dashboard/ingest) ------------------
def _ingested(tmp_path: Path, kind: str, *args: str, stations: int = 200):
    """``simulate --kind`` into a zip, then ``python -m dashboard ingest`` into a fresh data dir."""
    from dashboard.store.store import Store

    package = _simulate(tmp_path / f"{kind}.zip", kind, *args, stations=stations)
    data = tmp_path / f"data-{kind}"
    done = _cli("ingest", str(package), "--data-dir", str(data))
    assert done.returncode == 0, done.stdout + done.stderr
    with zipfile.ZipFile(package) as z:
        rows = _rows(z.read("results.csv"))
    return Store(data).current(), rows


def test_referendum_ingests_and_is_not_adopted_for_want_of_units(tmp_path):
    from dashboard.electoral.outcome import referendum

    e, rows = _ingested(tmp_path, "referendum", "--yes-pct", "61", "--yes-units", "12")
    assert e.id == "sim-referendum-7-200" and e.simulated
    (contest,) = e.contests
    assert (contest.kind, contest.body, contest.constitutional) == ("referendum", "referendum", True)
    stored = e.contest_rows("referendum_1")
    assert int(stored["yes"].sum()) == sum(int(r["yes"]) for r in rows)
    assert stored["against_all"].isna().all()
    by_unit = stored.assign(top=stored["unit"].str.split("/").str[0]).groupby("top")[["yes", "took_part"]].sum()
    units = {k: (int(v["yes"]), int(v["took_part"])) for k, v in by_unit.iterrows()}
    out = referendum(int(stored["registered"].sum()), int(stored["took_part"].sum()), int(stored["yes"].sum()),
                     units, constitutional=True)
    assert (out.valid, out.adopted, out.units_with_yes_majority, out.units_required, out.decided_by) == (
        True, False, 12, 14, "units")


def test_presidential_ingests_with_a_second_round(tmp_path):
    from dashboard.electoral.outcome import presidential

    e, rows = _ingested(tmp_path, "presidential")
    assert [c.key for c in e.candidates] == GREEK[:6] and e.contests[0].kind == "presidential"
    stored = e.contest_rows("president")
    votes = {k: int(stored[k].sum()) for k in e.options("president")}
    assert votes == {k: sum(int(r[k]) for r in rows) for k in GREEK[:6]}
    out = presidential(votes, int(stored["took_part"].sum()))
    assert out.elected is None and out.second_round == ("alpha", "beta")


def test_kurultai_ingests_and_fills_145_seats(tmp_path):
    from dashboard.electoral.summary import contest_summary

    e, rows = _ingested(tmp_path, "kurultai")
    (contest,) = e.contests
    assert (contest.body, contest.kind, contest.seats, contest.threshold_pct) == ("kurultai", "party_list", 145, 5.0)
    s = contest_summary(e, "kurultai_party_list")
    assert s.complete and s.seats_computed and sum(p.seats for p in s.parties) == 145
    assert {p.party: p.votes for p in s.parties} == {k: sum(int(r[k]) for r in rows) for k in PARTIES}
    below = [p for p in s.parties if 100 * p.votes < 5 * s.votes_counted]
    assert below and all(p.seats == 0 for p in below)


@pytest.mark.parametrize("kind", ["kurultai", "presidential", "referendum"])
def test_a_night_of_each_kind_through_the_store(tmp_path, kind):
    """Every file of the night ingested as the watcher would, in order: counting as the batches come,
    then preliminary, then final with the figures of the package ``simulate`` writes."""
    from dashboard.electoral.progress import Progress, election_progress
    from dashboard.rehearsal.replay import drop_file, rehearsal_night
    from dashboard.store.store import Store

    store = Store(tmp_path / "data")
    counted: set[str] = set()
    for d in rehearsal_night(60, seed=5, batches=3, kind=kind):
        store.ingest(drop_file(tmp_path / "drop", d.name, d.data))
        if "-results-" in d.name:
            counted |= {r["unit"] for r in _rows(d.data)}
            assert election_progress(store.current()) == Progress("counting", len(counted), 60)
        if d.name.endswith("status-preliminary.csv"):
            assert election_progress(store.current()).status == "preliminary"
    e = store.current()
    assert election_progress(e) == Progress("final", 60, 60)
    full = _read(_simulate(tmp_path / "full", kind, stations=60, seed=5), "results.csv")
    key = e.contests[0].key
    for option in e.options(key):
        assert int(e.contest_rows(key)[option].sum()) == sum(int(r[option]) for r in full), option


def _summary(tmp_path: Path, kind: str, contest: str, *args: str) -> dict:
    """``simulate`` → ``ingest`` → ``summary --json``, each a command as a user types it."""
    package = _simulate(tmp_path / f"{kind}.zip", kind, *args, stations=200)
    data = str(tmp_path / f"data-{kind}")
    assert _cli("ingest", str(package), "--data-dir", data).returncode == 0
    done = _cli("summary", "--contest", contest, "--json", "--data-dir", data)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_summary_states_each_rehearsed_outcome(tmp_path):
    r = _summary(tmp_path, "referendum", "referendum_1", "--yes-pct", "61", "--yes-units", "12")
    assert (r["kind"], r["decided"]) == ("referendum", True)
    assert {k: r["outcome"][k] for k in ("valid", "adopted", "units_with_yes_majority", "units_required")} == {
        "valid": True, "adopted": False, "units_with_yes_majority": 12, "units_required": 14}
    assert round(r["outcome"]["yes_pct"], 2) == 61.0
    p = _summary(tmp_path, "presidential", "president")
    assert (p["kind"], p["outcome"]["elected"], p["outcome"]["second_round"]) == ("presidential", None,
                                                                                 ["alpha", "beta"])
    k = _summary(tmp_path, "kurultai", "kurultai_party_list")
    assert k["outcome"]["majority"] == 73 and sum(x["seats"] for x in k["parties"]) == 145
    half = _summary(tmp_path / "half", "referendum", "referendum_1", "--reported-fraction", "0.5")
    assert half["decided"] is False and half["status"] == "counting"
