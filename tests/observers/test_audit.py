"""The audit trail on a real store: two real packages ingested, the diff lists exactly the changed cells."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from dashboard.observers import audit
from dashboard.rehearsal.simulate import write_simulated
from dashboard.store.store import Store


def _edit_csv(path: Path, match: dict, changes: dict) -> dict:
    """Set ``changes`` in the one row of ``path`` matching ``match``; returns the old values."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    [row] = [r for r in rows if all(r[k] == v for k, v in match.items())]
    old = {k: row[k] for k in changes}
    for k, v in changes.items():
        row[k] = str(v(int(row[k])) if callable(v) else v)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return old


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Version 1: a simulated package; version 2: the same package with three cells changed by hand."""
    tmp = tmp_path_factory.mktemp("audit")
    first = write_simulated(tmp / "night-1", 200, seed=3)
    second = tmp / "night-2"
    shutil.copytree(first, second)
    old = {}
    old["amanat"] = _edit_csv(second / "results.csv", {"contest": "mazhilis_party_list", "unit": "abai/0002"},
                              {"amanat": lambda v: v - 3})["amanat"]
    old["took_part"] = _edit_csv(second / "results.csv", {"contest": "maslikhat_abai_party_list",
                                                           "unit": "abai/0003"}, {"took_part": lambda v: v + 5})
    old["turnout"] = _edit_csv(second / "turnout.csv", {"time": "2023-03-19T12:00:00+06:00", "unit": "akmola"},
                               {"took_part": lambda v: v + 7})
    s = Store(tmp / "data")
    assert s.ingest(first) == 1
    assert s.ingest(second) == 2
    return s, old


def test_versions_list_every_ingest_with_its_file_and_sha(store):
    s, _old = store
    embedded, *rows = audit.versions(s)
    assert (embedded["version"], embedded["previous"], embedded["kind"], embedded["current"]) == (
        0, None, "embedded", False)
    assert [(r["version"], r["previous"], r["file"], r["kind"], r["current"]) for r in rows] == [
        (1, 0, "night-1", "package", False), (2, 1, "night-2", "package", True)]
    assert all(len(r["sha256"]) == 64 for r in rows) and rows[0]["sha256"] != rows[1]["sha256"]


def test_the_diff_lists_exactly_the_changed_cells(store):
    s, old = store
    result = audit.diff_version(s, 2)
    assert result["comparable"] and (result["version"], result["previous"]) == (2, 1)
    amanat = int(old["amanat"])
    took = int(old["took_part"]["took_part"])
    turnout = int(old["turnout"]["took_part"])
    got = sorted((c["table"], c["key"], c["unit"], c["field"], c["before"], c["after"], c["delta"])
                 for c in result["changes"])
    expected = sorted([
        ("results", "mazhilis_party_list", "abai/0002", "amanat", amanat, amanat - 3, -3),
        ("results", "maslikhat_abai_party_list", "abai/0003", "took_part", took, took + 5, 5),
        ("turnout", "2023-03-19T12:00:00+06:00", "akmola", "took_part", turnout, turnout + 7, 7),
    ])
    # the turnout percentage computed from the counts changes with them; nothing else does
    pct = [g for g in got if g[3] == "turnout_pct"]
    assert [g for g in got if g[3] != "turnout_pct"] == expected
    assert [(p[0], p[1], p[2]) for p in pct] == [("turnout", "2023-03-19T12:00:00+06:00", "akmola")]
    assert pct[0][5] == pytest.approx(100 * (turnout + 7) / _registered(s, "akmola"))


def _registered(s, unit):
    t = audit.load_version(s, 2).turnout
    return int(t[(t["unit"] == unit) & (t["time"] == "2023-03-19T12:00:00+06:00")]["registered"].iloc[0])


def test_the_first_version_is_another_election_than_the_embedded_data(store):
    s, _old = store
    result = audit.diff_version(s, 1)
    assert (result["comparable"], result["changes"]) == (False, [])
    assert result["previous_election"] == "kz-2023-03-19" and result["election"] == "sim-3-200"


def test_unknown_version(store):
    s, _old = store
    with pytest.raises(KeyError):
        audit.diff_version(s, 3)


def test_the_csv_reads_back(store):
    s, old = store
    text = audit.changes_csv(audit.diff_version(s, 2))
    rows = list(csv.DictReader(io.StringIO(text)))
    row = next(r for r in rows if r["field"] == "amanat")
    assert row == {"version": "2", "previous": "1", "table": "results", "key": "mazhilis_party_list",
                   "unit": "abai/0002", "field": "amanat", "before": old["amanat"],
                   "after": str(int(old["amanat"]) - 3), "delta": "-3"}


def test_a_rollback_is_diffed_against_the_version_before_it(store, tmp_path):
    s, _old = store
    data = tmp_path / "copy"
    shutil.copytree(s.dir, data)
    copy = Store(data)
    assert copy.rollback(1) == 3
    result = audit.diff_version(copy, 3)
    # back to version 1: the three edits undone (before/after swapped)
    assert sorted((c["unit"], c["delta"]) for c in result["changes"] if c["field"] != "turnout_pct") == [
        ("abai/0002", 3), ("abai/0003", -5), ("akmola", -7)]


def test_the_csv_keeps_formulas_from_the_files_inert():
    """A winner or a key from the files that a spreadsheet would run (``=HYPERLINK(…)``, ``+cmd|…``) is
    text in the diff CSV, as in the downloads; numbers (a negative delta) are left alone."""
    change = {"table": "districts", "key": "=HYPERLINK(\"http://evil.example\")", "unit": "@SUM(A1)",
              "field": "winner", "before": "+cmd|' /C calc'!A0", "after": "-2+3", "delta": -3}
    text = audit.changes_csv({"version": 2, "previous": 1, "changes": [change]})
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["key"] == "'=HYPERLINK(\"http://evil.example\")"
    assert (row["unit"], row["before"], row["after"]) == ("'@SUM(A1)", "'+cmd|' /C calc'!A0", "'-2+3")
    assert row["delta"] == "-3"
