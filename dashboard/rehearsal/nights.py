"""What makes a simulated night realistic enough to rehearse a projection on: the order the count arrives
in, and a previous election of the same kind to compare with (``simulate --order``, ``--previous``; ``replay
--order``, ``--previous`` play a whole night so, through the same functions).

Orders (``--order``; without it the stations count in a seed-fixed random order, as before):

- ``random``: that same seed-fixed random order (the stations as a fair sample of the country);
- ``strongholds``: the regions where the leading option (the party, candidate or answer with the most
  votes nationally) is strongest count first, the weakest last — the first stations are not a fair sample;
- ``cities``: Astana, Almaty and Shymkent first, the other regions in a seed-fixed order after them;
- ``west-late``: the western regions (Atyrau, Mangystau, West Kazakhstan, Aktobe, Kyzylorda) and abroad
  last, as when the west's clocks ran an hour behind.

Each region starts counting at its own moment and counts for a while, so regions overlap: at a quarter
counted some regions are half done, some not started. Within a region the stations come in a random
order. Every order is fixed by the seed.

The previous election (``--previous DIR``): the same kind of vote on the same stations some years before,
its regional results correlated with tonight's: each region's shares are tonight's divided by a
national swing (one per option, log-normal, sd 0.2) and a regional swing of its own (a Student-t with 4
degrees of freedom, scale 0.1, so a few regions swing far), turnout a little different in every region.
The package has the night's lead contest only, with the same key, body, kind and area, and its id is the
night's id + ``-previous``; the night's ``election.json`` names it (``"previous_election"``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.regions import ABROAD, region_keys
from dashboard.rehearsal.draws import draw_votes, turnout_reports

ORDERS = ("random", "strongholds", "cities", "west-late")
CITIES = ("astana", "almaty", "shymkent")
WEST = ("atyrau", "mangystau", "west_kazakhstan", "aktobe", "kyzylorda", "abroad")
#: How long a region counts for, as a fraction of the night's counting (regions overlap).
SPAN = 0.45
#: Where the regions' starts lie (fractions of the night) in the ``strongholds`` order.
STRONGHOLD_STARTS = 0.7
PREVIOUS_SUFFIX = "-previous"
#: The previous election's swings: national (log-normal sd per option) and regional (Student-t scale, df).
NATIONAL_SWING_SD = 0.2
REGIONAL_SWING_SCALE, REGIONAL_SWING_DF = 0.1, 4
#: Count columns that are no option of the ballot.
BASE = ("registered", "took_part", "invalid", "against_all")


def check_order(order: str | None) -> None:
    if order is not None and order not in ORDERS:
        raise ValueError(f"--order must be one of {', '.join(ORDERS)}, not {order!r}")


def tops_of(units: np.ndarray) -> np.ndarray:
    """The region (or ``abroad``) of each unit: ``astana/0012`` -> ``astana``."""
    return np.array([str(u).split("/", 1)[0] for u in units], dtype=object)


def lead_rows(results: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The night's lead contest (the first contest of ``results``) and its option columns with votes."""
    contest = results["contest"].iloc[0]
    rows = results[results["contest"] == contest]
    options = [c for c in rows.columns if c not in ("contest", "unit", *BASE) and rows[c].notna().any()]
    return rows, options


def ordered(units: np.ndarray, results: pd.DataFrame, seed: int, order: str) -> np.ndarray:
    """The stations ``units`` in the order ``order`` counts them (``random`` is not handled here)."""
    check_order(order)
    rng = np.random.default_rng([seed, 97, ORDERS.index(order)])
    tops = tops_of(units)
    regions = sorted(set(tops))
    index = {r: i for i, r in enumerate(regions)}
    if order == "strongholds":
        rows, options = lead_rows(results)
        votes = rows[options].astype("float64").fillna(0.0)
        leader = str(votes.sum().idxmax())
        by = tops_of(rows["unit"].to_numpy())
        took = rows["took_part"].astype("float64").fillna(0.0).groupby(by).sum()
        share = votes[leader].groupby(by).sum() / took.where(took > 0)
        share = share.reindex(regions).fillna(0.0).to_numpy()
        rank = np.argsort(np.argsort(-share, kind="stable"), kind="stable")
        start = STRONGHOLD_STARTS * rank / max(1, len(regions) - 1)
    elif order == "cities":
        start = np.where([r in CITIES for r in regions], rng.uniform(0.0, 0.05, len(regions)),
                         rng.uniform(0.25, 0.75, len(regions)))
    else:  # west-late
        start = np.where([r in WEST for r in regions], rng.uniform(0.55, 0.8, len(regions)),
                         rng.uniform(0.0, 0.4, len(regions)))
    when = start[np.array([index[t] for t in tops])] + rng.uniform(0.0, SPAN, len(units))
    return np.asarray(units)[np.argsort(when, kind="stable")]


def previous_results(results: pd.DataFrame, stations: pd.DataFrame, seed: int
                     ) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The lead contest's station rows of a previous election correlated with tonight's (module doc), and
    the registered and took-part counts of each station of ``stations`` in it."""
    rng = np.random.default_rng([seed, 211])
    rows, options = lead_rows(results)
    rows = rows.set_index(rows["unit"].astype(str)).reindex(stations["unit"].astype(str))
    has_against = rows["against_all"].notna().any()
    cats = ["invalid", *(["against_all"] if has_against else []), *options]
    counts = rows[cats].astype("float64").fillna(0.0).to_numpy()
    took = rows["took_part"].astype("float64").fillna(0.0).to_numpy()
    registered = stations["registered"].astype("float64").to_numpy()
    tops = tops_of(stations["unit"].to_numpy())
    regions = sorted(set(tops))
    ridx = np.array([regions.index(t) for t in tops])
    reg_took = np.bincount(ridx, weights=took, minlength=len(regions))
    reg_votes = np.stack([np.bincount(ridx, weights=counts[:, k], minlength=len(regions))
                          for k in range(len(cats))], axis=1)
    share = (reg_votes + 0.5) / (reg_votes.sum(axis=1, keepdims=True) + 0.5 * len(cats))
    national = rng.normal(0.0, NATIONAL_SWING_SD, len(cats))
    regional = REGIONAL_SWING_SCALE * rng.standard_t(REGIONAL_SWING_DF, (len(regions), len(cats)))
    before = share * np.exp(-(national + regional))
    before /= before.sum(axis=1, keepdims=True)
    reg_reg = np.bincount(ridx, weights=registered, minlength=len(regions))
    turnout = np.clip(reg_took / np.maximum(reg_reg, 1) * np.exp(rng.normal(-0.04, 0.06, len(regions))),
                      0.1, 0.95)
    prev_took = rng.binomial(registered.astype(np.int64), turnout[ridx])
    votes = draw_votes(rng, prev_took, before[ridx], concentration=60.0)
    out = pd.DataFrame({"contest": rows["contest"].dropna().iloc[0], "unit": stations["unit"].astype(str).to_numpy()})
    out["registered"] = pd.array(registered.astype(np.int64), dtype="Int64")
    out["took_part"] = pd.array(prev_took, dtype="Int64")
    for k, c in enumerate(cats):
        out[c] = pd.array(votes[:, k], dtype="Int64")
    if not has_against:
        out["against_all"] = pd.array([pd.NA] * len(out), dtype="Int64")
    for col in ("contest", "unit"):
        out[col] = out[col].astype(object)
    return out, registered.astype(np.int64), prev_took


def previous_date(date: str) -> str:
    """Five years before ``date`` (29 February falls back to the 28th)."""
    year, month, day = date.split("-")
    day = "28" if (month, day) == ("02", "29") else day
    return f"{int(year) - 5:04d}-{month}-{day}"


PREVIOUS_NAME = {"en": "the previous election", "ru": "предыдущие выборы", "kk": "алдыңғы сайлау"}


def previous_names(names: dict) -> dict:
    """The night's names, saying that this is the previous election."""
    return {lang: f"{text} — {PREVIOUS_NAME.get(lang, PREVIOUS_NAME['en'])}" for lang, text in names.items()}


def previous_turnout(stations: pd.DataFrame, registered: np.ndarray, took: np.ndarray, date: str,
                     utc_offset: str, seed: int) -> pd.DataFrame:
    """turnout.csv of the previous election: its regions' (and abroad's) reports through the day."""
    tops = tops_of(stations["unit"].to_numpy())
    units = [r for r in (*region_keys(), ABROAD) if r in set(tops)]
    ridx = np.array([units.index(t) for t in tops])
    reg = np.bincount(ridx, weights=registered, minlength=len(units)).astype(np.int64)
    tk = np.bincount(ridx, weights=took, minlength=len(units)).astype(np.int64)
    return turnout_reports(np.random.default_rng([seed, 223]), units, reg, tk, date, utc_offset)
