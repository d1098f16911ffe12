"""Turnout through election day: the commission's interim reports and its final figure."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from dashboard.model import FINAL, Election
from dashboard.regions import ABROAD, NATIONAL, region_keys, top_unit

TABLE_COLUMNS = ("time", "unit", "turnout_pct", "registered", "took_part")


def _sort_time_key(time: str) -> tuple[int, float, str]:
    """Sort key of a report time: ISO times chronologically (as UTC instants), ``final`` last."""
    if time == FINAL:
        return (1, 0.0, time)
    try:
        when = datetime.fromisoformat(time)
    except ValueError:  # the loader rejects such times; keep a total order anyway
        return (0, float("inf"), time)
    return (0, when.timestamp(), time)


def unit_order(unit: str) -> tuple[int, int, str]:
    """Registry order: ``kz`` first, then the 20 regions (each followed by its stations), then abroad."""
    keys = region_keys()
    head = top_unit(unit)
    if unit == NATIONAL:
        return (0, 0, "")
    if head in keys:
        return (1, keys.index(head), "" if unit == head else unit)
    if head == ABROAD:
        return (2, 0, "" if unit == head else unit)
    return (3, 0, unit)


def report_times(election: Election) -> list[str]:
    """Every report time in the turnout data, in time order, ``final`` last."""
    if not len(election.turnout):
        return []
    return sorted({str(t) for t in election.turnout["time"]}, key=_sort_time_key)


def turnout_table(election: Election) -> pd.DataFrame:
    """One row per (time, unit): time, unit, turnout_pct (float, NaN = not reported), registered,
    took_part (nullable Int64), sorted by time (``final`` last) then unit in registry order.
    ``turnout_pct`` is computed from the counts where both are given."""
    t = election.turnout
    if not len(t):
        return pd.DataFrame(
            {
                "time": pd.Series(dtype="object"),
                "unit": pd.Series(dtype="object"),
                "turnout_pct": pd.Series(dtype="float64"),
                "registered": pd.Series(dtype="Int64"),
                "took_part": pd.Series(dtype="Int64"),
            }
        )
    out = pd.DataFrame(
        {
            "time": t["time"].astype(str).to_numpy(dtype=object),
            "unit": t["unit"].astype(str).to_numpy(dtype=object),
            "registered": t["registered"].astype("Int64").array,
            "took_part": t["took_part"].astype("Int64").array,
            "turnout_pct": pd.to_numeric(t["turnout_pct"], errors="coerce").astype("float64").to_numpy(),
        }
    )
    counted = out["registered"].notna() & out["took_part"].notna() & (out["registered"].fillna(0) > 0)
    if counted.any():
        ratio = (
            100
            * out.loc[counted, "took_part"].astype("float64")
            / out.loc[counted, "registered"].astype("float64")
        )
        out.loc[counted, "turnout_pct"] = ratio.to_numpy()
    out["_t"] = out["time"].map(_sort_time_key)
    out["_u"] = out["unit"].map(unit_order)
    out = out.sort_values(["_t", "_u"], kind="stable").drop(columns=["_t", "_u"]).reset_index(drop=True)
    return out[list(TABLE_COLUMNS)]


def turnout_at(election: Election, time: str) -> dict[str, float]:
    """Turnout % by unit at one report time; a unit absent from the result was not reported then."""
    table = turnout_table(election)
    at = table[(table["time"] == time) & table["turnout_pct"].notna()]
    return {str(u): float(v) for u, v in zip(at["unit"], at["turnout_pct"], strict=True)}


def latest_turnout(election: Election) -> dict[str, float]:
    """Each unit's last reported turnout % (for ``kz`` the commission's ``final`` figure when there is one)."""
    table = turnout_table(election)
    table = table[table["turnout_pct"].notna()]
    latest: dict[str, float] = {}
    for unit, value in zip(table["unit"], table["turnout_pct"], strict=True):
        latest[str(unit)] = float(value)  # the table is in time order with final last: later wins
    return dict(sorted(latest.items(), key=lambda kv: unit_order(kv[0])))


def named_turnouts(election: Election, unit: str) -> list[tuple[str, float]]:
    """The unit's turnout figures, each with its name: the last interim report (``"preliminary
    22:10"``) and the commission's ``"final"`` figure, whichever exist. Two turnouts of one place differ
    (54.19 % at 22:10, 54.21 % final), so neither is ever printed without saying which it is."""
    table = turnout_table(election)
    table = table[(table["unit"] == unit) & table["turnout_pct"].notna()]
    interim = table[table["time"] != FINAL]
    named: list[tuple[str, float]] = []
    if len(interim):
        last = interim.iloc[-1]
        named.append((f"preliminary {_clock(str(last['time']))}", float(last["turnout_pct"])))
    final = table[table["time"] == FINAL]
    if len(final):
        named.append(("final", float(final.iloc[-1]["turnout_pct"])))
    return named


def _clock(time: str) -> str:
    """``HH:MM`` of a report time, in the time zone it was reported in (the commission's local time)."""
    try:
        return datetime.fromisoformat(time).strftime("%H:%M")
    except ValueError:
        return time
