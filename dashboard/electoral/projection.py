"""The night's best estimate: where a partial count is heading, with a 90 % interval (docs/projection.md).

Pure core (numpy, no Dash). For one contest at one version, from what is known then — the stations
expected (``stations.csv``, with their registered voters) and counted (results rows ``region/CODE``), the
turnout reports through the day, the counted results, and the previous vote of the same body and kind by
region — each region's final figures are estimated as

    counted votes + uncounted registered voters × expected turnout × expected shares,

where the expected shares (of those who took part: every option, against all, and the rest — invalid
ballots and those not in the box) are, on a log scale, a blend of

* the region's own counted shares, weighted by how much it has counted (its stations' sampling variance
  against the spread of regional swings: an empirical-Bayes weight, 0 with nothing counted, 1 with all), and
* the **previous vote there plus tonight's swing**: the swing of the counted regions against their previous
  vote, a random-effects mean (each region by 1 / (spread of regional swings + its sampling variance))
  (method ``previous_vote_swing``); without a previous vote,
  the shares of the regions counted so far (``region_stratification``), with wider intervals (below).

Turnout is estimated the same way: the region's latest turnout report × the ratio of the counted stations'
final turnout to their regions' reports (else the previous vote's turnout × tonight's turnout swing, else
the turnout counted so far).

The 90 % interval comes from ``DRAWS`` simulations of the outstanding vote, each of which

1. resamples the counted stations within each region (a Poisson bootstrap), which moves each region's own
   shares and turnout by their sampling error;
2. resamples the counted regions (a Poisson bootstrap over regions), which moves tonight's swing;
3. gives every region a regional swing of its own, drawn from the counted regions' deviations from the
   swing (whole vectors, so parties that trade votes stay correlated), raised towards ``TAU_FLOOR`` when
   few regions have counted and their spread is below it; without a previous vote (and for an option the
   previous vote did not have), also one shift common to all uncounted regions (the counted regions are not
   a fair sample of the rest).

Seats are allocated in every simulation with the exact integer arithmetic of ``seats.allocate_seats``;
presidential and referendum probabilities apply ``outcome.py``'s rules to every simulation (more than half,
valid turnout, and the two-thirds-of-units rule of a constitutional question).

Deterministic: the random generator is seeded from the version's content (the counted rows, the turnout
reports, the contest), so the same version always gives the same projection. None at ``final`` (no
station missing and not counting), without a station list, or before any station of the contest counts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.electoral.outcome import two_thirds_of
from dashboard.electoral.progress import contest_progress
from dashboard.electoral.seats import allocate_seats
from dashboard.electoral.summary import threshold_fraction, unit_figures
from dashboard.electoral.turnout import turnout_table
from dashboard.model import Contest, Election
from dashboard.regions import NATIONAL, region_keys

#: Simulations of the outstanding vote per projection, and the interval's level.
DRAWS = 400
LEVEL = 0.90
METHOD_SWING = "previous_vote_swing"
METHOD_STRATA = "region_stratification"
#: The smallest spread (log scale) of regional swings / regional shares the intervals assume, and how many
#: regions' worth of weight that floor carries against the spread measured tonight.
TAU_FLOOR = {METHOD_SWING: 0.06, METHOD_STRATA: 0.12}
PRIOR_REGIONS = 3.0
#: Without a previous vote, the shift common to the uncounted regions, in spreads of the counted regions.
STRATA_COMMON = 1.5
#: A previous vote is used when it has figures for at least this many of tonight's regions.
MIN_PREVIOUS_REGIONS = 2
#: Added to every count before a log is taken (half a vote).
HALF = 0.5
REST = "_rest"  # invalid ballots and ballots not in the box: took_part − options − against all


@dataclass(frozen=True)
class Previous:
    """The previous vote by region: (regions × categories) shares of those who took part (NaN: not
    there), each region's turnout (NaN: not there), and the election's id."""

    election: str
    shares: np.ndarray
    turnout: np.ndarray


def choose_previous(election: Election, contest_key: str, lookup: Callable[[str], Election | None],
                    ids: Iterable[str]) -> Election | None:
    """The election to compare ``contest_key`` with: the one ``election.json`` names
    (``previous_election``), else the latest election of ``ids`` dated before this one with a contest of
    the same body, kind and area. ``lookup`` gives an election by id (None when unknown): the caller's
    store, so the core needs none."""
    contest = election.contest(contest_key)

    def match(other: Election | None) -> bool:
        return other is not None and other.find_contest(contest.body, contest.kind, contest.area) is not None

    if election.previous_election:
        named = lookup(election.previous_election)
        return named if match(named) else None
    best: Election | None = None
    for eid in ids:
        if eid == election.id:
            continue
        other = lookup(eid)
        if match(other) and other is not None and other.date < election.date and (
                best is None or other.date > best.date):
            best = other
    return best


# --- what is known at this version ------------------------------------------------------------------------
@dataclass(frozen=True)
class Night:
    """The inputs of one contest at one version, as arrays (R regions, K categories, n counted stations)."""

    regions: tuple[str, ...]
    categories: tuple[str, ...]  # the options, then against_all (when on the ballot), then REST
    options: int  # how many of the categories are options
    counted_region: np.ndarray  # (n,) region index of each counted station
    counted_votes: np.ndarray  # (n, K)
    counted_took: np.ndarray  # (n,)
    counted_registered: np.ndarray  # (n,)
    stations_expected: np.ndarray  # (R,)
    stations_counted: np.ndarray  # (R,)
    registered_uncounted: np.ndarray  # (R,)
    registered_total: float
    report: np.ndarray  # (R,) latest turnout report as a fraction (NaN: none)
    report_time: str | None


def _night(election: Election, contest: Contest) -> Night | None:
    stations = election.stations
    units = stations["unit"].astype(str).to_numpy()
    tops = np.array([u.split("/", 1)[0] for u in units], dtype=object)
    if contest.area != NATIONAL:
        keep = tops == contest.area
        units, tops, stations = units[keep], tops[keep], stations[keep]
    if not len(units):
        return None
    present = set(tops)
    regions = tuple(dict.fromkeys(r for r in (*region_keys(), *sorted(present)) if r in present))
    rindex = {r: i for i, r in enumerate(regions)}
    station_region = np.array([rindex[t] for t in tops], dtype=np.int64)
    registered = pd.to_numeric(stations["registered"], errors="coerce").astype("float64").to_numpy()

    rows = election.contest_rows(contest.key)
    options = list(election.options(contest.key))
    cats = [*options, *(["against_all"] if contest.has_against_all else [])]
    cols = [c for c in (*cats, "took_part", "registered") if c in rows.columns]
    figures = rows[cols].apply(pd.to_numeric, errors="coerce").astype("float64")
    has_any = figures.notna().any(axis=1).to_numpy()
    where = pd.Index(units).get_indexer(rows["unit"].astype(str).to_numpy())
    ok = has_any & (where >= 0)
    if not ok.any():
        return None
    where = where[ok]
    figures = figures[ok]
    # one row per station: a station written twice counts once (its last row)
    last = pd.Series(np.arange(len(where))).groupby(where).last().to_numpy()
    where, figures = where[last], figures.iloc[last]
    votes = np.column_stack([figures[c].fillna(0.0).to_numpy() if c in figures else np.zeros(len(where))
                             for c in cats])
    took = figures["took_part"].to_numpy() if "took_part" in figures else np.full(len(where), np.nan)
    took = np.where(np.isnan(took), votes.sum(axis=1), took)
    rest = np.maximum(took - votes.sum(axis=1), 0.0)
    took = votes.sum(axis=1) + rest
    row_reg = figures["registered"].to_numpy() if "registered" in figures else np.full(len(where), np.nan)
    station_reg = registered.copy()
    station_reg[where] = np.where(np.isnan(station_reg[where]), row_reg, station_reg[where])
    fill = np.nanmean(station_reg) if np.isfinite(station_reg).any() else 0.0
    station_reg = np.where(np.isnan(station_reg), fill, station_reg)

    nreg = len(regions)
    counted_mask = np.zeros(len(units), bool)
    counted_mask[where] = True
    expected = np.bincount(station_region, minlength=nreg).astype(float)
    counted = np.bincount(station_region[where], minlength=nreg).astype(float)
    reg_uncounted = np.bincount(station_region[~counted_mask], weights=station_reg[~counted_mask],
                                minlength=nreg)
    report, report_time = _reports(election, regions)
    return Night(regions, (*cats, REST), len(options), station_region[where],
                 np.column_stack([votes, rest]), took, station_reg[where], expected, counted, reg_uncounted,
                 float(station_reg.sum()), report, report_time)


def _reports(election: Election, regions: tuple[str, ...]) -> tuple[np.ndarray, str | None]:
    """Each region's latest turnout report (a fraction; NaN where none) and the latest report's label."""
    out = np.full(len(regions), np.nan)
    if not len(election.turnout):
        return out, None
    table = turnout_table(election)
    table = table[table["turnout_pct"].notna() & table["unit"].isin(regions)]
    latest = None
    index = {r: i for i, r in enumerate(regions)}
    for time, unit, pct in zip(table["time"], table["unit"], table["turnout_pct"], strict=True):
        out[index[str(unit)]] = float(pct) / 100  # time order, final last: the later report wins
        latest = str(time)
    return out, latest


def previous_vote(previous: Election | None, contest: Contest, night: Night) -> Previous | None:
    """The previous vote of ``contest``'s body, kind and area in each of tonight's regions (``Previous``);
    None without one, or when it has figures for fewer than MIN_PREVIOUS_REGIONS of them."""
    if previous is None:
        return None
    other = previous.find_contest(contest.body, contest.kind, contest.area)
    if other is None:
        return None
    shares = np.full((len(night.regions), len(night.categories)), np.nan)
    turnout = np.full(len(night.regions), np.nan)
    for i, region in enumerate(night.regions):
        figures = unit_figures(previous, other.key, region)[0]
        took, registered = figures.get("took_part"), figures.get("registered")
        if not took:
            continue
        known = 0.0
        for k, cat in enumerate(night.categories[:-1]):
            value = figures.get(cat)
            if value is not None:
                shares[i, k] = value / took
                known += value
        shares[i, -1] = max(took - known, 0.0) / took
        if registered:
            turnout[i] = took / registered
    if (np.isfinite(shares).sum(axis=1) > 1).sum() < MIN_PREVIOUS_REGIONS:
        return None
    return Previous(previous.id, shares, turnout)


# --- the estimate ---------------------------------------------------------------------------------------
def _seed(election: Election, contest: Contest, night: Night) -> np.random.Generator:
    digest = hashlib.sha256()
    digest.update(f"{election.id}\0{contest.key}\0{night.report_time}\0".encode())
    for array in (night.counted_region, night.counted_votes, night.counted_took, night.report):
        digest.update(np.ascontiguousarray(array).tobytes())
    return np.random.default_rng(int.from_bytes(digest.digest()[:8], "little"))


def _log_shares(votes: np.ndarray, took: np.ndarray) -> np.ndarray:
    return np.log((votes + HALF) / (took + HALF * votes.shape[-1])[..., None])


def _weighted_mean(values: np.ndarray, weights: np.ndarray, axis: int) -> np.ndarray:
    w = np.expand_dims(weights, -1) if values.ndim > weights.ndim else weights
    return (values * w).sum(axis=axis) / np.maximum(w.sum(axis=axis), 1e-12)


@dataclass(frozen=True)
class Draws:
    """Projected final figures: ``votes`` (S, R, K) by region and category, ``registered`` (scalar); the
    first simulation (index 0) is the point estimate."""

    votes: np.ndarray
    registered: float


def simulate(night: Night, previous: Previous | None, rng: np.random.Generator, draws: int = DRAWS) -> Draws:
    """``draws`` simulations of the final count (plus the point estimate first), vectorised."""
    n_reg, n_cat = len(night.regions), len(night.categories)
    method = METHOD_SWING if previous is not None else METHOD_STRATA
    sims = draws + 1
    # 1. station bootstrap within regions: Poisson weights (simulation 0 keeps every station once)
    weights = rng.poisson(1.0, size=(sims, len(night.counted_took))).astype(np.float64)
    weights[0] = 1.0
    data = np.column_stack([night.counted_votes, night.counted_took, night.counted_registered])
    sums = np.zeros((sims, n_reg, data.shape[1]))
    order = np.argsort(night.counted_region, kind="stable")
    bounds = np.searchsorted(night.counted_region[order], np.arange(n_reg + 1))
    for r in range(n_reg):
        idx = order[bounds[r]:bounds[r + 1]]
        if len(idx):
            sums[:, r] = weights[:, idx] @ data[idx]
    empty = sums[..., n_cat] <= 0  # a region whose resampled stations all drew zero: keep its count
    sums = np.where(empty[..., None], sums[:1], sums)
    votes_c, took_c, reg_c = sums[..., :n_cat], sums[..., n_cat], sums[..., n_cat + 1]
    has = night.stations_counted > 0
    own = _log_shares(votes_c, took_c)  # (S, R, K)
    own_turnout = np.log((took_c + HALF) / (reg_c + 1.0))  # (S, R)
    # The bootstrap gives the error of the counted stations' mean; the outstanding stations are a sample
    # of their own, so the error of their figures against it is larger by N / (N - n) in variance.
    grow = np.sqrt(night.stations_expected / np.maximum(night.stations_expected - night.stations_counted, 1))
    own_out = own[:1] + (own - own[:1]) * grow[None, :, None]  # what the region's outstanding stations give
    own_out_turnout = own_turnout[:1] + (own_turnout - own_turnout[:1]) * grow[None, :]

    # the prior's base: the previous vote (log shares, turnout), else nothing (the swing is the level)
    if previous is not None:
        known = np.isfinite(previous.shares)
        national_prev = np.where(known.any(axis=0), np.nansum(previous.shares, axis=0)
                                 / np.maximum(known.sum(axis=0), 1), np.nan)
        base = np.log(np.where(np.isfinite(previous.shares), previous.shares,
                               np.where(np.isfinite(national_prev), national_prev, np.nan)) + 1e-4)
        missing = ~np.isfinite(base)  # an option the previous vote did not have: tonight's share is its level
        base = np.where(missing, 0.0, base)
    else:
        base = np.zeros((n_reg, n_cat))
        missing = np.zeros((n_reg, n_cat), bool)
    if np.isfinite(night.report).any():
        t_base = np.log(np.where(np.isfinite(night.report), night.report, np.nanmean(night.report)))
    elif previous is not None and np.isfinite(previous.turnout).any():
        t_base = np.log(np.where(np.isfinite(previous.turnout), previous.turnout, np.nanmean(previous.turnout)))
    else:
        t_base = np.zeros(n_reg)

    # the sampling variance of a region's counted log shares (share-weighted) as an estimate of its full
    # count: a pooled station variance ÷ stations counted × the finite-population correction
    region_voters = np.bincount(night.counted_region, weights=night.counted_took, minlength=n_reg) * has
    share0 = np.exp(own[0])
    share0 /= share0.sum(axis=1, keepdims=True)
    pooled = (region_voters[:, None] * share0).sum(axis=0) / max(region_voters.sum(), 1e-12)
    station_share = _log_shares(night.counted_votes, night.counted_took)
    resid = station_share - own[0][night.counted_region]
    per_station = (resid ** 2 * pooled).sum(axis=1)
    s2 = float(np.average(per_station, weights=night.counted_took)) if len(per_station) > 1 else np.nan
    fpc = np.clip(1.0 - night.stations_counted / np.maximum(night.stations_expected, 1), 0.0, 1.0)
    v = (0.0 if np.isnan(s2) else s2) / np.maximum(night.stations_counted, 1) * fpc
    floor = TAU_FLOOR[method]
    m = float(has.sum())

    # 2. tonight's swing: the counted regions' mean gap, weighted as a random-effects mean (each region by
    # 1 / (spread of regional swings + its own sampling variance): a region counted in part counts as much as
    # its stations can say, a large region no more than a small one), resampled as regions
    gap = own - base[None]  # (S, R, K)
    gap = np.where(missing[None], own, gap)
    t_gap = own_turnout - t_base[None]
    region_w = region_voters
    if m > 1:
        first = _weighted_mean(gap[0], region_voters, axis=0)
        d2 = ((gap[0] - first[None]) ** 2 * pooled).sum(axis=1)
        tau2_0 = max(float(np.mean((d2 - v)[has])), floor ** 2)
        region_w = np.where(has, 1.0 / (tau2_0 + v), 0.0)
    boot = rng.poisson(1.0, size=(sims, n_reg)).astype(np.float64)
    boot[0] = 1.0
    boot = np.where((boot * has).sum(axis=1, keepdims=True) > 0, boot, 1.0)
    w = region_w[None, :] * boot  # (S, R)
    swing = _weighted_mean(gap, w, axis=1)  # (S, K)
    t_swing = _weighted_mean(t_gap, w, axis=1)  # (S,)

    # 3. regional deviations from the swing (point estimate's), their spread (each counted region alike:
    # the uncounted ones are as likely to be small as large), and the blend weights
    dev = gap[0] - swing[0][None]  # (R, K)
    t_dev = t_gap[0] - t_swing[0]
    spread2 = float(np.mean((dev ** 2 * pooled).sum(axis=1)[has])) if m > 1 else 0.0
    # the floor is a floor: with few regions counted it pulls a small measured spread up, never a large one
    # down (with the regions' spread shrunk towards it, half-counted nights' intervals were too narrow)
    measured = spread2 * m / max(m - 1, 1)
    tau2 = (m * measured + PRIOR_REGIONS * max(floor ** 2, measured)) / (m + PRIOR_REGIONS)
    if np.isnan(s2):
        v = np.full(n_reg, tau2) / np.maximum(night.stations_counted, 1) * fpc
    lam = np.where(has, tau2 / (tau2 + v + 1e-12), 0.0)  # (R,)
    lam = np.where(fpc == 0, 1.0, lam)

    # regional swings drawn from the counted regions' deviation vectors, rescaled to the spread tau
    scale = np.sqrt(tau2 / spread2) if spread2 > 0 else 0.0
    if m > 1 and spread2 > 0:
        pick = rng.choice(np.flatnonzero(has), size=(sims, n_reg))
        noise = dev[pick] * scale
        t_noise = t_dev[pick] * scale
    else:
        noise = rng.normal(0.0, np.sqrt(tau2), size=(sims, n_reg, n_cat))
        t_noise = rng.normal(0.0, np.sqrt(tau2), size=(sims, n_reg))
    if method == METHOD_STRATA:  # the uncounted regions may, as a group, differ from the counted ones
        per_cat = np.sqrt(_weighted_mean(dev ** 2, region_w, axis=0) + floor ** 2) if m > 1 else np.full(n_cat, floor)
        common = STRATA_COMMON * per_cat * rng.standard_normal(size=(sims, 1, n_cat))
        noise = noise + common
    elif missing.any():  # an option the previous vote did not have is in the same position: no base
        per_cat = np.sqrt(_weighted_mean(dev ** 2, region_w, axis=0) + floor ** 2) if m > 1 else np.full(n_cat, floor)
        common = STRATA_COMMON * per_cat * rng.standard_normal(size=(sims, 1, n_cat))
        noise = noise + np.where(missing[None], common, 0.0)
    noise[0] = 0.0
    t_noise[0] = 0.0

    prior = base[None] + swing[:, None, :] + noise  # (S, R, K)
    prior = np.where(missing[None], swing[:, None, :] + noise, prior)
    own_b = np.where(has[None, :, None], own_out, prior)
    blend = lam[None, :, None] * own_b + (1 - lam[None, :, None]) * prior
    shares = np.exp(blend - blend.max(axis=2, keepdims=True))
    shares /= shares.sum(axis=2, keepdims=True)
    t_prior = t_base[None] + t_swing[:, None] + t_noise
    t_own = np.where(has[None], own_out_turnout, t_prior)
    turnout = np.clip(np.exp(lam[None] * t_own + (1 - lam[None]) * t_prior), 0.0, 1.0)

    counted_votes = np.zeros((n_reg, n_cat))
    np.add.at(counted_votes, night.counted_region, night.counted_votes)
    outstanding = night.registered_uncounted[None, :, None] * turnout[..., None] * shares
    return Draws(counted_votes[None] + outstanding, night.registered_total)


# --- the projection's JSON --------------------------------------------------------------------------------
def _interval(values: np.ndarray, mid: float, digits: int = 2) -> dict:
    lo, hi = np.quantile(values, [(1 - LEVEL) / 2, (1 + LEVEL) / 2])
    return {"low": round(float(min(lo, mid)), digits), "mid": round(float(mid), digits),
            "high": round(float(max(hi, mid)), digits)}


def _p(mask: np.ndarray) -> float:
    return round(float(np.mean(mask)), 3)


def project(election: Election, contest_key: str, previous: Election | None = None,
            draws: int = DRAWS) -> dict | None:
    """The projection of ``contest_key`` in its own area (module doc), or None when there is none to make:
    at ``final``, without a station list, or before a station of the contest has counted.

    ``{"method", "based_on", "level", "turnout_pct", "parties": {key: {"share_pct": {"low", "mid", "high"},
    "p_pass_threshold"}}}`` and by kind ``"seats"`` (a party list with seats and a threshold),
    ``"p_elected_outright"`` and ``"leader"`` (presidential), ``"p_valid"`` and ``"p_adopted"`` (referendum).
    """
    contest = election.contest(contest_key)
    if not len(election.stations) or not contest_progress(election, contest_key, contest.area).partial:
        return None
    night = _night(election, contest)
    if night is None:
        return None
    prev = previous_vote(previous, contest, night)
    sims = simulate(night, prev, _seed(election, contest, night), draws)
    votes = sims.votes.sum(axis=1)  # (S, K) nationally (in the contest's area)
    n_opt = night.options
    keys = night.categories[:n_opt]
    took = votes.sum(axis=1)
    counted_base = votes[:, :-1].sum(axis=1)  # options + against all: the summary's votes counted
    share_base = took if contest.kind == "referendum" else counted_base
    shares = 100 * votes[:, :n_opt] / share_base[:, None]
    p_pass: dict[str, float | None] = dict.fromkeys(keys)
    if contest.kind == "party_list" and contest.threshold_pct is not None:
        limit = float(threshold_fraction(contest.threshold_pct))
        base = took if contest.threshold_base == "took_part" else counted_base
        p_pass = {k: _p(votes[1:, i] >= limit * base[1:]) for i, k in enumerate(keys)}
    out: dict = {
        "method": METHOD_SWING if prev is not None else METHOD_STRATA,
        "level": LEVEL,
        "based_on": {
            "stations_counted": int(night.stations_counted.sum()),
            "stations_expected": int(night.stations_expected.sum()),
            "regions_counting": int((night.stations_counted > 0).sum()),
            "regions": len(night.regions),
            "previous_election": None if prev is None else prev.election,
            "turnout_report": night.report_time,
            "draws": draws,
        },
        "turnout_pct": _interval(100 * took[1:] / sims.registered, 100 * took[0] / sims.registered),
        "parties": {k: {"share_pct": _interval(shares[1:, i], shares[0, i]), "p_pass_threshold": p_pass[k]}
                    for i, k in enumerate(keys)},
    }
    if contest.kind == "party_list" and contest.seats is not None and contest.threshold_pct is not None:
        out["seats"] = _seats(contest, keys, votes, took, counted_base)
    elif contest.kind == "presidential":
        base = took if contest.base == "took_part" else counted_base
        top = votes[:, :n_opt].max(axis=1)
        out["leader"] = keys[int(np.argmax(votes[0, :n_opt]))]
        out["p_elected_outright"] = _p(2 * top[1:] > base[1:])
    elif contest.kind == "referendum":
        valid = 2 * took[1:] > sims.registered
        yes = votes[1:, keys.index("yes")] if "yes" in keys else np.zeros(len(took) - 1)
        adopted = valid & (2 * yes > took[1:])
        if contest.constitutional:
            units = [i for i, r in enumerate(night.regions) if r in region_keys()]
            by_unit = sims.votes[1:, units]
            unit_yes = (2 * by_unit[..., keys.index("yes")] > by_unit.sum(axis=2)).sum(axis=1)
            adopted &= unit_yes >= two_thirds_of(len(region_keys()))
        out["p_valid"] = _p(valid)
        out["p_adopted"] = _p(adopted)
    return out


def _seats(contest: Contest, keys: tuple[str, ...], votes: np.ndarray, took: np.ndarray,
           counted_base: np.ndarray) -> dict:
    """Seats in every simulation, by the exact integer arithmetic of ``allocate_seats``: {key: {low, mid,
    high}} (mid: the point estimate's seats)."""
    assert contest.seats is not None and contest.threshold_pct is not None
    limit = threshold_fraction(contest.threshold_pct)
    n_opt = len(keys)
    ints = np.rint(votes).astype(np.int64)
    out = np.zeros((len(ints), n_opt), dtype=np.int64)
    for s, row in enumerate(ints):
        party = {k: int(row[i]) for i, k in enumerate(keys)}
        against = int(row[n_opt]) if len(row) > n_opt + 1 else 0
        total = int(row.sum()) if contest.threshold_base == "took_part" else sum(party.values()) + against
        got = allocate_seats(party, contest.seats, threshold=limit, against_all=against, total=total,
                             tie_rule=contest.tie_rule)
        out[s] = [got[k] for k in keys]
    result = {}
    for i, k in enumerate(keys):
        lo, hi = np.quantile(out[1:, i], [(1 - LEVEL) / 2, (1 + LEVEL) / 2], method="inverted_cdf")
        mid = int(out[0, i])
        result[k] = {"low": int(min(lo, mid)), "mid": mid, "high": int(max(hi, mid))}
    return result


def estimate(election: Election, contest_key: str, lookup: Callable[[str], Election | None],
             ids: Iterable[str]) -> dict | None:
    """The night's estimate of ``contest_key`` against its previous vote (``choose_previous`` over
    ``ids``, looked up with ``lookup``): the one definition the CLI's ``summary``, the API and the pages
    share, so they cannot disagree. None when there is none to make (``project``)."""
    if not contest_progress(election, contest_key, election.contest(contest_key).area).partial:
        return None  # final: no previous vote need be loaded
    return project(election, contest_key, choose_previous(election, contest_key, lookup, ids))
