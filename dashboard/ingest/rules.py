"""The validation rules of the ingestion path: one stable id per rule, a problem record, the rejection.

Rule ids are part of the public interface (printed as ``FILE:LINE: RULE: message``, matched by tests and by
anyone scripting around ``ingest``), so they never change meaning; new rules get new ids. Each rule's
docstring below says what it catches and why it matters to a reader of the results.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

#: rule id -> explanation (the "docstring" of the rule); filled by :func:`_rule`.
RULES: dict[str, str] = {}


def _rule(rule_id: str, doc: str) -> str:
    assert rule_id not in RULES, rule_id
    RULES[rule_id] = " ".join(doc.split())
    return rule_id


# --- whole files and packages -------------------------------------------------------------------------
MISSING_FILE = _rule("missing-file", """A required file (election.json, results.csv) is absent from the
    package, or the path given to ``ingest`` does not exist.""")
UNKNOWN_FILE = _rule("unknown-file", """The package holds a file the format does not define; it is refused
    rather than silently ignored, so nothing the commission sent is lost.""")
EMPTY_FILE = _rule("empty-file", """The file has no bytes or no header line: probably an export that failed.""")
TRUNCATED_FILE = _rule("truncated-file", """The last row has fewer fields than the header or ends inside a
    quoted field: the file was cut off while being written or sent.""")
WRONG_FIELD_COUNT = _rule("wrong-field-count", """A row (not the last) has a different number of fields
    than the header: a stray delimiter or a missing cell shifts every figure after it.""")
FILE_TOO_LARGE = _rule("file-too-large", """The file (or package) is larger than the configured cap; a
    real results file is a few megabytes at most.""")
BAD_ENCODING = _rule("bad-encoding", """The bytes are neither UTF-8 nor Windows-1251 text (e.g. a binary
    file renamed to .csv).""")
BAD_XLSX = _rule("bad-xlsx", """The .xlsx workbook cannot be opened.""")
MISSING_SHEET = _rule("missing-sheet", """The sheet named with ``--sheet`` is not in the workbook.""")
UNKNOWN_FILE_KIND = _rule("unknown-file-kind", """A lone file is neither results (contest, unit, …) nor
    turnout (time, unit, …) judging by its header, so it cannot be applied as an update.""")
BAD_ZIP = _rule("bad-zip", """The .zip archive is damaged or not a zip at all.""")
UNSAFE_ZIP_PATH = _rule("unsafe-zip-path", """A package member would land outside the package: an absolute
    path, a ``..`` component, a drive letter, or a symbolic link.""")
NESTED_ARCHIVE = _rule("nested-archive", """The package contains another archive; packages are one level
    deep so that size limits can be checked before anything is unpacked.""")
ZIP_BOMB = _rule("zip-bomb", """The zip directory announces more uncompressed data than the cap, too many
    members, or a compression ratio no real CSV reaches; checked before extracting anything.""")
UPDATE_WITHOUT_ELECTION = _rule("update-without-election", """A lone results/turnout file was given while
    the store holds no ingested election (only the built-in 2023 data): ingest the full package first.""")
BAD_ELECTION_JSON = _rule("bad-election-json", """election.json is not valid JSON or does not describe the
    election as docs/format.md requires (ids, parties, contests, seats); its free text (names, notes, party
    names, extra fields) must be text of bounded length, never objects a page could render as markup.""")
XLSX_TOO_LARGE = _rule("xlsx-too-large", """The .xlsx workbook declares a used range (``<dimension ref>``)
    beyond the row/column caps, or unpacks to more bytes than the file cap: checked from the zip directory
    and the sheet header before any cell is read (a 5 KB workbook can declare 17 billion cells).""")
TOO_MANY_ROWS = _rule("too-many-rows", """The file has more rows than the cap (default 500,000; a
    country has about 10,000 polling stations), or more cells (rows × columns, default 5,000,000); reading
    stops at the cap.""")
TOO_MANY_COLUMNS = _rule("too-many-columns", """A row has more cells than the cap (default 100): no results
    file has that many parties; reading stops at that row.""")
CELL_TOO_LONG = _rule("cell-too-long", """A cell is longer than the cap (default 1,000 characters), or its
    length times the number of rows would need more memory than the table cap: cells are stored at the
    width of the longest one in their column.""")
SYMBOLIC_LINK = _rule("symbolic-link", """The upload, or an entry of a package folder, is a symbolic link:
    links are never followed (one could point at any file of the server, e.g. a secret), so the file itself
    must be given. Nothing is copied or kept.""")
UNREADABLE_FILE = _rule("unreadable-file", """The upload cannot be read (no read permission, an I/O error):
    it is set aside, never retried.""")
NOT_UNICODE = _rule("not-unicode", """Text holds a lone surrogate (e.g. the JSON escape ``\\ud800`` without
    its pair): not a Unicode character, so it could be neither stored as UTF-8 nor shown.""")
DATA_DIR_UPLOAD = _rule("data-dir-upload", """The folder given to ``ingest`` is the store's data dir, lies
    inside it, or contains it: copying it into the store would copy the store into itself.""")
EMPTY_UPDATE = _rule("empty-update", """A lone update file has a header but no data rows: almost always a
    truncated export; it is refused rather than published as a version that changes nothing.""")

# --- columns ------------------------------------------------------------------------------------------
MISSING_COLUMN = _rule("missing-column", """A column the file must have is absent (or its header is spelled
    in a way the alias table does not know).""")
UNKNOWN_COLUMN = _rule("unknown-column", """A header names no known column or party: refused rather than
    dropped, so no figure is silently lost.""")
DUPLICATE_COLUMN = _rule("duplicate-column", """Two headers mean the same column (e.g. «Явка, %» and
    turnout_pct): which figure is right cannot be decided.""")

# --- cells --------------------------------------------------------------------------------------------
MISSING_VALUE = _rule("missing-value", """A key cell (contest, unit, time, district, party) is empty, or a
    turnout row gives no figure at all.""")
NOT_AN_INTEGER = _rule("not-an-integer", """A count cell is not a whole number (thousands may be separated
    by spaces or no-break spaces).""")
NOT_A_NUMBER = _rule("not-a-number", """A percentage cell is not a number (a decimal comma is fine).""")
NEGATIVE_COUNT = _rule("negative-count", """A count (voters, ballots, votes, seats) is below zero.""")
BAD_TIME = _rule("bad-time", """A turnout time is not ISO 8601 with a UTC offset
    (``2023-03-19T10:10:00+06:00``) nor ``final``.""")
UNKNOWN_UNIT = _rule("unknown-unit", """The unit is not ``kz``, a region key, ``abroad`` or
    ``region/CODE``.""")
UNIT_OUTSIDE_AREA = _rule("unit-outside-area", """A row of a regional maslikhat contest is for a unit in
    another region (or for the whole country).""")
UNIT_NOT_OF_THE_SET = _rule("unit-not-of-the-set", """The unit is a region of today that did not exist on
    the election's day: an election is counted in the units of its boundary set (election.json
    ``boundaries``, else the set of its date; dashboard/boundaries.py) — before 8 June 2022 there was no
    Abai, Zhetysu or Ulytau region (they were parts of East Kazakhstan, Almaty Region and Karaganda).""")
UNKNOWN_CONTEST = _rule("unknown-contest", """The contest key is not one of election.json's contests.""")
UNKNOWN_PARTY = _rule("unknown-party", """The party is not one of election.json's parties (nor
    ``independent`` where allowed).""")
PARTY_NOT_ON_BALLOT = _rule("party-not-on-ballot", """Votes are given for a party that was not on that
    contest's ballot (election.json ``contests[].parties``).""")
NOT_ON_BALLOT = _rule("not-on-ballot", """Votes are given for a candidate or a referendum answer that was not
    on that contest's ballot (a presidential candidate in a referendum row, ``yes`` in a party-list row),
    or ``against_all`` for a referendum question, whose ballot has only yes and no: leave the cell empty.""")
DUPLICATE_ROW = _rule("duplicate-row", """The same key (contest+unit, time+unit, contest+district,
    contest+party) appears twice in a file: which row is right cannot be decided.""")

# --- arithmetic ---------------------------------------------------------------------------------------
TOOK_PART_EXCEEDS_REGISTERED = _rule("took-part-exceeds-registered", """More voters took part than are
    registered in the unit.""")
VOTES_EXCEED_TOOK_PART = _rule("votes-exceed-took-part", """Party votes + against all + invalid ballots
    (those reported) exceed the number of voters who took part.""")
TURNOUT_OUT_OF_RANGE = _rule("turnout-out-of-range", """A turnout percentage is below 0 or above 100.""")
TURNOUT_MISMATCH = _rule("turnout-mismatch", """A row gives both counts and a percentage that disagree by
    more than rounding.""")
TURNOUT_DECREASED = _rule("turnout-decreased", """A unit's turnout goes down from one report to the next
    (per unit, over the times that unit was reported, ``final`` last).""")
TIMES_OUT_OF_ORDER = _rule("times-out-of-order", """Within a file, a unit's turnout reports are not in
    increasing time order (``final`` must come last for the unit).""")

# --- counting in progress (stations.csv, status updates) ---------------------------------------------
NOT_A_STATION = _rule("not-a-station", """A stations.csv unit is ``kz`` or a bare region: a polling
    station is ``region/CODE`` (or ``abroad``, the stations abroad reported as one unit).""")
TOO_MANY_STATIONS = _rule("too-many-stations", """stations.csv lists more polling stations than the cap
    (``SAYLAU_MAX_STATIONS``, 100,000; Kazakhstan has about 10,000).""")
STATION_NAME_TOO_LONG = _rule("station-name-too-long", """A stations.csv ``station`` cell is longer than 200
    characters: it is the station's number or short name, shown as text.""")
UNKNOWN_STATION = _rule("unknown-station", """A results row is for a ``region/CODE`` unit that stations.csv
    does not list: progress ("N of M stations counted") would count a station nobody expected.""")
BAD_STATUS = _rule("bad-status", """A status cell is not ``counting``, ``preliminary`` or ``final``.""")

# --- several elections in one data dir (dashboard/store/library.py) ----------------------------------
BAD_ELECTION_ID = _rule("bad-election-id", """election.json's id cannot name an election's folder and URL:
    it must be 1-63 characters of lowercase Latin letters, digits and hyphens, starting with a letter or
    digit (``kz-2023-03-19``). The id is the election's folder (``DATA_DIR/elections/<id>/``) and its
    address (``/e/<id>/``), so nothing else is accepted.""")
TOO_MANY_ELECTIONS = _rule("too-many-elections", """The package is of a new election, but the data dir
    already holds the most elections it keeps (64, embedded ones included): every election is listed,
    checked and served, so their number is bounded. Nothing was added.""")
ELECTION_MISMATCH = _rule("election-mismatch", """The package names another election than the store it
    was given to (its election.json changed while it was being read, or it was given to the wrong
    ``--election``): one election's store never holds another's versions.""")
UNKNOWN_ELECTION = _rule("unknown-election", """A lone update was given with ``--election ID`` for an
    election the data dir does not hold (neither embedded nor ingested): ingest its package first.""")

@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file; ``line`` is 1-based (1 = header), 0 = the whole file."""

    file: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.rule}: {self.message}"


class Rejected(Exception):
    """The input was refused; ``problems`` lists everything found, ``quarantined`` where it was kept."""

    def __init__(self, problems, quarantined: str | None = None):
        self.problems: list[Problem] = sorted(problems, key=lambda p: (p.file, p.line, p.rule))
        self.quarantined = quarantined
        head = str(self.problems[0]) if self.problems else "rejected"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(head + more)


class StoreProblem(Exception):
    """The store cannot do its job for a reason the operator must fix (read-only or full disk, a damaged
    CURRENT/history.jsonl, a version failing its checksums): not the upload's fault. ``str()`` is one line
    saying what happened and what to do; the command line exits with code 3 for it (1 = file rejected)."""


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class Limits:
    """Caps that keep a hostile or broken upload from exhausting memory or disk (override via env)."""

    # A 10,000-station results.csv is 1.5 MB. Reading a CSV costs about 10x its size in memory (text,
    # rows of cells, arrays), and memory must stay well under 2 GB whatever the file.
    max_file_bytes: int = 64 * 2**20  # one CSV/xlsx/json
    max_total_bytes: int = 128 * 2**20  # a whole package, uncompressed
    max_ratio: int = 200  # uncompressed/compressed, per zip member; CSV text rarely exceeds ~20
    max_members: int = 100
    max_rows: int = 500_000  # rows of one CSV/sheet (bench: 100,000 stations = 200,001 rows)
    max_columns: int = 100  # cells of one row
    max_cells: int = 5_000_000  # cells of one file (python holds each as an object while splitting)
    max_cell_chars: int = 1_000  # one cell
    #: rows x longest cell x 4 bytes, summed over columns: the memory of the cell arrays of one file.
    max_table_bytes: int = 256 * 2**20
    max_xlsx_bytes: int = 64 * 2**20  # an .xlsx unpacked (its sheet XML is parsed element by element)
    max_election_json_bytes: int = 2**20
    max_text_chars: int = 500  # one name or id in election.json (election, party, short name)
    max_note_chars: int = 20_000  # one note / one extra text in election.json

    @classmethod
    def from_env(cls) -> Limits:
        return cls(
            max_file_bytes=_env_int("SAYLAU_MAX_FILE_BYTES", cls.max_file_bytes),
            max_total_bytes=_env_int("SAYLAU_MAX_TOTAL_BYTES", cls.max_total_bytes),
            max_ratio=_env_int("SAYLAU_MAX_ZIP_RATIO", cls.max_ratio),
            max_members=_env_int("SAYLAU_MAX_ZIP_MEMBERS", cls.max_members),
            max_rows=_env_int("SAYLAU_MAX_ROWS", cls.max_rows),
            max_columns=_env_int("SAYLAU_MAX_COLUMNS", cls.max_columns),
            max_cells=_env_int("SAYLAU_MAX_CELLS", cls.max_cells),
            max_cell_chars=_env_int("SAYLAU_MAX_CELL_CHARS", cls.max_cell_chars),
            max_table_bytes=_env_int("SAYLAU_MAX_TABLE_BYTES", cls.max_table_bytes),
            max_xlsx_bytes=_env_int("SAYLAU_MAX_XLSX_BYTES", cls.max_xlsx_bytes),
            max_election_json_bytes=_env_int("SAYLAU_MAX_ELECTION_JSON_BYTES", cls.max_election_json_bytes),
            max_text_chars=_env_int("SAYLAU_MAX_TEXT_CHARS", cls.max_text_chars),
            max_note_chars=_env_int("SAYLAU_MAX_NOTE_CHARS", cls.max_note_chars),
        )
