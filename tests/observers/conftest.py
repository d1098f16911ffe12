"""Crafted elections for the observers' rules: a few regions, a turnout series, station rows as given."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.model import (
    RESULT_BASE_COLUMNS,
    STATION_COLUMNS,
    TURNOUT_COLUMNS,
    Contest,
    Election,
    Party,
)

PARTIES = ("a", "b", "c")
T = {h: f"2023-03-19T{h}:00+06:00" for h in ("10:00", "12:00", "14:00", "16:00", "18:00")}


def build(results=(), turnout=(), stations=(), contests=None) -> Election:
    """``results``: tuples in RESULT_BASE_COLUMNS + a, b, c order; ``turnout``: (time, unit, registered,
    took_part, turnout_pct); ``stations``: (unit, station, registered)."""
    contests = contests or (Contest("mazhilis_party_list", "mazhilis", "party_list", "kz", 10, 5.0),)
    cols = list(RESULT_BASE_COLUMNS + PARTIES)
    res = pd.DataFrame([dict(zip(cols, r, strict=False)) for r in results], columns=cols)
    for c in cols[2:]:
        res[c] = res[c].astype("Int64")
    tt = pd.DataFrame(list(turnout), columns=list(TURNOUT_COLUMNS))
    tt[["registered", "took_part"]] = tt[["registered", "took_part"]].astype("Int64")
    tt["turnout_pct"] = tt["turnout_pct"].astype("Float64")
    st = pd.DataFrame(list(stations), columns=list(STATION_COLUMNS))
    st["registered"] = st["registered"].astype("Int64")
    return Election(
        id="test", date="2023-03-19", names={"en": "Test"},
        parties=tuple(Party(p, {"en": p.upper()}, {"en": p.upper()}, "#000000") for p in PARTIES),
        contests=tuple(contests), results=res, turnout=tt, stations=st,
    )


def series(values: dict[str, list[float | None]], times=("10:00", "12:00", "14:00", "16:00", "18:00")):
    """Turnout rows (percentages only, as the 2023 data has them) from ``{unit: [pct per time]}``;
    ``"final"`` as a time gives the final figure."""
    rows = []
    for unit, pcts in values.items():
        for t, v in zip(times, pcts, strict=False):
            if v is not None:
                rows.append((T.get(t, t), unit, None, None, v))
    return rows


@pytest.fixture
def make():
    return build


@pytest.fixture
def turnout_series():
    return series
