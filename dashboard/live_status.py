"""The live status — which version is served and how far the count has got — as one document, written
as a file whenever a version is published.

Every open page polls ``GET /api/v1/status`` every 2-3 s (``assets/saylau.js``). Behind nginx the answer
is a file: each publish (an ingest, the watcher, a rollback) writes its election's
``DATA_DIR/elections/<id>/public/status.json`` (``path_of`` of the election's store dir) right after
switching ``CURRENT``, and nginx serves it itself (``deploy/nginx.conf.template``) with its own
ETag and 304s. So the status is fresh the moment a version is published, and a crowd's polls cost the app
nothing. The micro-cache it replaced kept the status "1 s", which nginx's whole-second clock made up to
2 s: a third of the file -> status goal on its own (bench/bench_live.py).

The app answers the same document itself when nothing is in front of it (``dashboard.web.api``), and
rewrites the file when it finds that what it serves differs from it (a version refused after it was
published, a crash between the switch and the write): the file never announces a version the app does
not serve for long. When the file cannot be written it is removed, so nginx falls back to the app and
never keeps answering an old version.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from dashboard.electoral.progress import election_progress
from dashboard.model import Election
from dashboard.store.durable import write_atomic

log = logging.getLogger("dashboard.live_status")

PUBLIC = "public"
NAME = "status.json"


def version_key(election_id: str, version: int, content_id: str) -> str:
    """``<election>@<version>-<content id>``: what cache entries and the status are keyed by."""
    return f"{election_id}@{version}-{content_id}"


def document(election: Election, version: int, key: str, updated: str | None) -> dict:
    """The status of ``version`` (``key`` its version key; ``updated`` when it was accepted, ISO time)."""
    progress = election_progress(election)
    return {
        "election": election.id,
        "version": version,
        "version_key": key,
        "updated": updated or None,
        "status": progress.status,
        "stations_counted": progress.stations_counted,
        "stations_expected": progress.stations_expected,
    }


def encode(doc: dict) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def path_of(data_dir: str | os.PathLike) -> Path:
    return Path(data_dir) / PUBLIC / NAME


def updated_of(status: dict) -> str:
    """When the served version was accepted (ISO text) from a store status, or "" when the store does not
    say (version 0 is the embedded package, which was never ingested)."""
    if status.get("accepted_at"):
        return str(status["accepted_at"])
    version = status.get("version")
    for record in reversed(status.get("history") or []):
        if record.get("version") == version and record.get("time"):
            return str(record["time"])
    return ""


def publish(data_dir: str | os.PathLike, body: bytes) -> bool:
    """Make ``<store dir>/public/status.json`` (``DATA_DIR/elections/<id>/public/status.json``) hold ``body`` (atomically; untouched when it already does).

    Never raises: a failure is logged and the file removed, so nginx asks the app instead of answering
    an old version. Returns whether the file now holds ``body``; False without a data dir (a store
    nothing was ingested into is never created by reading it).
    """
    path = path_of(data_dir)
    if not Path(data_dir).is_dir():
        return False  # nothing ingested yet: the app serves the embedded package and answers the status
    try:
        if path.read_bytes() == body:
            return True
    except OSError:
        pass
    try:
        path.parent.mkdir(exist_ok=True)
        write_atomic(path, body)
        return True
    except OSError as e:
        log.warning("cannot write %s (%s); nginx will ask the app for the status", path, e)
        try:
            path.unlink(missing_ok=True)
        except OSError as e2:
            log.error("cannot remove %s either (%s): it may announce an old version", path, e2)
        return False


def publish_version(data_dir: str | os.PathLike, election: Election, version: int, content_id: str,
                    updated: str | None) -> bool:
    """Write the status file of a version just published (the store calls this after switching CURRENT)."""
    key = version_key(election.id, version, content_id)
    return publish(data_dir, encode(document(election, version, key, updated)))
