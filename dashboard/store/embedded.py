"""The elections shipped inside the project: every folder of ``dashboard/data/`` with an election.json.

Each is version 0 of its own election's store (``library.py``): served before anything is ingested for
it, and always there. The 2023 election (``EMBEDDED_ID``) was the only one before issue #18; its
helpers stay for the code and tests that mean that election.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path

from dashboard.ingest.package import load_package
from dashboard.model import Election

EMBEDDED_ID = "kz-2023-03-19"


def data_root() -> Path:
    return Path(str(resources.files("dashboard.data")))


@cache
def embedded_packages() -> dict[str, tuple[Path, str, bool]]:
    """Election id -> (package folder, date, simulated), read once per process from each election.json.

    A folder whose election.json cannot be read is skipped (with no id it could not be served anyway);
    the packages are the project's own, checked by their tests.
    """
    out: dict[str, tuple[Path, str, bool]] = {}
    for folder in sorted(data_root().iterdir()):
        meta = folder / "election.json"
        if not meta.is_file():
            continue
        try:
            doc = json.loads(meta.read_text(encoding="utf-8"))
            out[str(doc["id"])] = (folder, str(doc.get("date", "")), bool(doc.get("simulated", False)))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return out


def embedded_path(election_id: str = EMBEDDED_ID) -> Path:
    return embedded_packages()[election_id][0] if election_id in embedded_packages() else \
        data_root() / election_id


@cache
def embedded_of(election_id: str) -> Election:
    """An embedded package, loaded once per process through the same validating loader as any upload."""
    return load_package(embedded_path(election_id))


def embedded_election() -> Election:
    """The embedded 2023 election (version 0 of a store made without naming its election)."""
    return embedded_of(EMBEDDED_ID)
