"""The live status file each publish writes (``DATA_DIR/elections/<id>/public/status.json``, served by nginx
to every open page of that election): it names the version just switched to, with its count, and never blocks or breaks a publish."""

from __future__ import annotations

import json

from dashboard.rehearsal.replay import rehearsal_night
from dashboard.store.library import Library
from dashboard.store.store import Store

N = 30


def _status(store: Store) -> dict:
    return json.loads((store.dir / "public" / "status.json").read_bytes())


def _ingest(store: Store, tmp_path, drop) -> int:
    path = tmp_path / drop.name
    path.write_bytes(drop.data)
    return store.ingest(path)


def test_each_publish_rewrites_the_status_with_its_version_and_count(tmp_path):
    store = Store(tmp_path / "data")
    night = rehearsal_night(N, seed=3, batches=3)
    assert _ingest(store, tmp_path, night[0]) == 1
    doc = _status(store)
    assert (doc["version"], doc["status"], doc["stations_counted"], doc["stations_expected"]) == (1, "counting", 0, N + 1)
    first = [d for d in night if "-results-" in d.name][0]
    counted = {line.split(",")[1] for line in first.data.decode().splitlines()[1:]
               if line.startswith("mazhilis_party_list,")}
    assert _ingest(store, tmp_path, first) == 2
    doc = _status(store)
    assert doc["version"] == 2 and doc["stations_counted"] == len(counted) > 0
    record = store.history()[-1]
    assert doc["updated"] == record["time"]
    assert doc["version_key"] == f"{doc['election']}@2-{record['manifest_sha256'][:16]}"
    # a rollback is a publish too: the status names the new version, whose figures are version 1's
    assert store.rollback(1) == 3
    doc = _status(store)
    assert (doc["version"], doc["stations_counted"]) == (3, 0)


def test_a_status_file_that_cannot_be_written_does_not_stop_the_publish(tmp_path):
    store = Store(tmp_path / "data")
    night = rehearsal_night(N, seed=3, batches=3)
    assert _ingest(store, tmp_path, night[0]) == 1
    (store.dir / "public" / "status.json").unlink()
    (store.dir / "public").rmdir()
    (store.dir / "public").write_text("not a folder")  # so the status file cannot be written
    assert _ingest(store, tmp_path, night[1]) == 2  # published all the same
    assert store.version() == 2 and (store.dir / "CURRENT").read_text() == "2\n"


def test_each_election_has_its_own_status_file(tmp_path):
    lib = Library(tmp_path / "data")
    a, b = rehearsal_night(N, seed=3, batches=3), rehearsal_night(N, seed=4, batches=3)
    for drop in (a[0], b[0]):
        path = tmp_path / drop.name
        path.write_bytes(drop.data)
        lib.ingest(path)
    path_a = tmp_path / "data" / "elections" / "sim-3-30" / "public" / "status.json"
    path_b = tmp_path / "data" / "elections" / "sim-4-30" / "public" / "status.json"
    before = path_a.read_bytes()
    assert (json.loads(before)["election"], json.loads(path_b.read_bytes())["election"]) == ("sim-3-30", "sim-4-30")
    assert lib.store("sim-4-30").rollback(1) == 2  # a publish of b
    assert json.loads(path_b.read_bytes())["version"] == 2
    assert path_a.read_bytes() == before  # a's status is a's alone
    assert not (tmp_path / "data" / "public").exists()
