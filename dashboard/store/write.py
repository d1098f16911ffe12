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
    Contest,
    Election,
)

#: Contest fields written only when they differ from the default (so a 2023 package stays byte-identical).
_OPTIONAL = {"status": Contest.status, "threshold_base": Contest.threshold_base, "tie_rule": Contest.tie_rule}


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
    for c in election.contests:
        item: dict[str, Any] = {
            "key": c.key,
            "body": c.body,
            "kind": c.kind,
            "area": c.area,
            "seats": c.seats,
            "threshold_pct": c.threshold_pct,
        }
        if c.parties:
            item["parties"] = list(c.parties)
        item.update({k: getattr(c, k) for k, default in _OPTIONAL.items() if getattr(c, k) != default})
        doc["contests"].append(item)
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
    _csv(election.results, RESULT_BASE_COLUMNS + election.party_keys, out / "results.csv")
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
