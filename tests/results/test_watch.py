"""The drop-folder watcher on a real folder: whole files only, bad files quarantined, a replayed night."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dashboard.electoral.progress import Progress, election_progress
from dashboard.electoral.summary import contest_summary
from dashboard.results.replay import rehearsal_night
from dashboard.results.store import Store
from dashboard.results.watch import ignored, open_for_writing, watch

from .test_replay import ML, _rows, _station_totals

ROOT = Path(__file__).resolve().parents[2]
N = 40


def wait_for(predicate, timeout=15.0, step=0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return False


@pytest.fixture
def watched(tmp_path):
    """A real store and drop folder with the watch loop running in a thread; lines it logged."""
    store, folder, lines = Store(tmp_path / "data"), tmp_path / "drop", []
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(store, folder, stop, 0.05, 0.2, lines.append), daemon=True)
    thread.start()
    yield store, folder, lines
    stop.set()
    thread.join(5)
    assert not thread.is_alive()


def _opening(tmp_path) -> list:
    return rehearsal_night(N, seed=11, batches=3)


def test_a_file_written_slowly_is_not_read_before_it_is_whole(watched, tmp_path):
    store, folder, lines = watched
    drops = _opening(tmp_path)
    (folder / drops[0].name).write_bytes(drops[0].data)  # the package, written in place at once
    assert wait_for(lambda: store.version() == 1)
    batch = next(d for d in drops if "-results-" in d.name)
    target = folder / batch.name
    pieces = [batch.data[i:i + len(batch.data) // 5 + 1] for i in range(0, len(batch.data), len(batch.data) // 5 + 1)]
    with open(target, "wb") as fh:  # held open between pieces, pauses longer than poll and settle
        for piece in pieces:
            fh.write(piece)
            fh.flush()
            assert open_for_writing(target)
            time.sleep(0.5)
            assert store.version() == 1 and target.exists(), lines
    assert wait_for(lambda: store.version() == 2 and len(lines) == 3), lines
    assert not target.exists()
    counted = {r["unit"] for r in _rows(batch.data) if r["contest"] == ML}
    assert election_progress(store.current()) == Progress("counting", len(counted), N + 1)
    assert lines[-1] == f"accepted {batch.name}: version 2"
    assert not (store.dir / "quarantine").exists()


def test_bad_files_are_quarantined_and_the_loop_goes_on(watched, tmp_path):
    store, folder, lines = watched
    drops = _opening(tmp_path)
    (folder / drops[0].name).write_bytes(drops[0].data)
    (folder / ".hidden.csv").write_text("not for us")
    (folder / "upload.csv.part").write_text("contest,unit\n")
    (folder / "001-garbage.csv").write_bytes(b"\x00\x01 this is not a table \xff")
    (folder / "002-unknown-contest.csv").write_text("contest,status\nsenate,final\n")
    (folder / "003-status.csv").write_text("contest,status\nmazhilis_party_list,preliminary\n")
    assert wait_for(lambda: store.version() == 2 and len(lines) == 5), lines
    assert store.current().contest(ML).status == "preliminary"
    assert sorted(p.name for p in folder.iterdir() if p.name != ".claimed") == [".hidden.csv", "upload.csv.part"]
    quarantined = sorted(p.name for p in (store.dir / "quarantine").iterdir() if not p.name.endswith(".txt"))
    assert [q.split("-", 2)[2] for q in quarantined] == ["001-garbage.csv", "002-unknown-contest.csv"]
    assert [line.split(":")[0] for line in lines[1:]] == [
        f"accepted {drops[0].name}", "rejected 001-garbage.csv", "rejected 002-unknown-contest.csv",
        "accepted 003-status.csv"]
    assert "unknown-contest" in lines[3]


def test_a_replayed_night_ends_at_the_final_figures(watched, tmp_path):
    store, folder, lines = watched
    done = subprocess.run([sys.executable, "-m", "dashboard", "replay", str(folder), "--fast", "--stations", str(N),
                           "--seed", "11", "--batches", "3"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    drops = _opening(tmp_path)
    assert wait_for(lambda: store.version() == len(drops), timeout=60), lines
    e = store.current()
    assert election_progress(e) == Progress("final", N + 1, N + 1)
    expected = _station_totals([r for d in drops if "-results-" in d.name for r in _rows(d.data)])
    s = contest_summary(e, ML)
    assert s.against_all == expected.pop("against_all")
    assert {p.party: p.votes for p in s.parties} == expected
    assert [h["file"] for h in store.history()] == [d.name for d in drops]  # each once, in order


def test_two_watchers_take_each_file_once(tmp_path):
    folder, stops, threads = tmp_path / "drop", [], []
    for _ in range(2):
        stop = threading.Event()
        t = threading.Thread(target=watch, args=(Store(tmp_path / "data"), folder, stop, 0.02, 0.1, lambda _: None),
                             daemon=True)
        t.start()
        stops.append(stop)
        threads.append(t)
    drops = _opening(tmp_path)
    for d in drops[:6]:
        (folder / d.name).write_bytes(d.data)
    store = Store(tmp_path / "data")
    try:
        assert wait_for(lambda: store.version() == 6)
        time.sleep(0.5)
        assert [h["file"] for h in store.history()] == [d.name for d in drops[:6]]
    finally:
        for s in stops:
            s.set()
        for t in threads:
            t.join(5)


def test_ingest_watch_cli_stops_on_ctrl_c(tmp_path):
    folder, data = tmp_path / "drop", tmp_path / "data"
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "ingest", "--watch", str(folder), "--data-dir", str(data)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        drops = _opening(tmp_path)
        assert wait_for(folder.is_dir)
        (folder / drops[0].name).write_bytes(drops[0].data)
        assert wait_for(lambda: Store(data).version() == 1, timeout=30)
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert f"accepted {drops[0].name}: version 1" in out and "stopped watching" in out


def test_names_that_are_never_taken():
    assert ignored(".x.csv") and ignored("a.csv.part") and ignored("a.tmp") and ignored("~$book.xlsx")
    assert not ignored("001-results.csv") and not ignored("package.zip")


def test_a_dead_watchers_claims_are_put_back(tmp_path):
    folder = tmp_path / "drop"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    claimed = folder / ".claimed" / dead.stdout.strip()
    claimed.mkdir(parents=True)
    drops = _opening(tmp_path)
    (claimed / drops[0].name).write_bytes(drops[0].data)
    os.utime(claimed / drops[0].name, (time.time() - 5, time.time() - 5))
    store, stop = Store(tmp_path / "data"), threading.Event()
    t = threading.Thread(target=watch, args=(store, folder, stop, 0.05, 0.1, lambda _: None), daemon=True)
    t.start()
    try:
        assert wait_for(lambda: store.version() == 1)
    finally:
        stop.set()
        t.join(5)


def test_start_watch_thread_runs_in_this_process(tmp_path, capfd):
    from dashboard.results.watch import start_watch_thread

    thread, stop = start_watch_thread(tmp_path / "data", tmp_path / "drop", poll=0.05)
    try:
        assert thread.daemon and thread.is_alive()
        drops = _opening(tmp_path)
        assert wait_for((tmp_path / "drop").is_dir)
        (tmp_path / "drop" / drops[0].name).write_bytes(drops[0].data)
        assert wait_for(lambda: Store(tmp_path / "data").version() == 1)
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()
    assert f"watch: accepted {drops[0].name}: version 1" in capfd.readouterr().err
