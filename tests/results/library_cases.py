"""Cases of the several-elections rules (store/library.py), merged into test_rules.CASES."""

from __future__ import annotations

import json

from dashboard.ingest import rules as R
from dashboard.store import library as L
from dashboard.store.embedded import embedded_path
from dashboard.store.library import Library
from dashboard.store.store import Store

from .conftest import HEADER, KZ_ROW, election_doc, make_package, rejected

EMBEDDED = {"kz-2023-03-19": (embedded_path(), "2023-03-19", False)}


def _package(tmp, eid: str, name: str = "p"):
    doc = {**election_doc(eid, with_maslikhats=False), "date": "2024-10-06"}
    return make_package(tmp / name, files={"election.json": json.dumps(doc, indent=1)})


def _bad_id(tmp):
    return rejected(Library(tmp / "data", embedded=EMBEDDED).ingest, _package(tmp, "KZ_2024"))


def _too_many(tmp):
    lib = Library(tmp / "data", embedded=EMBEDDED)
    saved, L.MAX_ELECTIONS = L.MAX_ELECTIONS, 2
    try:
        lib.ingest(_package(tmp, "kz-2024-10-06", "a"))
        return rejected(lib.ingest, _package(tmp, "kz-2026-03-15", "b"))
    finally:
        L.MAX_ELECTIONS = saved


def _mismatch(tmp):
    return rejected(Store(tmp / "data", election_id="kz-2023-03-19").ingest, _package(tmp, "kz-2024-10-06"))


def _unknown(tmp):
    path = tmp / "results.csv"
    path.write_text(f"{HEADER}\n{KZ_ROW}\n")
    return rejected(Library(tmp / "data", embedded=EMBEDDED).ingest, path, election="kz-2099-01-01")


LIBRARY_CASES = {
    R.BAD_ELECTION_ID: (_bad_id, ("election.json", 2)),
    R.TOO_MANY_ELECTIONS: (_too_many, ("election.json", 0)),
    R.ELECTION_MISMATCH: (_mismatch, ("election.json", 0)),
    R.UNKNOWN_ELECTION: (_unknown, ("results.csv", 0)),
}
