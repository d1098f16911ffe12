"""Several elections in one data dir (store/library.py): each its own store, routed by election.json's id."""

from __future__ import annotations

import json
import multiprocessing as mp
from pathlib import Path

import pytest

from dashboard.ingest import rules as R
from dashboard.ingest.rules import Rejected
from dashboard.store import library as L
from dashboard.store.embedded import embedded_path
from dashboard.store.library import Library

from .conftest import HEADER, KZ_ROW, election_doc, make_package

EMBEDDED = {"kz-2023-03-19": (embedded_path(), "2023-03-19", False)}


def package(root: Path, eid: str, date: str, simulated: bool = False, results: str | None = None) -> Path:
    doc = {**election_doc(eid, with_maslikhats=False), "date": date, "simulated": simulated}
    return make_package(root, election=doc, results=results)


def kz_row(registered: int) -> str:
    return KZ_ROW.replace("12035578", str(registered))


@pytest.fixture
def lib(tmp_path):
    return Library(tmp_path / "data", embedded=EMBEDDED)


def test_embedded_election_is_there_before_anything_is_ingested(lib):
    assert lib.ids() == ["kz-2023-03-19"]
    assert lib.default_id() == "kz-2023-03-19"
    v, election = lib.served("kz-2023-03-19")
    assert (v, election.id) == (0, "kz-2023-03-19")
    assert not lib.dir.exists(), "reading must not create the data dir"
    with pytest.raises(KeyError):
        lib.store("kz-2024-10-06")
    with pytest.raises(KeyError):
        lib.store("../etc")


def test_a_second_election_is_added_and_the_first_is_untouched(lib, tmp_path):
    first = lib.ingest(package(tmp_path / "a", "kz-2023-03-19", "2023-03-19"))
    assert (first.election, first.version, first.route) == ("kz-2023-03-19", 1, "package")
    a_history = (lib.folder("kz-2023-03-19") / "history.jsonl").read_bytes()
    a_version = (lib.folder("kz-2023-03-19") / "versions" / "1" / "results.csv").read_bytes()

    second = lib.ingest(package(tmp_path / "b", "kz-2024-10-06", "2024-10-06",
                                results=f"{HEADER}\n{kz_row(12500000)}\n"))
    assert (second.election, second.version, second.route) == ("kz-2024-10-06", 1, "new")
    assert lib.ids() == ["kz-2024-10-06", "kz-2023-03-19"]  # newest date first
    assert lib.default_id() == "kz-2024-10-06"
    # The first election: same bytes, same version, same answer.
    assert (lib.folder("kz-2023-03-19") / "history.jsonl").read_bytes() == a_history
    assert (lib.folder("kz-2023-03-19") / "versions" / "1" / "results.csv").read_bytes() == a_version
    v, a = Library(lib.dir, embedded=EMBEDDED).served("kz-2023-03-19")
    assert v == 1 and a.results.set_index("unit").loc["kz", "registered"] == 12035578
    v, b = Library(lib.dir, embedded=EMBEDDED).served("kz-2024-10-06")
    assert v == 1 and b.results.set_index("unit").loc["kz", "registered"] == 12500000
    # Each its own live status, history and archive.
    status = json.loads((lib.folder("kz-2024-10-06") / "public" / "status.json").read_text())
    assert (status["election"], status["version"]) == ("kz-2024-10-06", 1)
    assert len(lib.store("kz-2024-10-06").history()) == 1
    assert not (lib.dir / "CURRENT").exists()


def test_default_is_the_newest_official_election_unless_named(tmp_path):
    data = tmp_path / "data"
    lib = Library(data, embedded=EMBEDDED)
    lib.ingest(package(tmp_path / "sim", "sim-2030", "2030-01-01", simulated=True))
    lib.ingest(package(tmp_path / "b", "kz-2024-10-06", "2024-10-06"))
    assert lib.ids() == ["sim-2030", "kz-2024-10-06", "kz-2023-03-19"]
    assert lib.default_id() == "kz-2024-10-06"  # a rehearsal is never the front page by itself
    assert Library(data, embedded=EMBEDDED, default="kz-2023-03-19").default_id() == "kz-2023-03-19"
    assert Library(data, embedded=EMBEDDED, default="sim-2030").default_id() == "sim-2030"
    assert Library(data, embedded=EMBEDDED, default="nope").default_id() == "kz-2024-10-06"


def test_a_lone_update_goes_to_election_or_to_the_latest_accepted(lib, tmp_path):
    lib.ingest(package(tmp_path / "a", "kz-2023-03-19", "2023-03-19"))
    lib.ingest(package(tmp_path / "b", "kz-2024-10-06", "2024-10-06"))
    upd = tmp_path / "results.csv"
    upd.write_text(f"{HEADER}\n{kz_row(12035579)}\n", encoding="utf-8")

    got = lib.ingest(upd, election="kz-2023-03-19")
    assert (got.election, got.version, got.route) == ("kz-2023-03-19", 2, "--election")
    assert lib.served("kz-2023-03-19")[1].results.set_index("unit").loc["kz", "registered"] == 12035579
    assert lib.served("kz-2024-10-06")[0] == 1

    upd.write_text(f"{HEADER}\n{kz_row(12035580)}\n", encoding="utf-8")
    got = lib.ingest(upd)  # the 2023 election was accepted last (its update)
    assert (got.election, got.version, got.route) == ("kz-2023-03-19", 3, "latest")
    assert "the election accepted most recently" in str(got)
    assert lib.served("kz-2024-10-06")[0] == 1


def test_a_rollback_is_not_an_acceptance(lib, tmp_path):
    lib.ingest(package(tmp_path / "a", "kz-2023-03-19", "2023-03-19"))
    lib.ingest(package(tmp_path / "b", "kz-2024-10-06", "2024-10-06"))
    lib.store("kz-2023-03-19").rollback(1)  # after b's package, but not an upload accepted
    assert lib.latest_id() == "kz-2024-10-06"


def test_a_lone_update_for_an_unknown_election_changes_nothing(lib, tmp_path):
    lib.ingest(package(tmp_path / "a", "kz-2023-03-19", "2023-03-19"))
    upd = tmp_path / "results.csv"
    upd.write_text(f"{HEADER}\n{kz_row(1)}\n", encoding="utf-8")
    e = pytest.raises(Rejected, lib.ingest, upd, election="kz-2099-01-01").value
    assert [p.rule for p in e.problems] == [R.UNKNOWN_ELECTION]
    assert Path(e.quarantined).parent == lib.quarantine_dir and Path(e.quarantined).read_bytes() == upd.read_bytes()
    assert lib.ids() == ["kz-2023-03-19"] and lib.served("kz-2023-03-19")[0] == 1


def test_a_lone_update_with_nothing_ingested_is_refused(lib, tmp_path):
    upd = tmp_path / "results.csv"
    upd.write_text(f"{HEADER}\n{KZ_ROW}\n", encoding="utf-8")
    e = pytest.raises(Rejected, lib.ingest, upd).value
    assert [p.rule for p in e.problems] == [R.UPDATE_WITHOUT_ELECTION]
    assert lib.served("kz-2023-03-19")[0] == 0


@pytest.mark.parametrize("eid", ["KZ-2024", "kz_2024", "-kz", "a" * 64, "kz.2024"])
def test_an_id_that_cannot_name_a_folder_is_refused_with_its_line(lib, tmp_path, eid):
    e = pytest.raises(Rejected, lib.ingest, package(tmp_path / "p", eid, "2024-10-06")).value
    assert [(p.file, p.line, p.rule) for p in e.problems] == [("election.json", 1, R.BAD_ELECTION_ID)]
    assert str(e.problems[0]).startswith("election.json:1: bad-election-id: the id ")
    assert not (lib.dir / "elections").exists() and Path(e.quarantined).parent == lib.quarantine_dir


def test_the_id_line_is_the_line_of_the_id(lib, tmp_path):
    doc = {**election_doc("Bad_Id", with_maslikhats=False), "date": "2024-10-06"}
    root = make_package(tmp_path / "p", files={"election.json": json.dumps(doc, indent=1)})
    e = pytest.raises(Rejected, lib.ingest, root).value
    assert e.problems[0].line == 2  # "{" then ' "id": "Bad_Id",'


def test_a_refused_package_of_a_new_election_adds_no_election(lib, tmp_path):
    bad = package(tmp_path / "p", "kz-2024-10-06", "2024-10-06", results=f"{HEADER}\nmazhilis_party_list,kz,x\n")
    e = pytest.raises(Rejected, lib.ingest, bad).value
    assert e.problems and Path(e.quarantined).parent == lib.quarantine_dir
    assert Path(e.quarantined, "results.csv").read_bytes() == (bad / "results.csv").read_bytes()
    assert Path(e.quarantined + ".problems.txt").is_file()
    assert lib.ids() == ["kz-2023-03-19"] and not lib.folder("kz-2024-10-06").exists()


def test_a_package_given_with_another_election_is_refused(lib, tmp_path):
    e = pytest.raises(Rejected, lib.ingest, package(tmp_path / "p", "kz-2024-10-06", "2024-10-06"),
                      election="kz-2023-03-19").value
    assert [p.rule for p in e.problems] == [R.ELECTION_MISMATCH]
    assert lib.ids() == ["kz-2023-03-19"] and not (lib.dir / "elections").exists()


def test_the_number_of_elections_is_bounded(lib, tmp_path, monkeypatch):
    monkeypatch.setattr(L, "MAX_ELECTIONS", 3)
    lib.ingest(package(tmp_path / "b", "e-2", "2024-01-02"))
    lib.ingest(package(tmp_path / "c", "e-3", "2024-01-03"))
    e = pytest.raises(Rejected, lib.ingest, package(tmp_path / "d", "e-4", "2024-01-04")).value
    assert [p.rule for p in e.problems] == [R.TOO_MANY_ELECTIONS]
    assert lib.ids() == ["e-3", "e-2", "kz-2023-03-19"] and not lib.folder("e-4").exists()
    assert lib.ingest(package(tmp_path / "c2", "e-3", "2024-01-03")).version == 2  # a known one still ingests


def test_rollback_is_per_election(lib, tmp_path):
    lib.ingest(package(tmp_path / "a1", "kz-2023-03-19", "2023-03-19"))
    lib.ingest(package(tmp_path / "b1", "kz-2024-10-06", "2024-10-06"))
    lib.ingest(package(tmp_path / "b2", "kz-2024-10-06", "2024-10-06", results=f"{HEADER}\n{kz_row(12000007)}\n"))
    assert lib.store("kz-2024-10-06").rollback(1) == 3
    assert lib.served("kz-2024-10-06")[1].results.set_index("unit").loc["kz", "registered"] == 12035578
    assert lib.served("kz-2023-03-19")[0] == 1
    with pytest.raises(KeyError):  # an election without an embedded package has no version 0
        lib.store("kz-2024-10-06").rollback(0)
    assert lib.store("kz-2023-03-19").rollback(0) == 2  # the embedded package is version 0 of its own
    assert lib.served("kz-2023-03-19")[0] == 2 and lib.store("kz-2023-03-19").serves_embedded()


def test_a_leftover_of_an_interrupted_creation_is_not_an_election(lib, tmp_path):
    (lib.dir / "elections" / "kz-2024-10-06" / "versions").mkdir(parents=True)  # mkdir'ed, never committed
    assert lib.ids() == ["kz-2023-03-19"]
    assert lib.ingest(package(tmp_path / "b", "kz-2024-10-06", "2024-10-06")).version == 1


def test_a_served_folder_without_history_is_never_removed(lib, tmp_path):
    damaged = lib.dir / "elections" / "kz-2024-10-06"
    (damaged / "versions" / "1").mkdir(parents=True)
    (damaged / "CURRENT").write_text("1\n")  # its history.jsonl lost: the operator's to see, not ours to delete
    lib.ingest(package(tmp_path / "c", "kz-2026-03-15", "2026-03-15"))
    assert (damaged / "versions" / "1").is_dir()


def test_a_legacy_root_store_is_reported(lib):
    lib.dir.mkdir()
    (lib.dir / "CURRENT").write_text("3\n")
    assert "one-election layout" in lib.status()["problems"][0]


def _ingest_in_process(data_dir, path, out):
    try:
        got = Library(data_dir, embedded=EMBEDDED).ingest(path)
        out.put((got.election, got.version))
    except Exception as e:  # reported to the test, which fails on it
        out.put(repr(e))


def test_two_processes_creating_elections_at_once(tmp_path):
    data = tmp_path / "data"
    paths = [package(tmp_path / "s1", "kz-2024-10-06", "2024-10-06"),
             package(tmp_path / "s2", "kz-2024-10-06", "2024-10-06", results=f"{HEADER}\n{kz_row(12000005)}\n"),
             package(tmp_path / "o1", "kz-2026-03-15", "2026-03-15"),
             package(tmp_path / "o2", "kz-2026-08-23", "2026-08-23")]
    ctx = mp.get_context("fork")
    out = ctx.Queue()
    procs = [ctx.Process(target=_ingest_in_process, args=(data, p, out)) for p in paths]
    for p in procs:
        p.start()
    got = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert sorted(got) == [("kz-2024-10-06", 1), ("kz-2024-10-06", 2), ("kz-2026-03-15", 1), ("kz-2026-08-23", 1)]
    lib = Library(data, embedded=EMBEDDED)
    assert lib.ids() == ["kz-2026-08-23", "kz-2026-03-15", "kz-2024-10-06", "kz-2023-03-19"]
    assert [h["version"] for h in lib.store("kz-2024-10-06").history()] == [1, 2]
    assert lib.check() == {}
