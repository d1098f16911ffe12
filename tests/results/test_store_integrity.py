"""Every stored file is checked against its manifest, and the manifest against history.jsonl, on each load;
a version failing that is refused loudly and never served. No stored file can execute code on load."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.store.fastload import FRAMES
from dashboard.store.manifest import MANIFEST, IntegrityError
from dashboard.store.store import Store

from .conftest import write_stations
from .test_store import _cached_embedded

ROOT = Path(__file__).resolve().parents[2]
N = 40  # stations per package


def marker(election) -> int:
    """Which package is served: every station has registered = 1000 + marker, and kz is their sum."""
    res = election.results
    stations = res[res["unit"] != "kz"]
    kz = int(res.loc[res["unit"] == "kz", "registered"].iloc[0])
    (m,) = set(stations["registered"].tolist())
    assert len(stations) == N and kz == N * m
    return m - 1000


@pytest.fixture
def two(tmp_path):
    """A store with versions 1 (marker 1) and 2 (marker 2), 2 current: election sim-2027 of the data dir
    tmp_path/data (``write_stations``' election; the store of one election is DATA_DIR/elections/<id>)."""
    store = Store(tmp_path / "data" / "elections" / "sim-2027", embedded=_cached_embedded)
    store.ingest(write_stations(tmp_path / "a", N, marker=1))
    store.ingest(write_stations(tmp_path / "b", N, marker=2))
    return store


def fresh(store: Store) -> Store:
    return Store(store.dir, embedded=_cached_embedded)


def cli(*args, data_dir: Path):
    """The command, run on the data dir; given an election's store dir, on the data dir holding it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if data_dir.parent.name == "elections":
        data_dir = data_dir.parent.parent
    return subprocess.run([sys.executable, "-m", "dashboard", *map(str, args), "--data-dir", str(data_dir)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)


def test_manifest_lists_every_file_and_history_records_its_sha(two):
    for h in two.history():
        folder = two.dir / "versions" / str(h["version"])
        raw = (folder / MANIFEST).read_bytes()
        assert h["manifest_sha256"] == hashlib.sha256(raw).hexdigest()
        listed = json.loads(raw)
        assert listed["schema"] == 1
        assert listed["files"] == {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                                   for p in folder.iterdir() if p.name != MANIFEST}
        assert set(listed["files"]) == {"election.json", "results.csv", FRAMES}
    assert not list(two.dir.rglob("*.pickle"))


@pytest.mark.parametrize("tamper", ["change", "remove", "add", "manifest-matching", "pickle", "cache", "folder"])
def test_tampered_current_version_is_never_served(two, tamper, tmp_path, caplog):
    v2 = two.dir / "versions" / "2"
    results = v2 / "results.csv"
    if tamper == "change":  # one figure changed on disk
        results.write_text(results.read_text().replace(",1002,", ",1003,", 1))
    elif tamper == "remove":
        results.unlink()
    elif tamper == "add":  # an extra file the loader would read
        (v2 / "turnout.csv").write_text("time,unit,turnout_pct\nfinal,kz,99\n")
    elif tamper == "folder":  # the whole version folder gone
        import shutil

        shutil.rmtree(v2)
    elif tamper == "cache":  # the fast-load copy changed (it would override the CSVs if trusted)
        data = bytearray((v2 / FRAMES).read_bytes())
        data[len(data) // 2] ^= 1
        (v2 / FRAMES).write_bytes(bytes(data))
    elif tamper == "manifest-matching":  # the manifest rewritten to match the change: history still knows
        results.write_text(results.read_text().replace(",1002,", ",1003,", 1))
        doc = json.loads((v2 / MANIFEST).read_text())
        doc["files"]["results.csv"] = hashlib.sha256(results.read_bytes()).hexdigest()
        (v2 / MANIFEST).write_text(json.dumps(doc))
    else:  # a pickle that would run code if anything unpickled it
        flag = tmp_path / "pwned"

        class Evil:
            def __reduce__(self):
                return (os.system, (f"touch {flag}",))

        (v2 / ".election.pickle").write_bytes(pickle.dumps(Evil()))
    # A web worker that already served version 1 keeps serving it when CURRENT names the bad version 2.
    web = fresh(two)
    (two.dir / "CURRENT").write_text("1\n")
    assert marker(web.current()) == 1
    (two.dir / "CURRENT").write_text("2\n")
    with caplog.at_level(logging.ERROR, "dashboard.store.store"):
        assert marker(web.current()) == 1 and web.version() == 1
    assert any("version 2" in r.getMessage() for r in caplog.records)
    assert any("version 2" in p for p in web.status()["problems"])
    # A fresh process (no version served yet) falls back to the newest good one too.
    new = fresh(two)
    assert marker(new.current()) == 1 and new.version() == 1
    if tamper == "pickle":
        assert not (tmp_path / "pwned").exists()
    # status --check names the bad version and exits 3; the good one passes.
    r = cli("status", "--check", data_dir=two.dir)
    assert r.returncode == 3 and "version 2" in r.stderr and "version 1 " not in r.stderr
    assert "Traceback" not in r.stderr


def test_no_good_version_at_all_is_an_error_not_figures(two):
    for v in ("1", "2"):
        (two.dir / "versions" / v / "results.csv").write_text("garbage")
    with pytest.raises(IntegrityError, match="version 2"):
        fresh(two).current()


def test_check_passes_on_a_sound_store_and_names_history_tampering(two):
    r = cli("status", "--check", data_dir=two.dir)
    assert r.returncode == 0 and "every version (2) of 8 elections matches" in r.stdout, r.stderr
    lines = (two.dir / "history.jsonl").read_text().splitlines()
    first = json.loads(lines[0])
    first["manifest_sha256"] = "0" * 64
    (two.dir / "history.jsonl").write_text(json.dumps(first) + "\n" + lines[1] + "\n")
    r = cli("status", "--check", data_dir=two.dir)
    assert r.returncode == 3 and "version 1" in r.stderr and "does not match the sha256 recorded" in r.stderr


def test_version_without_manifest_is_refused(two):
    (two.dir / "versions" / "2" / MANIFEST).unlink()
    store = fresh(two)
    assert marker(store.current()) == 1
    assert any(f"has no {MANIFEST}" in p for p in store.status()["problems"])


def test_content_id(two, tmp_path):
    ids = {v: two.content_id(v) for v in (0, 1, 2)}
    assert all(len(i) == 16 and int(i, 16) >= 0 for i in ids.values()) and len(set(ids.values())) == 3
    assert ids[1] == json.loads((two.dir / "history.jsonl").read_text().splitlines()[0])["manifest_sha256"][:16]
    # Rolling back reuses the content, so caches keyed on it stay warm; version 0 is stable across processes.
    assert two.content_id(two.rollback(1)) == ids[1]
    assert fresh(two).content_id(0) == ids[0]
    # The same package ingested into another store gets the same id (it names content, not history).
    other = Store(tmp_path / "other", embedded=_cached_embedded)
    assert other.content_id(other.ingest(write_stations(tmp_path / "a2", N, marker=2))) == ids[2]


def test_rollback_refuses_to_copy_a_bad_version(two):
    (two.dir / "versions" / "1" / "results.csv").write_text("garbage")
    with pytest.raises(IntegrityError, match="version 1"):
        fresh(two).rollback(1)
    assert fresh(two).version() == 2


def test_web_data_source_keeps_serving_the_good_version(two):
    """What the pages call (components/data.py): figures and version number stay those of version 1."""
    from dashboard.components.data import DataSource
    from dashboard.config import Config

    (two.dir / "CURRENT").write_text("1\n")
    source = DataSource(Config(data_dir=two.dir.parents[1], default_election="sim-2027"))
    assert marker(source.election()) == 1 and source.version() == 1
    (two.dir / "versions" / "2" / "results.csv").write_text("contest,unit\n")
    (two.dir / "CURRENT").write_text("2\n")
    assert marker(source.election()) == 1 and source.version() == 1
    assert any("version 2" in p for p in source.status()["problems"])
    # Once the operator serves a good version again, the long-running worker follows and stops complaining.
    assert fresh(two).rollback(1) == 3
    assert marker(source.election()) == 1 and source.version() == 3
    assert "problems" not in source.status()
