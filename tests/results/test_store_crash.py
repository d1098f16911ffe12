"""Real crashes and full disks: an ingest killed with SIGKILL, or failing with ENOSPC, at each step of its
writing order leaves the served version and figures as they were, its leftovers are cleaned, and the
same upload ingested again succeeds. Operator problems print one line and exit 3 (a rejection exits 1).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.ingest.rules import StoreProblem
from dashboard.store.durable import FAULT_ENV
from dashboard.store.store import Store

from .conftest import write_stations
from .test_store import _cached_embedded
from .test_store_integrity import N, marker

ROOT = Path(__file__).resolve().parents[2]
#: The named points between the fsynced writes of an ingest, in order (see store.py's docstring).
STEPS = ["staged", "written", "built", "renamed", "archived", "logged"]


#: The election of ``write_stations``' packages: its store is DATA_DIR/elections/sim-2027.
ELECTION = "sim-2027"


def store_dir(root: Path) -> Path:
    return root / "elections" / ELECTION


def cli(*args, data_dir: Path, fault: str | None = None):
    """The command, run on the data dir; given an election's store dir, on the data dir holding it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop(FAULT_ENV, None)
    if fault:
        env[FAULT_ENV] = fault
    if data_dir.parent.name == "elections":
        data_dir = data_dir.parent.parent
    return subprocess.run([sys.executable, "-m", "dashboard", *map(str, args), "--data-dir", str(data_dir)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)


def served(data: Path) -> tuple[int, int]:
    s = Store(data, embedded=_cached_embedded)
    return s.version(), marker(s.current())


def leftovers(data: Path) -> list[str]:
    """Everything in the data dir that no committed version accounts for."""
    s = Store.__new__(Store)  # read history without a Store start (which would clean up)
    s.dir = data
    versions = {h["version"] for h in s._history(strict=True)[0]}
    archives = {h.get("archive") for h in s._history(strict=True)[0]}
    out = [str(p.relative_to(data)) for p in (data / "incoming").glob("*")]
    out += [str(p.relative_to(data)) for p in (data / "versions").iterdir()
            if not (p.name.isdigit() and int(p.name) in versions)]
    out += [str(p.relative_to(data)) for p in (data / "archive").iterdir()
            if str(p.relative_to(data)) not in archives]
    out += [p.name for p in data.glob(".CURRENT.*")]
    return out


@pytest.fixture
def setup(tmp_path):
    data = store_dir(tmp_path / "data")
    first, second = write_stations(tmp_path / "a", N, marker=1), write_stations(tmp_path / "b", N, marker=2)
    assert cli("ingest", first, data_dir=data).returncode == 0
    return data, second


@pytest.mark.parametrize("step", STEPS)
def test_kill_9_at_each_step_then_retry(setup, step):
    data, upload = setup
    current_before = (data / "CURRENT").read_bytes()
    r = cli("ingest", upload, data_dir=data, fault=f"crash:{step}")
    assert r.returncode == -signal.SIGKILL, (r.returncode, r.stderr)
    assert (data / "CURRENT").read_bytes() == current_before
    if step != "logged":  # the crash left something behind for the clean-up to find
        assert leftovers(data), step
    assert served(data) == (1, 1)

    retry = cli("ingest", upload, data_dir=data)
    assert retry.returncode == 0, retry.stderr
    expected = 3 if step == "logged" else 2  # a crash after the history line leaves that version unserved
    assert f"version {expected} is now current" in retry.stdout
    assert served(data) == (expected, 2)
    assert leftovers(data) == []
    check = cli("status", "--check", data_dir=data)
    assert check.returncode == 0, check.stderr


def test_kill_9_during_rollback(setup):
    data, upload = setup
    assert cli("ingest", upload, data_dir=data).returncode == 0
    assert cli("rollback", "1", data_dir=data, fault="crash:renamed").returncode == -signal.SIGKILL
    assert served(data) == (2, 2)
    assert cli("rollback", "1", data_dir=data).returncode == 0
    assert served(data) == (3, 1) and leftovers(data) == []


def test_leftovers_are_cleaned_at_store_start(setup):
    data, upload = setup
    assert cli("ingest", upload, data_dir=data, fault="crash:archived").returncode == -signal.SIGKILL
    assert sorted(leftovers(data)) == ["archive/" + next((data / "archive").glob("2-*")).name, "versions/2"]
    Store(data, embedded=_cached_embedded)
    assert leftovers(data) == []


@pytest.mark.parametrize("step", STEPS)
def test_disk_full_at_each_step_then_retry(setup, step, monkeypatch):
    data, upload = setup
    store = Store(data, embedded=_cached_embedded)
    monkeypatch.setenv(FAULT_ENV, f"enospc:{step}")
    with pytest.raises(StoreProblem, match="is full"):
        store.ingest(upload)
    assert leftovers(data) == []
    assert served(data) == (1, 1) and (store.version(), marker(store.current())) == (1, 1)
    monkeypatch.delenv(FAULT_ENV)
    v = store.ingest(upload)
    assert v == (3 if step == "logged" else 2) and served(data) == (v, 2)


def test_disk_full_in_the_history_write_leaves_history_as_it_was(setup, monkeypatch):
    """ENOSPC inside the append itself (a partial line) is cut back, so history.jsonl stays parseable."""
    import dashboard.store.durable as durable

    data, upload = setup
    before = (data / "history.jsonl").read_bytes()
    real_write = os.write

    def half_then_full(fd, b):
        if b.startswith(b'{"version": 2'):
            real_write(fd, b[: len(b) // 2])
            raise OSError(28, "No space left on device")
        return real_write(fd, b)

    monkeypatch.setattr(durable.os, "write", half_then_full)
    store = Store(data, embedded=_cached_embedded)
    with pytest.raises(StoreProblem, match="is full"):
        store.ingest(upload)
    assert (data / "history.jsonl").read_bytes() == before and leftovers(data) == []
    monkeypatch.undo()
    assert store.ingest(upload) == 2 and served(data) == (2, 2)


def test_disk_full_through_the_command_is_one_line_exit_3(setup):
    data, upload = setup
    r = cli("ingest", upload, data_dir=data, fault="enospc:built")
    assert r.returncode == 3 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and "is full" in r.stderr and "Traceback" not in r.stderr


# --- a real small disk and a real read-only mount (root can mount tmpfs; otherwise permissions) ---------
@contextlib.contextmanager
def tmpfs(path: Path, size: str):
    path.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({r.stderr.decode().strip()})")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def test_real_full_disk(tmp_path):
    with tmpfs(tmp_path / "small", "512k") as data:
        assert cli("ingest", write_stations(tmp_path / "a", N, marker=1), data_dir=data).returncode == 0
        big = write_stations(tmp_path / "big", 4000, marker=2)  # ~300 KB: no room for staging + version
        r = cli("ingest", big, data_dir=data)
        assert r.returncode == 3, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and "is full" in r.stderr
        assert served(store_dir(data)) == (1, 1) and leftovers(store_dir(data)) == []
        subprocess.run(["mount", "-o", "remount,size=8m", str(data)], check=True)
        r = cli("ingest", big, data_dir=data)
        assert r.returncode == 0, r.stderr
        s = Store(store_dir(data), embedded=_cached_embedded)
        assert s.version() == 2 and len(s.current().results) == 4001


def test_read_only_data_dir(tmp_path):
    data = tmp_path / "ro"
    with tmpfs(data, "4m") if os.geteuid() == 0 else contextlib.nullcontext(data):
        assert cli("ingest", write_stations(tmp_path / "a", N, marker=1), data_dir=data).returncode == 0
        if os.geteuid() == 0:
            subprocess.run(["mount", "-o", "remount,ro", str(data)], check=True)
        else:
            for p in (data, *data.rglob("*")):
                p.chmod(0o555 if p.is_dir() else 0o444)
        r = cli("ingest", write_stations(tmp_path / "b", N, marker=2), data_dir=data)
        assert r.returncode == 3 and len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert "not writable" in r.stderr and "Traceback" not in r.stderr
        st = cli("status", "--check", data_dir=data)
        assert st.returncode == 0 and f"election {ELECTION} (2023-03-19): version 1" in st.stdout, st.stderr
        assert served(store_dir(data)) == (1, 1)


# --- damaged CURRENT and history.jsonl ------------------------------------------------------------------
def test_damaged_current(setup):
    data, upload = setup
    (data / "CURRENT").write_text("garbage\n")
    for args in (("status",), ("ingest", upload)):
        r = cli(*args, data_dir=data)
        assert r.returncode == 3, (args, r.stderr)
        err = r.stderr.strip().splitlines()
        assert len(err) == 1 and "CURRENT is damaged" in err[0] and "rollback N" in err[0]
    # The web keeps serving the newest good version meanwhile; the advised repair works.
    assert served(data) == (1, 1)
    assert cli("rollback", "1", data_dir=data).returncode == 0
    assert cli("status", "--check", data_dir=data).returncode == 0 and served(data) == (2, 1)


@pytest.mark.parametrize("damage", ["truncated", "garbled"])
def test_damaged_last_history_line(setup, damage):
    data, upload = setup
    assert cli("ingest", upload, data_dir=data).returncode == 0
    path = data / "history.jsonl"
    lines = path.read_text().splitlines()
    last = lines[-1][: len(lines[-1]) // 2] if damage == "truncated" else "\x00\x00 #?!"
    path.write_text(lines[0] + "\n" + last)
    for args in (("status",), ("ingest", upload), ("rollback", "1")):
        r = cli(*args, data_dir=data)
        assert r.returncode == 3, (args, r.stderr)
        err = r.stderr.strip().splitlines()
        assert len(err) == 1 and "history.jsonl line 2 is damaged" in err[0] and "Traceback" not in r.stderr
    # Version 2 can no longer be vouched for: a fresh web worker serves version 1, not unchecked figures.
    assert served(data) == (1, 1)


def test_rejection_still_exits_1(setup, tmp_path):
    data, _ = setup
    bad = tmp_path / "results.csv"
    bad.write_text("contest,unit,registered\nmazhilis_party_list,kz,-5\n")
    assert cli("ingest", bad, data_dir=data).returncode == 1


def test_disk_full_while_quarantining_still_reports_the_rejection(setup, tmp_path, monkeypatch):
    import errno

    import dashboard.store.store as store_module
    from dashboard.ingest.rules import Rejected

    data, _ = setup
    bad = tmp_path / "results.csv"
    bad.write_text("contest,unit,registered\nmazhilis_party_list,kz,-5\n")

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_module, "write_atomic", full)
    e = pytest.raises(Rejected, Store(data, embedded=_cached_embedded).ingest, bad).value
    assert e.quarantined is None and {p.rule for p in e.problems} == {"missing-column", "negative-count"}
    assert leftovers(data) == [] and served(data) == (1, 1)


def test_summary_on_a_store_with_no_good_version_is_one_line(setup):
    data, _ = setup
    (data / "versions" / "1" / "results.csv").write_text("garbage")
    r = cli("summary", "--election", ELECTION, "--contest", "mazhilis_party_list", data_dir=data)
    assert r.returncode == 3 and len(r.stderr.strip().splitlines()) == 1 and "version 1" in r.stderr
