"""Check each file of a package against election.json and turn it into typed frames, collecting every problem.

All checks are vectorised over the rows (10,000 polling stations must ingest in well under a second);
Python loops only run over problem rows, to word their messages. Nothing here raises on bad data: the
caller (``package.py``) gathers the problems of all files and raises one ``Rejected``.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

import numpy as np
import pandas as pd

from dashboard.regions import ABROAD, NATIONAL, regions
from dashboard.results import rules as R
from dashboard.results.model import (
    BODIES,
    COMPOSITION_COLUMNS,
    DISTRICT_COLUMNS,
    FINAL,
    INDEPENDENT,
    KINDS,
    RESULT_BASE_COLUMNS,
    SOURCE_COLUMNS,
    Contest,
    Election,
    Party,
)
from dashboard.results.readers import Table, header_key, parse_counts, parse_decimals
from dashboard.results.rules import Problem

COUNT_COLUMNS = ("registered", "took_part", "invalid", "against_all")
PACKAGE_FILES = ("election.json", "results.csv", "results.xlsx", "turnout.csv", "districts.csv",
                 "composition.csv", "sources.csv")
_PARTY_KEY = re.compile(r"[a-z][a-z0-9_]*")
_CODE = r"[A-Za-z0-9_-]+"
#: Turnout given with counts may differ from the published percentage by rounding only.
PCT_TOLERANCE = 0.051
#: Sort key of the ``final`` time: after every real time.
_FINAL_NS = np.iinfo(np.int64).max


def _emit(problems: list[Problem], name: str, lines, rule: str, messages) -> None:
    problems.extend(Problem(name, int(ln), rule, m) for ln, m in zip(lines, messages, strict=True))


def _na(col: pd.Series) -> pd.Series:
    """Text column with "" -> <NA>."""
    return col.astype("str").where(col.ne(""), pd.NA)


# --- election.json ------------------------------------------------------------------------------------
def _names(v, where: str, errs: list[str]) -> dict:
    if isinstance(v, str):
        return {"en": v}
    if not isinstance(v, dict) or not all(isinstance(x, str) for x in v.values()):
        errs.append(f"{where} must be an object of names by language (kk, ru, en)")
        return {}
    return dict(v)


def parse_election_json(data: bytes, name: str = "election.json") -> tuple[Election | None, list[Problem]]:
    """election.json -> an Election with empty frames (the frame of reference for the CSV files)."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, [Problem(name, 0, R.BAD_ELECTION_JSON, "election.json must be UTF-8 text")]
    except json.JSONDecodeError as e:
        return None, [Problem(name, e.lineno, R.BAD_ELECTION_JSON, f"not valid JSON: {e.msg} (column {e.colno})")]
    if not isinstance(doc, dict):
        return None, [Problem(name, 0, R.BAD_ELECTION_JSON, "election.json must hold one JSON object")]
    errs: list[str] = []
    eid = doc.get("id")
    if not isinstance(eid, str) or not re.fullmatch(r"[A-Za-z0-9_.-]+", eid or ""):
        errs.append("'id' must be a short text id such as kz-2023-03-19")
    date = doc.get("date")
    try:
        datetime.strptime(str(date), "%Y-%m-%d")
    except ValueError:
        errs.append(f"'date' must be an ISO date YYYY-MM-DD, not {date!r}")
    names = _names(doc.get("names", {}), "'names'", errs)
    simulated = doc.get("simulated", False)
    if not isinstance(simulated, bool):
        errs.append("'simulated' must be true or false")

    parties: list[Party] = []
    raw_parties = doc.get("parties")
    if not isinstance(raw_parties, list) or not raw_parties:
        errs.append("'parties' must be a non-empty list")
        raw_parties = []
    for i, p in enumerate(raw_parties):
        where = f"parties[{i}]"
        if not isinstance(p, dict):
            errs.append(f"{where} must be an object")
            continue
        key = p.get("key")
        if not isinstance(key, str) or not _PARTY_KEY.fullmatch(key):
            errs.append(f"{where}.key must be lowercase letters, digits, _ (got {key!r})")
            continue
        if key in (INDEPENDENT, "against_all") or key in RESULT_BASE_COLUMNS:
            errs.append(f"{where}.key {key!r} is reserved")
        if key in {q.key for q in parties}:
            errs.append(f"party {key!r} is listed twice")
        full = _names(p.get("names", p.get("name", {"en": key})), f"{where}.names", errs)
        short = _names(p["short"], f"{where}.short", errs) if "short" in p else dict(full)
        colour = p.get("colour", p.get("color", "#888888"))
        if not isinstance(colour, str) or not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
            errs.append(f"{where}.colour must be #rrggbb (got {colour!r})")
            colour = "#888888"
        unknown = set(p) - {"key", "short", "names", "name", "colour", "color"}
        if unknown:
            errs.append(f"{where} has unknown fields: {', '.join(sorted(unknown))}")
        parties.append(Party(key=key, short=short, names=full, colour=colour))
    party_keys = {p.key for p in parties}

    contests: list[Contest] = []
    areas = {NATIONAL, *(r.key for r in regions())}
    raw_contests = doc.get("contests")
    if not isinstance(raw_contests, list) or not raw_contests:
        errs.append("'contests' must be a non-empty list")
        raw_contests = []
    for i, c in enumerate(raw_contests):
        where = f"contests[{i}]"
        if not isinstance(c, dict):
            errs.append(f"{where} must be an object")
            continue
        key = c.get("key")
        if not isinstance(key, str) or not _PARTY_KEY.fullmatch(key):
            errs.append(f"{where}.key must be lowercase letters, digits, _ (got {key!r})")
            continue
        if key in {x.key for x in contests}:
            errs.append(f"contest {key!r} is listed twice")
        body, kind, area = c.get("body"), c.get("kind"), c.get("area")
        if body not in BODIES:
            errs.append(f"{where} ({key}).body must be one of {', '.join(BODIES)} (got {body!r})")
        if kind not in KINDS:
            errs.append(f"{where} ({key}).kind must be one of {', '.join(KINDS)} (got {kind!r})")
        if area not in areas:
            errs.append(f"{where} ({key}).area must be kz or a region key (got {area!r})")
        seats = c.get("seats")
        if seats is not None and (isinstance(seats, bool) or not isinstance(seats, int) or seats < 0):
            errs.append(f"{where} ({key}).seats must be a whole number or null (got {seats!r})")
            seats = None
        threshold = c.get("threshold_pct", 5.0)
        if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0 <= threshold <= 100:
            errs.append(f"{where} ({key}).threshold_pct must be a number from 0 to 100")
            threshold = 5.0
        listed = c.get("parties", [])
        if not isinstance(listed, list) or any(x not in party_keys for x in listed):
            bad = [x for x in listed if x not in party_keys] if isinstance(listed, list) else listed
            errs.append(f"{where} ({key}).parties names parties not in 'parties': {bad!r}")
            listed = [x for x in listed if x in party_keys] if isinstance(listed, list) else []
        unknown = set(c) - {"key", "body", "kind", "area", "seats", "threshold_pct", "parties"}
        if unknown:
            errs.append(f"{where} ({key}) has unknown fields: {', '.join(sorted(unknown))}")
        contests.append(Contest(key=key, body=str(body), kind=str(kind), area=str(area), seats=seats,
                                threshold_pct=float(threshold), parties=tuple(listed)))
    notes = doc.get("notes", {})
    if not isinstance(notes, dict):
        errs.append("'notes' must be an object of texts by language")
        notes = {}
    known = {"id", "date", "names", "simulated", "parties", "contests", "notes"}
    extra = {k: v for k, v in doc.items() if k not in known}
    if errs:
        return None, [Problem(name, 0, R.BAD_ELECTION_JSON, e) for e in errs]
    return Election(id=eid, date=str(date), names=names, parties=tuple(parties), contests=tuple(contests),
                    results=empty_results(tuple(p.key for p in parties)), turnout=empty_turnout(),
                    simulated=simulated, notes=notes, extra=extra), []


def empty_results(party_keys) -> pd.DataFrame:
    cols = {"contest": pd.Series(dtype="str"), "unit": pd.Series(dtype="str")}
    cols.update({c: pd.Series(dtype="Int64") for c in (*COUNT_COLUMNS, *party_keys)})
    return pd.DataFrame(cols)


def empty_turnout() -> pd.DataFrame:
    return pd.DataFrame({"time": pd.Series(dtype="str"), "unit": pd.Series(dtype="str"),
                         "registered": pd.Series(dtype="Int64"), "took_part": pd.Series(dtype="Int64"),
                         "turnout_pct": pd.Series(dtype="Float64")})


# --- shared cell checks -------------------------------------------------------------------------------
def _unit_names() -> dict[str, str]:
    out = {NATIONAL: NATIONAL, ABROAD: ABROAD}
    for k, names in ((NATIONAL, ("Kazakhstan", "Казахстан", "Қазақстан", "Республика Казахстан",
                                 "Қазақстан Республикасы")),
                     (ABROAD, ("За рубежом", "Шетелде", "За границей", "Шетел"))):
        for n in names:
            out[header_key(n)] = k
    for r in regions():
        out[r.key] = r.key
        for n in r.names.values():
            out.setdefault(header_key(n), r.key)
    return out


def normalise_units(col: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Unit keys from ``kz``/region keys/region names (any language)/``region/CODE`` -> (keys, bad mask)."""
    names = _unit_names()
    direct = col.map(lambda v: names.get(v) or names.get(header_key(v)))
    parts = col.str.extract(rf"^([^/]+)/({_CODE})$")
    head = parts[0].map(lambda v: (names.get(v) or names.get(header_key(v))) if isinstance(v, str) else None)
    region_keys = {r.key for r in regions()}
    head = head.where(head.isin(region_keys), None)
    station = (head + "/" + parts[1]).where(head.notna(), None)
    out = direct.where(direct.notna(), station)
    bad = (out.isna() & col.ne("")).to_numpy(dtype=bool, copy=True)
    return out.fillna(col).astype("str"), bad


def _required(table: Table, columns) -> bool:
    missing = [c for c in columns if c not in table.frame.columns]
    for c in missing:
        table.problems.append(Problem(table.file, getattr(table, "header_line", 1), R.MISSING_COLUMN,
                                      f"the file has no «{c}» column"))
    return not missing


def _key_cells(table: Table, columns) -> np.ndarray:
    """Flag empty key cells; returns the mask of rows whose keys are all present."""
    f, ok = table.frame, np.ones(len(table.frame), bool)
    for c in columns:
        empty = f[c].eq("").to_numpy(dtype=bool)
        _emit(table.problems, table.file, f["_line"][empty], R.MISSING_VALUE,
              [f"the «{c}» cell is empty"] * int(empty.sum()))
        ok &= ~empty
    return ok


def _counts(table: Table, column: str, label: str | None = None) -> pd.Series:
    f = table.frame
    values, bad = parse_counts(f[column])
    label = label or column
    lines = f["_line"].to_numpy()
    _emit(table.problems, table.file, lines[bad], R.NOT_AN_INTEGER,
          [f"«{v}» in column {label} is not a whole number" for v in f[column][bad]])
    neg = (values < 0).fillna(False).to_numpy(dtype=bool)
    _emit(table.problems, table.file, lines[neg], R.NEGATIVE_COUNT,
          [f"{label} is {v}: counts cannot be negative" for v in values[neg]])
    return values.where(~neg, pd.NA)


def _duplicates(table: Table, keys: list[str], what: str, valid: np.ndarray) -> None:
    f = table.frame
    sub = f.loc[valid, [*keys, "_line"]]
    dup = sub.duplicated(keys, keep="first")
    if dup.any():
        first = sub.drop_duplicates(keys).set_index(keys)["_line"]
        rows = sub[dup]
        for _, row in rows.iterrows():
            k = tuple(row[c] for c in keys)
            firstline = first.loc[k if len(keys) > 1 else k[0]]
            table.problems.append(Problem(table.file, int(row["_line"]), R.DUPLICATE_ROW,
                                          f"{what} {' / '.join(map(str, k))} already appears on line {firstline}"))


# --- results.csv --------------------------------------------------------------------------------------
def results_frame(table: Table, election: Election) -> pd.DataFrame:
    """Typed results (RESULT_BASE_COLUMNS + every party, Int64) from a results table; problems to table."""
    f, P, name = table.frame, table.problems, table.file
    if not _required(table, ("contest", "unit", *COUNT_COLUMNS)) and not {"contest", "unit"} <= set(f.columns):
        return empty_results(election.party_keys)
    lines = f["_line"].to_numpy()
    ok = _key_cells(table, ("contest", "unit"))
    contests = {c.key: c for c in election.contests}
    known = f["contest"].isin(list(contests)).to_numpy()
    bad = ~known & ok
    _emit(P, name, lines[bad], R.UNKNOWN_CONTEST,
          [f"contest «{v}» is not in election.json" for v in f["contest"][bad]])
    units, bad_unit = normalise_units(f["unit"])
    bad_unit &= ok
    _emit(P, name, lines[bad_unit], R.UNKNOWN_UNIT,
          [f"unit «{v}» is not kz, a region, abroad or region/CODE" for v in f["unit"][bad_unit]])

    # Unit inside the contest's area (a regional maslikhat counts only its own region's units).
    area = f["contest"].map({k: c.area for k, c in contests.items()})
    top = units.str.split("/", n=1).str[0]
    outside = (known & ok & ~bad_unit & area.ne(NATIONAL).to_numpy(dtype=bool)
               & top.ne(area).to_numpy(dtype=bool))
    _emit(P, name, lines[outside], R.UNIT_OUTSIDE_AREA,
          [f"unit «{u}» is outside {a}, the area of contest {c}"
           for u, a, c in zip(units[outside], area[outside], f["contest"][outside], strict=True)])

    out = pd.DataFrame({"contest": f["contest"].astype("str"), "unit": units})
    present = [c for c in COUNT_COLUMNS if c in f.columns]
    for c in COUNT_COLUMNS:
        out[c] = _counts(table, c) if c in present else pd.Series(pd.NA, index=f.index, dtype="Int64")

    # Party columns: required for every party on the ballot of a contest in this file.
    in_file = set(f["contest"][known])
    needed = [p for p in election.party_keys if any(p in election.contest_parties(c) for c in in_file)]
    for p in needed:
        if p not in table.parties:
            P.append(Problem(name, getattr(table, "header_line", 1), R.MISSING_COLUMN,
                             f"no column for party {p} ({election.party(p).short_name('ru')}), "
                             f"which is on the ballot of {', '.join(sorted(c for c in in_file if p in election.contest_parties(c)))}"))
    for p in election.party_keys:
        if p in table.parties:
            out[p] = _counts(table, p, f"{p} (votes)")
            limited = {k for k, c in contests.items() if c.parties and p not in c.parties}
            off = (f["contest"].isin(limited) & out[p].notna()).to_numpy(dtype=bool)
            _emit(P, name, lines[off], R.PARTY_NOT_ON_BALLOT,
                  [f"votes given for {p}, which was not on the ballot of {c}; leave the cell empty"
                   for c in f["contest"][off]])
        else:
            out[p] = pd.Series(pd.NA, index=f.index, dtype="Int64")

    # Arithmetic, on reported figures only (an empty cell is unknown, not zero).
    reg, took = out["registered"], out["took_part"]
    over = (took > reg).fillna(False).to_numpy(dtype=bool)
    _emit(P, name, lines[over], R.TOOK_PART_EXCEEDS_REGISTERED,
          [f"took part {t:,} is more than registered {r:,}".replace(",", " ")
           for t, r in zip(took[over], reg[over], strict=True)])
    parts = out[[*election.party_keys, "against_all", "invalid"]].sum(axis=1, skipna=True, min_count=1)
    exceed = (parts > took).fillna(False).to_numpy(dtype=bool)
    _emit(P, name, lines[exceed], R.VOTES_EXCEED_TOOK_PART,
          [f"party votes + against all + invalid = {s:,} but only {t:,} took part".replace(",", " ")
           for s, t in zip(parts[exceed], took[exceed], strict=True)])

    _duplicates(table, ["contest", "unit"], "contest/unit", ok)
    table.frame = f.assign(unit=units)
    return out.reset_index(drop=True)


# --- turnout.csv --------------------------------------------------------------------------------------
def _time_map(values) -> dict[str, tuple[str, int] | None]:
    """Each distinct time cell -> (canonical ISO text, UTC ns sort key), or None if it is not a time."""
    out: dict[str, tuple[str, int] | None] = {}
    for v in values:
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


def turnout_frame(table: Table, election: Election) -> pd.DataFrame:
    """Typed turnout (TURNOUT_COLUMNS) with ``_t`` sort key; problems to table."""
    f, P, name = table.frame, table.problems, table.file
    cols = set(f.columns)
    ok_cols = _required(table, ("time", "unit"))
    if not ({"registered", "took_part"} <= cols or "turnout_pct" in cols):
        P.append(Problem(name, getattr(table, "header_line", 1), R.MISSING_COLUMN,
                         "the file needs «turnout_pct» or both «registered» and «took_part»"))
    if not ok_cols:
        return empty_turnout().assign(_t=pd.Series(dtype="int64"))
    lines = f["_line"].to_numpy()
    ok = _key_cells(table, ("time", "unit"))
    tmap = _time_map(f["time"][ok].unique())
    parsed = f["time"].map(lambda v: tmap.get(v))
    bad_time = (parsed.isna().to_numpy() & ok)
    _emit(P, name, lines[bad_time], R.BAD_TIME,
          [f"time «{v}» is not like 2023-03-19T10:10:00+06:00 (with the UTC offset) or final"
           for v in f["time"][bad_time]])
    units, bad_unit = normalise_units(f["unit"])
    bad_unit &= ok
    _emit(P, name, lines[bad_unit], R.UNKNOWN_UNIT,
          [f"unit «{v}» is not kz, a region, abroad or region/CODE" for v in f["unit"][bad_unit]])
    good = parsed.notna()
    out = pd.DataFrame({
        "time": parsed.map(lambda x: x[0] if x else None).where(good, f["time"]).astype("str"),
        "unit": units,
    })
    t_key = parsed.map(lambda x: x[1] if x else -1).astype("int64")
    for c in ("registered", "took_part"):
        out[c] = _counts(table, c) if c in cols else pd.Series(pd.NA, index=f.index, dtype="Int64")
    if "turnout_pct" in cols:
        given, bad = parse_decimals(f["turnout_pct"])
        _emit(P, name, lines[bad], R.NOT_A_NUMBER,
              [f"«{v}» in column turnout_pct is not a number" for v in f["turnout_pct"][bad]])
    else:
        given = pd.Series(pd.NA, index=f.index, dtype="Float64")
    reg, took = out["registered"], out["took_part"]
    over = (took > reg).fillna(False).to_numpy(dtype=bool)
    _emit(P, name, lines[over], R.TOOK_PART_EXCEEDS_REGISTERED,
          [f"took part {t:,} is more than registered {r:,}".replace(",", " ")
           for t, r in zip(took[over], reg[over], strict=True)])
    counted = (reg.notna() & took.notna() & (reg > 0)).fillna(False)
    computed = (took.astype("Float64") * 100.0 / reg.astype("Float64")).where(counted, pd.NA)
    mismatch = (counted & given.notna() & ((given - computed).abs() > PCT_TOLERANCE)).fillna(False)
    mismatch = mismatch.to_numpy(dtype=bool)
    _emit(P, name, lines[mismatch], R.TURNOUT_MISMATCH,
          [f"turnout_pct {g} but {t} of {r} is {c:.2f}%"
           for g, t, r, c in zip(given[mismatch], took[mismatch], reg[mismatch], computed[mismatch], strict=True)])
    range_bad = ((given < 0) | (given > 100)).fillna(False).to_numpy(dtype=bool)
    _emit(P, name, lines[range_bad], R.TURNOUT_OUT_OF_RANGE,
          [f"turnout {g}% is outside 0–100" for g in given[range_bad]])
    pct = computed.where(counted, given)
    out["turnout_pct"] = pct.astype("Float64")
    nothing = (out[["registered", "took_part", "turnout_pct"]].isna().all(axis=1)).to_numpy() & ok
    _emit(P, name, lines[nothing], R.MISSING_VALUE,
          ["the row gives no turnout figure (turnout_pct or registered and took_part)"] * int(nothing.sum()))

    # Order within the file, per unit: each report later than the unit's previous one, final last.
    valid = ok & good.to_numpy() & ~bad_unit
    order = pd.DataFrame({"unit": units, "_t": t_key, "_line": lines})[valid]
    back = (order.groupby("unit", sort=False)["_t"].diff() <= 0).to_numpy()
    prev = order.groupby("unit", sort=False)["_t"].shift()
    same = (order["_t"] == prev).to_numpy()
    disorder = back & ~same
    _emit(P, name, order["_line"][disorder], R.TIMES_OUT_OF_ORDER,
          [f"{t} for {u} comes after a later report of {u}; list each unit's reports in time order, final last"
           for t, u in zip(out["time"][valid][disorder], order["unit"][disorder], strict=True)])
    table.frame = f.assign(unit=units, time=out["time"])
    _duplicates(table, ["time", "unit"], "time/unit", valid)
    out["_t"] = t_key
    return out.reset_index(drop=True)


def check_turnout_series(turnout: pd.DataFrame, name: str, lines: pd.Series) -> list[Problem]:
    """Turnout may not go down between a unit's reports (over the times it has; ``final`` last).

    ``turnout`` must carry ``_t`` (time sort key); ``lines`` gives each row's line in ``name`` or 0.
    A percentage computed from counts is exact while a published one is rounded, so a drop within
    rounding (54.188% from counts after a published 54.19%) is not a decrease.
    """
    d = turnout.assign(_line=lines.to_numpy())[turnout["turnout_pct"].notna().to_numpy()]
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
    f = table.frame
    allowed = {*election.party_keys, INDEPENDENT}
    bad = (~f["party"].isin(list(allowed)) & (f["party"].ne("") if allow_empty else True)).to_numpy() & ok
    _emit(table.problems, table.file, f["_line"][bad], R.UNKNOWN_PARTY,
          [f"party «{v}» is not a party key of election.json nor independent" for v in f["party"][bad]])


def districts_frame(table: Table, election: Election) -> pd.DataFrame:
    f, P, name = table.frame, table.problems, table.file
    if not _required(table, DISTRICT_COLUMNS):
        return pd.DataFrame(columns=DISTRICT_COLUMNS)
    ok = _key_cells(table, ("contest", "district"))
    single = {c.key for c in election.contests if c.kind == "single_mandate"}
    bad = (~f["contest"].isin(list(single))).to_numpy() & ok
    _emit(P, name, f["_line"][bad], R.UNKNOWN_CONTEST,
          [f"contest «{v}» is not a single-mandate contest of election.json" for v in f["contest"][bad]])
    units, bad_unit = normalise_units(f["unit"])
    _emit(P, name, f["_line"][bad_unit], R.UNKNOWN_UNIT,
          [f"unit «{v}» is not kz, a region, abroad or region/CODE" for v in f["unit"][bad_unit]])
    _party_cells(table, election, ok, allow_empty=True)
    _duplicates(table, ["contest", "district"], "contest/district", ok)
    out = pd.DataFrame({"contest": f["contest"], "district": f["district"], "unit": units.where(f["unit"].ne(""), ""),
                        "winner": f["winner"], "party": f["party"]})
    return out.apply(_na).reset_index(drop=True)


def composition_frame(table: Table, election: Election) -> pd.DataFrame:
    f, P, name = table.frame, table.problems, table.file
    if not _required(table, COMPOSITION_COLUMNS):
        return pd.DataFrame(columns=COMPOSITION_COLUMNS)
    ok = _key_cells(table, ("contest", "party", "seats"))
    bad = (~f["contest"].isin([c.key for c in election.contests])).to_numpy() & ok
    _emit(P, name, f["_line"][bad], R.UNKNOWN_CONTEST,
          [f"contest «{v}» is not in election.json" for v in f["contest"][bad]])
    _party_cells(table, election, ok, allow_empty=False)
    seats = _counts(table, "seats")
    _duplicates(table, ["contest", "party"], "contest/party", ok)
    return pd.DataFrame({"contest": _na(f["contest"]), "party": _na(f["party"]), "seats": seats}).reset_index(drop=True)


def sources_frame(table: Table, election: Election) -> pd.DataFrame:
    f, P, name = table.frame, table.problems, table.file
    if not _required(table, ("file", "source_url")):
        return pd.DataFrame(columns=SOURCE_COLUMNS)
    for c in SOURCE_COLUMNS:
        if c not in f.columns:
            f[c] = ""
    ok = _key_cells(table, ("file",))
    bad = (~f["file"].isin(list(PACKAGE_FILES))).to_numpy() & ok
    _emit(P, name, f["_line"][bad], R.UNKNOWN_FILE,
          [f"«{v}» is not a file of the package" for v in f["file"][bad]])
    bad = (~f["contest"].isin([c.key for c in election.contests]) & f["contest"].ne("")).to_numpy()
    _emit(P, name, f["_line"][bad], R.UNKNOWN_CONTEST,
          [f"contest «{v}» is not in election.json" for v in f["contest"][bad]])
    units, bad_unit = normalise_units(f["unit"])
    _emit(P, name, f["_line"][bad_unit], R.UNKNOWN_UNIT,
          [f"unit «{v}» is not kz, a region, abroad or region/CODE" for v in f["unit"][bad_unit]])
    out = f[list(SOURCE_COLUMNS)].assign(unit=units.where(f["unit"].ne(""), ""))
    return out.apply(_na).reset_index(drop=True)

