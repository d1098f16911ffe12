"""The drop-folder watcher on a real folder: whole files only, bad files quarantined, a replayed night."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from dashboard.electoral.progress import Progress, election_progress
from dashboard.electoral.summary import contest_summary
from dashboard.ingest.watch import ignored, open_for_writing, watch
from dashboard.rehearsal.replay import rehearsal_night
from dashboard.store.library import Library
from dashboard.store.store import Store

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
    assert lines[-1] == f"accepted '{batch.name}': version 2"
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
        f"accepted '{drops[0].name}'", "rejected '001-garbage.csv'", "rejected '002-unknown-contest.csv'",
        "accepted '003-status.csv'"]
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
        assert wait_for(lambda: _version(data, "sim-11-40") == 1, timeout=30)
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert f"accepted '{drops[0].name}': election sim-11-40 version 1 (a new election)" in out
    assert "stopped watching" in out


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


def _version(data: Path, election: str) -> int | None:
    """The served version of one election of the data dir (None while it is not there)."""
    lib = Library(data)
    return lib.served(election)[0] if lib.known(election) else None


def test_start_watch_thread_runs_in_this_process(tmp_path, capfd):
    from dashboard.commands.ingest import start_watch_thread

    thread, stop = start_watch_thread(tmp_path / "data", tmp_path / "drop", poll=0.05)
    try:
        assert thread.daemon and thread.is_alive()
        drops = _opening(tmp_path)
        assert wait_for((tmp_path / "drop").is_dir)
        (tmp_path / "drop" / drops[0].name).write_bytes(drops[0].data)
        assert wait_for(lambda: _version(tmp_path / "data", "sim-11-40") == 1)
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()
    assert f"watch: accepted '{drops[0].name}': election sim-11-40 version 1" in capfd.readouterr().err


def test_one_watcher_routes_two_elections(tmp_path):
    """Two nights in one folder: each package adds its election, each lone file follows the election
    accepted last (replay writes a night's package first), a --election watcher sends them all to one."""
    from dashboard.commands.ingest import Routed

    folder, data, lines = tmp_path / "drop", tmp_path / "data", []
    a, b = rehearsal_night(N, seed=11, batches=3), rehearsal_night(N, seed=12, batches=3)
    lib = Library(data)
    stop = threading.Event()
    t = threading.Thread(target=watch, args=(Routed(lib), folder, stop, 0.05, 0.1, lines.append), daemon=True)
    t.start()
    try:
        (folder / f"a{a[0].name}").parent.mkdir(parents=True, exist_ok=True)
        for prefix, night in (("a", a[:3]), ("b", b[:2])):  # a: package + 2 turnout files; b: package + 1
            for d in night:
                (folder / f"{prefix}{d.name}").write_bytes(d.data)
        assert wait_for(lambda: len(lines) == 6, timeout=30), lines
    finally:
        stop.set()
        t.join(5)
    lines = lines[1:]  # after "watching …"
    assert lines[0] == f"accepted 'a{a[0].name}': election sim-11-40 version 1 (a new election)"
    assert lines[1].startswith(f"accepted 'a{a[1].name}': election sim-11-40 version 2 (a lone update")
    assert lines[3] == f"accepted 'b{b[0].name}': election sim-12-40 version 1 (a new election)"
    assert lines[4].startswith(f"accepted 'b{b[1].name}': election sim-12-40 version 2")
    assert [lib.served(e)[0] for e in ("sim-11-40", "sim-12-40", "kz-2023-03-19")] == [3, 2, 0]

    lines = []  # a watcher told --election sends the lone files of night a to it, after b's package
    (folder / f"c{a[3].name}").write_bytes(a[3].data)
    stop = threading.Event()
    t = threading.Thread(target=watch, args=(Routed(lib, "sim-11-40"), folder, stop, 0.05, 0.1, lines.append),
                         daemon=True)
    t.start()
    try:
        assert wait_for(lambda: len(lines) == 2, timeout=30), lines
    finally:
        stop.set()
        t.join(5)
    assert lines[1] == f"accepted 'c{a[3].name}': election sim-11-40 version 4 (as --election said)"
    assert lib.served("sim-12-40")[0] == 2


# --- files that cannot be read, named or trusted: set aside with one line, never blocking the next --------
STATUS = b"contest,status\nmazhilis_party_list,preliminary\n"


def _served_package(store, folder, tmp_path) -> list:
    """The rehearsal package ingested by the watcher (so lone updates apply); returns the night's drops."""
    drops = _opening(tmp_path)
    assert wait_for(folder.is_dir)
    (folder / drops[0].name).write_bytes(drops[0].data)
    assert wait_for(lambda: store.version() == 1), store.dir
    return drops


def _quarantined(store) -> list[Path]:
    q = store.dir / "quarantine"
    return sorted(q.iterdir()) if q.is_dir() else []


def _status(store) -> str:
    return store.current().contest(ML).status


def test_a_dangling_link_is_set_aside_and_blocks_nothing(watched, tmp_path):
    store, folder, lines = watched
    _served_package(store, folder, tmp_path)
    os.symlink(tmp_path / "nowhere.csv", folder / "001-dangling.csv")
    (folder / "002-status.csv").write_bytes(STATUS)
    assert wait_for(lambda: store.version() == 2, timeout=20), lines
    assert _status(store) == "preliminary"
    [kept] = [p for p in _quarantined(store) if p.name.endswith("-001-dangling.csv")]
    assert kept.is_symlink()  # set aside as it was: a link, not followed
    [line] = [s for s in lines if "001-dangling" in s]
    assert line.startswith("rejected '001-dangling.csv': 1 problem(s)") and "symbolic-link" in line
    assert os.listdir(folder) == [".claimed"]


def test_links_to_files_outside_are_refused_and_nothing_is_copied(watched, tmp_path):
    store, folder, lines = watched
    drops = _opening(tmp_path)
    secret = tmp_path / "secret.csv"
    secret.write_bytes(STATUS)  # a valid update: followed, it would be published
    secret.chmod(0o600)
    (tmp_path / "outside.zip").write_bytes(drops[0].data)
    assert wait_for(folder.is_dir)
    os.symlink(tmp_path / "outside.zip", folder / "000-package.zip")
    os.symlink(secret, folder / "001-status.csv")
    (folder / "002-package.zip").write_bytes(drops[0].data)
    assert wait_for(lambda: store.version() == 1 and len(lines) == 4, timeout=20), lines
    assert [h["file"] for h in store.history()] == ["002-package.zip"]
    assert all(p.is_symlink() for p in _quarantined(store))
    copies = [p for p in store.dir.rglob("*") if p.is_file() and not p.is_symlink() and p.read_bytes() == STATUS]
    assert copies == []
    assert sum("symbolic-link" in s for s in lines) == 2, lines


def test_a_name_that_is_not_utf8_is_kept_as_escaped_text(watched, tmp_path):
    store, folder, lines = watched
    _served_package(store, folder, tmp_path)
    (folder / os.fsdecode(b"001-\xd0\xe5\xe7.csv")).write_bytes(STATUS)  # "Рез" from a cp1251 system
    (folder / os.fsdecode(b"002-\xff.csv")).write_bytes(b"\x00 not a table")
    (folder / "003-status.csv").write_bytes(STATUS.replace(b"preliminary", b"final"))
    assert wait_for(lambda: store.version() == 3, timeout=20), lines
    assert _status(store) == "final"
    assert [h["file"] for h in store.history()][1:] == ["001-\\xd0\\xe5\\xe7.csv", "003-status.csv"]
    assert "accepted '001-\\xd0\\xe5\\xe7.csv': version 2" in lines
    assert any(s.startswith("rejected '002-\\xff.csv'") for s in lines), lines
    [report] = [p for p in _quarantined(store) if p.name.endswith(".problems.txt")]
    assert report.read_text(encoding="utf-8").startswith("# 002-\\xff.csv sha256")
    assert sorted(os.listdir(store.dir / "versions")) == ["1", "2", "3"]
    assert len(os.listdir(store.dir / "archive")) == 3


def _with_lone_surrogate(package: bytes) -> tuple[bytes, int]:
    """The package with a lone surrogate escape in election.json's English name; and that line's number."""
    src, out = zipfile.ZipFile(io.BytesIO(package)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for n in src.namelist():
            data = src.read(n)
            if n == "election.json":
                doc = json.loads(data)
                doc["names"]["en"] = "Elections \ud800"
                text = json.dumps(doc, indent=1)  # ASCII: the surrogate is written as the escape \ud800
                line = text[:text.index("\\ud800")].count("\n") + 1
                data = text.encode()
            z.writestr(n, data)
    return out.getvalue(), line


def test_a_lone_surrogate_is_refused_at_the_door_and_blocks_nothing(watched, tmp_path):
    store, folder, lines = watched
    drops = _opening(tmp_path)
    bad, line = _with_lone_surrogate(drops[0].data)
    assert wait_for(folder.is_dir)
    (folder / "000-bad.zip").write_bytes(bad)
    (folder / "001-package.zip").write_bytes(drops[0].data)
    assert wait_for(lambda: store.version() == 1, timeout=20), lines
    assert [h["file"] for h in store.history()] == ["001-package.zip"]
    assert lines[1].startswith(f"rejected '000-bad.zip': 1 problem(s), first: election.json:{line}: not-unicode:")
    assert [p.name.split("-", 2)[2] for p in _quarantined(store)] == ["000-bad.zip", "000-bad.zip.problems.txt"]
    assert sorted(os.listdir(store.dir / "versions")) == ["1"]


def test_a_file_that_cannot_be_read_is_set_aside(watched, tmp_path):
    store, folder, lines = watched
    _served_package(store, folder, tmp_path)
    with socket.socket(socket.AF_UNIX) as s:  # a socket cannot be opened as a file, even by root
        s.bind(str(folder / "001-results.csv"))
        (folder / "002-status.csv").write_bytes(STATUS)
        assert wait_for(lambda: store.version() == 2, timeout=20), lines
    assert any(s.startswith("rejected '001-results.csv'") and "unreadable-file" in s for s in lines), lines


def test_an_unexpected_failure_sets_the_file_aside(watched, tmp_path, monkeypatch):
    store, folder, lines = watched
    _served_package(store, folder, tmp_path)
    ingest = store.ingest

    def failing(path, sheet=None):
        if Path(path).name == "001-status.csv":
            raise ValueError("a reader fell over")
        return ingest(path, sheet)

    monkeypatch.setattr(store, "ingest", failing)
    (folder / "001-status.csv").write_bytes(STATUS)
    (folder / "002-status.csv").write_bytes(STATUS)
    assert wait_for(lambda: store.version() == 2, timeout=20), lines
    assert "failed '001-status.csv': ValueError: a reader fell over; moved to" in lines[2]
    assert [p.name.split("-", 3)[3] for p in _quarantined(store)] == ["001-status.csv"]


def test_quarantine_never_widens_a_files_permissions(watched, tmp_path):
    store, folder, lines = watched
    assert wait_for(folder.is_dir)
    part = folder / ".001-secret.csv.part"
    part.write_bytes(b"\x00 not a table")
    part.chmod(0o600)
    part.rename(folder / "001-secret.csv")
    assert wait_for(lambda: len(lines) == 2, timeout=20), lines
    [kept] = [p for p in _quarantined(store) if not p.name.endswith(".txt")]
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600


def test_a_newline_in_a_name_cannot_forge_a_log_line(watched, tmp_path):
    store, folder, lines = watched
    assert wait_for(folder.is_dir)
    (folder / "001-x\naccepted y.csv: version 9").write_bytes(b"\x00 not a table")
    assert wait_for(lambda: len(lines) == 2, timeout=20), lines
    assert lines[1].startswith("rejected '001-x\\naccepted y.csv: version 9': ")
    assert all("\n" not in s for s in lines)
