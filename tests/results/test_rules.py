"""Every validation rule, triggered by a real malformed file, reported at the right line, all problems kept.

``CASES`` maps each rule id to a builder returning the problems of one refused input; the last test
checks that every rule of ``rules.RULES`` has a case here, so a new rule cannot ship untested.
"""

from __future__ import annotations

import io
import json
import os
import socket
import stat
import zipfile
from pathlib import Path

import pytest

from dashboard.ingest import rules as R
from dashboard.ingest.package import load_package, load_update
from dashboard.ingest.rules import Limits
from dashboard.store.store import Store

from .conftest import ASTANA_ROW, HEADER, KZ_ROW, election_doc, make_package, rejected
from .counting_cases import COUNTING_CASES
from .kinds_cases import KINDS_CASES
from .library_cases import LIBRARY_CASES

E = "mazhilis_party_list"


def pkg(tmp, **kw):
    return rejected(load_package, make_package(tmp / "p", **kw))


def results(tmp, body: str, **kw):
    return pkg(tmp, results=HEADER + "\n" + body, **kw)


def turnout(tmp, body: str, header="time,unit,registered,took_part,turnout_pct"):
    return pkg(tmp, files={"turnout.csv": header + "\n" + body})


def update(tmp, name: str, data: bytes, sheet=None, limits=None):
    base = load_package(make_package(tmp / "base"))
    path = tmp / name
    path.write_bytes(data)
    return rejected(load_update, path, base, sheet, limits=limits or Limits(max_file_bytes=100_000))


def zip_pkg(tmp, members: dict, limits=None, name="p.zip", before_load=None):
    """A zip of a valid package plus ``members`` (name -> bytes, or ZipInfo -> bytes)."""
    path = tmp / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("election.json", json.dumps(election_doc()))
        z.writestr("results.csv", f"{HEADER}\n{KZ_ROW}\n")
        for m, data in members.items():
            z.writestr(m, data)
    if before_load:
        before_load()
    return rejected(load_package, path, limits=limits)


def _symlink_zip(tmp):
    info = zipfile.ZipInfo("turnout.csv")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return zip_pkg(tmp, {info: "/etc/passwd"})


def _inner_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("turnout.csv", "time,unit,turnout_pct\n")
    return buf.getvalue()


def _store_update_without_election(tmp):
    path = tmp / "results.csv"
    path.write_text(f"{HEADER}\n{KZ_ROW}\n")
    return rejected(Store(tmp / "store").ingest, path)


def _xlsx_bytes(sheet="Лист1") -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = sheet
    wb.active.append(HEADER.split(","))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def whole_sheet_xlsx() -> bytes:
    """A ~5 KB workbook whose used range is the whole sheet: a header, and one value in its last cell
    (XFD1048576). Read whole, every row is padded to 16,384 cells: 17 billion cells, 22 GB."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(HEADER.split(","))
    wb.active["XFD1048576"] = 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def long_cell_csv(stations: int = 20_000) -> bytes:
    """One 100,000-character cell above 20,000 station rows: numpy stores every cell of a column at the
    longest one's width, so that column alone would take 20,001 x 100,000 x 4 bytes = 7.5 GiB."""
    rows = "".join(KZ_ROW.replace(",kz,", f",abai/{i},") + "\n" for i in range(stations))
    return (HEADER + "\n" + KZ_ROW.replace(",kz,", ",kz" + "x" * 100_000 + ",") + "\n" + rows).encode()


def _data_dir_into_itself(tmp):
    store = Store(tmp / "holder" / "data")
    store.ingest(make_package(tmp / "holder" / "p"))
    return rejected(store.ingest, tmp / "holder")


def _lone_surrogate_json(tmp):
    doc = json.dumps(election_doc(), ensure_ascii=False).replace('"Elections"', '"Elections \\ud800"')
    return pkg(tmp, files={"election.json": "{\n" + doc[1:]})


def _store_folder_with_link(tmp):
    root = make_package(tmp / "p")
    secret = tmp / "secret.csv"
    secret.write_text("x")
    os.symlink(secret, root / "turnout.csv")
    return rejected(Store(tmp / "store").ingest, root)


def _store_socket(tmp):
    with socket.socket(socket.AF_UNIX) as s:  # a socket cannot be opened as a file, even by root
        s.bind(str(tmp / "results.csv"))
        return rejected(Store(tmp / "store").ingest, tmp / "results.csv")


# rule -> (builder(tmp) -> problems, expected (file, line) of the first problem with that rule)
CASES = {
    R.MISSING_FILE: (lambda t: pkg(t, files={"results.csv": None}), ("results.csv", 0)),
    R.UNKNOWN_FILE: (lambda t: pkg(t, files={"notes.txt": "hello"}), ("notes.txt", 0)),
    R.EMPTY_FILE: (lambda t: pkg(t, results=b""), ("results.csv", 0)),
    R.TRUNCATED_FILE: (lambda t: results(t, KZ_ROW + "\n" + "mazhilis_party_list,abai,100,5"), ("results.csv", 3)),
    R.WRONG_FIELD_COUNT: (lambda t: results(t, KZ_ROW + ",99\n" + KZ_ROW.replace(",kz,", ",abai,") + "\n"),
                          ("results.csv", 2)),
    R.FILE_TOO_LARGE: (lambda t: update(t, "results.csv", (HEADER + "\n" + (KZ_ROW + "\n") * 3000).encode()),
                       ("results.csv", 0)),
    R.BAD_ENCODING: (lambda t: pkg(t, results=b"contest\x00unit\x00\xff\xfe\x00"), ("results.csv", 0)),
    R.BAD_XLSX: (lambda t: update(t, "protocol.xlsx", b"PK\x03\x04 this is not a workbook"), ("protocol.xlsx", 0)),
    R.MISSING_SHEET: (lambda t: update(t, "protocol.xlsx", _xlsx_bytes(), sheet="Итоги"), ("protocol.xlsx", 0)),
    R.UNKNOWN_FILE_KIND: (lambda t: update(t, "list.csv", b"name,age\nA,3\n"), ("list.csv", 1)),
    R.BAD_ZIP: (lambda t: (t / "p.zip").write_bytes(b"PK\x05\x06 broken") and rejected(load_package, t / "p.zip"),
                ("p.zip", 0)),
    R.UNSAFE_ZIP_PATH: (lambda t: zip_pkg(t, {"../../evil.csv": "x"}), ("p.zip", 0)),
    R.NESTED_ARCHIVE: (lambda t: zip_pkg(t, {"more.zip": _inner_zip()}), ("p.zip", 0)),
    R.ZIP_BOMB: (lambda t: zip_pkg(t, {"turnout.csv": b"\0" * (8 * 2**20)}), ("p.zip", 0)),
    R.UPDATE_WITHOUT_ELECTION: (_store_update_without_election, ("results.csv", 0)),
    R.BAD_ELECTION_JSON: (lambda t: pkg(t, files={"election.json": '{"id": "x",\n "parties": [}'}),
                          ("election.json", 2)),
    R.MISSING_COLUMN: (lambda t: pkg(t, results=HEADER.replace(",took_part", "") + "\n"), ("results.csv", 1)),
    R.UNKNOWN_COLUMN: (lambda t: pkg(t, results=HEADER + ",Greens\n" + KZ_ROW + ",5\n"), ("results.csv", 1)),
    R.DUPLICATE_COLUMN: (lambda t: pkg(t, results=HEADER + ",Приняли участие\n" + KZ_ROW + ",5\n"),
                         ("results.csv", 1)),
    R.MISSING_VALUE: (lambda t: results(t, KZ_ROW + "\n" + KZ_ROW.replace(",kz,", ",,") + "\n"), ("results.csv", 3)),
    R.NOT_AN_INTEGER: (lambda t: results(t, KZ_ROW.replace("6521860", "6521860.5") + "\n"), ("results.csv", 2)),
    R.NOT_A_NUMBER: (lambda t: turnout(t, "2023-03-19T10:10:00+06:00,kz,,,14.2x\n"), ("turnout.csv", 2)),
    R.NEGATIVE_COUNT: (lambda t: results(t, KZ_ROW.replace("248291", "-248291") + "\n"), ("results.csv", 2)),
    R.BAD_TIME: (lambda t: turnout(t, "2023-03-19T10:10:00+06:00,kz,,,14.21\n10:10,astana,,,8.9\n"),
                 ("turnout.csv", 3)),
    R.UNKNOWN_UNIT: (lambda t: results(t, KZ_ROW.replace(",kz,", ",atlantis,") + "\n"), ("results.csv", 2)),
    R.UNIT_OUTSIDE_AREA: (lambda t: results(t, ASTANA_ROW.replace(",astana,", ",almaty,") + "\n"),
                          ("results.csv", 2)),
    R.UNKNOWN_CONTEST: (lambda t: results(t, KZ_ROW + "\n" + KZ_ROW.replace(E, "senate") + "\n"), ("results.csv", 3)),
    R.UNKNOWN_PARTY: (lambda t: pkg(t, files={"districts.csv": "contest,district,unit,winner,party\n"
                                              "mazhilis_single_mandate,1,astana,A. B.,greens\n"}),
                      ("districts.csv", 2)),
    R.PARTY_NOT_ON_BALLOT: (lambda t: results(t, "maslikhat_kyzylorda_party_list,kyzylorda,486034,325088,,,"
                                                 "219248,13465,10773,,9037,500,\n"), ("results.csv", 2)),
    R.DUPLICATE_ROW: (lambda t: results(t, KZ_ROW + "\n" + ASTANA_ROW + "\n" + KZ_ROW + "\n"), ("results.csv", 4)),
    R.TOOK_PART_EXCEEDS_REGISTERED: (lambda t: results(t, KZ_ROW.replace("12035578", "6000000") + "\n"),
                                     ("results.csv", 2)),
    R.VOTES_EXCEED_TOOK_PART: (lambda t: results(t, KZ_ROW.replace("6521860", "5000000") + "\n"), ("results.csv", 2)),
    R.TURNOUT_OUT_OF_RANGE: (lambda t: turnout(t, "2023-03-19T10:10:00+06:00,kz,,,101.5\n"), ("turnout.csv", 2)),
    R.TURNOUT_MISMATCH: (lambda t: turnout(t, "2023-03-19T10:10:00+06:00,kz,1000,500,70\n"), ("turnout.csv", 2)),
    R.TURNOUT_DECREASED: (lambda t: turnout(t, "2023-03-19T10:10:00+06:00,astana,,,30\n"
                                               "2023-03-19T12:10:00+06:00,kz,,,20\n"
                                               "2023-03-19T12:10:00+06:00,astana,,,29.5\n"), ("turnout.csv", 4)),
    R.TIMES_OUT_OF_ORDER: (lambda t: turnout(t, "final,astana,,,40\n2023-03-19T12:10:00+06:00,astana,,,30\n"),
                           ("turnout.csv", 3)),
    R.XLSX_TOO_LARGE: (lambda t: update(t, "protocol.xlsx", whole_sheet_xlsx()), ("protocol.xlsx", 0)),
    R.TOO_MANY_ROWS: (lambda t: update(t, "results.csv", (HEADER + "\n" + "".join(
        KZ_ROW.replace(",kz,", f",abai/{i}/,") + "\n" for i in range(150))).encode(), limits=Limits(max_rows=100)),
                      ("results.csv", 101)),
    R.TOO_MANY_COLUMNS: (lambda t: update(t, "results.csv", (HEADER + ",x" * 120 + "\n" + KZ_ROW + "\n").encode()),
                         ("results.csv", 1)),
    R.CELL_TOO_LONG: (lambda t: update(t, "results.csv", long_cell_csv(), limits=Limits()), ("results.csv", 2)),
    R.DATA_DIR_UPLOAD: (_data_dir_into_itself, ("holder", 0)),
    R.EMPTY_UPDATE: (lambda t: update(t, "results.csv", (HEADER + "\n").encode()), ("results.csv", 1)),
    R.NOT_UNICODE: (_lone_surrogate_json, ("election.json", 2)),
    R.SYMBOLIC_LINK: (_store_folder_with_link, ("p", 0)),
    R.UNREADABLE_FILE: (_store_socket, ("results.csv", 0)),
}


def _abai_in_2019(t):
    """A vote of 2019 (units_2022: 17 units) with a row for Abai, which was part of East Kazakhstan then."""
    doc = {**election_doc(with_maslikhats=False), "id": "kz-2019-06-09", "date": "2019-06-09"}
    return results(t, KZ_ROW + "\n" + KZ_ROW.replace(",kz,", ",abai,") + "\n", election=doc)


CASES[R.UNIT_NOT_OF_THE_SET] = (_abai_in_2019, ("results.csv", 3))
CASES.update(COUNTING_CASES)
CASES.update(KINDS_CASES)
CASES.update(LIBRARY_CASES)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule(tmp_path, rule):
    build, (file, line) = CASES[rule]
    problems = build(tmp_path)
    hits = [p for p in problems if p.rule == rule]
    assert hits, f"expected {rule}, got {[str(p) for p in problems]}"
    assert (hits[0].file, hits[0].line) == (file, line), str(hits[0])
    assert hits[0].message and "Traceback" not in hits[0].message


def test_every_rule_has_a_case_and_a_docstring():
    assert set(CASES) == set(R.RULES)
    for rule_id, doc in R.RULES.items():
        assert rule_id == rule_id.lower() and " " not in rule_id and len(doc) > 20


def test_all_problems_of_a_file_are_collected(tmp_path):
    body = (KZ_ROW.replace("6521860", "x1") + "\n"                     # line 2: not-an-integer
            + KZ_ROW.replace(",kz,", ",atlantis,") + "\n"             # line 3: unknown-unit
            + KZ_ROW.replace(E, "senate").replace(",kz,", ",abai,") + "\n"  # line 4: unknown-contest
            + KZ_ROW.replace("248291", "-1").replace(",kz,", ",abai,") + "\n")  # line 5: negative-count
    problems = results(tmp_path, body, files={"turnout.csv": "time,unit,turnout_pct\nnoon,kz,5\n"})
    got = {(p.file, p.line, p.rule) for p in problems}
    assert {("results.csv", 2, "not-an-integer"), ("results.csv", 3, "unknown-unit"),
            ("results.csv", 4, "unknown-contest"), ("results.csv", 5, "negative-count"),
            ("turnout.csv", 2, "bad-time")} <= got



def test_invalid_ballots_count_towards_the_ballots_in_the_box(tmp_path):
    """Party votes + against all + invalid cannot exceed took_part; invalid ballots are part of that sum."""
    # invalid ballots alone (700) exceed the 600 who took part; every other count cell is empty
    problems = results(tmp_path / "alone", "mazhilis_party_list,abai,1000,600,700,,,,,,,,\n")
    assert [(p.line, p.rule) for p in problems] == [(2, R.VOTES_EXCEED_TOOK_PART)]
    # the published kz row: parties + against all = 6,366,441 of 6,521,860 who took part, so at most
    # 155,419 invalid ballots fit; one more is refused, exactly that many is accepted
    assert sum(int(v) for v in KZ_ROW.split(",")[5:]) == 6_366_441
    over = KZ_ROW.replace("6521860,,", "6521860,155420,")
    problems = results(tmp_path / "over", over + "\n")
    assert [(p.line, p.rule) for p in problems] == [(2, R.VOTES_EXCEED_TOOK_PART)]
    assert "= 6\u00a0521\u00a0861 but only 6\u00a0521\u00a0860 took part" in problems[0].message
    fits = KZ_ROW.replace("6521860,,", "6521860,155419,")
    e = load_package(make_package(tmp_path / "fits", results=HEADER + "\n" + fits + "\n"))
    assert int(e.results["invalid"].iloc[0]) == 155_419

def test_problem_format():
    p = R.Problem("results.csv", 7, "negative-count", "took_part is -1: counts cannot be negative")
    assert str(p) == "results.csv:7: negative-count: took_part is -1: counts cannot be negative"


def test_unsafe_absolute_path_and_symlink(tmp_path):
    assert any(p.rule == R.UNSAFE_ZIP_PATH for p in zip_pkg(tmp_path, {"/etc/cron.d/x": "x"}))
    assert any(p.rule == R.UNSAFE_ZIP_PATH and "symbolic link" in p.message for p in _symlink_zip(tmp_path))


def test_zip_total_size_cap_checked_before_extracting(tmp_path, monkeypatch):
    opened = []

    def forbid():
        monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: opened.append(a) or 1 / 0)

    problems = zip_pkg(tmp_path, {"turnout.csv": "time,unit,turnout_pct\n" * 100},
                       limits=Limits(max_total_bytes=1000), before_load=forbid)
    assert [p.rule for p in problems] == [R.ZIP_BOMB] and opened == []


def test_zip_bomb_ratio_reported_without_reading(tmp_path, monkeypatch):
    problems = zip_pkg(tmp_path, {"turnout.csv": b"0" * (4 * 2**20)},
                       before_load=lambda: monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: 1 / 0))
    assert [p.rule for p in problems] == [R.ZIP_BOMB] and "fold" in problems[0].message


def test_archive_in_disguise(tmp_path):
    assert any(p.rule == R.NESTED_ARCHIVE for p in zip_pkg(tmp_path, {"turnout.csv": _inner_zip()}))


def test_folder_symlink_refused(tmp_path):
    root = make_package(tmp_path / "p")
    secret = tmp_path / "secret.csv"
    secret.write_text("x")
    os.symlink(secret, root / "turnout.csv")
    assert [p.rule for p in rejected(load_package, root)] == [R.UNSAFE_ZIP_PATH]


def test_unterminated_quote_is_truncation(tmp_path):
    problems = results(tmp_path, KZ_ROW + '\nmazhilis_party_list,"abai')
    assert [(p.rule, p.line) for p in problems if p.rule == R.TRUNCATED_FILE] == [(R.TRUNCATED_FILE, 3)]


def test_semantic_election_json_errors_all_listed(tmp_path):
    doc = election_doc()
    doc["contests"][0]["seats"] = "many"
    doc["parties"][1]["key"] = "Auyl Party"
    doc["date"] = "19.03.2023"
    problems = pkg(tmp_path, election=doc)
    assert {p.rule for p in problems} == {R.BAD_ELECTION_JSON} and len(problems) >= 3
    assert any("seats" in p.message for p in problems) and any("date" in p.message for p in problems)


def test_real_2023_shapes_pass(pkg2023):
    """kz rows, regions without rows, seats null, empty cells, turnout gaps (16:10, 20:10), final for kz only."""
    e = load_package(pkg2023)
    assert e.contest("maslikhat_kyzylorda_party_list").seats is None
    at_2010 = e.turnout[e.turnout["time"] == "2023-03-19T20:10:00+06:00"]["unit"]
    assert at_2010.nunique() == 15 and "kz" in set(at_2010)  # 14 units + the national figure
    assert "shymkent" not in set(e.turnout[e.turnout["time"] == "2023-03-19T16:10:00+06:00"]["unit"])
    assert e.turnout[e.turnout["time"] == "final"]["unit"].tolist() == ["kz"]
    assert e.results.loc[e.results["unit"] == "kostanay", "against_all"].isna().all()


def test_embedded_package_passes():
    from dashboard.store.embedded import embedded_election, embedded_path

    assert Path(embedded_path(), "election.json").exists()
    assert embedded_election().id == "kz-2023-03-19"


def test_lone_surrogates_are_found_and_pairs_are_not():
    from dashboard.ingest.validate import lone_surrogate_line

    assert lone_surrogate_line('{"a": "\\ud83d\\ude00 \\u00e9"}') is None  # a pair is one real character
    assert lone_surrogate_line('{"a":\n "x\\\\ud800"}') is None  # an escaped backslash, then plain text
    assert lone_surrogate_line('{"a":\n "\\ud83d"}') == 2  # a high half alone
    assert lone_surrogate_line('{\n\n"\\ude00": 1}') == 3  # a low half alone, in a key
    assert lone_surrogate_line('["\\ud83d\\u0041"]') == 1  # a high half followed by no low half
