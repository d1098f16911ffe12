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
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.electoral.projection import project  # noqa: E402
from dashboard.electoral.summary import contest_summary  # noqa: E402
from dashboard.ingest.package import load_files  # noqa: E402
from dashboard.regions import region_keys  # noqa: E402
from dashboard.rehearsal.kinds import Steering, part_counted, previous_package, simulate_kind  # noqa: E402
from dashboard.rehearsal.nights import ORDERS  # noqa: E402

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


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", default=f"{HELD_OUT[0]}-{HELD_OUT[-1]}", help="nights (default: the held-out 12)")
    p.add_argument("--stations", type=int, default=2000)
    p.add_argument("--kinds", default=",".join(KINDS))
    p.add_argument("--no-cost", action="store_true", help="skip the 10,000-station timing")
    args = p.parse_args(argv)
    if not args.no_cost:
        print(f"cost: {1000 * cost():.0f} ms per projection at 10,000 stations (median of 5)\n")
    t = time.perf_counter()
    result = calibrate(parse_seeds(args.seeds), args.stations, tuple(args.kinds.split(",")))
    report(result)
    print(f"\n({time.perf_counter() - t:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
