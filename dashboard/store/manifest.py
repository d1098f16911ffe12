"""The manifest of a stored version: which files it holds and the sha256 of each, checked on every load.

``versions/<N>/MANIFEST.json`` is written before the version folder is renamed into place, and its own
sha256 goes into ``history.jsonl``; so a file changed, added or removed in a version folder, or a manifest
rewritten to match, is caught when the version is loaded (the history line no longer matches). The first
16 hex digits of the manifest's sha256 are the version's *content id*: equal ids mean equal figures.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from dashboard.ingest.rules import StoreProblem

MANIFEST = "MANIFEST.json"
#: Bump when the layout of a version folder changes; a loader refuses schemas it does not know.
SCHEMA = 1


class IntegrityError(StoreProblem):
    """A stored version does not match its manifest or its history record: it is never served."""


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_bytes(files: dict[str, bytes]) -> bytes:
    """The canonical manifest of ``files`` (name -> bytes): sorted keys, so equal files give equal bytes."""
    doc = {"schema": SCHEMA, "files": {n: sha256_bytes(files[n]) for n in sorted(files)}}
    return (json.dumps(doc, sort_keys=True, indent=1) + "\n").encode("utf-8")


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every regular file directly in ``folder`` except the manifest; anything else there is an error."""
    out: dict[str, bytes] = {}
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as e:
        raise IntegrityError(f"{folder} cannot be read ({e.strerror}); serve another version with "
                             "'python -m dashboard rollback N'") from None
    for entry in entries:
        if entry.name == MANIFEST:
            continue
        if entry.is_symlink() or not entry.is_file():
            raise IntegrityError(f"{folder}: «{entry.name}» is not a regular file")
        try:
            with open(entry.path, "rb") as fh:
                out[entry.name] = fh.read()
        except OSError as e:
            raise IntegrityError(f"{entry.path} cannot be read ({e.strerror})") from None
    return out


def write_manifest(folder: Path) -> str:
    """Write ``folder``'s MANIFEST.json; returns its sha256 (to be recorded in history.jsonl)."""
    data = manifest_bytes(folder_bytes(folder))
    with open(folder / MANIFEST, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return sha256_bytes(data)


def content_sha(folder: Path) -> str:
    """sha256 of the manifest ``folder`` would get (used for the embedded package, which has none)."""
    return sha256_bytes(manifest_bytes(folder_bytes(folder)))


def verified_files(folder: Path, expected_sha: str | None, label: str) -> dict[str, bytes]:
    """The package files of a version folder, after checking them all; raises IntegrityError naming the fault.

    ``expected_sha`` is the manifest sha256 from history.jsonl; a version without one (written before
    manifests existed) is refused: nothing vouches for its files.
    """
    what = f"{label} ({folder})"
    fix = "serve another version (python -m dashboard rollback N) and re-ingest its archived upload"
    if not expected_sha:
        raise IntegrityError(f"{what} has no manifest sha256 in history.jsonl; {fix}")
    try:
        raw = (folder / MANIFEST).read_bytes()
    except FileNotFoundError:
        raise IntegrityError(f"{what} has no {MANIFEST}; {fix}") from None
    if sha256_bytes(raw) != expected_sha:
        raise IntegrityError(f"{what}: {MANIFEST} does not match the sha256 recorded in history.jsonl; {fix}")
    try:
        doc = json.loads(raw)
        listed = dict(doc["files"])
        schema = doc["schema"]
    except (ValueError, KeyError, TypeError):
        raise IntegrityError(f"{what}: {MANIFEST} is not a manifest; {fix}") from None
    if schema != SCHEMA:
        raise IntegrityError(f"{what}: manifest schema {schema!r} is not {SCHEMA}; upgrade the dashboard or {fix}")
    files = folder_bytes(folder)
    for name in sorted(set(listed) | set(files)):
        if name not in files:
            raise IntegrityError(f"{what}: {name} is listed in {MANIFEST} but missing; {fix}")
        if name not in listed:
            raise IntegrityError(f"{what}: {name} is not in {MANIFEST} (added after the version was written); {fix}")
        if sha256_bytes(files[name]) != listed[name]:
            raise IntegrityError(f"{what}: {name} does not match its sha256 in {MANIFEST} (changed on disk); {fix}")
    return files
