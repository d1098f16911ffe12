"""Each format variant commissions publish reads to the same figures as the canonical file."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.ingest.package import load_package, load_update
from dashboard.ingest.readers import (
    decode,
    header_key,
    parse_counts,
    parse_decimals,
    read_raw,
    sniff_delimiter,
)

from .conftest import HEADER, KZ_ROW, PARTIES, make_package

KZ_VOTES = {"amanat": 3431510, "auyl": 693938, "respublica": 547154, "ak_zhol": 535139, "qhp": 432920,
            "osdp": 331058, "baytaq": 146431}

RU_HEADER = ["Выборы", "Участок", "Количество избирателей, включенных в списки", "Приняли участие в голосовании",
             "Недействительные бюллетени", "Против всех", "Партия «AMANAT»", "Ауыл", "Respublica", "Ак жол",
             "Народная партия", "ОСДП", "Байтак"]
KK_HEADER = ["Сайлау", "Учаске", "Сайлаушылар тізіміне енгізілген сайлаушылар саны", "Дауыс беруге қатысқандар",
             "Жарамсыз бюллетеньдер", "Барлығына қарсы", "«AMANAT» партиясы", "Ауыл", "Respublica", "Ақ жол",
             "Халық партиясы", "ЖСДП", "Байтақ"]
NBSP_ROW = ["mazhilis_party_list", "kz", "12\u00a0035\u00a0578", "6 521 860", "", "248\u202f291", "3 431 510",
            "693\u00a0938", "547 154", "535 139", "432 920", "331 058", "146 431"]


def _check_kz(e):
    row = e.results.set_index(["contest", "unit"]).loc[("mazhilis_party_list", "kz")]
    assert row["registered"] == 12035578
    assert row["took_part"] == 6521860
    assert pd.isna(row["invalid"]), "an empty cell is 'not reported', never zero"
    assert row["against_all"] == 248291
    assert {p: int(row[p]) for p in PARTIES} == KZ_VOTES
    assert str(e.results["registered"].dtype) == "Int64"


def test_canonical(tmp_path):
    _check_kz(load_package(make_package(tmp_path / "p")))


@pytest.mark.parametrize("encoding,bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1251", b"")])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_encodings_and_delimiters_with_russian_headers(tmp_path, encoding, bom, delimiter):
    quote = (lambda s: f'"{s}"') if delimiter == "," else (lambda s: s)
    text = delimiter.join(map(quote, RU_HEADER)) + "\r\n" + delimiter.join(map(quote, NBSP_ROW)) + "\r\n"
    if encoding == "cp1251":  # cp1251 has NBSP (0xA0) but no narrow NBSP
        text = text.replace("\u202f", "\u00a0")
    data = bom + text.encode(encoding)
    if encoding == "cp1251":
        assert data.decode("cp1251") == text and b"\xc2\xfb\xe1\xee\xf0\xfb" in data  # «Выборы» in cp1251 bytes
    _check_kz(load_package(make_package(tmp_path / "p", results=data)))


def test_kazakh_headers_utf8_bom_semicolon(tmp_path):
    text = ";".join(KK_HEADER) + "\n" + ";".join(NBSP_ROW) + "\n"
    _check_kz(load_package(make_package(tmp_path / "p", results=b"\xef\xbb\xbf" + text.encode())))


def test_decimal_comma_and_russian_turnout_headers(tmp_path):
    turnout = ("Время;Участок;Явка, %\n"
               "2023-03-19T10:10:00+06:00;astana;8,91\n"
               "2023-03-19T12:10:00+06:00;astana;21,5\n"
               "final;kz;54,21\n").encode("cp1251")
    e = load_package(make_package(tmp_path / "p", {"turnout.csv": turnout}))
    assert e.turnout["turnout_pct"].tolist() == [8.91, 21.5, 54.21]
    assert e.turnout["time"].tolist()[-1] == "final"
    assert str(e.turnout["turnout_pct"].dtype) == "Float64"


def test_turnout_pct_computed_from_counts(tmp_path):
    turnout = "time,unit,registered,took_part,turnout_pct\n2023-03-19T10:10:00+06:00,astana,1 000,250,\n"
    e = load_package(make_package(tmp_path / "p", {"turnout.csv": turnout}))
    assert e.turnout["turnout_pct"].iloc[0] == pytest.approx(25.0)


def _xlsx(path, sheets: dict[str, list[list]]):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def _numeric_row():
    return ["mazhilis_party_list", "kz", 12035578, 6521860, None, 248291, *KZ_VOTES.values()]


def test_xlsx_first_sheet_in_package(tmp_path):
    pkg = make_package(tmp_path / "p", {"results.csv": None})
    _xlsx(pkg / "results.xlsx", {"Итоги": [RU_HEADER, _numeric_row()], "Other": [["junk"]]})
    _check_kz(load_package(pkg))


def test_xlsx_named_sheet_with_title_rows(tmp_path):
    base = load_package(make_package(tmp_path / "p", results=HEADER + "\n"))
    path = _xlsx(tmp_path / "protocol.xlsx", {
        "Cover": [["nothing here"]],
        "Мажилис": [["Итоги голосования 19 марта 2023 г."], [], KK_HEADER, _numeric_row()],
    })
    _check_kz(load_update(path, base, sheet="Мажилис"))


def test_header_only_results_is_valid(tmp_path):
    e = load_package(make_package(tmp_path / "p", results=HEADER + "\n"))
    assert len(e.results) == 0 and list(e.results.columns[:2]) == ["contest", "unit"]


def test_row_number_column_and_trailing_delimiter_are_ignored(tmp_path):
    data = "№ п/п;" + HEADER.replace(",", ";") + ";\n1;" + KZ_ROW.replace(",", ";") + ";\n"
    _check_kz(load_package(make_package(tmp_path / "p", results=data)))


def test_quoted_cell_spanning_lines_keeps_true_line_numbers(tmp_path):
    from dashboard.ingest.rules import Rejected

    sources = 'file,contest,unit,time,field,source_url,note\nresults.csv,,,,,http://x,"two\nlines"\nnope.csv,,,,,u,\n'
    with pytest.raises(Rejected) as e:
        load_package(make_package(tmp_path / "p", {"sources.csv": sources}))
    assert [(p.line, p.rule) for p in e.value.problems] == [(4, "unknown-file")]


def test_unit_names_in_russian_and_kazakh_map_to_keys(tmp_path):
    rows = ("maslikhat_astana_party_list,Астана,10,5,,,1,,,,,,\n"
            "mazhilis_party_list,Алматы облысы,10,5,,,1,,,,,,\n"
            "mazhilis_party_list,Карагандинская область/0042,10,5,,,1,,,,,,\n")
    e = load_package(make_package(tmp_path / "p", results=HEADER + "\n" + rows))
    assert e.results["unit"].tolist() == ["astana", "almaty_region", "karaganda/0042"]


def test_number_parsing_vectorised_helpers():
    cells = pd.Series(["3 431 510", "3\u00a0431\u00a0510", "3\u202f431\u202f510", "3,431,510", "", "12a", "-5", "7"])
    values, bad = parse_counts(cells)
    assert values.tolist()[:4] == [3431510] * 4
    assert pd.isna(values[4]) and bad.tolist() == [False] * 5 + [True, False, False]
    assert values[6] == -5 and values[7] == 7
    pct, bad = parse_decimals(pd.Series(["53,90", "53.9", "54,21 %", "", "x"]))
    assert pct.tolist()[:3] == [53.9, 53.9, 54.21] and bad.tolist() == [False, False, False, False, True]


def test_decode_and_sniff():
    assert decode("Явка".encode("cp1251")) == ("Явка", "cp1251")
    assert decode(b"\xef\xbb\xbfa,b") == ("a,b", "utf-8")
    assert decode("a\tb".encode("utf-16")) == ("a\tb", "utf-16")
    assert sniff_delimiter("Время;Участок;Явка, %\nx;y;53,9") == ";"
    assert sniff_delimiter("a\tb,c\n1\t2,3") == "\t"
    assert header_key("Явка, %") == header_key("явка") == "явка"


def test_blank_lines_do_not_shift_line_numbers():
    raw = read_raw(b"a,b\n\n1,2\n", "x.csv")
    assert raw.lines.tolist() == [1, 2, 3]


@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=30),
       st.sampled_from([" ", "\u00a0", "\u202f", ""]))
def test_counts_round_trip_with_any_thousands_separator(numbers, sep):
    cells = pd.Series([f"{n:,}".replace(",", sep) for n in numbers])
    values, bad = parse_counts(cells)
    assert not bad.any() and values.tolist() == numbers
