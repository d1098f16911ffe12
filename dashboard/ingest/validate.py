"""Check each file of a package against election.json and turn it into typed frames, collecting every problem.

All checks are vectorised over the rows (10,000 polling stations must ingest in well under a second);
Python loops only run over problem rows, to word their messages. Nothing here raises on bad data: the
caller (``package.py``) gathers the problems of all files and raises one ``Rejected``.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import datetime

import numpy as np
import pandas as pd

from dashboard.boundaries import for_election
from dashboard.ingest import kinds as K
from dashboard.ingest import rules as R
from dashboard.ingest.readers import (
    Table,
    _ascii,
    as_text,
    header_key,
    parse_counts,
    parse_decimals,
    partition,
    replace,
)
from dashboard.ingest.rules import Limits, Problem
from dashboard.members import isin
from dashboard.model import (
    COMPOSITION_COLUMNS,
    COUNT_COLUMNS,
    DISTRICT_COLUMNS,
    FINAL,
    INDEPENDENT,
    KINDS,
    SOURCE_COLUMNS,
    STATUSES,
    THRESHOLD_BASES,
    TIE_RULES,
    Contest,
    Election,
    Party,
)
from dashboard.regions import ABROAD, NATIONAL, regions

PACKAGE_FILES: tuple[str, ...] = ("election.json", "results.csv", "results.xlsx", "turnout.csv", "districts.csv",
                 "composition.csv", "sources.csv")
PACKAGE_FILES += ("stations.csv",)
#: Caps of stations.csv (Kazakhstan has about 10,000 polling stations; a station's name is short text).
MAX_STATIONS = 100_000
MAX_STATION_NAME = 200
_PARTY_KEY = re.compile(r"[a-z][a-z0-9_]*")
_CODE = r"[A-Za-z0-9_-]+"
#: Turnout given with counts may differ from the published percentage by rounding only.
PCT_TOLERANCE = 0.051
#: Sort key of the ``final`` time: after every real time.
_FINAL_NS = np.iinfo(np.int64).max


def _emit(problems: list[Problem], name: str, lines, rule: str, messages) -> None:
    problems.extend(Problem(name, int(ln), rule, m) for ln, m in zip(lines, messages, strict=True))


def _na(u: np.ndarray) -> pd.Series:
    """A text column, "" -> missing (districts, composition, sources: an empty cell is "not reported")."""
    s = pd.Series(as_text(u), dtype="str")
    return s.where(s != "", pd.NA)


# --- election.json ------------------------------------------------------------------------------------
#: A backslash escape in JSON text: ``\\uXXXX`` (its code in group 1) or one escaped character.
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)")


def lone_surrogate_line(text: str) -> int | None:
    """The first line (1-based) of JSON ``text`` with a lone surrogate escape, or None.

    ``json`` turns ``"\\ud800"`` into a string that is not Unicode: it passes every other check, then cannot
    be written as UTF-8 (the stored version, history.jsonl, a page). A pair (``\\ud83d\\ude00``) is one
    real character. JSON strings never span lines, so escapes are paired within a line.
    """
    for n, line in enumerate(text.split("\n"), 1):
        high_end = None  # where a high surrogate escape ended, waiting for its low half
        for m in _ESCAPE.finditer(line):
            code = int(m.group(1), 16) if m.group(1) else -1
            low = 0xDC00 <= code <= 0xDFFF
            if high_end is not None and not (low and m.start() == high_end):
                return n
            if high_end is not None:
                high_end = None
            elif 0xD800 <= code <= 0xDBFF:
                high_end = m.end()
            elif low:
                return n
        if high_end is not None:
            return n
    return None


def _text(v, where: str, cap: int, errs: list[str]) -> bool:
    """Free text from election.json is shown on every page: it must be a string, and of bounded length."""
    if not isinstance(v, str):
        errs.append(f"{where} must be text, not {type(v).__name__} (markup or objects are never rendered)")
        return False
    if len(v) > cap:
        errs.append(f"{where} is {len(v):,} characters long; the cap is {cap:,}")
        return False
    return True


def _names(v, where: str, errs: list[str], cap: int) -> dict:
    """A text, or an object of texts by language (kk, ru, en)."""
    if isinstance(v, str):
        return {"en": v} if _text(v, where, cap, errs) else {}
    if not isinstance(v, dict):
        errs.append(f"{where} must be an object of names by language (kk, ru, en)")
        return {}
    ok = [_text(x, f"{where}.{k}", cap, errs) for k, x in v.items()]
    if len(v) > 10 or any(len(str(k)) > 10 for k in v):
        errs.append(f"{where} must be keyed by language codes (kk, ru, en)")
        return {}
    return dict(v) if all(ok) else {}


def parse_election_json(data: bytes, name: str = "election.json",
                        limits: Limits | None = None) -> tuple[Election | None, list[Problem]]:
    """election.json -> an Election with empty frames (the frame of reference for the CSV files).

    Every text that ends up on a page (names, party names, notes, extra fields) must be a string of bounded
    length: a JSON object there could be rendered by Dash as a component (an iframe running script).
    """
    limits = limits or Limits.from_env()
    if len(data) > limits.max_election_json_bytes:
        return None, [Problem(name, 0, R.BAD_ELECTION_JSON, f"election.json is {len(data):,} bytes; the cap is "
                                                            f"{limits.max_election_json_bytes:,}")]
    try:
        source = data.decode("utf-8-sig")
        doc = json.loads(source)
    except UnicodeDecodeError:
        return None, [Problem(name, 0, R.BAD_ELECTION_JSON, "election.json must be UTF-8 text")]
    except json.JSONDecodeError as e:
        return None, [Problem(name, e.lineno, R.BAD_ELECTION_JSON, f"not valid JSON: {e.msg} (column {e.colno})")]
    except RecursionError:
        return None, [Problem(name, 0, R.BAD_ELECTION_JSON, "election.json nests too deeply to be an election")]
    bad = lone_surrogate_line(source) if "\\" in source else None
    if bad is not None:
        return None, [Problem(name, bad, R.NOT_UNICODE, "a text holds a lone surrogate escape (\\ud800-\\udfff "
                                                        "without its pair): not a Unicode character")]
    if not isinstance(doc, dict):
        return None, [Problem(name, 0, R.BAD_ELECTION_JSON, "election.json must hold one JSON object")]
    errs: list[str] = []
    short, text = limits.max_text_chars, limits.max_note_chars
    eid = doc.get("id")
    if not isinstance(eid, str) or not re.fullmatch(r"[A-Za-z0-9_.-]{1,100}", eid or ""):
        errs.append("'id' must be a short text id such as kz-2023-03-19")
    date = doc.get("date")
    try:
        datetime.strptime(str(date), "%Y-%m-%d")
    except ValueError:
        errs.append(f"'date' must be an ISO date YYYY-MM-DD, not {date!r}")
    names = _names(doc.get("names", {}), "'names'", errs, short)
    simulated = doc.get("simulated", False)
    if not isinstance(simulated, bool):
        errs.append("'simulated' must be true or false")

    def text_names(v, where: str, errs: list[str]) -> dict:
        return _names(v, where, errs, short)

    parties = _parse_parties(doc.get("parties"), errs, limits)
    taken = {p.key for p in parties}
    candidates = K.parse_candidates(doc.get("candidates"), taken, limits.max_columns, errs, text_names, _colour)
    bodies = K.parse_bodies(doc.get("bodies"), errs, text_names)
    contests = _parse_contests(doc.get("contests"), {p.key for p in parties}, {c.key for c in candidates},
                               bodies, errs, text_names)
    if not parties and not any(c.kind in ("presidential", "referendum") for c in contests):
        errs.append(f"'parties' must be a non-empty list of at most {limits.max_columns} parties")
    if any(c.kind == "presidential" for c in contests) and not candidates:
        errs.append("a presidential contest needs 'candidates': [{\"key\", \"names\", \"colour\"}, …]")
    notes = doc.get("notes", {})
    if not isinstance(notes, dict):
        errs.append("'notes' must be an object of texts by language")
        notes = {}
    notes = _names(notes, "'notes'", errs, text) if notes else {}
    previous = doc.get("previous_election")
    if previous is not None and (not isinstance(previous, str)
                                 or not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,62}", previous) or previous == eid):
        errs.append("'previous_election' must be the id of another election (such as kz-2021-01-10), not "
                    f"{str(previous)[:80]!r}")
        previous = None
    known = {"id", "date", "names", "simulated", "parties", "contests", "notes", "candidates", "bodies",
             "previous_election"}
    extra = {k: v for k, v in doc.items() if k not in known}
    _check_extra(extra, errs, text)
    if errs:
        # Messages quote the offending values: cut them, a hostile value can be megabytes long.
        return None, [Problem(name, 0, R.BAD_ELECTION_JSON, e if len(e) <= 300 else e[:300] + "…") for e in errs]
    election = Election(id=str(eid), date=str(date), names=names, parties=tuple(parties), contests=tuple(contests),
                        results=empty_results(()), turnout=empty_turnout(), simulated=simulated, notes=notes,
                        extra=extra, candidates=tuple(candidates), bodies=bodies, previous_election=previous)
    return dataclasses.replace(election, results=empty_results(election.option_keys)), []


def _colour(v, where: str, errs: list[str]) -> str:
    colour = "#888888" if v is None else v
    if not isinstance(colour, str) or not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        errs.append(f"{where}.colour must be #rrggbb (got {str(colour)[:40]!r})")
        return "#888888"
    return colour


def _check_extra(extra: dict, errs: list[str], cap: int) -> None:
    """Unknown top-level fields are kept verbatim (forward compatibility), as bounded text only."""
    for k, v in extra.items():
        where = f"'{str(k)[:40]}'"
        if len(str(k)) > 100:
            errs.append(f"{where}…: a field name of {len(str(k)):,} characters")
        elif isinstance(v, dict):
            _names(v, where, errs, cap)
        else:
            _text(v, where, cap, errs)


def _parse_parties(raw_parties, errs: list[str], limits: Limits) -> list[Party]:
    """election.json ``parties``; an election of presidential or referendum contests only may have none."""
    parties: list[Party] = []
    if raw_parties is None:
        return parties
    if not isinstance(raw_parties, list) or len(raw_parties) > limits.max_columns:
        errs.append(f"'parties' must be a non-empty list of at most {limits.max_columns} parties")
        return parties
    for i, p in enumerate(raw_parties):
        where = f"parties[{i}]"
        if not isinstance(p, dict):
            errs.append(f"{where} must be an object")
            continue
        key = p.get("key")
        if not isinstance(key, str) or not _PARTY_KEY.fullmatch(key):
            errs.append(f"{where}.key must be lowercase letters, digits, _ (got {str(key)[:40]!r})")
            continue
        if key in K.RESERVED_KEYS:
            errs.append(f"{where}.key {key!r} is reserved")
        if key in {q.key for q in parties}:
            errs.append(f"party {key!r} is listed twice")
        full = _names(p.get("names", p.get("name", {"en": key})), f"{where}.names", errs, limits.max_text_chars)
        abbrev = _names(p["short"], f"{where}.short", errs, limits.max_text_chars) if "short" in p else dict(full)
        colour = _colour(p.get("colour", p.get("color")), where, errs)
        unknown = set(p) - {"key", "short", "names", "name", "colour", "color"}
        if unknown:
            errs.append(f"{where} has unknown fields: {', '.join(sorted(unknown))}")
        parties.append(Party(key=key, short=abbrev, names=full, colour=colour))
    return parties


#: Fields every contest may carry, whatever its kind (the others: ``kinds.KIND_FIELDS``).
_COMMON_FIELDS = {"key", "body", "kind", "area", "status"}


def _parse_contests(raw_contests, party_keys: set[str], candidate_keys: set[str], bodies: dict,
                    errs: list[str], names) -> list[Contest]:
    contests: list[Contest] = []
    if not isinstance(raw_contests, list) or not raw_contests or len(raw_contests) > 1000:
        errs.append("'contests' must be a non-empty list of at most 1000 contests")
        return contests
    for i, c in enumerate(raw_contests):
        where = f"contests[{i}]"
        if not isinstance(c, dict):
            errs.append(f"{where} must be an object")
            continue
        key = c.get("key")
        if not isinstance(key, str) or not _PARTY_KEY.fullmatch(key):
            errs.append(f"{where}.key must be lowercase letters, digits, _ (got {str(key)[:40]!r})")
            continue
        if key in {x.key for x in contests}:
            errs.append(f"contest {key!r} is listed twice")
        contest = _parse_contest(c, f"{where} ({key})", party_keys, candidate_keys, bodies, errs, names)
        if contest is not None:
            contests.append(contest)
    return contests


def _parse_contest(c: dict, where: str, party_keys: set[str], candidate_keys: set[str], bodies: dict,
                   errs: list[str], names) -> Contest | None:
    body, kind, area = c.get("body"), c.get("kind"), c.get("area")
    K.check_body(body, bodies, where, errs)
    if kind not in KINDS:
        errs.append(f"{where}.kind must be one of {', '.join(KINDS)} (got {str(kind)[:40]!r})")
        return None
    if area not in {NATIONAL, *(r.key for r in regions())}:
        errs.append(f"{where}.area must be kz or a region key (got {str(area)[:40]!r})")
    seats = c.get("seats")
    if seats is not None and (isinstance(seats, bool) or not isinstance(seats, int) or seats < 0):
        errs.append(f"{where}.seats must be a whole number or null (got {str(seats)[:40]!r})")
        seats = None
    # No default: absent is "not reported" (no seats computed); the 2023 package states 5.0 itself.
    threshold = c.get("threshold_pct")
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, int | float)
                                  or not 0 <= threshold <= 100):
        errs.append(f"{where}.threshold_pct must be a number from 0 to 100, or absent when not reported")
        threshold = None
    listed = c.get("parties", [])
    if not isinstance(listed, list) or any(x not in party_keys for x in listed):
        unknown_parties = [x for x in listed if x not in party_keys] if isinstance(listed, list) else listed
        errs.append(f"{where}.parties names parties not in 'parties': {str(unknown_parties)[:80]}")
        listed = [x for x in listed if x in party_keys] if isinstance(listed, list) else []
    options = _contest_options(c, where, errs)
    fields = K.contest_fields(c, kind, candidate_keys, where, errs, names)
    unknown = set(c) - _COMMON_FIELDS - set().union(*K.KIND_FIELDS.values()) - set(options)
    if unknown:
        errs.append(f"{where} has unknown fields: {', '.join(sorted(map(str, unknown)))}")
    return Contest(key=str(c["key"]), body=str(body), kind=kind, area=str(area), seats=seats,
                   threshold_pct=None if threshold is None else float(threshold), parties=tuple(listed),
                   status=options["status"], threshold_base=options["threshold_base"],
                   tie_rule=options["tie_rule"], **fields)


#: Contest fields with a closed set of values, and their defaults (the defaults reproduce 2023).
CONTEST_OPTIONS = {"status": (STATUSES, "final"), "threshold_base": (THRESHOLD_BASES, "votes_counted"),
                   "tie_rule": (TIE_RULES, "more_votes_then_ballot_order")}


def _contest_options(c: dict, where: str, errs: list[str]) -> dict[str, str]:
    """``status``, ``threshold_base`` and ``tie_rule`` of one contest, each one of its allowed words."""
    out = {}
    for field, (allowed, default) in CONTEST_OPTIONS.items():
        value = c.get(field, default)
        if value not in allowed:
            errs.append(f"{where}.{field} must be one of {', '.join(allowed)} (got {str(value)[:40]!r})")
            value = default
        out[field] = value
    return out


def empty_results(option_keys) -> pd.DataFrame:
    cols = {"contest": pd.Series(dtype="str"), "unit": pd.Series(dtype="str")}
    cols.update({c: pd.Series(dtype="Int64") for c in (*COUNT_COLUMNS, *option_keys)})
    return pd.DataFrame(cols)


def empty_turnout() -> pd.DataFrame:
    return pd.DataFrame({"time": pd.Series(dtype="str"), "unit": pd.Series(dtype="str"),
                         "registered": pd.Series(dtype="Int64"), "took_part": pd.Series(dtype="Int64"),
                         "turnout_pct": pd.Series(dtype="Float64")})


# --- shared cell checks -------------------------------------------------------------------------------
_REGION_KEYS = tuple(r.key for r in regions())


def _unit_names() -> dict[str, str]:
    out = {}
    for k, names in ((NATIONAL, ("Kazakhstan", "Казахстан", "Қазақстан", "Республика Казахстан",
                                 "Қазақстан Республикасы")),
                     (ABROAD, ("За рубежом", "Шетелде", "За границей", "Шетел", "Abroad"))):
        for n in names:
            out[header_key(n)] = k
    for r in regions():
        for n in (r.key, *r.names.values()):
            out.setdefault(header_key(n), r.key)
    return out


_UNIT_NAMES = _unit_names()


def _unit_key(v: str) -> str | None:
    """One unit cell -> unit key, for the cells the fast path did not settle (names, odd spelling)."""
    if v in (NATIONAL, ABROAD) or v in _REGION_KEYS:
        return v
    head, slash, code = v.partition("/")
    if slash:
        key = head if head in _REGION_KEYS else _UNIT_NAMES.get(header_key(head))
        if key in _REGION_KEYS and re.fullmatch(_CODE, code):
            return f"{key}/{code}"
        return None
    return _UNIT_NAMES.get(header_key(v))


def _not_of_the_set(table: Table, election: Election, units: np.ndarray, checked: np.ndarray) -> np.ndarray:
    """Rows (among ``checked``) whose region is not a unit of the election's boundary set — Abai in 2019 —
    each reported with its line; the mask of those rows."""
    bset = for_election(election)
    head = partition(units, "/")[0]
    outside = checked & ~isin(head, [NATIONAL, ABROAD, *bset.unit_keys()])
    _emit(table.problems, table.file, table.lines[outside], R.UNIT_NOT_OF_THE_SET,
          [f"unit «{v}» is not one of {bset.names['en']} (the units of {election.date}; boundaries "
           f"{bset.key})" for v in table.cols["unit"][outside]])
    return outside


def normalise_units(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit keys from ``kz``/region keys/region names (any language)/``region/CODE`` -> (keys, bad mask).

    The common shapes (``kz``, ``astana``, ``astana/0123``) are settled with numpy string ufuncs; only
    the rest (names such as «Астана», «Алматы облысы») go through a per-distinct-value lookup.
    """
    u = as_text(u)
    out = u.astype(object)
    head, slash, code = partition(u, "/")
    clean_code = replace(replace(code, "_", ""), "-", "")
    fast = np.where(
        slash == "",
        isin(u, [NATIONAL, ABROAD, *_REGION_KEYS]),
        isin(head, _REGION_KEYS) & np.strings.isalnum(clean_code),
    )
    if fast.any():
        fast[fast] = _ascii(clean_code[fast])
    rest = np.flatnonzero(~fast & (u != ""))
    bad = np.zeros(len(u), bool)
    if len(rest):
        distinct, inverse = np.unique(u[rest], return_inverse=True)
        keys = np.array([_unit_key(str(v)) for v in distinct], dtype=object)[inverse]
        unknown = np.array([k is None for k in keys], dtype=bool)
        bad[rest[unknown]] = True
        out[rest[~unknown]] = keys[~unknown]
    return out.astype(str), bad


def _required(table: Table, columns) -> bool:
    missing = [c for c in columns if c not in table.cols]
    for c in missing:
        table.problems.append(Problem(table.file, table.header_line, R.MISSING_COLUMN,
                                      f"the file has no «{c}» column"))
    return not missing


def _key_cells(table: Table, columns) -> np.ndarray:
    """Flag empty key cells; returns the mask of rows whose keys are all present."""
    ok = np.ones(len(table), bool)
    for c in columns:
        empty = table.cols[c] == ""
        _emit(table.problems, table.file, table.lines[empty], R.MISSING_VALUE,
              [f"the «{c}» cell is empty"] * int(empty.sum()))
        ok &= ~empty
    return ok


def _counts(table: Table, column: str, label: str | None = None) -> pd.Series:
    values, bad = parse_counts(table.cols[column])
    label = label or column
    cells = table.cols[column]
    _emit(table.problems, table.file, table.lines[bad], R.NOT_AN_INTEGER,
          [f"«{v}» in column {label} is not a whole number" for v in cells[bad]])
    neg = (values < 0).fillna(False).to_numpy(dtype=bool)
    _emit(table.problems, table.file, table.lines[neg], R.NEGATIVE_COUNT,
          [f"{label} is {v}: counts cannot be negative" for v in values[neg]])
    return values.mask(neg, pd.NA)


def _joined(table: Table, keys: list[str], cols: dict | None = None) -> np.ndarray:
    cols = cols or table.cols
    out = cols[keys[0]]
    for k in keys[1:]:
        out = np.strings.add(np.strings.add(out, " / "), cols[k])
    return out


def _duplicates(table: Table, keys: list[str], what: str, valid: np.ndarray, cols: dict | None = None) -> None:
    joined = pd.Series(_joined(table, keys, cols)[valid])
    dup = joined.duplicated(keep="first").to_numpy()
    if dup.any():
        lines = table.lines[valid]
        first = dict(zip(joined[~dup], lines[~dup], strict=True))
        _emit(table.problems, table.file, lines[dup], R.DUPLICATE_ROW,
              [f"{what} {k} already appears on line {first[k]}" for k in joined[dup]])


def _fmt(n) -> str:
    return f"{int(n):,}".replace(",", "\u00a0")


# --- results.csv --------------------------------------------------------------------------------------
def results_frame(table: Table, election: Election) -> pd.DataFrame:
    """Typed results (RESULT_BASE_COLUMNS + every option: party, candidate, yes/no; Int64) from a results
    table; problems to table."""
    c, P, name, lines = table.cols, table.problems, table.file, table.lines
    _required(table, ("contest", "unit", *COUNT_COLUMNS))
    if not {"contest", "unit"} <= set(c):
        return empty_results(election.option_keys)
    ok = _key_cells(table, ("contest", "unit"))
    contests = {k.key: k for k in election.contests}
    known = isin(c["contest"], list(contests))
    bad = ~known & ok
    _emit(P, name, lines[bad], R.UNKNOWN_CONTEST,
          [f"contest «{v}» is not in election.json" for v in c["contest"][bad]])
    units, bad_unit = normalise_units(c["unit"])
    bad_unit &= ok
    _emit(P, name, lines[bad_unit], R.UNKNOWN_UNIT,
          [f"unit «{v}» is not kz, a region, abroad or region/CODE" for v in c["unit"][bad_unit]])
    bad_unit |= _not_of_the_set(table, election, units, ok & ~bad_unit)

    # Unit inside the contest's area (a regional maslikhat counts only its own region's units).
    regional = {k: x.area for k, x in contests.items() if x.area != NATIONAL}
    if regional:
        area = pd.Series(c["contest"]).map(regional).fillna("").to_numpy(dtype=str)
        top = partition(units, "/")[0]
        outside = known & ok & ~bad_unit & (area != "") & (top != area)
        _emit(P, name, lines[outside], R.UNIT_OUTSIDE_AREA,
              [f"unit «{u}» is outside {a}, the area of contest {k}"
               for u, a, k in zip(units[outside], area[outside], c["contest"][outside], strict=True)])

    out = pd.DataFrame({"contest": pd.Series(c["contest"], dtype="str"), "unit": pd.Series(units, dtype="str")})
    for col in COUNT_COLUMNS:
        out[col] = _counts(table, col) if col in c else pd.Series(pd.NA, index=out.index, dtype="Int64")

    _option_columns(table, election, known, out)
    _no_against_all(table, election, out)

    # Arithmetic, on reported figures only (an empty cell is unknown, not zero, so the reported
    # parts are a lower bound: if even they exceed took_part, the row is wrong).
    reg, took = out["registered"], out["took_part"]
    over = (took > reg).fillna(False).to_numpy(dtype=bool)
    _emit(P, name, lines[over], R.TOOK_PART_EXCEEDS_REGISTERED,
          [f"took part {_fmt(t)} is more than registered {_fmt(r)}" for t, r in zip(took[over], reg[over], strict=True)])
    parts = out[[*election.option_keys, "against_all", "invalid"]].sum(axis=1, skipna=True, min_count=1)
    exceed = (parts > took).fillna(False).to_numpy(dtype=bool)
    _emit(P, name, lines[exceed], R.VOTES_EXCEED_TOOK_PART,
          [f"votes for the options + against all + invalid = {_fmt(s)} but only {_fmt(t)} took part"
           for s, t in zip(parts[exceed], took[exceed], strict=True)])

    _duplicates(table, ["contest", "unit"], "contest/unit", ok, {"contest": c["contest"], "unit": units})
    return out


def _option_what(election: Election, key: str) -> str:
    if key in election.party_keys:
        return f"party {key} ({election.party(key).short_name('ru')})"
    return f"candidate {key}" if key in election.candidate_keys else f"answer {key}"


def _option_columns(table: Table, election: Election, known: np.ndarray, out: pd.DataFrame) -> None:
    """One Int64 column per option (party, candidate, yes/no) into ``out``. A column is required when the
    option is on the ballot of a contest in this file; a cell of an option not on the row's contest's
    ballot must be empty (an empty cell there means "not on the ballot", not "not reported")."""
    c, P, name, lines = table.cols, table.problems, table.file, table.lines
    in_file = set(np.unique(c["contest"][known]).tolist())
    for key in election.option_keys:
        on = sorted(k for k in in_file if key in election.options(k))
        if on and key not in table.parties:
            P.append(Problem(name, table.header_line, R.MISSING_COLUMN,
                             f"no column for {_option_what(election, key)}, which is on the ballot of {', '.join(on)}"))
        if key not in table.parties:
            out[key] = pd.Series(pd.NA, index=out.index, dtype="Int64")
            continue
        out[key] = _counts(table, key, f"{key} (votes)")
        off_ballot = [x.key for x in election.contests if key not in election.options(x.key)]
        off = isin(c["contest"], off_ballot) & out[key].notna().to_numpy(dtype=bool)
        rule = R.PARTY_NOT_ON_BALLOT if key in election.party_keys else R.NOT_ON_BALLOT
        _emit(P, name, lines[off], rule,
              [f"votes given for {_option_what(election, key)}, which was not on the ballot of {k}; "
               f"leave the cell empty" for k in c["contest"][off]])


def _no_against_all(table: Table, election: Election, out: pd.DataFrame) -> None:
    """A ballot without "against all" (every referendum's; a contest with ``"against_all": false``): its
    cell must be empty (and empty is not "not reported")."""
    referendums = [x.key for x in election.contests if not x.has_against_all]
    if not referendums:
        return
    given = isin(table.cols["contest"], referendums) & out["against_all"].notna().to_numpy(dtype=bool)
    _emit(table.problems, table.file, table.lines[given], R.NOT_ON_BALLOT,
          [f"against_all given for {k}, whose ballot has no such line; leave the cell empty"
           for k in table.cols["contest"][given]])


# --- turnout.csv --------------------------------------------------------------------------------------
def _time_map(values) -> dict[str, tuple[str, int] | None]:
    """Each distinct time cell -> (canonical ISO text, UTC ns sort key), or None if it is not a time."""
    out: dict[str, tuple[str, int] | None] = {}
    for v in values:
        v = str(v)
        if v.casefold() == FINAL:
            out[v] = (FINAL, _FINAL_NS)
            continue
        try:
            t = datetime.fromisoformat(v)
        except ValueError:
            out[v] = None
            continue
        if t.tzinfo is None or not re.match(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", v):
            out[v] = None
            continue
        out[v] = (t.isoformat(), pd.Timestamp(t).value)
    return out


def time_keys(times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Canonical time texts and UTC sort keys (-1 = not a time) of a time column, per distinct value."""
    times = as_text(times)
    if not len(times):
        return times, np.zeros(0, np.int64)
    distinct, inverse = np.unique(times, return_inverse=True)
    tmap = _time_map(distinct)
    canon = np.array([(tmap[str(v)] or (str(v), -1))[0] for v in distinct], dtype=object)[inverse]
    keys = np.array([(tmap[str(v)] or ("", -1))[1] for v in distinct], dtype=np.int64)[inverse]
    return canon.astype(str), keys


def turnout_frame(table: Table, election: Election) -> pd.DataFrame:
    """Typed turnout (TURNOUT_COLUMNS) plus ``_t``, the UTC sort key; problems to table."""
    c, P, name, lines = table.cols, table.problems, table.file, table.lines
    ok_cols = _required(table, ("time", "unit"))
    if not ({"registered", "took_part"} <= set(c) or "turnout_pct" in c):
        P.append(Problem(name, table.header_line, R.MISSING_COLUMN,
                         "the file needs «turnout_pct» or both «registered» and «took_part»"))
    if not ok_cols:
        return empty_turnout().assign(_t=pd.Series(dtype="int64"))
    ok = _key_cells(table, ("time", "unit"))
    times, t_key = time_keys(c["time"])
    bad_time = (t_key < 0) & ok
    _emit(P, name, lines[bad_time], R.BAD_TIME,
          [f"time «{v}» is not like 2023-03-19T10:10:00+06:00 (with the UTC offset) nor final"
           for v in c["time"][bad_time]])
    units, bad_unit = normalise_units(c["unit"])
    bad_unit &= ok
    _emit(P, name, lines[bad_unit], R.UNKNOWN_UNIT,
          [f"unit «{v}» is not kz, a region, abroad or region/CODE" for v in c["unit"][bad_unit]])
    bad_unit |= _not_of_the_set(table, election, units, ok & ~bad_unit)
    out = pd.DataFrame({"time": pd.Series(times, dtype="str"), "unit": pd.Series(units, dtype="str")})
    for col in ("registered", "took_part"):
        out[col] = _counts(table, col) if col in c else pd.Series(pd.NA, index=out.index, dtype="Int64")
    if "turnout_pct" in c:
        given, bad = parse_decimals(c["turnout_pct"])
        _emit(P, name, lines[bad], R.NOT_A_NUMBER,
              [f"«{v}» in column turnout_pct is not a number" for v in c["turnout_pct"][bad]])
    else:
        given = pd.Series(pd.NA, index=out.index, dtype="Float64")
    reg, took = out["registered"], out["took_part"]
    over = (took > reg).fillna(False).to_numpy(dtype=bool)
    _emit(P, name, lines[over], R.TOOK_PART_EXCEEDS_REGISTERED,
          [f"took part {_fmt(t)} is more than registered {_fmt(r)}" for t, r in zip(took[over], reg[over], strict=True)])
    counted = (reg.notna() & took.notna() & (reg > 0)).fillna(False)
    computed = (took.astype("Float64") * 100.0 / reg.astype("Float64")).where(counted, pd.NA)
    mismatch = (counted & given.notna() & ((given - computed).abs() > PCT_TOLERANCE)).fillna(False)
    mismatch = mismatch.to_numpy(dtype=bool) & ~over
    _emit(P, name, lines[mismatch], R.TURNOUT_MISMATCH,
          [f"turnout_pct {g} but {_fmt(t)} of {_fmt(r)} is {x:.2f}%"
           for g, t, r, x in zip(given[mismatch], took[mismatch], reg[mismatch], computed[mismatch], strict=True)])
    range_bad = ((given < 0) | (given > 100)).fillna(False).to_numpy(dtype=bool)
    _emit(P, name, lines[range_bad], R.TURNOUT_OUT_OF_RANGE,
          [f"turnout {g}% is outside 0–100" for g in given[range_bad]])
    out["turnout_pct"] = computed.where(counted, given).astype("Float64")
    nothing = out[["registered", "took_part", "turnout_pct"]].isna().all(axis=1).to_numpy() & ok
    _emit(P, name, lines[nothing], R.MISSING_VALUE,
          ["the row gives no turnout figure (turnout_pct, or registered and took_part)"] * int(nothing.sum()))

    # Order within the file, per unit: each report later than the unit's previous one, final last.
    valid = ok & (t_key >= 0) & ~bad_unit
    order = pd.DataFrame({"unit": units[valid], "_t": t_key[valid]})
    back = (order.groupby("unit", sort=False)["_t"].diff() < 0).to_numpy()
    _emit(P, name, lines[valid][back], R.TIMES_OUT_OF_ORDER,
          [f"{t} for {u} comes after a later report of {u}; list each unit's reports in time order, final last"
           for t, u in zip(times[valid][back], units[valid][back], strict=True)])
    _duplicates(table, ["time", "unit"], "time/unit", valid, {"time": times, "unit": units})
    out["_t"] = t_key
    return out


def check_turnout_series(turnout: pd.DataFrame, name: str, lines) -> list[Problem]:
    """Turnout may not go down between a unit's reports (over the times it has; ``final`` last).

    ``turnout`` must carry ``_t`` (time sort key); ``lines`` gives each row's line in ``name`` or 0.
    A percentage computed from counts is exact while a published one is rounded, so a drop within
    rounding (54.188% from counts after a published 54.19%) is not a decrease.
    """
    d = turnout.assign(_line=np.asarray(lines))[turnout["turnout_pct"].notna().to_numpy(dtype=bool)]
    d = d.sort_values(["unit", "_t"], kind="stable")
    d["_exact"] = (d["registered"].notna() & d["took_part"].notna()).to_numpy(dtype=bool)
    g = d.groupby("unit", sort=False)
    prev, prev_t, prev_exact = g["turnout_pct"].shift(), g["time"].shift(), g["_exact"].shift()
    tolerance = np.where(d["_exact"].to_numpy() | prev_exact.fillna(False).to_numpy(dtype=bool),
                         PCT_TOLERANCE, 1e-9)
    down = ((prev - d["turnout_pct"]) > tolerance).fillna(False).to_numpy(dtype=bool)
    return [Problem(name, int(ln), R.TURNOUT_DECREASED,
                    f"{u}: turnout {p:.2f}% at {t} is lower than {q:.2f}% at {pt}; turnout cannot go down")
            for ln, u, p, t, q, pt in zip(d["_line"][down], d["unit"][down], d["turnout_pct"][down],
                                          d["time"][down], prev[down], prev_t[down], strict=True)]


# --- districts.csv, composition.csv, sources.csv ------------------------------------------------------
def _party_cells(table: Table, election: Election, ok: np.ndarray, allow_empty: bool) -> None:
    party = table.cols["party"]
    bad = ~isin(party, [*election.party_keys, INDEPENDENT]) & ok
    if allow_empty:
        bad &= party != ""
    _emit(table.problems, table.file, table.lines[bad], R.UNKNOWN_PARTY,
          [f"party «{v}» is not a party key of election.json nor independent" for v in party[bad]])


def _optional_units(table: Table) -> np.ndarray:
    units, bad = normalise_units(table.cols["unit"])
    _emit(table.problems, table.file, table.lines[bad], R.UNKNOWN_UNIT,
          [f"unit «{v}» is not kz, a region, abroad or region/CODE" for v in table.cols["unit"][bad]])
    return np.where(table.cols["unit"] == "", "", units)


def districts_frame(table: Table, election: Election) -> pd.DataFrame:
    c, P, name = table.cols, table.problems, table.file
    if not _required(table, DISTRICT_COLUMNS):
        return pd.DataFrame(columns=DISTRICT_COLUMNS)
    ok = _key_cells(table, ("contest", "district"))
    single = [x.key for x in election.contests if x.kind == "single_mandate"]
    bad = ~isin(c["contest"], single) & ok
    _emit(P, name, table.lines[bad], R.UNKNOWN_CONTEST,
          [f"contest «{v}» is not a single-mandate contest of election.json" for v in c["contest"][bad]])
    units = _optional_units(table)
    _party_cells(table, election, ok, allow_empty=True)
    _duplicates(table, ["contest", "district"], "contest/district", ok)
    return pd.DataFrame({"contest": _na(c["contest"]), "district": _na(c["district"]), "unit": _na(units),
                         "winner": _na(c["winner"]), "party": _na(c["party"])})


def composition_frame(table: Table, election: Election) -> pd.DataFrame:
    c, P, name = table.cols, table.problems, table.file
    if not _required(table, COMPOSITION_COLUMNS):
        return pd.DataFrame(columns=COMPOSITION_COLUMNS)
    ok = _key_cells(table, ("contest", "party", "seats"))
    bad = ~isin(c["contest"], [x.key for x in election.contests]) & ok
    _emit(P, name, table.lines[bad], R.UNKNOWN_CONTEST,
          [f"contest «{v}» is not in election.json" for v in c["contest"][bad]])
    _party_cells(table, election, ok, allow_empty=False)
    seats = _counts(table, "seats")
    _duplicates(table, ["contest", "party"], "contest/party", ok)
    return pd.DataFrame({"contest": _na(c["contest"]), "party": _na(c["party"]), "seats": seats})


def sources_frame(table: Table, election: Election) -> pd.DataFrame:
    c, P, name = table.cols, table.problems, table.file
    if not _required(table, ("file", "source_url")):
        return pd.DataFrame(columns=SOURCE_COLUMNS)
    empty = np.full(len(table), "", dtype=str)
    for col in SOURCE_COLUMNS:
        c.setdefault(col, empty)
    ok = _key_cells(table, ("file",))
    bad = ~isin(c["file"], list(PACKAGE_FILES)) & ok
    _emit(P, name, table.lines[bad], R.UNKNOWN_FILE, [f"«{v}» is not a file of the package" for v in c["file"][bad]])
    bad = ~isin(c["contest"], [x.key for x in election.contests]) & (c["contest"] != "")
    _emit(P, name, table.lines[bad], R.UNKNOWN_CONTEST,
          [f"contest «{v}» is not in election.json" for v in c["contest"][bad]])
    units = _optional_units(table)
    _, t_key = time_keys(c["time"])
    bad = (t_key < 0) & (c["time"] != "")
    _emit(P, name, table.lines[bad], R.BAD_TIME,
          [f"time «{v}» is not like 2023-03-19T10:10:00+06:00 nor final" for v in c["time"][bad]])
    return pd.DataFrame({col: _na(units if col == "unit" else c[col]) for col in SOURCE_COLUMNS})


# --- stations.csv and status updates ------------------------------------------------------------------
def _max_stations() -> int:
    return R._env_int("SAYLAU_MAX_STATIONS", MAX_STATIONS)


def stations_frame(table: Table, election: Election) -> pd.DataFrame:
    """The expected polling stations (STATION_COLUMNS) from stations.csv; problems to table.

    A station is ``region/CODE`` (the unit its results.csv rows use) or ``abroad``; ``station`` is its
    own number or name as the commission writes it (text, bounded); ``registered`` may be empty.
    """
    c, P, name, lines = table.cols, table.problems, table.file, table.lines
    if not _required(table, ("unit", "station", "registered")):
        return election.stations.iloc[0:0]
    if len(table) > _max_stations():
        P.append(Problem(name, 0, R.TOO_MANY_STATIONS,
                         f"{len(table):,} stations listed; the cap is {_max_stations():,}"))
        return election.stations.iloc[0:0]
    ok = _key_cells(table, ("unit",))
    units, bad = normalise_units(c["unit"])
    bad &= ok
    _emit(P, name, lines[bad], R.UNKNOWN_UNIT,
          [f"unit «{v}» is not region/CODE of a known region, nor abroad" for v in c["unit"][bad]])
    bad |= _not_of_the_set(table, election, units, ok & ~bad)
    bare = ok & ~bad & (isin(units, [NATIONAL, *_REGION_KEYS]))
    _emit(P, name, lines[bare], R.NOT_A_STATION,
          [f"unit «{v}» is not a polling station: write region/CODE (e.g. astana/0123) or abroad"
           for v in c["unit"][bare]])
    station = as_text(c["station"])
    long = np.strings.str_len(station) > MAX_STATION_NAME
    _emit(P, name, lines[long], R.STATION_NAME_TOO_LONG,
          [f"the station cell has {int(n):,} characters; at most {MAX_STATION_NAME}"
           for n in np.strings.str_len(station[long])])
    registered = _counts(table, "registered")
    _duplicates(table, ["unit"], "station", ok & ~bad, {"unit": units})
    return pd.DataFrame({"unit": pd.Series(units, dtype="str"), "station": pd.Series(station, dtype="str"),
                         "registered": registered.astype("Int64")})


def check_stations(results: pd.DataFrame, stations: pd.DataFrame, name: str, lines) -> list[Problem]:
    """With a station list, every ``region/CODE`` (and ``abroad``) results row must be a listed station.

    ``lines`` gives each results row's line in ``name`` (0 for rows from an earlier version).
    """
    if not len(stations) or not len(results):
        return []
    units = results["unit"].astype(str).to_numpy()
    station_like = np.strings.find(units.astype(str), "/") >= 0
    station_like |= units == ABROAD
    unknown = station_like & ~isin(units, stations["unit"].astype(str).to_numpy())
    lines = np.asarray(lines)
    return [Problem(name, int(ln), R.UNKNOWN_STATION,
                    f"unit «{u}» is not a polling station of stations.csv")
            for ln, u in zip(lines[unknown], units[unknown], strict=True)]


def status_frame(table: Table, election: Election) -> pd.DataFrame:
    """``contest,status`` rows of a status update (each a known contest, once, with a known status)."""
    c, P, name, lines = table.cols, table.problems, table.file, table.lines
    if not _required(table, ("contest", "status")):
        return pd.DataFrame(columns=["contest", "status"])
    ok = _key_cells(table, ("contest", "status"))
    bad = ~isin(c["contest"], [x.key for x in election.contests]) & ok
    _emit(P, name, lines[bad], R.UNKNOWN_CONTEST, [f"contest «{v}» is not in election.json" for v in c["contest"][bad]])
    status = np.strings.lower(as_text(c["status"]))
    wrong = ~isin(status, list(STATUSES)) & ok
    _emit(P, name, lines[wrong], R.BAD_STATUS,
          [f"status «{v}» is not one of {', '.join(STATUSES)}" for v in c["status"][wrong]])
    _duplicates(table, ["contest"], "contest", ok)
    return pd.DataFrame({"contest": pd.Series(c["contest"], dtype="str"), "status": pd.Series(status, dtype="str")})
