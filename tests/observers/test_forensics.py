"""The planted irregularity is found and a clean simulation is not (fixed seeds); the histograms' bins."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dashboard.observers import forensics as F
from dashboard.observers.flags import flags_of
from dashboard.rehearsal.simulate import simulate_election


def _rewritten_stations(clean, planted) -> set[str]:
    """Stations whose Mazhilis protocol differs between the two simulations: the ground truth, found by
    comparing the files' figures, not by asking the planting code."""
    key = ["contest", "unit"]
    a = clean.results.set_index(key).sort_index()
    b = planted.results.set_index(key).sort_index()
    differs = (a.fillna(-1) != b.fillna(-1)).any(axis=1)
    return {u for (c, u) in differs[differs].index if c == "mazhilis_party_list"}


@pytest.mark.parametrize(("seed", "region"), [(2023, "karaganda"), (1, "turkistan"), (7, "almaty")])
def test_planted_stuffing_is_found_station_by_station(seed, region):
    clean = simulate_election(2000, seed)
    planted = simulate_election(2000, seed, plant=(region, 0.03))
    truth = _rewritten_stations(clean, planted)
    n_region = int((clean.stations["unit"].str.split("/").str[0] == region).sum())
    assert len(truth) == math.ceil(0.03 * n_region)
    found = {f.unit for f in flags_of(planted) if f.rule == "station_outlier"}
    assert found == truth


@pytest.mark.parametrize("seed", [2023, 1, 7, 11])
def test_a_clean_simulation_raises_no_station_flag(seed):
    clean = simulate_election(2000, seed)
    assert [f.unit for f in flags_of(clean) if f.rule == "station_outlier"] == []


def test_planted_protocols_still_add_up_and_are_round():
    """The plant rewrites protocols consistently (so only the forensics can see it) and with round
    figures: turnout and the first party's share within 0.05 of a whole percentage."""
    planted = simulate_election(2000, 2023, plant=("karaganda", 0.03))
    flags = flags_of(planted)
    assert {f.rule for f in flags} <= {"station_outlier", "final_jump"}
    stations = F.station_table(planted)
    hit = stations[stations["unit"].isin({f.unit for f in flags if f.rule == "station_outlier"})]
    assert F.integer_share(hit["turnout_pct"]) == 1.0
    assert F.integer_share(hit["leader_pct"]) == 1.0
    assert hit["turnout_pct"].between(89.95, 99.05).all() and hit["leader_pct"].between(84.95, 95.05).all()


def test_no_station_rows_no_station_table():
    from dashboard.store.embedded import embedded_election

    assert len(F.station_table(embedded_election())) == 0


def test_robust_z_by_hand():
    # median 3, absolute deviations 2 1 0 1 97 -> MAD 1
    assert list(F.robust_z([1, 2, 3, 4, 100])) == pytest.approx([-1.349, -0.6745, 0, 0.6745, 65.4265])
    assert np.isnan(F.robust_z([5, 5, 5, 6])).all()  # no spread: nothing to compare with


def test_fine_histogram_centres_whole_percentages_in_their_bins():
    centres, counts = F.fine_histogram([95.0, 95.04, 94.96, 95.06, 12.3])
    at = {round(float(c), 1): int(n) for c, n in zip(centres, counts, strict=True) if n}
    assert at == {95.0: 3, 95.1: 1, 12.3: 1}


def test_integer_share():
    assert F.integer_share([95.0, 95.5, 12.03, 40.2]) == 0.5


def test_fingerprint_counts_every_station_once():
    stations = F.station_table(simulate_election(400, 5))
    tx, sy, counts = F.fingerprint(stations)
    assert counts.sum() == len(stations) and counts.shape == (100, 100)
    i = int(np.searchsorted(tx, stations["turnout_pct"].iloc[0], side="right") - 1)
    j = int(np.searchsorted(sy, stations["leader_pct"].iloc[0], side="right") - 1)
    assert counts[i, j] >= 1
