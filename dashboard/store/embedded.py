"""The 2023 election shipped inside the project: what is served (as version 0) before anything is ingested."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from dashboard.model import Election

EMBEDDED_ID = "kz-2023-03-19"


def embedded_path() -> Path:
    return Path(str(resources.files("dashboard.data").joinpath(EMBEDDED_ID)))


@cache
def embedded_election() -> Election:
    """The embedded package, loaded once per process through the same validating loader as any upload."""
    from dashboard.ingest.package import load_package

    return load_package(embedded_path())
