"""Station-level forensics: turnout and the leading party's (candidate's, answer's) share at every polling
station.

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
from dashboard.i18n import N_

#: The consistency constant that makes the MAD estimate the standard deviation of a normal distribution
#: (Iglewicz & Hoaglin, *How to Detect and Handle Outliers*, 1993: the "modified z-score").
MAD_TO_Z = 0.6745


#: The words the observers' texts use for a contest's options, by kind: a party list's parties, a
#: president's or a single-mandate district's candidates, a referendum's answers (``contest.kind``). One
#: table of words rather than a copy of each text per kind: the rule texts and the forensics cards put
#: these phrases in their ``{leader_share}`` / ``{ballots}`` places, and name the leader with
#: ``share_of`` / ``share_at`` / ``fingerprint_alt`` (separate messages: Russian declines "party",
#: "candidate" and "answer" differently). English message ids; a kind not listed reads as a party list.
_PARTY_WORDS = {
    "leader_share": N_("the leading party's share"),
    "ballots": N_("votes for parties, against all and invalid"),
    "share_of": N_("Share of {party}"),
    "share_at": N_("Share of {party} at polling stations"),
    "fingerprint_alt": N_("Polling stations by turnout and by the share of {party}, in 1-point cells; {count} "
                          "stations."),
}
_CANDIDATE_WORDS = {
    "leader_share": N_("the leading candidate's share"),
    "ballots": N_("votes for candidates, against all and invalid"),
    "share_of": N_("Share of {candidate}"),
    "share_at": N_("Share of {candidate} at polling stations"),
    "fingerprint_alt": N_("Polling stations by turnout and by the share of {candidate}, in 1-point cells; "
                          "{count} stations."),
}
_ANSWER_WORDS = {
    "leader_share": N_("the leading answer's share"),
    "ballots": N_("yes and no votes and invalid ballots"),
    "share_of": N_("Share of {answer}"),
    "share_at": N_("Share of {answer} at polling stations"),
    "fingerprint_alt": N_("Polling stations by turnout and by the share of {answer}, in 1-point cells; "
                          "{count} stations."),
}
OPTION_WORDS = {"party_list": _PARTY_WORDS, "single_mandate": _CANDIDATE_WORDS,
                "presidential": _CANDIDATE_WORDS, "referendum": _ANSWER_WORDS}
#: The placeholder of an option's name in ``share_of``, ``share_at`` and ``fingerprint_alt``, by kind.
OPTION_NOUN = {"party_list": "party", "single_mandate": "candidate", "presidential": "candidate",
               "referendum": "answer"}


def words(kind: str | None) -> dict[str, str]:
    """The English message ids naming ``kind``'s options (``OPTION_WORDS``; a party list's by default)."""
    return OPTION_WORDS.get(kind or "", _PARTY_WORDS)


def leader_text(kind: str | None, text: str, lang: str, name: str, **kw) -> str:
    """``words(kind)[text]`` in ``lang`` with the leader's ``name`` in its place: "Share of Alpha"."""
    from dashboard.i18n import translator

    return translator(lang)(words(kind)[text], **{OPTION_NOUN.get(kind or "", "party"): name, **kw})


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
    ``unit, region, registered, took_part, turnout_pct, leader_pct``, the leading option's key in
    ``attrs["leader"]`` and the contest's kind in ``attrs["kind"]`` (what the texts call the leader:
    :func:`words`).

    The leader is the party (candidate, answer) with the most votes over all the contest's stations
    (Klimek et al. use the winning party). Its share is of the votes for parties and against all, as the commission computes
    shares. Stations without registered voters, took_part or votes are left out; an election without
    station rows gives an empty table.
    """
    key = contest_key or headline_contest(election)
    rows = election.contest_rows(key)
    rows = rows[rows["unit"].astype(str).str.contains("/", regex=False)]
    parties = [p for p in election.options(key) if p in rows.columns]
    empty = pd.DataFrame(columns=["unit", "region", "registered", "took_part", "turnout_pct", "leader_pct"])
    empty.attrs["leader"] = None
    empty.attrs["kind"] = out_kind = {c.key: c.kind for c in election.contests}.get(key)
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
    out.attrs["kind"] = out_kind
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
