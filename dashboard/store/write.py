"""Write an ``Election`` as a canonical package folder (UTF-8, comma, English headers, plain integers).

Used by the store (each version is a canonical package), ``simulate`` and the 2023 converter, so every
package the project writes reads back through the same loader as a commission's file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.model import (
    COMPOSITION_COLUMNS,
    DISTRICT_COLUMNS,
    RESULT_BASE_COLUMNS,
    SOURCE_COLUMNS,
    STATION_COLUMNS,
    TURNOUT_COLUMNS,
    Candidate,
    Contest,
    Election,
)

#: Contest fields written only when they differ from the default (so a 2023 package stays byte-identical).
_OPTIONAL = {"status": Contest.status, "threshold_base": Contest.threshold_base, "tie_rule": Contest.tie_rule}


def _candidate(c: Candidate) -> dict[str, Any]:
    item: dict[str, Any] = {"key": c.key, "names": c.names, "short": c.short, "colour": c.colour}
    if c.nominated_by is not None:
        item["nominated_by"] = c.nominated_by
    return item


def _contest(c: Contest) -> dict[str, Any]:
    """One contest with exactly the fields its kind takes (election.json refuses the others)."""
    item: dict[str, Any] = {"key": c.key, "body": c.body, "kind": c.kind, "area": c.area}
    if c.kind in ("party_list", "single_mandate"):
        item["seats"] = c.seats
        if c.threshold_pct is not None:  # absent = not reported
            item["threshold_pct"] = c.threshold_pct
        if c.parties:
            item["parties"] = list(c.parties)
    elif c.kind == "presidential":
        if c.seats is not None:
            item["seats"] = c.seats
        if c.candidates:
            item["candidates"] = list(c.candidates)
        if c.base != Contest.base:
            item["base"] = c.base
    else:
        item["question"] = c.question
        if c.constitutional:
            item["constitutional"] = True
    if c.published_outcome is not None:
        item["published_outcome"] = c.published_outcome
    item.update({k: getattr(c, k) for k, default in _OPTIONAL.items() if getattr(c, k) != default})
    return item


def election_json(election: Election) -> dict:
    doc: dict[str, Any] = {
        "id": election.id,
        "date": election.date,
        "names": election.names,
        "simulated": election.simulated,
        "parties": [
            {"key": p.key, "short": p.short, "names": p.names, "colour": p.colour} for p in election.parties
        ],
        "contests": [],
    }
    if election.candidates:
        doc["candidates"] = [_candidate(c) for c in election.candidates]
    if election.bodies:
        doc["bodies"] = [{"key": k, "names": v} for k, v in election.bodies.items()]
    doc["contests"] = [_contest(c) for c in election.contests]
    if election.notes:
        doc["notes"] = election.notes
    doc.update(election.extra)
    return doc


def _csv(df: pd.DataFrame, columns, path: Path) -> None:
    df = df.reindex(columns=list(columns))
    # Int64 with <NA> writes as an empty cell; Float64 turnout keeps its digits.
    df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def write_package(election: Election, out: str | os.PathLike) -> Path:
    """Write ``election`` into the folder ``out`` (created; existing package files are overwritten)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "election.json").write_text(
        json.dumps(election_json(election), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    _csv(election.results, RESULT_BASE_COLUMNS + election.option_keys, out / "results.csv")
    if len(election.turnout):
        turnout = election.turnout.copy()
        counted = turnout["registered"].notna() & turnout["took_part"].notna()
        # When counts are given the percentage is derived from them; do not write it twice.
        turnout["turnout_pct"] = turnout["turnout_pct"].astype("Float64").mask(counted)
        _csv(turnout, TURNOUT_COLUMNS, out / "turnout.csv")
    for frame, columns, name in (
        (election.districts, DISTRICT_COLUMNS, "districts.csv"),
        (election.composition, COMPOSITION_COLUMNS, "composition.csv"),
        (election.sources, SOURCE_COLUMNS, "sources.csv"),
        (election.stations, STATION_COLUMNS, "stations.csv"),
    ):
        if len(frame):
            _csv(frame, columns, out / name)
    return out
