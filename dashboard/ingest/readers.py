"""Tolerant readers: turn what commissions really publish into a table with canonical column names.

Commissions publish CSV from Excel in Windows-1251 or UTF-8 (with or without BOM), with ``;`` or tab as
the delimiter, ``3 431 510`` thousands and ``53,90`` decimals, and headers in Russian or Kazakh. Reading is
separated from checking: this module only decodes, splits, maps headers and parses numbers (vectorised),
recording every problem it meets as a :class:`Problem`; the rules about meaning live in ``validate.py``.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.ingest import rules as R
from dashboard.ingest.rules import Limits, Problem
from dashboard.model import (
    COMPOSITION_COLUMNS,
    DISTRICT_COLUMNS,
    RESULT_BASE_COLUMNS,
    SOURCE_COLUMNS,
    STATION_COLUMNS,
    STATUS_COLUMNS,
    TURNOUT_COLUMNS,
)

# --- header aliases -----------------------------------------------------------------------------------
#: canonical column -> the ways commissions (and people) write it, in English, Russian and Kazakh.
#: Matching ignores case, spaces and punctuation (see :func:`header_key`), so «Явка, %» = «явка».
ALIASES: dict[str, tuple[str, ...]] = {
    "contest": ("contest", "election", "race", "Выборы", "Вид выборов", "Контест", "Сайлау", "Сайлау түрі"),
    "unit": (
        "unit", "reporting unit", "polling station", "station", "region", "area",
        "Единица", "Участок", "Избирательный участок", "Номер участка", "Территория", "Регион", "Область",
        "Административно-территориальная единица",
        "Учаске", "Сайлау учаскесі", "Учаске нөмірі", "Аумақ", "Өңір", "Облыс", "Аймақ",
    ),
    "registered": (
        "registered", "registered voters", "electorate", "voters registered", "voters on the lists",
        "Количество избирателей, включенных в списки", "Число избирателей, включенных в списки",
        "Количество избирателей, внесенных в списки", "Число избирателей, внесенных в списки",
        "Избирателей в списках", "Количество избирателей", "Число избирателей", "Зарегистрировано избирателей",
        "Сайлаушылар тізіміне енгізілген сайлаушылар саны", "Сайлаушылар тізіміне енгізілген сайлаушылардың саны",
        "Тізімге енгізілген сайлаушылар саны", "Сайлаушылар саны", "Тіркелген сайлаушылар",
    ),
    "took_part": (
        "took part", "took_part", "voted", "voters who took part", "participated",
        "Приняли участие в голосовании", "Приняли участие", "Число избирателей, принявших участие в голосовании",
        "Количество избирателей, принявших участие в голосовании", "Проголосовали", "Число проголосовавших",
        "Дауыс беруге қатысқандар", "Дауыс беруге қатысқан сайлаушылар саны",
        "Дауыс беруге қатысқан сайлаушылардың саны", "Дауыс бергендер", "Сайлауға қатысқандар",
    ),
    "invalid": (
        "invalid", "invalid ballots", "spoiled ballots", "spoilt ballots",
        "Недействительные бюллетени", "Недействительных бюллетеней", "Количество недействительных бюллетеней",
        "Число недействительных бюллетеней", "Недействительные", "Испорченные бюллетени",
        "Жарамсыз бюллетеньдер", "Жарамсыз бюллетеньдер саны", "Жарамсыз деп танылған бюллетеньдер", "Жарамсыз",
    ),
    "against_all": (
        "against all", "against_all", "none of the above",
        "Против всех", "Против всех партий", "Против всех кандидатов", "Против всех партийных списков",
        "Барлығына қарсы", "Барлық партияларға қарсы", "Барлық кандидаттарға қарсы",
    ),
    "time": ("time", "reported at", "report time", "Время", "Время отчета", "Время (Астана)", "Уақыт", "Уақыты"),
    "turnout_pct": (
        "turnout_pct", "turnout %", "turnout, %", "turnout percent", "turnout",
        "Явка, %", "Явка", "Явка избирателей", "Явка избирателей, %",
        "Сайлаушылардың келуі, %", "Сайлаушылардың келуі", "Келу, %", "Қатысу, %", "Белсенділік, %",
        "Дауыс беруге қатысу, %",
    ),
    "district": (
        "district", "district no", "district number", "constituency",
        "Округ", "Избирательный округ", "Номер округа", "№ округа",
        "Сайлау округі", "Округ нөмірі", "Округ №",
    ),
    "winner": (
        "winner", "elected", "elected candidate", "member elected",
        "Избранный депутат", "Победитель", "Избран", "Избранный кандидат",
        "Сайланған депутат", "Жеңімпаз", "Сайланған кандидат",
    ),
    "party": ("party", "nominated by", "Партия", "Выдвинут", "Кем выдвинут", "Ұсынған", "Ұсынған партия"),
    "seats": (
        "seats", "mandates", "Мандаты", "Количество мандатов", "Места", "Число мандатов",
        "Мандаттар", "Мандат саны", "Орындар", "Орын саны",
    ),
    "file": ("file", "Файл"),
    "field": ("field", "column", "Поле", "Графа", "Баған"),
    "source_url": ("source_url", "source", "url", "Источник", "Ссылка", "Дереккөз", "Сілтеме"),
    "note": ("note", "notes", "comment", "Примечание", "Комментарий", "Ескертпе", "Түсініктеме"),
    "status": ("status", "Статус", "Мәртебе", "Күйі"),
}
#: In stations.csv (whose columns include ``station``) these headers mean the station's own number or
#: name, not the reporting unit they mean in every other file.
STATION_HEADERS = ("station", "station name", "station number", "Участок", "Номер участка", "Учаске",
                   "Учаске нөмірі")

#: Row-number columns («№ п/п», «р/с») that carry no figure and are dropped silently.
ROW_NUMBER_HEADERS = ("№", "№ п/п", "п/п", "no", "no.", "#", "р/с", "р/с №", "реттік нөмір")

#: The columns each kind of file may hold (results also: one per party).
KIND_COLUMNS: dict[str, tuple[str, ...]] = {
    "results": RESULT_BASE_COLUMNS,
    "turnout": TURNOUT_COLUMNS,
    "districts": DISTRICT_COLUMNS,
    "composition": COMPOSITION_COLUMNS,
    "sources": SOURCE_COLUMNS,
    "stations": STATION_COLUMNS,
    "status": STATUS_COLUMNS,
}

_KEY_RE = re.compile(r"[\W_]+")


def header_key(text: str) -> str:
    """Compare headers ignoring case, ё/е, spaces and punctuation: «Явка, %» -> 'явка'."""
    return _KEY_RE.sub("", str(text).casefold().replace("ё", "е"))


_ALIAS_KEYS: dict[str, str] = {}
for _canon, _names in ALIASES.items():
    for _name in (_canon, *_names):
        _k = header_key(_name)
        assert _ALIAS_KEYS.get(_k, _canon) == _canon, (_name, _canon)
        _ALIAS_KEYS[_k] = _canon
_ROW_NUMBER_KEYS = {header_key(h) for h in ROW_NUMBER_HEADERS} - {""}
_STATION_KEYS = {header_key(h) for h in STATION_HEADERS}


def party_aliases(parties) -> dict[str, str]:
    """header key -> option key, from each option's key and every short/full name in election.json (and a
    referendum answer's built-in aliases: «За», «Против»)."""
    out: dict[str, str] = {}
    for p in parties:
        for name in (p.key, *p.short.values(), *p.names.values(), *getattr(p, "aliases", ())):
            if name:
                out.setdefault(header_key(name), p.key)
    return out


# --- bytes -> text -> rows ----------------------------------------------------------------------------
def decode(data: bytes) -> tuple[str | None, str]:
    """Text and the encoding it was read with; (None, reason) when it is not text."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None, "broken UTF-16"
    if b"\x00" in data:
        return None, "binary data (NUL bytes)"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # cp1251 maps every byte but 0x98; Excel's "CSV" on a Russian-locale Windows writes it.
    try:
        return data.decode("cp1251"), "cp1251"
    except UnicodeDecodeError:
        return None, "neither UTF-8 nor Windows-1251"


def sniff_delimiter(text: str) -> str:
    """The delimiter giving the most fields on the first lines; ties prefer tab, then ``;``, then ``,``.

    ``;`` wins over ``,`` when equal because ``;`` files use decimal commas inside their cells.
    """
    head = "\n".join(text.splitlines()[:20])
    best, best_n = ",", 0
    for d in ("\t", ";", ","):
        try:
            n = max((len(r) for r in csv.reader(io.StringIO(head), delimiter=d)), default=0)
        except csv.Error:
            continue
        if n > best_n:
            best, best_n = d, n
    return best


@dataclass
class Raw:
    """A file split into string cells, column by column (numpy unicode arrays, ``""`` = empty).

    ``lines`` are the 1-based file lines of the rows; ``widths`` the number of fields each row had as
    written (CSV), or -1 (xlsx, where rows cannot be short).
    """

    columns: list[np.ndarray]
    lines: np.ndarray
    widths: np.ndarray
    problems: list[Problem] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.lines)

    def row(self, i: int) -> list[str]:
        return [str(c[i]) for c in self.columns]


def _empty_raw(problems: list[Problem]) -> Raw:
    return Raw([], np.zeros(0, np.int64), np.zeros(0, np.int64), problems)


def _too_long_message(n: int, limits: Limits) -> str:
    return f"a cell of {n:,} characters; the cap is {limits.max_cell_chars:,} (is this really a results file?)"


def _split_csv(text: str, name: str, limits: Limits, problems: list[Problem]) -> tuple[list[list[str]], list[int]]:
    """Rows and their first file lines, stopping (with a problem) at the row, column or cell-length cap."""
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    start, cells = 1, 0
    try:
        for row in reader:
            cells += len(row)
            if cells > limits.max_cells:
                problems.append(Problem(name, start, R.TOO_MANY_ROWS,
                                        f"more than {limits.max_cells:,} cells (rows × columns); reading stopped here"))
                break
            if len(rows) >= limits.max_rows:
                problems.append(Problem(name, start, R.TOO_MANY_ROWS,
                                        f"more than {limits.max_rows:,} rows; reading stopped here"))
                break
            if len(row) > limits.max_columns:
                problems.append(Problem(name, start, R.TOO_MANY_COLUMNS,
                                        f"{len(row):,} cells in a row; the cap is {limits.max_columns:,}"))
                break
            longest = max(map(len, row), default=0)
            if longest > limits.max_cell_chars:
                problems.append(Problem(name, start, R.CELL_TOO_LONG, _too_long_message(longest, limits)))
                break
            rows.append(row)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as e:
        if "field larger than field limit" in str(e):
            problems.append(Problem(name, start, R.CELL_TOO_LONG,
                                    f"a cell longer than {csv.field_size_limit():,} characters; the cap is "
                                    f"{limits.max_cell_chars:,}"))
        elif "end of data" in str(e) or "unexpected end" in str(e):
            problems.append(Problem(name, start, R.TRUNCATED_FILE,
                                    "the file ends inside a quoted cell: it was cut off; send the whole file again"))
        else:
            problems.append(Problem(name, start, R.WRONG_FIELD_COUNT,
                                    f"the row cannot be split into cells ({e}); check the quotes"))
    return rows, lines


def _columns(rows: list, lines: list[int], name: str, limits: Limits, problems: list[Problem]) -> list | None:
    """Rows -> one list of cells per column, or None (with a problem) when the arrays would be too big.

    A numpy unicode column stores every cell at the width of its longest one: 20,000 rows and one cell of
    100,000 characters would take 8 GB. So the memory is computed from the lengths first.
    """
    columns = list(itertools.zip_longest(*rows, fillvalue=""))
    n = len(rows)
    widths = [max(map(len, c), default=0) for c in columns]
    need = 4 * n * sum(widths)
    if need > limits.max_table_bytes:
        j = max(range(len(widths)), key=widths.__getitem__)
        i = max(range(n), key=lambda k: len(columns[j][k]))
        problems.append(Problem(name, int(lines[i]), R.CELL_TOO_LONG,
                                f"a cell of {widths[j]:,} characters in a table of {n:,} rows would need "
                                f"{need / 2**20:,.0f} MiB as arrays; the cap is {limits.max_table_bytes / 2**20:,.0f} MiB"))
        return None
    return columns


def _csv_rows(text: str, name: str, problems: list[Problem], limits: Limits) -> Raw:
    rows, lines = _split_csv(text, name, limits, problems)
    columns = _columns(rows, lines, name, limits, problems)
    if columns is None:
        return _empty_raw(problems)
    widths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    return Raw([np.array(c, dtype=str) for c in columns], np.asarray(lines, dtype=np.int64), widths, problems)


def read_raw(data: bytes, name: str, sheet: str | None = None, limits: Limits | None = None) -> Raw:
    """Split a CSV or .xlsx file into cells; problems of the whole file are recorded, never raised."""
    limits = limits or Limits.from_env()
    problems: list[Problem] = []
    if not data.strip():
        problems.append(Problem(name, 0, R.EMPTY_FILE, "the file is empty"))
        return _empty_raw(problems)
    if name.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04":
        return _xlsx_rows(data, name, sheet, problems, limits)
    text, how = decode(data)
    if text is None:
        problems.append(Problem(name, 0, R.BAD_ENCODING, f"this is not a text CSV file ({how})"))
        return _empty_raw(problems)
    if not text.strip(" \t\r\n,;" + _SPACES):
        problems.append(Problem(name, 0, R.EMPTY_FILE, "the file has no header and no data"))
        return _empty_raw(problems)
    return _csv_rows(text, name, problems, limits)


def _cell_text(v) -> str:
    """A cell value as pandas' ``dtype=str`` would give it (whole floats without ``.0``)."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return v if isinstance(v, str) else str(v)


def _xlsx_unpacked(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return sum(i.file_size for i in zf.infolist())


def _sheet_cells(ws, name: str, limits: Limits, problems: list[Problem]) -> dict[int, list[tuple[int, str]]]:
    """Row number -> [(column, text)], read sparsely (openpyxl's own row parser, without its padding to the
    declared range), stopping with a problem at the row, column or cell-length cap."""
    from openpyxl.worksheet._reader import WorkSheetParser

    book = ws.parent
    grid: dict[int, list[tuple[int, str]]] = {}
    cells = 0
    with ws._get_source() as src:
        parser = WorkSheetParser(src, ws._shared_strings, data_only=True, epoch=book.epoch,
                                 date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for idx, row in parser.parse():
            if idx > limits.max_rows:
                problems.append(Problem(name, idx, R.TOO_MANY_ROWS,
                                        f"row {idx:,}: more than {limits.max_rows:,} rows; reading stopped here"))
                return grid
            cells += len(row)
            if cells > limits.max_cells:
                problems.append(Problem(name, idx, R.TOO_MANY_ROWS,
                                        f"more than {limits.max_cells:,} cells; reading stopped here"))
                return grid
            kept = []
            for cell in row:
                if cell["value"] is None:
                    continue
                if cell["column"] > limits.max_columns:
                    problems.append(Problem(name, idx, R.TOO_MANY_COLUMNS,
                                            f"a cell in column {cell['column']:,}; the cap is {limits.max_columns:,}"))
                    return grid
                text = _cell_text(cell["value"])
                if len(text) > limits.max_cell_chars:
                    problems.append(Problem(name, idx, R.CELL_TOO_LONG, _too_long_message(len(text), limits)))
                    return grid
                kept.append((cell["column"], text))
            if kept:
                grid[idx] = kept
    return grid


def _xlsx_rows(data: bytes, name: str, sheet: str | None, problems: list[Problem], limits: Limits) -> Raw:
    """Read one sheet within the caps: the unpacked size and the declared range are checked before any cell."""
    import openpyxl

    try:
        unpacked = _xlsx_unpacked(data)
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        problems.append(Problem(name, 0, R.BAD_XLSX, f"the workbook cannot be opened ({type(e).__name__})"))
        return _empty_raw(problems)
    if unpacked > limits.max_xlsx_bytes:
        problems.append(Problem(name, 0, R.XLSX_TOO_LARGE, f"the workbook unpacks to {unpacked:,} bytes; the cap "
                                                           f"is {limits.max_xlsx_bytes:,}"))
        return _empty_raw(problems)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as e:  # openpyxl raises many kinds for a damaged workbook
        problems.append(Problem(name, 0, R.BAD_XLSX, f"the workbook cannot be opened ({type(e).__name__})"))
        return _empty_raw(problems)
    try:
        if sheet is not None and sheet not in book.sheetnames:
            names = ", ".join(map(str, book.sheetnames))
            problems.append(Problem(name, 0, R.MISSING_SHEET, f"there is no sheet «{sheet}» (sheets: {names})"))
            return _empty_raw(problems)
        ws = book[sheet if sheet is not None else book.sheetnames[0]]
        declared_rows, declared_cols = ws.max_row or 0, ws.max_column or 0  # from <dimension ref>, if any
        if declared_rows > limits.max_rows or declared_cols > limits.max_columns:
            problems.append(Problem(name, 0, R.XLSX_TOO_LARGE,
                                    f"sheet «{ws.title}» declares {declared_rows:,} rows × {declared_cols:,} columns; "
                                    f"the caps are {limits.max_rows:,} × {limits.max_columns:,}"))
            return _empty_raw(problems)
        grid = _sheet_cells(ws, name, limits, problems)
    except Exception as e:  # a damaged sheet part
        problems.append(Problem(name, 0, R.BAD_XLSX, f"the sheet cannot be read ({type(e).__name__})"))
        return _empty_raw(problems)
    finally:
        book.close()
    if not grid:
        if not problems:
            problems.append(Problem(name, 0, R.EMPTY_FILE, "the sheet is empty"))
        return _empty_raw(problems)
    n_rows = max(grid)
    n_cols = max(c for cells in grid.values() for c, _ in cells)
    rows = [[""] * n_cols for _ in range(n_rows)]
    for idx, cells in grid.items():
        for c, text in cells:
            rows[idx - 1][c - 1] = text
    # Excel's row numbers are the "lines" (blank rows are kept, so they count).
    lines = list(range(1, n_rows + 1))
    columns = _columns(rows, lines, name, limits, problems)
    if columns is None:
        return _empty_raw(problems)
    return Raw([np.array(c, dtype=str) for c in columns], np.asarray(lines, dtype=np.int64),
               np.full(n_rows, -1, np.int64), problems)


# --- rows -> canonical table --------------------------------------------------------------------------
@dataclass
class Table:
    """A file's data rows under canonical names: ``cols`` maps column -> stripped unicode array.

    ``lines`` holds each row's 1-based file line; ``parties`` the party columns present (results).
    """

    file: str
    kind: str
    cols: dict[str, np.ndarray]
    lines: np.ndarray
    parties: tuple[str, ...] = ()
    problems: list[Problem] = field(default_factory=list)
    header_line: int = 1

    def __len__(self) -> int:
        return len(self.lines)


def _recognise(headers: list[str], allowed: set[str], party_keys: dict[str, str]) -> list[str | None]:
    out: list[str | None] = []
    for h in headers:
        k = header_key(h)
        canon = "station" if "station" in allowed and k in _STATION_KEYS else _ALIAS_KEYS.get(k)
        if canon in allowed:
            out.append(canon)
        elif party_keys and k in party_keys:
            out.append("party:" + party_keys[k])
        else:
            out.append(None)
    return out


def guess_kind(raw: Raw) -> str | None:
    """Which file a lone update is, from its header: turnout has ``time``, districts ``district``,
    results ``contest`` and ``unit``."""
    for i in range(min(10, raw.n_rows)):
        canon = set(_recognise(raw.row(i), set(ALIASES), {}))
        if "time" in canon and "unit" in canon:
            return "turnout"
        if "contest" in canon and "district" in canon:
            return "districts"
        if "contest" in canon and "status" in canon and "unit" not in canon:
            return "status"
        if "contest" in canon and "unit" in canon:
            return "results"
    return None


def to_table(raw: Raw, name: str, kind: str, parties=()) -> Table:
    """Apply the header: find it (titles above it are skipped), map aliases, flag unknown/missing columns."""
    problems = raw.problems
    allowed = set(KIND_COLUMNS[kind])
    pkeys = party_aliases(parties) if kind == "results" else {}
    if raw.n_rows == 0:
        if not problems:
            problems.append(Problem(name, 0, R.EMPTY_FILE, "the file has no header line"))
        return Table(name, kind, {}, np.zeros(0, np.int64), (), problems, 0)

    nonblank = np.zeros(raw.n_rows, bool)
    for c in raw.columns:
        nonblank |= np.strings.strip(c, _STRIP) != ""
    # Header row: of the first 10 rows, the one recognising the most columns (commission sheets
    # often carry a title line or two above the table).
    best_i, best_n = int(np.argmax(nonblank)), -1
    for i in range(min(10, raw.n_rows)):
        if nonblank[i]:
            n = sum(c is not None for c in _recognise(raw.row(i), allowed, pkeys))
            if n > best_n:
                best_i, best_n = i, n
    headers = [h.strip(_STRIP) for h in raw.row(best_i)]
    header_line = int(raw.lines[best_i])
    body = slice(best_i + 1, None)
    lines = raw.lines[body]
    widths = raw.widths[body]
    keep_rows = nonblank[body]
    n_header = int(raw.widths[best_i]) if raw.widths[best_i] >= 0 else len(headers)

    # Field counts (CSV only): a short last row means the file was cut; elsewhere a shifted row.
    if len(lines) and widths[0] >= 0:
        wrong = (widths != n_header) & keep_rows
        if wrong.any():
            data_idx = np.flatnonzero(keep_rows)
            last = data_idx[-1]
            for i in np.flatnonzero(wrong).tolist():
                if i == last and widths[i] < n_header:
                    problems.append(Problem(name, int(lines[i]), R.TRUNCATED_FILE,
                                            f"the last row has {widths[i]} of {n_header} cells: the file was cut off"))
                else:
                    problems.append(Problem(name, int(lines[i]), R.WRONG_FIELD_COUNT,
                                            f"this row has {widths[i]} cells, the header has {n_header}"))

    recognised = _recognise(headers, allowed, pkeys)
    cols: dict[str, np.ndarray] = {}
    seen: dict[str, str] = {}
    for j, (h, canon) in enumerate(zip(headers, recognised, strict=True)):
        values = np.strings.strip(raw.columns[j][body][keep_rows], _STRIP)
        if canon is None:
            row_numbers = h.casefold() in ROW_NUMBER_HEADERS or header_key(h) in _ROW_NUMBER_KEYS
            if (h == "" and not (values != "").any()) or row_numbers:
                continue  # trailing delimiter / Excel's empty column / row numbers
            what = "a party of this election or a column of results" if kind == "results" else f"a column of {kind}"
            problems.append(Problem(name, header_line, R.UNKNOWN_COLUMN,
                                    f"column «{h}» is not {what}; fix the header or remove the column"))
            continue
        if canon in seen:
            problems.append(Problem(name, header_line, R.DUPLICATE_COLUMN,
                                    f"columns «{seen[canon]}» and «{h}» both mean {canon.removeprefix('party:')}"))
            continue
        seen[canon] = h
        cols[canon.removeprefix("party:")] = values
    present = tuple(c.removeprefix("party:") for c in seen if c.startswith("party:"))
    return Table(name, kind, cols, lines[keep_rows], present, problems, header_line)


_SPACES = "\u00a0\u202f\u2009\u2007\ufeff"
_STRIP = " \t\r\n" + _SPACES


def as_text(col) -> np.ndarray:
    """A column as a numpy unicode array: numpy's string ufuncs run in C, pandas' python-backed str does not."""
    if isinstance(col, np.ndarray) and col.dtype.kind == "U":
        return col
    arr = col.to_numpy(dtype=object) if isinstance(col, pd.Series) else np.asarray(col, dtype=object)
    return arr.astype(str) if len(arr) else np.zeros(0, dtype="<U1")


# --- numbers ------------------------------------------------------------------------------------------
#: Thousands separators seen in commission files: space, no-break space, narrow no-break space, thin space.
_SEPARATORS = (" ", "\u00a0", "\u202f", "\u2009", "\u2007", "'", "\t")
_GROUPED = re.compile(r"-?\d{1,3}(?:[.,]\d{3})+")


def partition(u: np.ndarray, sep: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``np.strings.partition`` that also accepts an empty array (numpy's fails on one)."""
    if not len(u):
        return u, u, u
    return np.strings.partition(u, sep)  # type: ignore[return-value]  # numpy's stub says one array; it is three


def replace(u: np.ndarray, old: str, new: str) -> np.ndarray:
    """``np.strings.replace`` that also accepts an empty array."""
    return np.strings.replace(u, old, new) if len(u) else u


def _compact(u: np.ndarray) -> np.ndarray:
    for sep in _SEPARATORS:
        u = replace(u, sep, "")
    return replace(u, "\u2212", "-")  # typographic minus


def _ascii(u: np.ndarray) -> np.ndarray:
    """Which strings are ASCII (``isdigit`` also accepts ``²`` and Arabic-Indic digits): UCS-4 code points < 128."""
    if not len(u) or u.dtype.itemsize == 0:
        return np.ones(len(u), bool)
    codes = np.ascontiguousarray(u).view(np.uint32).reshape(len(u), -1)
    return codes.max(axis=1) < 128


def parse_counts(col) -> tuple[pd.Series, np.ndarray]:
    """Whole numbers from cells like ``3 431 510`` (NBSP/narrow NBSP too) -> (Int64, mask of bad cells).

    Plain digits (the common case, and all of a canonical file) take a C-speed path; only other cells
    are cleaned, and only cells like ``1,234,567`` reach a Python regex.
    """
    u = as_text(col)
    n = len(u)
    values = np.zeros(n, np.int64)
    missing = np.ones(n, bool)
    bad = np.zeros(n, bool)
    empty = u == ""
    plain = np.strings.isdigit(u) & (np.strings.str_len(u) <= 18)
    plain[plain] = _ascii(u[plain])
    values[plain] = u[plain].astype(np.int64)
    missing[plain] = False
    rest = np.flatnonzero(~plain & ~empty)
    if len(rest):
        r = _compact(u[rest])
        neg = np.strings.startswith(r, "-")
        body = np.where(neg, np.strings.slice(r, 1, None), r)
        grouped = np.flatnonzero(np.strings.find(body, ",") >= 0) if len(body) else np.zeros(0, np.intp)
        grouped = np.union1d(grouped, np.flatnonzero(np.strings.find(body, ".") >= 0))
        for i in grouped:  # rare: "1,234,567" / "1.234.567"
            if _GROUPED.fullmatch(str(body[i])):
                body[i] = str(body[i]).replace(",", "").replace(".", "")
        ok = np.strings.isdigit(body) & (np.strings.str_len(body) <= 18)
        ok[ok] = _ascii(body[ok])
        got = np.zeros(len(rest), np.int64)
        got[ok] = body[ok].astype(np.int64)
        got = np.where(neg, -got, got)
        values[rest[ok]] = got[ok]
        missing[rest[ok]] = False
        bad[rest[~ok]] = True
    return pd.Series(pd.arrays.IntegerArray(values, missing)), bad


def parse_decimals(col) -> tuple[pd.Series, np.ndarray]:
    """Numbers from ``53,90`` / ``53.90`` / ``53,9 %`` -> (Float64, mask of bad cells)."""
    u = as_text(col)
    empty = u == ""
    t = _compact(u)
    t = replace(replace(t, "%", ""), ",", ".")
    num = pd.to_numeric(pd.Series(t.astype(object)), errors="coerce").to_numpy(dtype=float)
    bad = ~empty & ~np.isfinite(num)
    values = pd.arrays.FloatingArray(np.where(np.isfinite(num), num, 0.0), ~np.isfinite(num) | empty)
    return pd.Series(values), bad
