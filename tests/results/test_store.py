"""The versioned store: append-only history, byte-exact archive and quarantine, atomic switch, locking."""

from __future__ import annotations

import hashlib
import io
import multiprocessing as mp
import os
import time
import zipfile
from pathlib import Path

import pytest

from dashboard.ingest import rules as R
from dashboard.ingest.package import load_package
from dashboard.ingest.rules import Rejected
from dashboard.store.store import Store
from dashboard.store.write import write_package

from .conftest import ASTANA_ROW, HEADER, KZ_ROW, make_package, write_stations

ROOT = Path(__file__).resolve().parents[2]


def fake_embedded():
    """Stand-in for the embedded 2023 package, so these tests do not depend on another engineer's files."""
    return load_package(make_package(Path(__import__("tempfile").mkdtemp()) / "emb"))


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "data", embedded=_cached_embedded)


_EMB = []


def _cached_embedded():
    if not _EMB:
        _EMB.append(fake_embedded())
    return _EMB[0]


def _zip(folder: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(folder.iterdir()):
            z.write(p, f"pkg/{p.name}")  # inside one top-level folder, as people zip folders
    return out


def test_empty_store_serves_embedded_as_version_0(store):
    assert store.version() == 0
    assert store.current() is _cached_embedded()
    assert store.status() == {"version": 0, "election": "kz-2023-03-19", "history": []}
    assert not store.dir.exists(), "reading must not create the data dir"


def test_ingest_zip_archives_bytes_and_records_sha(store, tmp_path):
    z = _zip(make_package(tmp_path / "p", election=None), tmp_path / "upload.zip")
    assert store.ingest(z) == 1
    assert store.version() == 1 and (store.dir / "CURRENT").read_text() == "1\n"
    (h,) = store.status()["history"]
    raw = z.read_bytes()
    assert h["sha256"] == hashlib.sha256(raw).hexdigest() and h["kind"] == "package" and h["file"] == "upload.zip"
    archived = store.dir / h["archive"]
    assert archived.name == f"1-{h['sha256'][:12]}-upload.zip"
    assert archived.read_bytes() == raw
    assert not any((store.dir / "incoming").iterdir())
    # The version folder is a canonical package that reads back to the same figures.
    again = load_package(store.dir / "versions" / "1")
    assert again.results.equals(store.current().results)


def test_rejection_quarantines_bytes_and_changes_nothing(store, tmp_path):
    store.ingest(make_package(tmp_path / "good"))
    before = (store.dir / "CURRENT").read_bytes(), sorted((store.dir / "versions").iterdir())
    bad = tmp_path / "results.csv"
    data = (HEADER + "\n" + KZ_ROW.replace("6521860", "6 521 86O") + "\n").encode("cp1251")
    bad.write_bytes(data)
    with pytest.raises(Rejected) as e:
        store.ingest(bad)
    assert [p.rule for p in e.value.problems] == ["not-an-integer"]
    q = Path(e.value.quarantined)
    assert q.parent == store.dir / "quarantine" and q.read_bytes() == data
    report = Path(str(q) + ".problems.txt").read_text(encoding="utf-8")
    assert "results.csv:2: not-an-integer:" in report
    assert ((store.dir / "CURRENT").read_bytes(), sorted((store.dir / "versions").iterdir())) == before
    assert store.version() == 1 and len(store.history()) == 1


def test_lone_update_replaces_and_adds_rows(store, tmp_path):
    store.ingest(make_package(tmp_path / "p"))
    upd = tmp_path / "astana.csv"
    upd.write_text(HEADER.replace(",", ";") + "\n" + ASTANA_ROW.replace(",", ";") + "\n"
                   + KZ_ROW.replace(",", ";").replace("12035578", "12035579") + "\n", encoding="utf-8")
    assert store.ingest(upd) == 2
    res = store.current().results.set_index(["contest", "unit"])
    assert len(res) == 2
    assert res.loc[("mazhilis_party_list", "kz"), "registered"] == 12035579
    assert res.loc[("maslikhat_astana_party_list", "astana"), "amanat"] == 227307
    assert store.history()[-1]["kind"] == "update"

    t1 = tmp_path / "t1.csv"
    t1.write_text("time,unit,turnout_pct\n2023-03-19T10:10:00+06:00,kz,14.21\n2023-03-19T12:10:00+06:00,kz,30\n")
    assert store.ingest(t1) == 3
    t2 = tmp_path / "t2.csv"  # replaces 12:10, adds final
    t2.write_text("time,unit,turnout_pct\n2023-03-19T12:10:00+06:00,kz,31.5\nfinal,kz,54.21\n")
    assert store.ingest(t2) == 4
    assert store.current().turnout["turnout_pct"].tolist() == [14.21, 31.5, 54.21]
    # Validated against the merged election: a later report lower than a stored one is refused.
    t3 = tmp_path / "t3.csv"
    t3.write_text("time,unit,turnout_pct\n2023-03-19T14:10:00+06:00,kz,20\n")
    assert [p.rule for p in pytest.raises(Rejected, store.ingest, t3).value.problems] == ["turnout-decreased"]
    assert store.version() == 4


def test_update_on_empty_store_is_refused(store, tmp_path):
    upd = tmp_path / "results.csv"
    upd.write_text(f"{HEADER}\n{KZ_ROW}\n")
    e = pytest.raises(Rejected, store.ingest, upd).value
    assert [p.rule for p in e.problems] == ["update-without-election"]
    assert store.version() == 0 and Path(e.quarantined).read_bytes() == upd.read_bytes()


def test_update_after_rollback_to_embedded_is_refused(store, tmp_path):
    """A rollback to 0 serves the embedded data again: an update must not be merged into it."""
    store.ingest(write_stations(tmp_path / "a", 20, marker=1))
    assert store.rollback(0) == 2
    upd = tmp_path / "results.csv"
    upd.write_text(f"{HEADER}\n{KZ_ROW}\n")
    e = pytest.raises(Rejected, store.ingest, upd).value
    assert [p.rule for p in e.problems] == ["update-without-election"]
    assert store.version() == 2 and store.current() is _cached_embedded()
    # Rolling forward to an ingested election makes updates possible again.
    store.rollback(1)
    assert not store.serves_embedded()


def test_new_election_id_replaces_current(store, tmp_path):
    store.ingest(make_package(tmp_path / "a"))
    assert store.ingest(write_stations(tmp_path / "b", 50, eid="kz-2027-01-01")) == 2
    assert store.current().id == "kz-2027-01-01" and len(store.current().results) == 51


def test_rollback_and_status(store, tmp_path):
    store.ingest(write_stations(tmp_path / "a", 20, marker=1))
    store.ingest(write_stations(tmp_path / "b", 30, marker=2))
    assert store.rollback(1) == 3
    assert len(store.current().results) == 21 and store.current().results["registered"].iloc[1] == 1001  # marker 1
    assert store.rollback(0) == 4
    assert store.current() is _cached_embedded()
    with pytest.raises(KeyError):
        store.rollback(99)
    st = store.status()
    assert st["version"] == 4 and st["election"] == "kz-2023-03-19"
    assert [(h["version"], h["kind"], h.get("rollback_to")) for h in st["history"]] == [
        (1, "package", None), (2, "package", None), (3, "rollback", 1), (4, "rollback", 0)]
    # Append-only: earlier versions are still on disk, untouched.
    assert sorted(int(p.name) for p in (store.dir / "versions").iterdir()) == [1, 2, 3, 4]


def test_current_is_cached_per_version(store, tmp_path):
    store.ingest(write_stations(tmp_path / "a", 20))
    first = store.current()
    assert store.current() is first
    other = Store(store.dir, embedded=_cached_embedded)
    other.ingest(write_stations(tmp_path / "b", 10))
    assert store.current() is not first and len(store.current().results) == 11


def _check_whole(e) -> int:
    """A version is whole when every station carries one marker and the kz row is their sum."""
    res = e.results
    stations = res[res["unit"] != "kz"]
    kz = res[res["unit"] == "kz"].iloc[0]
    markers = set(stations["registered"].tolist())
    assert len(markers) == 1, markers
    assert kz["registered"] == stations["registered"].sum()
    assert kz["amanat"] == stations["amanat"].sum()
    return markers.pop() - 1000


def _reader(data_dir, stop, out, last):
    """Reads the current version until ``stop``; ``last`` (shared) holds the marker of the last read."""
    s = Store(data_dir, embedded=_cached_embedded)
    seen, errors, reads = [], [], 0
    while not stop.is_set():
        try:
            e = s.current()
            if e.id != "kz-2023-03-19":
                marker = _check_whole(e)
                if not seen or seen[-1] != marker:
                    seen.append(marker)
                last.value = marker
            reads += 1
        except Exception as exc:  # any torn read is a failure
            errors.append(repr(exc))
    out.put((seen, errors, reads))


def _ingester(data_dir, paths, out):
    s = Store(data_dir, embedded=_cached_embedded)
    out.put([s.ingest(p) for p in paths])


def test_reader_process_sees_only_whole_versions(tmp_path):
    data_dir = tmp_path / "data"
    pkgs = [write_stations(tmp_path / f"p{k}", 300 + 50 * k, marker=k, seed=k) for k in range(1, 6)]
    ctx = mp.get_context("fork")
    stop, out, last = ctx.Event(), ctx.Queue(), ctx.Value("i", 0)
    reader = ctx.Process(target=_reader, args=(data_dir, stop, out, last))
    reader.start()
    store = Store(data_dir, embedded=_cached_embedded)
    caught_up = {}
    for k, p in enumerate(pkgs, start=1):
        store.ingest(p)
        # the next version is published only once the reader has read this one (or gave up trying)
        deadline = time.monotonic() + 30
        while last.value != k and time.monotonic() < deadline and reader.is_alive():
            time.sleep(0.01)
        caught_up[k] = last.value == k
    stop.set()
    seen, errors, reads = out.get(timeout=60)
    reader.join(timeout=60)
    assert errors == []
    assert all(caught_up.values()), f"the reader did not see versions {[k for k, ok in caught_up.items() if not ok]}"
    assert reads > 10
    assert seen == [1, 2, 3, 4, 5], "a reader sees each version whole, and never goes back to an older one"
    assert _check_whole(store.current()) == 5


def test_concurrent_ingests_from_two_processes_get_distinct_versions(tmp_path):
    data_dir = tmp_path / "data"
    a = [write_stations(tmp_path / f"a{k}", 200, marker=k) for k in range(3)]
    b = [write_stations(tmp_path / f"b{k}", 200, marker=10 + k) for k in range(3)]
    ctx = mp.get_context("fork")
    out = ctx.Queue()
    procs = [ctx.Process(target=_ingester, args=(data_dir, paths, out)) for paths in (a, b)]
    for p in procs:
        p.start()
    got = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    versions = sorted(v for vs in got for v in vs)
    assert versions == [1, 2, 3, 4, 5, 6]
    store = Store(data_dir, embedded=_cached_embedded)
    hist = store.history()
    assert sorted(h["version"] for h in hist) == versions
    for h in hist:  # each version's folder holds the package its history line names
        marker = _check_whole(load_package(data_dir / "versions" / str(h["version"])))
        src = (a + b)[[p.name for p in a + b].index(h["file"])]
        assert marker == int(src.name[1:]) + (10 if src.name[0] == "b" else 0)


def test_districts_update_fills_a_winner(store, tmp_path):
    store.ingest(make_package(tmp_path / "p", {"districts.csv": "contest,district,unit,winner,party\n"
                                                                "mazhilis_single_mandate,1,astana,,\n"
                                                                "mazhilis_single_mandate,2,astana,,\n"}))
    upd = tmp_path / "winners.csv"
    upd.write_text("Выборы;Округ;Регион;Избранный депутат;Партия\nmazhilis_single_mandate;2;Астана;A. B.;independent\n",
                   encoding="cp1251")
    assert store.ingest(upd) == 2
    d = store.current().districts.set_index("district")
    assert d.loc["2", "winner"] == "A. B." and d.loc["2", "unit"] == "astana" and d.loc["2", "party"] == "independent"
    assert d["winner"].isna().sum() == 1 and len(d) == 2


def test_oversized_upload_is_refused_without_being_copied(tmp_path):
    from dashboard.ingest.rules import Limits

    store = Store(tmp_path / "data", limits=Limits(max_file_bytes=1000, max_total_bytes=1000),
                  embedded=_cached_embedded)
    big = tmp_path / "results.csv"
    big.write_text(HEADER + "\n" + (KZ_ROW + "\n") * 50)
    e = pytest.raises(Rejected, store.ingest, big).value
    assert [p.rule for p in e.problems] == ["file-too-large"]
    assert not Path(e.quarantined).exists() and Path(e.quarantined + ".problems.txt").exists()
    assert store.version() == 0


def test_rejected_folder_package_is_quarantined_whole(store, tmp_path):
    pkg = make_package(tmp_path / "bad", results=HEADER + "\n" + KZ_ROW.replace(",kz,", ",mars,") + "\n")
    e = pytest.raises(Rejected, store.ingest, pkg).value
    q = Path(e.quarantined)
    assert q.is_dir() and {p.name for p in q.iterdir()} == {"election.json", "results.csv"}
    assert (q / "results.csv").read_bytes() == (pkg / "results.csv").read_bytes()
    assert (pkg / "results.csv").exists(), "the clerk's own copy is left alone"


# --- nothing outside the upload is read; nothing is written for content that cannot be stored ----------
def test_copy_file_never_follows_a_link(tmp_path):
    from dashboard.ingest.upload import Unsafe, copy_file

    secret = tmp_path / "secret"
    secret.write_text("root:x:0:0")
    os.symlink(secret, tmp_path / "results.csv")  # as if swapped in after every check
    with pytest.raises(Unsafe) as e:
        copy_file(tmp_path / "results.csv", tmp_path / "copy", 1 << 20)
    assert e.value.rule == R.SYMBOLIC_LINK and not (tmp_path / "copy").exists()


def test_a_package_folder_with_a_linked_subfolder_is_refused_whole(store, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "turnout.csv").write_text("time,unit,turnout_pct\n")
    root = make_package(tmp_path / "p")
    os.symlink(outside, root / "more")
    with pytest.raises(Rejected) as e:
        store.ingest(root)
    assert [(p.file, p.rule) for p in e.value.problems] == [("p", R.SYMBOLIC_LINK)]
    assert "«p/more» is a symbolic link" in e.value.problems[0].message
    assert not (store.dir / "quarantine").exists() and store.history() == []


def test_ingest_refuses_a_link_given_to_it(store, tmp_path):
    root = make_package(tmp_path / "p")
    os.symlink(root, tmp_path / "link")
    with pytest.raises(Rejected) as e:
        store.ingest(tmp_path / "link")
    assert [(p.file, p.rule) for p in e.value.problems] == [("link", R.SYMBOLIC_LINK)]
    assert store.history() == []


def test_a_record_that_cannot_be_logged_fails_before_anything_is_written(store, tmp_path):
    store.ingest(make_package(tmp_path / "p"))
    election = store.current()
    with pytest.raises(UnicodeEncodeError):
        store._publish(2, election, {"file": "\udcd0.csv", "sha256": "0" * 64, "kind": "update"},
                       lambda tmp: write_package(election, tmp))
    assert os.listdir(store.dir / "versions") == ["1"] and [h["version"] for h in store.history()] == [1]


def test_a_zip_whose_member_name_is_not_utf8_is_refused_and_quarantined(store, tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("election.json", "{}")
        z.writestr("r\u00e9sults.csv", "x")  # a non-ASCII name: written with the UTF-8 flag
    (tmp_path / "p.zip").write_bytes(buf.getvalue().replace("r\u00e9sults".encode(), b"r\xff\xfesults"))
    with pytest.raises(Rejected) as e:
        store.ingest(tmp_path / "p.zip")
    assert [(p.file, p.line, p.rule) for p in e.value.problems] == [("p.zip", 0, R.BAD_ZIP)]
    assert e.value.quarantined and Path(e.value.quarantined).read_bytes().startswith(b"PK")


def test_a_package_folder_that_cannot_be_listed_is_the_uploads_fault(store, tmp_path, monkeypatch):
    import errno

    from dashboard.ingest import upload

    class FailingListing:  # the os module as upload.py sees it, but listing a folder fails
        def __getattr__(self, name):
            return getattr(os, name)

        def scandir(self, fd):
            raise OSError(errno.EIO, os.strerror(errno.EIO))  # a bad disk or a gone network share

    monkeypatch.setattr(upload, "os", FailingListing())
    with pytest.raises(Rejected) as e:  # not a StoreProblem: that would be retried forever
        store.ingest(make_package(tmp_path / "p"))
    assert [(p.file, p.rule) for p in e.value.problems] == [("p", R.UNREADABLE_FILE)]
