"""The seven votes the record is tested on: 2023 (embedded) and the six since 2019, wherever they are
staged (``dashboard/data/`` once embedded, ``history-packages/`` before)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from dashboard.ingest.package import load_package

ROOT = Path(__file__).resolve().parents[2]
IDS = ("kz-2019-06-09", "kz-2021-01-10", "kz-2022-06-05", "kz-2022-11-20", "kz-2023-03-19", "kz-2024-10-06",
       "kz-2026-03-15")


def package_dir(eid: str) -> Path:
    for base in (ROOT / "dashboard" / "data", ROOT / "history-packages"):
        if (base / eid / "election.json").is_file():
            return base / eid
    raise FileNotFoundError(eid)


@cache
def vote(eid: str):
    return load_package(package_dir(eid))


def votes():
    return [vote(eid) for eid in IDS]


def library_app(tmp_path):
    """The app on a data dir holding all seven votes (each not embedded is ingested)."""
    from dashboard.app import create_app
    from dashboard.config import Config
    from dashboard.store.library import Library

    lib = Library(tmp_path / "data")
    for eid in IDS:
        if not lib.known(eid):
            lib.ingest(package_dir(eid))
    return create_app(Config(data_dir=tmp_path / "data"))
