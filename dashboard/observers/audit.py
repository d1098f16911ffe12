"""The public audit trail: every version the store has served, and what changed from one to the next.

Pure functions over a :class:`~dashboard.store.store.Store` (no Dash, no Flask): the Observers page,
``/api/v1/versions``, its diffs and the Atom feed all read them. A diff compares two versions cell by cell
(results, turnout, contest status, single-mandate winners, the station list) and lists every figure that
changed, appeared or disappeared, with before, after and the difference.

Versions are immutable once in the history, so a diff is computed once per (store, version, record).
"""

from __future__ import annotations

import csv
import io
import threading
from dataclasses import asdict, dataclass

import pandas as pd

from dashboard.model import COUNT_COLUMNS, Election

#: The fields of a version record the trail shows (history.jsonl has these and may have more).
RECORD_FIELDS = ("version", "time", "file", "sha256", "kind", "election", "rollback_to")
CHANGE_FIELDS = ("table", "key", "unit", "field", "before", "after", "delta")


@dataclass(frozen=True)
class Change:
    table: str  # results | turnout | contests | districts | stations
    key: str  # the contest (results, districts, contests) or the report time (turnout); "" for stations
    unit: str  # the unit (results, turnout, stations), the contest's area (contests) or the district
    field: str
    before: object  # None: the figure did not exist (or was not reported) before
    after: object  # None: it no longer exists (or is no longer reported)

    @property
    def delta(self):
        if isinstance(self.before, int | float) and isinstance(self.after, int | float):
            d = self.after - self.before
            return round(d, 6) if isinstance(d, float) else d
        return None

    def as_dict(self) -> dict:
        return {**asdict(self), "delta": self.delta}


# --- versions ------------------------------------------------------------------------------------------
def embedded_record(store) -> dict:
    """Version 0, the package built into the site: in no history (nothing was ingested to make it), yet
    every footer names it, so the trail lists it, dated by its own figures (``dated``)."""
    election = load_version(store, 0)
    return {"version": 0, "time": dated(election), "file": f"{election.id} (built in)", "sha256": None,
            "kind": "embedded", "election": election.id, "rollback_to": None}


def dated(election: Election) -> str:
    """When a package's figures are from: its latest timed report (2023: the 22:10 turnout report of
    election day), else its election date — a real date, never the epoch."""
    times = [str(t) for t in election.turnout["time"] if "T" in str(t)] if len(election.turnout) else []
    latest = max(times, key=lambda t: pd.Timestamp(t), default=None)
    return latest or f"{election.date}T00:00:00Z"


def versions(store) -> list[dict]:
    """Every version (oldest first): version 0, the embedded package (``previous`` None: nothing before
    it), then the history, each with the version before it and whether it is the one served now."""
    current = store.version()
    out = [{**embedded_record(store), "previous": None, "current": current == 0}]
    previous = 0
    for record in store.history():
        v = int(record["version"])
        row = {k: record.get(k) for k in RECORD_FIELDS}
        row["previous"] = previous
        row["current"] = v == current
        out.append(row)
        previous = v
    return out


def record_of(store, n: int) -> dict:
    """The version record of ``n``; KeyError when the history has no such version."""
    for row in versions(store):
        if row["version"] == n:
            return row
    raise KeyError(n)


def load_version(store, v: int) -> Election:
    """The election of version ``v`` (0: the embedded package), read and checked by the store itself."""
    if v == 0:
        return store._embedded()
    return store._load(v)  # the store's own loader: it checks the version's files before reading them


# --- diffs ---------------------------------------------------------------------------------------------
def _value(v):
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if hasattr(v, "item"):
        v = v.item()
    return v


def _diff_table(table: str, old: pd.DataFrame, new: pd.DataFrame, keys: tuple[str, str | None],
                fields: list[str]) -> list[Change]:
    """Cell by cell: rows matched on ``keys`` (key column, unit column); a missing row is all None."""
    key, unit = keys
    cols = [c for c in (key, unit) if c]

    def indexed(df):
        df = df.copy()
        for f in fields:
            if f not in df.columns:
                df[f] = pd.NA
        for c in cols:
            df[c] = df[c].astype(str)
        return df.drop_duplicates(cols, keep="last").set_index(cols)[fields]

    a, b = indexed(old), indexed(new)
    index = a.index.union(b.index, sort=False)
    a, b = a.reindex(index), b.reindex(index)
    out = []
    for f in fields:
        x, y = a[f].astype(object), b[f].astype(object)
        x_na, y_na = x.isna(), y.isna()
        same = (x_na & y_na) | (~x_na & ~y_na & (x.where(~x_na, 0) == y.where(~y_na, 0)))
        for idx in index[~same.to_numpy()]:
            parts = idx if isinstance(idx, tuple) else (idx,)
            k = parts[0] if key else ""
            u = parts[-1] if unit else ""
            out.append(Change(table, k, u, f, _value(x[idx]), _value(y[idx])))
    return out


def diff(old: Election, new: Election) -> list[Change]:
    """Every figure that differs between two versions of one election, table by table."""
    fields = [*COUNT_COLUMNS, *dict.fromkeys([*old.option_keys, *new.option_keys])]
    changes = _diff_table("results", old.results, new.results, ("contest", "unit"), fields)
    changes += _diff_table("turnout", old.turnout, new.turnout, ("time", "unit"),
                           ["registered", "took_part", "turnout_pct"])
    status = [pd.DataFrame([(c.key, c.area, c.status) for c in e.contests], columns=["contest", "area", "status"])
              for e in (old, new)]
    changes += _diff_table("contests", status[0], status[1], ("contest", None), ["status"])
    changes += _diff_table("districts", old.districts, new.districts, ("contest", "district"), ["winner", "party"])
    changes += _diff_table("stations", old.stations, new.stations, (None, "unit"), ["registered"])
    return changes


_memo: dict[tuple, dict] = {}
_memo_lock = threading.Lock()


def diff_version(store, n: int) -> dict:
    """Version ``n`` against the version before it: ``{version, previous, election, previous_election,
    comparable, changes}``. Two different elections are not compared (``comparable`` false, no changes):
    every figure would differ. Version 0 has nothing before it: no changes, ``previous`` None. KeyError
    when ``n`` is not in the history."""
    if n == 0:
        election = load_version(store, 0)
        return {"version": 0, "previous": None, "election": election.id, "previous_election": None,
                "comparable": False, "changes": []}
    record = record_of(store, n)
    key = (str(store.dir), n, record.get("sha256"), record.get("time"))
    with _memo_lock:
        if key in _memo:
            return _memo[key]
    before = load_version(store, record["previous"])
    after = load_version(store, n)
    comparable = before.id == after.id
    result = {
        "version": n,
        "previous": record["previous"],
        "election": after.id,
        "previous_election": before.id,
        "comparable": comparable,
        "changes": [c.as_dict() for c in diff(before, after)] if comparable else [],
    }
    with _memo_lock:
        if len(_memo) > 64:
            _memo.clear()
        _memo[key] = result
    return result


def changes_csv(result: dict) -> str:
    """A diff as CSV (one changed cell a line), for spreadsheets; text cells are quoted by the csv module
    and made inert like the downloads' (a winner named ``=HYPERLINK(…)`` in the files stays text)."""
    from dashboard.charts.export import inert  # here: the charts package imports every page

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["version", "previous", *CHANGE_FIELDS])
    for c in result["changes"]:
        cells = ("" if c[f] is None else inert(c[f]) for f in CHANGE_FIELDS)
        w.writerow([result["version"], result["previous"], *cells])
    return buf.getvalue()
