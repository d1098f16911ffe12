import math

import pandas as pd

from dashboard.electoral.by_unit import results_by_unit
from dashboard.regions import region_keys

ML = "mazhilis_party_list"
AST = "maslikhat_astana_party_list"
NA = None


def test_one_row_per_region_in_registry_order(make_election):
    e = make_election(
        results=[
            (ML, "astana", 100, 60, 0, 10, 50, 30, 10),
            (ML, "almaty", 200, 50, NA, NA, 20, 10, 5),
            (ML, "abai", 100, NA, NA, 1, 20, NA, 3),
        ]
    )
    df = results_by_unit(e, ML)
    assert list(df["unit"]) == list(region_keys())
    assert list(df.columns[:7]) == [
        "unit",
        "reported",
        "registered",
        "took_part",
        "turnout_pct",
        "against_all_share_pct",
        "leading_party",
    ]
    assert list(df.columns[7:]) == ["share_a", "share_b", "share_c"]
    by = df.set_index("unit")
    assert by.loc["astana", "reported"] and not by.loc["akmola", "reported"]
    assert by.loc["astana", "turnout_pct"] == 60.0
    assert by.loc["astana", "share_a"] == 50.0 and by.loc["astana", "against_all_share_pct"] == 10.0
    assert by.loc["astana", "leading_party"] == "a"
    # against-all missing: a leader but no shares
    assert by.loc["almaty", "leading_party"] == "a" and math.isnan(by.loc["almaty", "share_a"])
    # a party missing: no leader
    assert by.loc["abai", "leading_party"] is None
    assert by.loc["akmola", "leading_party"] is None and math.isnan(by.loc["akmola", "turnout_pct"])
    assert by.loc["akmola", "registered"] is pd.NA


def test_abroad_only_when_it_has_rows(make_election):
    e = make_election(results=[(ML, "abroad", 10, 5, 0, 0, 3, 1, 1)])
    df = results_by_unit(e, ML)
    assert list(df["unit"])[-1] == "abroad" and len(df) == 21
    assert df.iloc[-1]["leading_party"] == "a"


def test_tie_at_the_top_has_no_leader(make_election):
    e = make_election(results=[(ML, "astana", 100, 60, 0, 0, 30, 30, 0)])
    df = results_by_unit(e, ML).set_index("unit")
    assert df.loc["astana", "leading_party"] is None


def test_maslikhat_contest_only_its_region(make_election):
    e = make_election(results=[(AST, "astana", 100, 60, 0, 10, 50, 40, NA)])
    df = results_by_unit(e, AST).set_index("unit")
    assert df["reported"].sum() == 1 and df.loc["astana", "reported"]
    assert math.isnan(df.loc["astana", "share_c"])  # not on the ballot
    assert df.loc["astana", "share_a"] == 50.0
