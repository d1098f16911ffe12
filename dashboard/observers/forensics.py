"""Station-level forensics: turnout and the leading party's share at every polling station.

Two published ways of looking at the same station rows:

- the "election fingerprint" (Klimek, Yegorov, Hanel & Thurner, *Statistical detection of systematic
  election irregularities*, PNAS 109(41), 2012): the 2-D histogram of turnout against the leading party's
  share. Clean elections give one roughly round cluster; ballot stuffing smears stations towards the
  corner where both are near 100 %;
- histograms of turnout and of the leading share in 0.1-point bins with the integer percentages marked
  (Kobak, Shpilkin & Pshenichnikov, *Integer percentages as electoral falsification fingerprints*, Annals
  of Applied Statistics 10(1), 2016): figures written into protocols by hand pile up on round numbers.

And one statistic used by the ``station_outlier`` flag (:func:`joint_outliers`): a station whose turnout
*and* leading share are both above its region's, and together far from them (robust z-scores on the
median absolute deviation, combined as a distance). Where turnout and party choice vary independently
from station to station, stations far out on both at once are very rare; stuffing puts them there.

Everything here is pure (data in, arrays or frames out) so figures, flags and tests share it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.electoral.progress import headline_contest

#: The consistency constant that makes the MAD estimate the standard deviation of a normal distribution
#: (Iglewicz & Hoaglin, *How to Detect and Handle Outliers*, 1993: the "modified z-score").
MAD_TO_Z = 0.6745


def robust_z(values: np.ndarray) -> np.ndarray:
    """Modified z-scores ``0.6745 (x - median) / MAD``; NaN everywhere when the MAD is 0 (no spread to
    compare with: with half the values identical, any other value would look infinitely far out)."""
    values = np.asarray(values, dtype=float)
    if not len(values):
        return values
    median = np.median(values)
    mad = np.median(np.abs(values - median))
    if mad == 0:
        return np.full(len(values), np.nan)
    return MAD_TO_Z * (values - median) / mad


def station_table(election, contest_key: str | None = None) -> pd.DataFrame:
    """One row per polling station of a contest (headline contest by default) with every figure needed:
    ``unit, region, registered, took_part, turnout_pct, leader_pct`` and the leading party's key in
    ``attrs["leader"]``.

    The leader is the party with the most votes over all the contest's stations (Klimek et al. use the
    winning party). Its share is of the votes for parties and against all, as the commission computes
    shares. Stations without registered voters, took_part or votes are left out; an election without
    station rows gives an empty table.
    """
    key = contest_key or headline_contest(election)
    rows = election.contest_rows(key)
    rows = rows[rows["unit"].astype(str).str.contains("/", regex=False)]
    parties = [p for p in election.options(key) if p in rows.columns]
    empty = pd.DataFrame(columns=["unit", "region", "registered", "took_part", "turnout_pct", "leader_pct"])
    empty.attrs["leader"] = None
    if not len(rows) or not parties:
        return empty
    votes = rows[parties].astype("float64").fillna(0.0).to_numpy()
    leader_idx = int(np.argmax(votes.sum(axis=0)))
    counted = votes.sum(axis=1) + rows["against_all"].astype("float64").fillna(0.0).to_numpy()
    registered = rows["registered"].astype("float64").to_numpy()
    took = rows["took_part"].astype("float64").to_numpy()
    ok = (registered > 0) & ~np.isnan(took) & (counted > 0)
    units = rows["unit"].astype(str).to_numpy()
    out = pd.DataFrame({
        "unit": units[ok],
        "region": [u.split("/", 1)[0] for u in units[ok]],
        "registered": registered[ok].astype(np.int64),
        "took_part": took[ok].astype(np.int64),
        "turnout_pct": 100.0 * took[ok] / registered[ok],
        "leader_pct": 100.0 * votes[ok, leader_idx] / counted[ok],
    })
    out.attrs["leader"] = parties[leader_idx]
    return out


def joint_outliers(stations: pd.DataFrame, z_each: float, z_joint: float, min_stations: int) -> pd.DataFrame:
    """Stations whose turnout and leading share both have a robust z-score above ``z_each`` within their
    region and ``hypot(z_turnout, z_share) > z_joint`` (regions with fewer than ``min_stations`` stations
    are not judged). Adds the columns ``turnout_median, leader_median, turnout_z, leader_z``.

    Why a distance and not a limit on each: turnout cannot rise much above 100 %, so in a region where
    the median turnout is 70 % even a station at 99 % is only about 3 MADs out; the share still moves."""
    found = []
    for _region, group in stations.groupby("region", sort=True):
        if len(group) < min_stations:
            continue
        zt = robust_z(group["turnout_pct"].to_numpy())
        zs = robust_z(group["leader_pct"].to_numpy())
        hit = (zt > z_each) & (zs > z_each) & (np.hypot(zt, zs) > z_joint)  # NaN compares False
        if hit.any():
            part = group[hit].copy()
            part["turnout_median"] = float(np.median(group["turnout_pct"]))
            part["leader_median"] = float(np.median(group["leader_pct"]))
            part["turnout_z"] = zt[hit]
            part["leader_z"] = zs[hit]
            found.append(part)
    if not found:
        return stations.iloc[0:0].assign(turnout_median=[], leader_median=[], turnout_z=[], leader_z=[])
    return pd.concat(found, ignore_index=True)


def fingerprint(stations: pd.DataFrame, bin_pct: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Klimek's 2-D histogram: (turnout bin edges, leader-share bin edges, counts[turnout, share]) with
    ``bin_pct``-point bins over 0–100 % (turnout above 100 % lands in the last bin)."""
    edges = np.linspace(0.0, 100.0, int(round(100 / bin_pct)) + 1)
    t = np.clip(stations["turnout_pct"].to_numpy(float), 0, 100)
    s = np.clip(stations["leader_pct"].to_numpy(float), 0, 100)
    counts, _, _ = np.histogram2d(t, s, bins=[edges, edges])
    return edges, edges, counts.astype(np.int64)


def fine_histogram(values, bin_pct: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """(bin left edges, counts) of percentages in ``bin_pct``-point bins centred on multiples of it, so
    that an integer percentage such as 95.00 sits in the middle of its own bin (Kobak et al.)."""
    values = np.clip(np.asarray(values, dtype=float), 0, 100)
    steps = int(round(100 / bin_pct))
    edges = (np.arange(steps + 2) - 0.5) * bin_pct
    counts, _ = np.histogram(values, bins=edges)
    return edges[:-1] + bin_pct / 2, counts.astype(np.int64)


def integer_share(values, tolerance: float = 0.05) -> float:
    """Share of values within ``tolerance`` points of an integer percentage; about ``2 * tolerance``
    (10 % for 0.05) when the decimals are smooth, more when figures were chosen as round numbers."""
    values = np.asarray(values, dtype=float)
    if not len(values):
        return float("nan")
    return float(np.mean(np.abs(values - np.round(values)) <= tolerance))
