"""replay --order and --previous: a night whose count arrives in a realistic order, with its previous vote
dropped first, so that the night's estimate can be rehearsed end to end (issue 17).

The orders are checked on the regions of the dropped files' rows, with plain ``csv`` sums, against
properties one can check by hand; not against ``nights.ordered``, which draws them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest

from dashboard.cli import ORDERS as CLI_ORDERS
from dashboard.cli import main
from dashboard.rehearsal.nights import ORDERS
from dashboard.rehearsal.replay import Drop, rehearsal_night, replay
from dashboard.store.library import Library

ROOT = Path(__file__).resolve().parents[2]
#: The western regions (and abroad) of ``--order west-late``, spelled out: the module doc of nights.py.
WEST = {"atyrau", "mangystau", "west_kazakhstan", "aktobe", "kyzylorda", "abroad"}
BASE = {"contest", "unit", "registered", "took_part", "invalid", "against_all"}


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def _batches(drops: list[Drop]) -> list[list[dict]]:
    """The rows of each results file, in arrival (name) order."""
    return [_rows(d.data) for d in sorted(drops, key=lambda d: d.name) if "-results-" in d.name]


def _region(row: dict) -> str:
    return row["unit"].split("/", 1)[0]


def _doc(zip_bytes: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as z:
        return json.loads(z.read("election.json"))


def _west_late_holds(batches: list[list[dict]]) -> None:
    regions = [{_region(r) for r in rows} for rows in batches]
    half = len(batches) // 2
    assert all(not (s & WEST) for s in regions[:half]), regions[:half]  # the first half: no western row
    assert regions[-1] and regions[-1] <= WEST, regions[-1]  # the last file: western rows only


@pytest.mark.parametrize("kind", ["mazhilis", "referendum"])
def test_west_late_puts_the_western_regions_last(kind):
    batches = _batches(rehearsal_night(300, seed=5, batches=10, kind=kind, order="west-late"))
    _west_late_holds(batches)
    # the same night in the default order has western rows early: the property is the order's, not the map's
    plain = _batches(rehearsal_night(300, seed=5, batches=10, kind=kind))
    assert {_region(r) for r in plain[0]} & WEST


@pytest.mark.parametrize("kind", ["mazhilis", "presidential"])
def test_strongholds_count_the_leaders_strongest_regions_first(kind):
    batches = _batches(rehearsal_night(300, seed=6, batches=10, kind=kind, order="strongholds"))
    lead = batches[0][0]["contest"]  # the night's lead contest: the first of results.csv
    rows = [(i, r) for i, b in enumerate(batches) for r in b if r["contest"] == lead]
    options = [k for k in rows[0][1] if k not in BASE and rows[0][1][k] != ""]
    totals = {o: sum(int(r[o]) for _, r in rows) for o in options}
    leader = max(totals, key=lambda o: totals[o])  # most votes nationally
    votes: dict[str, int] = defaultdict(int)
    took: dict[str, int] = defaultdict(int)
    for _, r in rows:
        votes[_region(r)] += int(r[leader])
        took[_region(r)] += int(r["took_part"])
    ranked = sorted(votes, key=lambda g: votes[g] / took[g], reverse=True)  # the leader's strongest first
    arrivals: dict[str, list[int]] = defaultdict(list)
    for i, r in rows:
        arrivals[_region(r)].append(i)
    # the strongest region is all counted before the weakest starts
    assert max(arrivals[ranked[0]]) < min(arrivals[ranked[-1]])
    stronger = set(ranked[: len(ranked) // 2])
    assert {_region(r) for i, r in rows if i == 0} <= stronger  # the first file: the stronger half only
    assert not {_region(r) for i, r in rows if i == len(batches) - 1} & stronger  # the last: the weaker half
    # the first results overstate the leader: not a fair sample
    first = [r for i, r in rows if i == 0]
    assert (sum(int(r[leader]) for r in first) / sum(int(r["took_part"]) for r in first)
            > totals[leader] / sum(int(r["took_part"]) for _, r in rows))


def test_replay_counts_in_simulates_order(tmp_path):
    """The first half of a replayed night is the package ``simulate --order O --reported-fraction 0.5``
    writes: one counting order for both commands."""
    # 59 stations + abroad = 60 units: 4 batches of 15, half = 30
    drops = rehearsal_night(59, seed=3, batches=4, order="strongholds")
    replayed = {r["unit"] for b in _batches(drops)[:2] for r in b}
    assert main(["simulate", "--stations", "59", "--seed", "3", "--reported-fraction", "0.5", "--order",
                 "strongholds", str(tmp_path / "half")]) == 0
    simulated = {r["unit"] for r in _rows((tmp_path / "half" / "results.csv").read_bytes())}
    assert len(replayed) == 30 and replayed == simulated


def test_without_the_new_options_the_night_is_as_before():
    default = rehearsal_night(40, seed=2, batches=3)
    for night in (rehearsal_night(40, seed=2, batches=3, order=None, previous=False),
                  rehearsal_night(40, seed=2, batches=3, order="random")):
        assert night == default
    assert rehearsal_night(40, seed=2, batches=3, order="cities") != default
    with pytest.raises(ValueError, match="--order must be one of"):
        rehearsal_night(40, seed=2, batches=3, order="east-early")


@pytest.mark.parametrize(("kind", "night_id"), [("mazhilis", "sim-4-50"), ("kurultai", "sim-kurultai-4-50")])
def test_previous_is_dropped_first_and_named(tmp_path, kind, night_id):
    drops = rehearsal_night(50, seed=4, batches=3, kind=kind, previous=True)
    names = [d.name for d in drops]
    assert names == sorted(names)
    assert names[0] == "000-previous-package.zip" and names[1] == "001-package.zip"
    assert drops[0].at == drops[1].at == 0.0
    prev, night = _doc(drops[0].data), _doc(drops[1].data)
    assert night["id"] == night_id and prev["id"] == f"{night_id}-previous"
    assert night["previous_election"] == prev["id"]
    assert prev["date"] < night["date"] and "previous_election" not in prev
    assert all("status" not in c for c in prev["contests"])  # the previous vote is final
    assert {c["status"] for c in night["contests"]} == {"counting"}
    # the night itself is the night without --previous: only its package's election.json differs
    plain = rehearsal_night(50, seed=4, batches=3, kind=kind)
    assert [(d.at, d.name.split("-", 1)[1], d.data) for d in drops[2:]] == [
        (d.at, d.name.split("-", 1)[1], d.data) for d in plain[1:]]
    # fed to the store in name order, as a watcher would: both elections, each file to its own
    lib = Library(tmp_path / "data")
    for d in drops:
        (tmp_path / d.name).write_bytes(d.data)
        lib.ingest(tmp_path / d.name)
    assert lib.served(prev["id"])[0] == 1  # the previous vote: its package, and nothing after it
    assert lib.served(night_id)[0] == len(drops) - 1
    night_election = lib.served(night_id)[1]
    assert night_election.previous_election == prev["id"]
    assert {c.status for c in night_election.contests} == {"final"}


def test_replay_command_with_order_and_previous(tmp_path):
    """``replay OUT --speed 0 --order west-late --previous`` as a user types it: every file, whole, in order."""
    out = tmp_path / "drop"
    done = subprocess.run([sys.executable, "-m", "dashboard", "replay", str(out), "--speed", "0", "--kind",
                           "kurultai", "--stations", "300", "--seed", "5", "--batches", "10", "--order",
                           "west-late", "--previous"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    files = sorted(p.name for p in out.iterdir())
    assert not [f for f in files if f.startswith(".")]
    assert files[:2] == ["000-previous-package.zip", "001-package.zip"]
    assert files[-1].endswith("-status-final.csv")
    assert len([f for f in files if "-results-" in f]) == 10
    assert done.stdout.splitlines()[-1] == f"replayed {len(files)} files into {out}"
    prev, night = _doc((out / files[0]).read_bytes()), _doc((out / files[1]).read_bytes())
    assert night["previous_election"] == prev["id"] == "sim-kurultai-5-300-previous"
    _west_late_holds([_rows((out / f).read_bytes()) for f in files if "-results-" in f])
    bad = subprocess.run([sys.executable, "-m", "dashboard", "replay", str(tmp_path / "x"), "--fast", "--order",
                          "east-early"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr and not (tmp_path / "x").exists()


def test_replay_function_takes_the_options(tmp_path):
    written = replay(tmp_path / "drop", speed=0, stations=40, seed=2, batches=3, order="cities", previous=True)
    drops = rehearsal_night(40, seed=2, batches=3, order="cities", previous=True)
    assert [p.name for p in written] == [d.name for d in drops]
    assert all(p.read_bytes() == d.data for p, d in zip(written, drops, strict=True))


def test_the_command_line_offers_the_orders_of_nights():
    assert CLI_ORDERS == ORDERS
