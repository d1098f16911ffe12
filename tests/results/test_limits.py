"""Hostile and broken inputs are refused within bounded memory: each file here is one that once took the
ingest down (22 GB for a 5 KB xlsx, 74 GiB for a CSV cell) or rendered markup from election.json.

The memory test runs each real ingest in a child process whose address space is capped at 2 GiB, so an
unbounded read fails there with MemoryError instead of passing quietly on a big machine.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import openpyxl
import pytest

from dashboard.ingest import rules as R
from dashboard.ingest.package import load_package, load_update
from dashboard.ingest.rules import Limits
from dashboard.store.library import Library
from dashboard.store.store import Store

from .conftest import HEADER, KZ_ROW, election_doc, make_package, rejected, rules_of
from .test_rules import long_cell_csv, whole_sheet_xlsx

ROOT = Path(__file__).resolve().parents[2]


def _strip_dimension(data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                body = re.sub(rb"<dimension ref=\"[^\"]*\"/>", b"", body)
            out.writestr(info, body)
    return buf.getvalue()


def far_cell_xlsx(cell: str) -> bytes:
    """A header row plus one cell far away (``XFD1`` or ``A1048576``), with no <dimension> to warn of it."""
    wb = openpyxl.Workbook()
    wb.active.append(HEADER.split(","))
    wb.active[cell] = 1
    buf = io.BytesIO()
    wb.save(buf)
    return _strip_dimension(buf.getvalue())


def wide_table_csv(rows: int = 100_000, width: int = 900) -> bytes:
    """Every cell under the length cap, but one 900-character cell in a 100,000-row column would need
    100,000 x 900 x 4 bytes = 343 MiB as a numpy array."""
    body = "".join(KZ_ROW.replace(",kz,", f",abai/{i},") + "\n" for i in range(rows - 1))
    return (HEADER + "\n" + body + KZ_ROW.replace(",kz,", ",abai/" + "x" * width + ",") + "\n").encode()


def election_with(**fields) -> dict:
    doc = election_doc()
    doc.update(fields)
    return doc


#: A Dash component as JSON: rendered as a live iframe before election.json texts had to be strings.
IFRAME = {"type": "Iframe", "namespace": "dash_html_components",
          "props": {"srcDoc": "<script>alert(1)</script>"}}


def test_whole_sheet_xlsx_is_small_and_refused_before_reading_cells(tmp_path):
    data = whole_sheet_xlsx()
    assert len(data) < 8000
    base = load_package(make_package(tmp_path / "p"))
    (tmp_path / "protocol.xlsx").write_bytes(data)
    problems = rejected(load_update, tmp_path / "protocol.xlsx", base)
    assert [p.rule for p in problems] == [R.XLSX_TOO_LARGE]
    assert "1,048,576 rows × 16,384 columns" in problems[0].message


@pytest.mark.parametrize(("cell", "rule", "line"), [("XFD1", R.TOO_MANY_COLUMNS, 1),
                                                    ("A1048576", R.TOO_MANY_ROWS, 1048576)])
def test_undeclared_far_cell_is_found_without_padding(tmp_path, cell, rule, line):
    base = load_package(make_package(tmp_path / "p"))
    (tmp_path / "protocol.xlsx").write_bytes(far_cell_xlsx(cell))
    problems = rejected(load_update, tmp_path / "protocol.xlsx", base)
    assert [(p.rule, p.line) for p in problems] == [(rule, line)]


def test_xlsx_unpacked_size_is_checked_from_the_directory(tmp_path):
    base = load_package(make_package(tmp_path / "p"))
    wb = openpyxl.Workbook()
    wb.active.append(HEADER.split(","))
    for i in range(300):
        wb.active.append(["mazhilis_party_list", f"abai/{i}", *["9" * 50] * 11])
    path = tmp_path / "big.xlsx"
    wb.save(path)
    problems = rejected(load_update, path, base, limits=Limits(max_xlsx_bytes=50_000))
    assert [p.rule for p in problems] == [R.XLSX_TOO_LARGE] and "unpacks to" in problems[0].message


def test_sparse_xlsx_reader_keeps_excel_rows_and_blank_rows(tmp_path):
    """The bounded reader gives what pandas gave: whole floats as integers, Excel row numbers as lines."""
    base = load_package(make_package(tmp_path / "p", results=HEADER + "\n"))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Итоги"])
    ws.append([])
    ws.append(HEADER.split(","))
    ws.append(["mazhilis_party_list", "kz", 12035578.0, 6521860, None, 248291, 3431510, 693938, 547154,
               535139, 432920, 331058, "146 431"])
    ws.append(["mazhilis_party_list", "abai", 10, 20, None, 1, 1, 1, 1, 1, 1, 1, 1])
    path = tmp_path / "p.xlsx"
    wb.save(path)
    problems = rejected(load_update, path, base)
    assert [(p.file, p.line, p.rule) for p in problems] == [("p.xlsx", 5, R.TOOK_PART_EXCEEDS_REGISTERED)]


def test_long_cell_csv_is_refused_at_its_line(tmp_path):
    problems = rejected(load_package, make_package(tmp_path / "p", results=long_cell_csv()))
    assert [(p.line, p.rule) for p in problems] == [(2, R.CELL_TOO_LONG)]
    assert "100,0" in problems[0].message


def test_cell_longer_than_csv_field_limit_is_cell_too_long(tmp_path):
    data = (HEADER + "\n" + KZ_ROW.replace(",kz,", ',"' + "y" * 200_000 + '",') + "\n").encode()
    problems = rejected(load_package, make_package(tmp_path / "p", results=data))
    assert [(p.line, p.rule) for p in problems] == [(2, R.CELL_TOO_LONG)]


def test_long_cells_times_rows_over_the_table_cap(tmp_path):
    problems = rejected(load_package, make_package(tmp_path / "p", results=wide_table_csv()))
    hits = [p for p in problems if p.rule == R.CELL_TOO_LONG]
    assert [p.line for p in hits] == [100_001] and "MiB" in hits[0].message


def test_cells_cap(tmp_path):
    rows = "".join(KZ_ROW.replace(",kz,", f",abai/{i},") + "\n" for i in range(100))
    problems = rejected(load_package, make_package(tmp_path / "p", results=HEADER + "\n" + rows),
                        limits=Limits(max_cells=13 * 50))
    assert [p.rule for p in problems] == [R.TOO_MANY_ROWS] and "cells" in problems[0].message


@pytest.mark.parametrize(("fields", "needle"), [
    ({"names": {"en": "E" * 200_000}}, "'names'.en is 200,000 characters"),
    ({"names": "E" * 600}, "'names' is 600 characters"),
    ({"notes": {"en": IFRAME}}, "'notes'.en must be text, not dict"),
    ({"notes": {"en": ["a", "b"]}}, "'notes'.en must be text, not list"),
    ({"banner": IFRAME}, "'banner'.props must be text, not dict"),
    ({"source": 5}, "'source' must be text, not int"),
    ({"id": "k" * 101}, "'id' must be a short text id"),
])
def test_election_json_free_text_must_be_bounded_strings(tmp_path, fields, needle):
    problems = rejected(load_package, make_package(tmp_path / "p", election=election_with(**fields)))
    assert rules_of(problems) == {R.BAD_ELECTION_JSON}
    assert any(needle in p.message for p in problems), [p.message for p in problems]
    assert all(len(p.message) < 400 for p in problems)


def test_party_name_must_be_text(tmp_path):
    doc = election_doc()
    doc["parties"][0]["names"]["ru"] = {"props": {"children": "x"}}
    doc["parties"][1]["short"] = {"en": "S" * 501}
    problems = rejected(load_package, make_package(tmp_path / "p", election=doc))
    assert {p.message.split(" ")[0] for p in problems} == {"parties[0].names.ru", "parties[1].short.en"}


def test_deeply_nested_election_json(tmp_path):
    doc = "[" * 100_000 + "]" * 100_000
    problems = rejected(load_package, make_package(tmp_path / "p", files={"election.json": doc}))
    assert rules_of(problems) == {R.BAD_ELECTION_JSON}


def test_extra_text_and_dict_of_texts_still_accepted(tmp_path):
    e = load_package(make_package(tmp_path / "p", election=election_with(
        source="CEC", caveat={"en": "preliminary", "ru": "предварительно"})))
    assert e.extra == {"source": "CEC", "caveat": {"en": "preliminary", "ru": "предварительно"}}


def test_header_only_update_is_refused_not_published(tmp_path):
    store = Store(tmp_path / "data")
    store.ingest(make_package(tmp_path / "p"))
    upd = tmp_path / "results.csv"
    upd.write_text(HEADER.replace(",", ";") + "\r\n", encoding="cp1251")
    e = pytest.raises(R.Rejected, store.ingest, upd).value
    assert [p.rule for p in e.problems] == [R.EMPTY_UPDATE]
    assert store.version() == 1 and len(store.history()) == 1


def test_folder_holding_the_data_dir_is_refused_before_copying(tmp_path):
    store = Store(tmp_path / "data")
    store.ingest(make_package(tmp_path / "p"))
    for path in (tmp_path, tmp_path / "data", tmp_path / "data" / "versions" / "1"):
        e = pytest.raises(R.Rejected, store.ingest, path).value
        assert [p.rule for p in e.problems] == [R.DATA_DIR_UPLOAD]
    assert store.version() == 1 and not any((tmp_path / "data" / "incoming").glob("*"))
    assert not (tmp_path / "data" / "quarantine").exists(), "nothing is copied"


def test_endless_fifo_upload_is_cut_at_the_cap(tmp_path):
    store = Store(tmp_path / "data", limits=Limits(max_file_bytes=1 << 20, max_total_bytes=1 << 20))
    store.ingest(make_package(tmp_path / "p"))
    fifo = tmp_path / "results.csv"
    os.mkfifo(fifo)
    stop = threading.Event()

    def writer():
        with open(fifo, "wb") as fh:
            try:
                while not stop.is_set():
                    fh.write(b"0" * 65536)
            except BrokenPipeError:
                pass

    t = threading.Thread(target=writer, daemon=True)
    t.start()
    e = pytest.raises(R.Rejected, store.ingest, fifo).value
    stop.set()
    t.join(timeout=10)
    assert [p.rule for p in e.problems] == [R.FILE_TOO_LARGE] and "reading stopped" in e.problems[0].message
    assert not Path(e.quarantined).exists() and store.version() == 1
    assert not any((tmp_path / "data" / "incoming").glob("*"))


def test_fifo_without_writer_does_not_hang(tmp_path):
    store = Store(tmp_path / "data")
    store.ingest(make_package(tmp_path / "p"))
    fifo = tmp_path / "results.csv"
    os.mkfifo(fifo)
    e = pytest.raises(R.Rejected, store.ingest, fifo).value
    assert [p.rule for p in e.problems] == [R.EMPTY_FILE]


# --- every hostile file, through the real command, in 2 GiB of address space ----------------------------
CAPPED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
from dashboard.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _hostile(tmp: Path) -> dict[str, tuple[Path, str]]:
    """name -> (path to ingest, the rule it must be refused with)."""
    def put(name: str, data: bytes) -> Path:
        path = tmp / "hostile" / name.split("/")[0] / name.split("/")[-1]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    return {
        "whole-sheet xlsx": (put("a/protocol.xlsx", whole_sheet_xlsx()), R.XLSX_TOO_LARGE),
        "far column xlsx": (put("b/protocol.xlsx", far_cell_xlsx("XFD1")), R.TOO_MANY_COLUMNS),
        "far row xlsx": (put("c/protocol.xlsx", far_cell_xlsx("A1048576")), R.TOO_MANY_ROWS),
        "100,000-char cell": (put("d/results.csv", long_cell_csv()), R.CELL_TOO_LONG),
        "long cells x rows": (put("e/results.csv", wide_table_csv()), R.CELL_TOO_LONG),
        "/dev/zero": (Path("/dev/zero"), R.FILE_TOO_LARGE),
        "header only": (put("f/results.csv", (HEADER + "\n").encode()), R.EMPTY_UPDATE),
        "200,000-char name": (make_package(tmp / "hostile" / "g", election=election_with(
            names={"en": "E" * 200_000})), R.BAD_ELECTION_JSON),
        "iframe in notes": (make_package(tmp / "hostile" / "h", election=election_with(notes={"en": IFRAME})),
                            R.BAD_ELECTION_JSON),
        "data dir itself": (tmp / "data", R.DATA_DIR_UPLOAD),
    }


def test_every_hostile_file_is_refused_in_2_gib(tmp_path):
    data = tmp_path / "data"
    Library(data).ingest(make_package(tmp_path / "p"))  # the 2023 election, version 1: lone files update it
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    for what, (path, rule) in _hostile(tmp_path).items():
        r = subprocess.run([sys.executable, "-c", CAPPED, "ingest", str(path), "--data-dir", str(data)],
                           capture_output=True, text=True, env=env, timeout=300)
        assert r.returncode == 1, f"{what}: exit {r.returncode}\n{r.stderr[-2000:]}"
        assert f": {rule}: " in r.stderr, f"{what}: {r.stderr[-2000:]}"
        assert "Traceback" not in r.stderr and "MemoryError" not in r.stderr, what
    store = Library(data).store("kz-2023-03-19")
    assert store.version() == 1 and len(store.history()) == 1
    assert json.loads((store.dir / "versions" / "1" / "election.json").read_text())["names"] == election_doc()["names"]
