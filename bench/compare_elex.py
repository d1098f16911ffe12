"""Ours against the Washington Post's live model (``elex-model`` 2.2.5, MIT) on the same simulated nights.

Not part of the project's requirements: run it in a separate environment that has ``elex-model`` and
``elex-solver`` (they bring cvxpy, scipy and boto3):

    python -m venv --system-site-packages /tmp/elex && /tmp/elex/bin/pip install elex-model==2.2.5
    /tmp/elex/bin/python bench/compare_elex.py --seeds 9001-9012

Each night is a Kurultai (``bench_projection``'s held-out seeds and orders) with its previous vote, at 10,
25 and 50 % counted. The WaPo model is its ``NonparametricElectionModel`` (the conformal one), fed as its
data handler would feed it: every polling station is a unit, its previous votes ``last_election_results``,
its region a fixed effect, one estimand per party and for "against all"; the estimate of a party's total is
the counted votes + the predictions of the outstanding stations, its 90 % interval the counted votes + the
sum of the stations' conformal bounds (``get_aggregate_prediction_intervals``: "prediction intervals
sum"). Shares are the party's total over all the totals; a share's interval puts the party's lower (upper)
bound over its bound + the other totals' estimates (an approximation: the model has no share intervals).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_projection import HELD_OUT, ORDER_OF, parse_seeds  # noqa: E402

from dashboard.electoral.projection import project  # noqa: E402
from dashboard.electoral.summary import contest_summary  # noqa: E402
from dashboard.ingest.package import load_files  # noqa: E402
from dashboard.rehearsal.kinds import part_counted, previous_package, simulate_kind  # noqa: E402

FRACTIONS = (0.10, 0.25, 0.50)
KEY = "kurultai_party_list"


def wapo(night_rows: pd.DataFrame, prev_rows: pd.DataFrame, stations: pd.Series, estimands: list[str]):
    """(estimate, lower, upper) of each estimand's total by the WaPo nonparametric conformal model."""
    import logging
    import warnings

    from elexmodel.models.NonparametricElectionModel import NonparametricElectionModel

    logging.disable(logging.WARNING)
    warnings.filterwarnings("ignore")
    prev = prev_rows.set_index("unit").reindex(stations)
    now = night_rows.set_index("unit")
    units = pd.DataFrame({"geographic_unit_fips": stations.to_numpy(),
                          "region": [u.split("/", 1)[0] for u in stations]})
    reporting = units["geographic_unit_fips"].isin(now.index).to_numpy()
    units["reporting"] = reporting
    units["unit_category"] = "expected"
    for e in estimands:
        last = prev[e].astype(float).fillna(0).to_numpy() + 1.0  # +1: no unit with zero weight
        res = now[e].astype(float).reindex(stations).fillna(0).to_numpy()
        units[f"last_election_results_{e}"] = last
        units[f"results_{e}"] = res
        units[f"residuals_{e}"] = (res - last) / last
    rep, non = units[reporting].reset_index(drop=True), units[~reporting].reset_index(drop=True)
    out = {}
    for e in estimands:
        model = NonparametricElectionModel({"features": [], "fixed_effects": {"region": ["all"]}})
        pred, _ = model.get_unit_predictions(rep, non, e)
        bounds = model.get_unit_prediction_intervals(rep, non, 0.9, e)
        counted = float(rep[f"results_{e}"].sum())
        out[e] = (counted + float(np.sum(pred)), counted + float(np.sum(bounds.lower)),
                  counted + float(np.sum(bounds.upper)))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", default=f"{HELD_OUT[0]}-{HELD_OUT[-1]}")
    p.add_argument("--stations", type=int, default=2000)
    args = p.parse_args(argv)
    stats: dict = {}
    t = time.perf_counter()
    for seed in parse_seeds(args.seeds):
        order = ORDER_OF[seed % 4]
        full = simulate_kind("kurultai", args.stations, seed, 1.0)
        prev_pkg = previous_package(full, seed)
        prev = load_files(prev_pkg.files())
        final = load_files(full.files())
        truth = {r.party: r.share_pct for r in contest_summary(final, KEY).parties}
        parties = list(final.options(KEY))
        estimands = [*parties, "against_all"]
        stations = final.stations["unit"].astype(str)
        prev_rows = prev.contest_rows(KEY)
        for fraction in FRACTIONS:
            night = load_files(part_counted(full, seed, fraction, order).files())
            counted = {r.party: r.share_pct for r in contest_summary(night, KEY).parties}
            ours = project(night, KEY, prev)
            assert ours is not None
            theirs = wapo(night.contest_rows(KEY), prev_rows, stations, estimands)
            total = sum(v[0] for v in theirs.values())
            for k in parties:
                est, lo, hi = theirs[k]
                others = total - est
                w = (100 * est / total, 100 * lo / (lo + others), 100 * hi / (hi + others))
                o = ours["parties"][k]["share_pct"]
                for name, (mid, low, high) in (("saylau", (o["mid"], o["low"], o["high"])), ("wapo", w)):
                    stats.setdefault((name, fraction), []).append(
                        (truth[k], counted[k], mid, low, high))
    print("model   counted  n    coverage  width   err(model)  err(naive)  ratio")
    for (name, fraction), rows in sorted(stats.items()):
        a = np.array(rows)
        final_s, naive, mid, low, high = a.T
        cover = np.mean((low <= final_s) & (final_s <= high))
        err, err_naive = np.mean(abs(mid - final_s)), np.mean(abs(naive - final_s))
        print(f"{name:7s} {fraction:6.0%}  {len(a):4d}  {cover:7.1%}  {np.mean(high - low):6.2f}  {err:9.3f}  "
              f"{err_naive:9.3f}  {err / err_naive:5.2f}")
    print(f"\n({time.perf_counter() - t:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
