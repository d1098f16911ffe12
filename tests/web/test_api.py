"""``GET /e/<election>/status.json`` against a real store with two versions of an election: the body names
the served version, the ETag is strong and changes with the version, unchanged versions are answered 304,
and the body is built once per version (the memo is hit, not rebuilt) per process; the one-election
site's ``/api/v1/status`` moved to 2023's."""

from __future__ import annotations

import json

import pytest

from dashboard.app import create_app
from dashboard.components import data as data_module
from dashboard.config import Config
from dashboard.rehearsal.simulate import write_simulated
from dashboard.store.library import Library
from tests.serving import E2023

ELECTION = "sim-7-60"
URL = f"/e/{ELECTION}/status.json"


def _station_counts(package) -> tuple[int, int]:
    """(stations with a Mazhilis party-list row, stations listed), read straight from the files."""
    import csv

    with open(package / "stations.csv", encoding="utf-8") as fh:
        expected = {r["unit"] for r in csv.DictReader(fh)}
    with open(package / "results.csv", encoding="utf-8") as fh:
        counted = {r["unit"] for r in csv.DictReader(fh) if r["contest"] == "mazhilis_party_list"}
    return len(counted & expected), len(expected)


def _history(data) -> dict[int, dict]:
    lines = (data / "elections" / ELECTION / "history.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["version"]: r for r in map(json.loads, lines)}


@pytest.fixture
def two_versions(tmp_path):
    data = tmp_path / "data"
    store = Library(data)
    # version 1: 30 % through the count; version 2: the same election, fully counted
    write_simulated(tmp_path / "sim1", 60, 7, reported_fraction=0.3)
    write_simulated(tmp_path / "sim2", 60, 7)
    store.ingest(tmp_path / "sim1")
    return data, store, tmp_path / "sim2"


def test_status_names_the_served_version_and_follows_a_new_one(two_versions):
    data, store, second = two_versions
    app = create_app(Config(data_dir=data, default_election=E2023))
    client = app.server.test_client()

    first = client.get(URL)
    assert first.status_code == 200
    assert first.mimetype == "application/json"
    assert first.headers["Cache-Control"] == "no-cache"
    etag, weak = first.get_etag()
    assert etag and not weak
    body = first.get_json()
    folder = data / "elections" / ELECTION
    election_id = json.loads((folder / "versions" / "1" / "election.json").read_text(encoding="utf-8"))["id"]
    assert body["election"] == election_id == ELECTION
    assert body["version"] == 1
    manifest = _history(data)[1]["manifest_sha256"]  # the version's content id, as the store recorded it
    assert body["version_key"] == f"{election_id}@1-{manifest[:16]}"
    assert body["updated"] == _history(data)[1]["time"]
    assert body["status"] == "counting"
    assert (body["stations_counted"], body["stations_expected"]) == _station_counts(folder / "versions" / "1")
    assert (body["stations_counted"], body["stations_expected"]) == (18, 61)  # round(0.3 * 61) of 61
    assert set(body) == {
        "election",
        "version",
        "version_key",
        "updated",
        "status",
        "stations_counted",
        "stations_expected",
    }

    # the client revalidates: same version -> 304 without a body, with the same ETag
    again = client.get(URL, headers={"If-None-Match": f'"{etag}"'})
    assert again.status_code == 304
    assert again.data == b""
    assert again.get_etag() == (etag, False)
    assert again.headers["Cache-Control"] == "no-cache"

    store.ingest(second)
    changed = client.get(URL, headers={"If-None-Match": f'"{etag}"'})
    assert changed.status_code == 200
    new_etag, _weak = changed.get_etag()
    assert new_etag != etag
    body2 = changed.get_json()
    assert body2["version"] == 2
    assert body2["version_key"].endswith(f"@2-{_history(data)[2]['manifest_sha256'][:16]}")
    assert body2["updated"] == _history(data)[2]["time"]
    assert body2["status"] == "final"
    assert (body2["stations_counted"], body2["stations_expected"]) == (61, 61)


def test_status_body_is_built_once_per_version(two_versions):
    data, store, second = two_versions
    app = create_app(Config(data_dir=data, default_election=E2023))
    memo = app.server.extensions["saylau_status"]
    client = app.server.test_client()
    bodies = [client.get(URL).data for _ in range(5)]
    assert memo.computed == 1  # four of five answered from the memo
    assert len(set(bodies)) == 1
    store.ingest(second)
    assert client.get(URL).get_json()["version"] == 2
    assert client.get(URL).get_json()["version"] == 2
    assert memo.computed == 2


def test_status_of_the_embedded_package_has_no_update_time(tmp_path):
    app = create_app(Config(data_dir=tmp_path / "empty", default_election=E2023))
    body = app.server.test_client().get("/e/kz-2023-03-19/status.json").get_json()
    assert body["version"] == 0
    assert body["election"] == "kz-2023-03-19"
    assert body["version_key"].startswith("kz-2023-03-19@0-")
    assert body["updated"] is None
    # 2023: final, and no station list, so no station counts are claimed
    assert (body["status"], body["stations_counted"], body["stations_expected"]) == ("final", None, None)


def test_the_app_mends_the_status_file_but_never_writes_an_older_version_over_a_newer_one(two_versions):
    data, store, second = two_versions
    folder = data / "elections" / ELECTION
    status_file = folder / "public" / "status.json"
    app = create_app(Config(data_dir=data, default_election=E2023))
    client = app.server.test_client()
    status_file.write_text('{"version": 99}')  # wrong (as after a crash between the switch and the write)
    source = app.server.extensions["saylau"]
    with app.server.app_context():
        v, election, key = source.served(ELECTION)
    assert v == 1 and json.loads(status_file.read_bytes())["version"] == 1  # the app wrote what it serves
    stale_signature = data_module._signature(folder / "CURRENT")
    store.ingest(second)  # version 2 published; its status written by the publish
    assert json.loads(status_file.read_bytes())["version"] == 2
    # a worker that loaded version 1 before the switch, and only now gets to write: it must not
    source._publish_status(store.store(ELECTION), 1, election, key, stale_signature)
    assert json.loads(status_file.read_bytes())["version"] == 2
    assert client.get(URL).get_json()["version"] == 2


def test_the_one_election_status_moved_to_2023s(tmp_path):
    client = create_app(Config(data_dir=tmp_path / "empty", default_election=E2023)).server.test_client()
    moved = client.get("/api/v1/status")
    assert (moved.status_code, moved.headers["Location"]) == (301, "/e/kz-2023-03-19/status.json")
    unknown = client.get("/e/kz-1999-01-01/status.json")
    assert unknown.status_code == 404 and unknown.get_json()["error"] == "not found"
