"""The draws every simulated vote shares: votes at each station around its mean shares, and the turnout
reports through the day. A module of its own so that ``simulate`` (the Mazhilis), ``kinds`` (the other
kinds) and ``nights`` (a previous vote) all import it, and none of them imports another in a circle."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.model import FINAL, TURNOUT_COLUMNS
from dashboard.regions import NATIONAL

#: Reports through the day (Astana time in 2023 was UTC+6) and the share of the final turnout reached.
REPORT_TIMES = ("10:00", "12:00", "14:00", "16:00", "18:00")
REPORT_FRACTIONS = (0.26, 0.50, 0.68, 0.82, 0.93)


def draw_votes(rng: np.random.Generator, cast: np.ndarray, means: np.ndarray, concentration: float) -> np.ndarray:
    """Multinomial votes per station; each station's shares scatter around ``means`` (a Dirichlet)."""
    g = rng.gamma(means * concentration)
    g = np.where(means > 0, np.maximum(g, 1e-12), 0.0)  # an option off the ballot gets no votes
    p = g / g.sum(axis=1, keepdims=True)
    return rng.multinomial(cast, p)


def turnout_reports(rng: np.random.Generator, units: list[str], registered: np.ndarray, took: np.ndarray,
                    date: str, utc_offset: str) -> pd.DataFrame:
    """``turnout.csv`` of ``units`` (regions, abroad) and ``kz``: counts at 10:00 … 18:00 local time
    (REPORT_FRACTIONS of the final figure, wobbling by unit, never going down), then ``final``."""
    rows = []
    previous = np.zeros(len(units), dtype=np.int64)
    for time, frac in zip(REPORT_TIMES, REPORT_FRACTIONS, strict=True):
        f = np.clip(frac * rng.lognormal(0.0, 0.04, size=len(units)), 0.0, 1.0)
        now = np.minimum(np.maximum(previous, np.floor(took * f).astype(np.int64)), took)
        previous = now
        stamp = f"{date}T{time}:00{utc_offset}"
        rows.append((stamp, NATIONAL, int(registered.sum()), int(now.sum())))
        rows.extend((stamp, u, int(r), int(t)) for u, r, t in zip(units, registered, now, strict=True))
    rows.append((FINAL, NATIONAL, int(registered.sum()), int(took.sum())))
    rows.extend((FINAL, u, int(r), int(t)) for u, r, t in zip(units, registered, took, strict=True))
    turnout = pd.DataFrame(rows, columns=list(TURNOUT_COLUMNS[:4]))
    turnout["time"] = turnout["time"].astype(object)
    turnout["unit"] = turnout["unit"].astype(object)
    for col in ("registered", "took_part"):
        turnout[col] = turnout[col].astype("Int64")
    turnout["turnout_pct"] = pd.array(
        np.round(100.0 * turnout["took_part"].to_numpy(float) / turnout["registered"].to_numpy(float), 2),
        dtype="Float64",
    )
    return turnout
