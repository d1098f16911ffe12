"""The projection's cost and calibration (docs/projection.md; issue 17).

    python bench/bench_projection.py                    # the held-out nights: the figures in the docs
    python bench/bench_projection.py --seeds 101-104    # development nights (never tune on the held-out ones)

(a) Cost: one projection of a 10,000-station Kurultai night, a quarter counted, strongholds first, with its
previous vote (the election already loaded; the median of 5 runs).

(b) Calibration over simulated nights: each seed is a Kurultai (7 parties), a presidential election and a
referendum, counted in the order ``ORDERS[seed % 4]``, each with its previous vote (``simulate
--previous``); at 10, 25 and 50 % of the stations counted the projection is compared with the final count:

- coverage: how often the 90 % interval holds the final share (target 85–97 %), and its mean width;
- error: the mean absolute error of the projected share (mid) against the naive counted share's (ratio,
  target ≤ 0.4);
- Brier score of ``p_pass_threshold`` (party lists), ``p_elected_outright`` and ``p_adopted`` against the
  naive verdict read off the counted figures (1 or 0);
- a party near 50 % gets p_pass_threshold ≥ 0.99; no projection at ``final``.

Each is measured with the previous vote (``previous_vote_swing``) and without it (``region_stratification``).

(c) ``--real``: nights built on Kazakhstan's real votes (``dashboard/data/``), each with the real earlier vote of
the same kind (``REAL_PAIRS``): the 2019 → 2022 presidential elections, the 2021 → 2023 Mazhilis party lists, the
2022 → 2024 and 2024 → 2026 referendums. The night's national shares, national registered voters and every
region's turnout are the real vote's; its stations are synthesised within each region around the region's shares
and turnout (``simulate_geography``'s stations). The commission's regional vote shares are **not** in the store
(sources/history/README.md: "no complete set of regional counts was found"), so a region's shares are the real
national ones times a seed-fixed regional wobble (``kinds.regional_means``), or the published figures where
there are any (the 2024 referendum's Turkistan and Almaty Region). Two previous votes are measured:

- ``store``: the real earlier election exactly as the store has it (national figures, regional turnout): what
  the dashboard would compare with on such a night;
- ``regional``: the same election given region rows on its own units (17 before the 2022 split, merged from
  today's units by ``boundaries.MERGED_BEFORE_SPLIT``): tonight's regional shares × the **real national change**
  of each option (options not on both ballots have none) × a simulated regional swing (``nights``' Student-t),
  at the earlier vote's real regional turnout, scaled to its real national figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.boundaries import MERGED_BEFORE_SPLIT  # noqa: E402
from dashboard.electoral.projection import project  # noqa: E402
from dashboard.electoral.summary import contest_summary, unit_figures  # noqa: E402
from dashboard.electoral.turnout import turnout_table  # noqa: E402
from dashboard.ingest.package import load_files  # noqa: E402
from dashboard.model import Election  # noqa: E402
from dashboard.regions import region_keys  # noqa: E402
from dashboard.rehearsal.draws import draw_votes, turnout_reports  # noqa: E402
from dashboard.rehearsal.kinds import (  # noqa: E402
    SimPackage,
    Steering,
    part_counted,
    previous_package,
    regional_means,
    simulate_kind,
    split_rows,
)
from dashboard.rehearsal.nights import ORDERS, REGIONAL_SWING_DF, REGIONAL_SWING_SCALE  # noqa: E402
from dashboard.rehearsal.simulate import simulate_geography, station_list  # noqa: E402
from dashboard.store.embedded import embedded_of, embedded_path  # noqa: E402

#: The nights the figures in docs/projection.md are measured on; development used other seeds (101-…).
HELD_OUT = tuple(range(9001, 9013))
FRACTIONS = (0.10, 0.25, 0.50)
KINDS = ("kurultai", "presidential", "referendum")
ORDER_OF = (ORDERS[1], ORDERS[2], ORDERS[3], ORDERS[0])  # strongholds, cities, west-late, random


def steering(kind: str, seed: int) -> Steering:
    """Vary the races: the presidential leader at 44–52 %, the referendum's yes at 52–76 %."""
    if kind == "presidential":
        return Steering(leader_pct=44.0 + seed % 9)
    if kind == "referendum":
        return Steering(yes_pct=52.0 + 3 * (seed % 9))
    return Steering()


def parse_seeds(text: str) -> tuple[int, ...]:
    out: list[int] = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return tuple(out)


def cost(stations: int = 10_000, runs: int = 5) -> float:
    full = simulate_kind("kurultai", stations, 7, 1.0)
    prev = load_files(previous_package(full, 7).files())
    night = load_files(part_counted(full, 7, 0.25, "strongholds").files())
    key = night.contests[0].key
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        project(night, key, prev)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def naive_verdict(kind: str, summary, contest, election) -> dict:
    """The verdicts one would read off the counted figures: a party's counted share against the threshold;
    the leader's counted votes against half of those counted; a referendum valid and adopted on the counted
    figures, its units rule on the regions counting so far (two-thirds of them)."""
    if kind == "party_list":
        limit = contest.threshold_pct
        return {r.party: float((r.share_pct or 0) >= limit) for r in summary.parties}
    if kind == "presidential":
        return {"elected": float(bool(summary.outcome["elected"]))}
    yes = {r.party: r.votes for r in summary.parties}["yes"] or 0
    took, registered = summary.took_part or 0, summary.registered or 0
    units = [contest_summary(election, contest.key, r) for r in region_keys()]
    counting = [u for u in units if u.took_part]
    with_yes = sum(2 * ({r.party: r.votes for r in u.parties}["yes"] or 0) > u.took_part for u in counting)
    adopted = 2 * took > registered and 2 * yes > took and 3 * with_yes >= 2 * len(counting)
    return {"adopted": float(adopted)}


def calibrate(seeds: tuple[int, ...], stations: int, kinds: tuple[str, ...]) -> dict:
    rows: dict = defaultdict(list)  # (kind, method, fraction) -> [(final, naive, low, mid, high)]
    briers: dict = defaultdict(list)  # (kind, method, fraction) -> [(p, naive, truth)]
    near_half: list[float] = []
    final_none = True
    for seed in seeds:
        order = ORDER_OF[seed % 4]
        for kind in kinds:
            full = simulate_kind(kind, stations, seed, 1.0, steering(kind, seed))
            prev = load_files(previous_package(full, seed).files())
            final = load_files(full.files())
            contest = final.contests[0]
            truth = contest_summary(final, contest.key)
            final_none &= project(final, contest.key, prev) is None
            true_share = {r.party: r.share_pct for r in truth.parties}
            outcome = truth.outcome or {}
            if contest.kind == "party_list":
                true_verdict = {r.party: float(bool(r.passed_threshold)) for r in truth.parties}
            elif contest.kind == "presidential":
                true_verdict = {"elected": float(bool(outcome["elected"]))}
            else:
                true_verdict = {"adopted": float(bool(outcome["adopted"]))}
            for fraction in FRACTIONS:
                night = load_files(part_counted(full, seed, fraction, order).files())
                counted = contest_summary(night, contest.key)
                naive_share = {r.party: r.share_pct for r in counted.parties}
                naive = naive_verdict(contest.kind, counted, contest, night)
                for method, previous in (("swing", prev), ("strata", None)):
                    p = project(night, contest.key, previous)
                    assert p is not None
                    for key, item in p["parties"].items():
                        s = item["share_pct"]
                        rows[kind, method, fraction].append(
                            (true_share[key], naive_share[key], s["low"], s["mid"], s["high"]))
                        if contest.kind == "party_list":
                            briers[kind, method, fraction].append(
                                (item["p_pass_threshold"], naive[key], true_verdict[key]))
                            if abs(true_share[key] - 50) < 6:
                                near_half.append(item["p_pass_threshold"])
                    if contest.kind == "presidential":
                        briers[kind, method, fraction].append(
                            (p["p_elected_outright"], naive["elected"], true_verdict["elected"]))
                    elif contest.kind == "referendum":
                        briers[kind, method, fraction].append(
                            (p["p_adopted"], naive["adopted"], true_verdict["adopted"]))
    return {"rows": rows, "briers": briers, "near_half": near_half, "final_none": final_none}


def report(result: dict) -> None:
    rows, briers = result["rows"], result["briers"]
    print("kind          method  counted  n    coverage  width   err(proj)  err(naive)  ratio  "
          "brier(proj)  brier(naive)")
    totals: dict = defaultdict(list)
    for (kind, method, fraction), items in sorted(rows.items()):
        a = np.array(items, dtype=float)
        final, naive, low, mid, high = a.T
        cover = float(np.mean((low <= final) & (final <= high)))
        width = float(np.mean(high - low))
        err, err_naive = float(np.mean(abs(mid - final))), float(np.mean(abs(naive - final)))
        b = np.array(briers.get((kind, method, fraction), []), dtype=float)
        brier = brier_naive = float("nan")
        if len(b):
            brier = float(np.mean((b[:, 0] - b[:, 2]) ** 2))
            brier_naive = float(np.mean((b[:, 1] - b[:, 2]) ** 2))
        totals[kind, method].append((len(a), cover, err, err_naive))
        print(f"{kind:13s} {method:7s} {fraction:6.0%}  {len(a):4d}  {cover:7.1%}  {width:6.2f}  {err:8.3f}  "
              f"{err_naive:9.3f}  {err / err_naive:5.2f}  {brier:10.4f}  {brier_naive:11.4f}")
    print()
    for (kind, method), parts in sorted(totals.items()):
        n = sum(p[0] for p in parts)
        cover = sum(p[0] * p[1] for p in parts) / n
        ratio = sum(p[0] * p[2] for p in parts) / sum(p[0] * p[3] for p in parts)
        print(f"{kind:13s} {method:7s} all     {n:4d}  coverage {cover:.1%}  error ratio {ratio:.2f}")
    near = result["near_half"]
    print(f"\nparty near 50 %: min p_pass_threshold {min(near) if near else float('nan'):.3f} over {len(near)}")
    print(f"no projection at final: {result['final_none']}")


# --- (c) nights on the real votes -------------------------------------------------------------------------
#: (label, the earlier vote, the night): the real votes of the same kind, in order.
REAL_PAIRS = (("pres 19>22", "kz-2019-06-09", "kz-2022-11-20"), ("mazh 21>23", "kz-2021-01-10", "kz-2023-03-19"),
              ("ref 22>24", "kz-2022-06-05", "kz-2024-10-06"), ("ref 24>26", "kz-2024-10-06", "kz-2026-03-15"))
REAL_REST = "invalid"  # who took part but voted for no option (nor against all): invalid, not in the box


def latest_turnout(election: Election) -> dict[str, float]:
    """Each unit's latest turnout report (a fraction), ``final`` when there is one; ``kz`` included."""
    table = turnout_table(election)
    table = table[table["turnout_pct"].notna()]
    return {str(u): float(p) / 100 for u, p in zip(table["unit"], table["turnout_pct"], strict=True)}


def national_shares(election: Election, key: str, cats: tuple[str, ...]) -> np.ndarray:
    """The real national shares of those who took part of ``cats`` (REAL_REST: the remainder), and NaN for an
    option not on this ballot."""
    figures = unit_figures(election, key, "kz")[0]
    took = float(figures["took_part"])
    out = np.full(len(cats), np.nan)
    known = 0.0
    for k, cat in enumerate(cats):
        value = figures.get(cat) if cat != REAL_REST else None
        if value is not None:
            out[k] = value / took
            known += value
    out[cats.index(REAL_REST)] = max(took - known, 0.0) / took
    return out


def _fit(means: np.ndarray, weight: np.ndarray, national: np.ndarray, fixed: np.ndarray) -> np.ndarray:
    """Rows of ``means`` rescaled (iterative proportional fitting) so that the rows weighted by ``weight`` average
    to ``national``, the ``fixed`` rows (published figures) kept as they are."""
    means = means.copy()
    w = weight / weight.sum()
    for _ in range(60):
        means /= means.sum(axis=1, keepdims=True)
        free = ~fixed
        need = np.maximum(national - w[fixed] @ means[fixed], 1e-6)
        means[free] *= need / np.maximum(w[free] @ means[free], 1e-12)
    return means / means.sum(axis=1, keepdims=True)


def real_night(night_id: str, seed: int, stations: int) -> SimPackage:
    """A final count of ``night_id``'s lead contest on synthesised stations (module doc, (c))."""
    real = embedded_of(night_id)
    contest = real.contests[0]
    options = tuple(real.options(contest.key))
    against = contest.has_against_all
    cats = (REAL_REST, *(("against_all",) if against else ()), *options)
    national = national_shares(real, contest.key, cats)
    rng = np.random.default_rng([seed, 401])
    geo = simulate_geography(rng, stations)
    nreg = len(geo.regions)
    # registered voters scaled to the real national figure; each region's turnout the real one
    registered_kz = float(unit_figures(real, contest.key, "kz")[0]["registered"])
    registered = np.maximum(1, np.rint(geo.registered * registered_kz / geo.registered.sum())).astype(np.int64)
    reports = latest_turnout(real)
    turnout = np.array([reports.get(r, reports["kz"]) for r in geo.regions])
    logit = np.log(turnout / (1 - turnout))[geo.region_idx] + rng.normal(0.0, 0.35, len(registered))
    took = rng.binomial(registered, 1 / (1 + np.exp(-logit)))
    voters = np.bincount(geo.region_idx, weights=took, minlength=nreg)
    means = regional_means(rng, national, cats, {}, geo.regions, voters)
    fixed = np.zeros(nreg, bool)
    for i, region in enumerate(geo.regions):  # the published regional figures, where there are any
        figures = unit_figures(real, contest.key, region)[0]
        if all(figures.get(o) is not None for o in options):
            votes = np.array([figures.get(c) or 0.0 if c != REAL_REST else 0.0 for c in cats], dtype=float)
            rest = (figures.get("took_part") or votes.sum() / (1 - national[0])) - votes.sum()
            votes[0] = max(rest, 0.0)
            means[i], fixed[i] = votes / votes.sum(), True
    means = _fit(means, voters, national, fixed)
    votes = draw_votes(rng, took, means[geo.region_idx], concentration=60.0)
    results = pd.DataFrame({"contest": pd.Series([contest.key] * len(took), dtype=object),
                            "unit": pd.Series(geo.units, dtype=object)})
    results["registered"] = pd.array(registered, dtype="Int64")
    results["took_part"] = pd.array(took, dtype="Int64")
    results["invalid"] = pd.array(votes[:, 0], dtype="Int64")
    results["against_all"] = pd.array(votes[:, 1] if against else [pd.NA] * len(took), dtype="Int64")
    for k, option in enumerate(options):
        results[option] = pd.array(votes[:, len(cats) - len(options) + k], dtype="Int64")
    doc = json.loads((embedded_path(night_id) / "election.json").read_text(encoding="utf-8"))
    doc = {**{k: v for k, v in doc.items() if k not in ("previous_election", "notes")},
           "id": f"real-{night_id}-{seed}", "simulated": True, "contests": [doc["contests"][0]],
           "boundaries": "units_2023"}
    offset = str(real.turnout["time"].iloc[0])[-6:]
    reg_r = np.bincount(geo.region_idx, weights=registered, minlength=nreg).astype(np.int64)
    reports_df = turnout_reports(rng, list(geo.regions), reg_r, voters.astype(np.int64), real.date, offset)
    return SimPackage(doc, options, results, reports_df, station_list(geo.units, registered.tolist()))


def regional_previous(prev_id: str, night: Election, seed: int) -> Election:
    """The earlier vote ``prev_id`` with region rows on its own units (module doc, (c), ``regional``)."""
    real = embedded_of(prev_id)
    contest = real.contests[0]
    options = tuple(real.options(contest.key))
    tonight = night.contests[0]
    t_opts = tuple(night.options(tonight.key))
    t_cats = (REAL_REST, *(("against_all",) if tonight.has_against_all else ()), *t_opts)
    cats = (REAL_REST, *(("against_all",) if contest.has_against_all else ()), *options)
    rng = np.random.default_rng([seed, 409])
    # tonight's final regional shares (the night's own regions), and the real national change of each option
    regions = [r for r in dict.fromkeys(str(u).split("/", 1)[0] for u in night.stations["unit"])]
    rows = night.contest_rows(tonight.key)
    tops = rows["unit"].astype(str).str.split("/").str[0].to_numpy()
    counts = rows[["registered", "took_part", *t_cats]].apply(pd.to_numeric).fillna(0).groupby(tops).sum()
    counts = counts.reindex(regions)
    t_share = counts[list(t_cats)].to_numpy(float) / counts["took_part"].to_numpy(float)[:, None]
    t_nat = national_shares(embedded_of(night.id.split("-", 1)[1].rsplit("-", 1)[0]), tonight.key, t_cats)
    p_nat = national_shares(real, contest.key, cats)
    share = np.zeros((len(regions), len(cats)))
    for k, cat in enumerate(cats):
        if cat in t_cats and np.isfinite(p_nat[k]):
            j = t_cats.index(cat)
            share[:, k] = t_share[:, j] * p_nat[k] / t_nat[j]
        else:  # an option only on the earlier ballot: its national share everywhere
            share[:, k] = p_nat[k]
    share *= np.exp(REGIONAL_SWING_SCALE * rng.standard_t(REGIONAL_SWING_DF, share.shape))
    # the earlier vote's units: today's, or the unit a region was part of before the split
    reports = latest_turnout(real)
    parent = {part: whole for whole, parts in MERGED_BEFORE_SPLIT.items() for part in parts}
    units = [r if r in reports else parent.get(r, r) for r in regions]
    turnout = np.array([reports.get(u, reports["kz"]) for u in units])
    registered_kz = float(unit_figures(real, contest.key, "kz")[0]["registered"])
    registered = counts["registered"].to_numpy(float)
    registered *= registered_kz / registered.sum()
    took = registered * turnout
    share = _fit(share, took, p_nat, np.zeros(len(regions), bool))
    frame = []
    for unit in dict.fromkeys(units):
        idx = [i for i, u in enumerate(units) if u == unit]
        reg, tk = registered[idx].sum(), took[idx].sum()
        v = split_rows(np.array([int(round(tk))]), (share[idx] * took[idx, None]).sum(axis=0)[None, :] * 1e3)[0]
        row = {"contest": contest.key, "unit": unit, "registered": int(round(reg)), "took_part": int(round(tk)),
               "invalid": pd.NA, "against_all": pd.NA}
        for k, cat in enumerate(cats):
            if cat != REAL_REST:
                row[cat] = int(v[k])
        frame.append(row)
    national = real.results[real.results["unit"] == "kz"]
    extra = pd.DataFrame(frame).reindex(columns=real.results.columns)
    results = pd.concat([national, extra], ignore_index=True)
    for col in results.columns[2:]:
        results[col] = results[col].astype("Int64")
    return dataclasses.replace(real, results=results)


def calibrate_real(seeds: tuple[int, ...], stations: int) -> dict:
    """(c): every pair of REAL_PAIRS on each seed's night, counted in ``ORDER_OF[seed % 4]``."""
    rows: dict = defaultdict(list)
    methods: dict = defaultdict(list)
    final_none = True
    for label, prev_id, night_id in REAL_PAIRS:
        for seed in seeds:
            order = ORDER_OF[seed % 4]
            full = real_night(night_id, seed, stations)
            final = load_files(full.files())
            contest = final.contests[0]
            previous = {"store": embedded_of(prev_id), "regional": regional_previous(prev_id, final, seed)}
            truth = {r.party: r.share_pct for r in contest_summary(final, contest.key).parties}
            final_none &= project(final, contest.key, previous["store"]) is None
            for fraction in FRACTIONS:
                night = load_files(part_counted(full, seed, fraction, order).files())
                naive = {r.party: r.share_pct for r in contest_summary(night, contest.key).parties}
                for name, prev in previous.items():
                    p = project(night, contest.key, prev)
                    assert p is not None
                    methods[label, name].append(p["method"])
                    for key, item in p["parties"].items():
                        s = item["share_pct"]
                        rows[label, name, fraction].append((truth[key], naive[key], s["low"], s["mid"], s["high"]))
    for (label, name), used in sorted(methods.items()):
        print(f"{label} {name}: {', '.join(f'{m} ×{used.count(m)}' for m in sorted(set(used)))}")
    print()
    return {"rows": rows, "briers": {}, "near_half": [], "final_none": final_none}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", default=f"{HELD_OUT[0]}-{HELD_OUT[-1]}", help="nights (default: the held-out 12)")
    p.add_argument("--stations", type=int, default=2000)
    p.add_argument("--kinds", default=",".join(KINDS))
    p.add_argument("--no-cost", action="store_true", help="skip the 10,000-station timing")
    p.add_argument("--real", action="store_true", help="(c): nights on the real votes since 2019 (REAL_PAIRS)")
    args = p.parse_args(argv)
    if args.real:
        t = time.perf_counter()
        report(calibrate_real(parse_seeds(args.seeds), args.stations))
        print(f"\n({time.perf_counter() - t:.0f} s)")
        return 0
    if not args.no_cost:
        print(f"cost: {1000 * cost():.0f} ms per projection at 10,000 stations (median of 5)\n")
    t = time.perf_counter()
    result = calibrate(parse_seeds(args.seeds), args.stations, tuple(args.kinds.split(",")))
    report(result)
    print(f"\n({time.perf_counter() - t:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
