"""simulate --reported-fraction and replay: a rehearsal night, file by file, ingested through the real store."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from dashboard.electoral.progress import Progress, election_progress
from dashboard.electoral.summary import contest_summary
from dashboard.ingest.package import load_package
from dashboard.rehearsal.replay import drop_file, rehearsal_night, replay
from dashboard.rehearsal.simulate import PARTY_KEYS
from dashboard.store.store import Store

ROOT = Path(__file__).resolve().parents[2]
ML = "mazhilis_party_list"
N = 60  # stations (+ abroad = 61 expected)


def _cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def _station_totals(rows: list[dict]) -> dict[str, int]:
    """Independent national Mazhilis list totals: plain integer sums over csv.DictReader rows."""
    out = dict.fromkeys(("against_all", *PARTY_KEYS), 0)
    for r in rows:
        if r["contest"] == ML:
            for k in out:
                out[k] += int(r[k])
    return out


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_reported_fraction_writes_a_half_counted_package(tmp_path):
    done = _cli("simulate", str(tmp_path / "half"), "--stations", str(N), "--seed", "3", "--reported-fraction", "0.5")
    assert done.returncode == 0, done.stderr
    full = _cli("simulate", str(tmp_path / "full"), "--stations", str(N), "--seed", "3")
    assert full.returncode == 0, full.stderr
    half_rows = _rows((tmp_path / "half" / "results.csv").read_bytes())
    full_rows = _rows((tmp_path / "full" / "results.csv").read_bytes())
    stations = _rows((tmp_path / "half" / "stations.csv").read_bytes())
    assert len(stations) == N + 1 and {r["unit"] for r in stations} >= {"abroad"}
    counted = {r["unit"] for r in half_rows}
    assert len(counted) == round(0.5 * (N + 1))  # 30.5 rounds to even: 30 of 61
    # the counted stations' rows are exactly the finished election's rows for them
    assert [r for r in full_rows if r["unit"] in counted] == half_rows
    doc = json.loads((tmp_path / "half" / "election.json").read_text(encoding="utf-8"))
    assert {c.get("status") for c in doc["contests"]} == {"counting"}
    assert "final" not in (tmp_path / "half" / "turnout.csv").read_text(encoding="utf-8")
    assert not (tmp_path / "half" / "districts.csv").exists()
    e = load_package(tmp_path / "half")
    assert election_progress(e) == Progress("counting", 30, 61)
    s = contest_summary(e, ML)
    assert {p.party: p.votes for p in s.parties} == {k: v for k, v in _station_totals(half_rows).items()
                                                     if k != "against_all"}
    assert s.seats_projection and s.seats_computed
    bad = _cli("simulate", str(tmp_path / "x"), "--stations", str(N), "--reported-fraction", "1.5")
    assert bad.returncode == 2 and "between 0 and 1" in bad.stderr


def test_the_night_in_order_ends_at_the_final_figures(tmp_path):
    drops = rehearsal_night(N, seed=5, batches=4)
    names = [d.name for d in drops]
    assert names == sorted(names)  # name order is arrival order
    assert [d.at for d in drops] == sorted(d.at for d in drops)
    kinds = [n.split("-", 1)[1] for n in names]
    assert kinds[0] == "package.zip" and kinds[-2:] == ["status-preliminary.csv", "status-final.csv"]
    with zipfile.ZipFile(io.BytesIO(drops[0].data)) as z:
        opening = z.read("results.csv").decode()
        assert opening.count("\n") == 1  # the header only: nothing is counted at opening
        assert "stations.csv" in z.namelist()
    result_drops = [d for d in drops if "-results-" in d.name]
    all_rows = [r for d in result_drops for r in _rows(d.data)]
    store = Store(tmp_path / "data")
    counted: set[str] = set()
    for d in drops:
        path = drop_file(tmp_path / "drop", d.name, d.data)
        store.ingest(path)
        if d in result_drops:
            counted |= {r["unit"] for r in _rows(d.data) if r["contest"] == ML}
            assert election_progress(store.current()) == Progress("counting", len(counted), N + 1)
    e = store.current()
    assert election_progress(e) == Progress("final", N + 1, N + 1)
    s = contest_summary(e, ML)
    expected = _station_totals(all_rows)
    assert s.against_all == expected.pop("against_all")
    assert {p.party: p.votes for p in s.parties} == expected
    assert s.complete and s.seats_computed and not s.seats_projection and sum(p.seats for p in s.parties) == 69
    assert len(e.districts) and (e.turnout["time"] == "final").any()
    assert not [p for p in (tmp_path / "drop").iterdir() if p.name.startswith(".")]


def test_replay_waits_at_speed_and_fast_does_not(tmp_path):
    now, waits = [0.0], []

    def sleep(seconds):  # a clock that moves only when replay sleeps
        waits.append(seconds)
        now[0] += seconds

    logged: list[str] = []
    written = replay(tmp_path / "a", speed=3600, stations=N, seed=5, batches=3, sleep=sleep, clock=lambda: now[0],
                     log=logged.append)
    drops = rehearsal_night(N, seed=5, batches=3)
    assert [p.name for p in written] == [d.name for d in drops]
    # logged at waiting speed too (the log's time once overwrote the clock: the second drop crashed)
    assert len(logged) == len(drops) and logged[0].startswith("19 07:00 000-package.zip (")
    assert logged[-1].startswith("20 09:00 ")
    gaps = [b.at - a.at for a, b in zip(drops, drops[1:], strict=False) if b.at > a.at]
    assert waits == pytest.approx([g / 3600 for g in gaps])
    assert waits[0] == pytest.approx(3.0)  # 10:00 turnout, 3 h after the 07:00 package
    assert now[0] == pytest.approx((24 + 9 - 7) * 3600 / 3600)  # final status at 09:00 next day: 26 s
    none: list[float] = []
    replay(tmp_path / "b", speed=0, stations=N, seed=5, batches=3, sleep=none.append)
    assert none == []
    for d in drops:  # the same bytes either way
        assert (tmp_path / "b" / d.name).read_bytes() == d.data == (tmp_path / "a" / d.name).read_bytes()


def test_replay_cli(tmp_path):
    done = _cli("replay", str(tmp_path / "drop"), "--fast", "--stations", "30", "--batches", "2")
    assert done.returncode == 0, done.stderr
    files = sorted(p.name for p in (tmp_path / "drop").iterdir())
    assert files[0] == "000-package.zip" and files[-1].endswith("status-final.csv")
    assert len(done.stdout.splitlines()) == len(files) + 1
    pd.read_csv(tmp_path / "drop" / files[-1])  # a whole, readable file


def test_half_counted_package_through_ingest_and_summary_cli(tmp_path):
    assert _cli("simulate", str(tmp_path / "half.zip"), "--stations", str(N), "--seed", "3",
                "--reported-fraction", "0.5").returncode == 0
    data = str(tmp_path / "data")
    done = _cli("ingest", str(tmp_path / "half.zip"), "--data-dir", data)
    assert done.returncode == 0, done.stderr
    stations = _rows(zipfile.ZipFile(tmp_path / "half.zip").read("stations.csv"))
    results = _rows(zipfile.ZipFile(tmp_path / "half.zip").read("results.csv"))
    counted = {r["unit"] for r in results}
    # a rehearsal is never the front page's election by itself: the summary names it
    national = json.loads(_cli("summary", "--election", f"sim-3-{N}", "--contest", ML, "--json", "--data-dir", data).stdout)
    assert (national["status"], national["stations_counted"], national["stations_expected"]) == (
        "counting", len(counted), len(stations))
    assert national["seats_projection"] is True
    region = "almaty"
    doc = json.loads(_cli("summary", "--election", f"sim-3-{N}", "--contest", ML, "--unit", region, "--json", "--data-dir", data).stdout)
    in_region = [r["unit"] for r in stations if r["unit"].startswith(region + "/")]
    assert (doc["stations_counted"], doc["stations_expected"]) == (
        len([u for u in in_region if u in counted]), len(in_region))
    assert doc["registered"] == sum(int(r["registered"]) for r in results
                                    if r["contest"] == ML and r["unit"].startswith(region + "/"))
    text = _cli("summary", "--election", f"sim-3-{N}", "--contest", ML, "--data-dir", data).stdout
    share = 100 * len(counted) / len(stations)
    assert f"Counting · {len(counted)} of {len(stations)} polling stations counted ({share:.1f} %)" in text
    assert "projection of the count so far" in text
    assert _cli("ingest", "--data-dir", data).returncode == 2  # neither a path nor --watch
