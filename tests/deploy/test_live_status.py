"""Through nginx: ``/e/<election>/status.json`` names a version the moment it is published — nginx answers
it from the file each publish of that election writes (``DATA_DIR/elections/<id>/public/status.json``,
``dashboard/live_status.py``), with its own ETag and 304 — and falls back to the app when there is no
file. The election id in the path is checked by nginx's location: no other folder is ever read."""

from __future__ import annotations

import json
import re

from dashboard.rehearsal.replay import rehearsal_night
from dashboard.store.library import Library

STATIONS = 40
ELECTION = "sim-5-40"  # rehearsal_night(STATIONS, seed=5)
STATUS = f"/e/{ELECTION}/status.json"


def _status(dt, port, headers=None):
    status, hdrs, body = dt.request(port, "GET", STATUS, headers=headers)
    return status, hdrs, (json.loads(body) if status == 200 else None)


def test_a_published_version_is_in_the_status_at_the_next_request(new_stack, dt, tmp_path):
    store = Library(new_stack.data_dir)
    night = rehearsal_night(STATIONS, seed=5, batches=2)
    results = [d for d in night if "-results-" in d.name]
    for version, drop in enumerate([night[0], *results], start=1):
        path = tmp_path / drop.name
        path.write_bytes(drop.data)
        assert (store.ingest(path).election, store.store(ELECTION).version()) == (ELECTION, version)
        # the very next request, not "within a second or two": no cache stands between
        status, headers, doc = _status(dt, new_stack.port)
        assert status == 200 and doc["version"] == version, (version, doc)
        assert doc["stations_expected"] == STATIONS + 1  # the 40 stations and abroad (stations.csv)
        assert headers["cache-control"] == "no-cache" and headers["access-control-allow-origin"] == "*"
        assert headers["content-type"] == "application/json" and headers["x-content-type-options"] == "nosniff"
        again = dt.request(new_stack.port, "GET", STATUS, headers={"If-None-Match": headers["etag"]})
        assert again[0] == 304
    assert doc["status"] == "counting" and 0 < doc["stations_counted"] <= STATIONS + 1
    # answered by nginx from the file: nginx's ETag is "<mtime>-<size>" in hex, the app's 20 hex digits
    assert re.fullmatch(r'"[0-9a-f]+-[0-9a-f]+"', headers["etag"]), headers["etag"]
    assert dt.request(new_stack.port, "POST", STATUS, b"{}")[0] == 405
    # the 2023 election has its own status (answered by the app: nothing was published to it)
    status, _h, old = dt.request(new_stack.port, "GET", "/e/kz-2023-03-19/status.json")
    assert status == 200 and json.loads(old)["election"] == "kz-2023-03-19"
    # an id nginx's location refuses never reaches a folder: the app answers 404 (or nginx 400)
    for path in ("/e/..%2F..%2Fetc/status.json", "/e/KZ/status.json", "/e/kz-1999-01-01/status.json",
                 "/e/a/../../status.json"):
        status, _h, body = dt.request(new_stack.port, "GET", path)
        assert status in (400, 404) and b"stations_counted" not in body, path


def test_without_the_file_the_app_answers(new_stack, dt, tmp_path):
    store = Library(new_stack.data_dir)
    package = rehearsal_night(STATIONS, seed=5, batches=2)[0]
    (tmp_path / package.name).write_bytes(package.data)
    assert store.ingest(tmp_path / package.name).version == 1
    status_file = new_stack.data_dir / "elections" / ELECTION / "public" / "status.json"
    status_file.unlink()
    status, headers, doc = _status(dt, new_stack.port)
    assert status == 200 and doc["version"] == 1 and doc["stations_expected"] == STATIONS + 1
    assert re.fullmatch(r'"[0-9a-f]{20}"', headers["etag"]), headers["etag"]  # the app's own ETag
    # ... and the app puts the file back (it says what the app serves), so the next poll is nginx's again
    assert json.loads(status_file.read_bytes())["version"] == 1
