"""The record across votes (dashboard/electoral/history.py) on the real packages, with figures typed by
hand from /work/shared/data/history/national_totals.csv and the packages' turnout reports."""

from __future__ import annotations

import shutil

import pytest

from dashboard.boundaries import UNITS_2022, UNITS_2023, boundary_set
from dashboard.electoral import history as H
from dashboard.ingest.package import load_package

from .votes import package_dir, vote, votes


@pytest.mark.parametrize(
    ("eid", "pct", "preliminary", "basis"),
    [
        # 9,261,460 of 11,960,364 (the list published with the preliminary result): 77.4 %
        ("kz-2019-06-09", 77.43, True, H.COUNT),
        # 7,539,280 of 11,919,241: "63,25%"
        ("kz-2021-01-10", 63.25, False, H.COUNT),
        # 7,985,769 of 11,734,642 (final)
        ("kz-2022-06-05", 68.05, False, H.COUNT),
        # 8,300,046 of 11,953,465: "Явка составила 69,44%" (preliminary)
        ("kz-2022-11-20", 69.44, True, H.COUNT),
        # the commission's figure after the final count: 54.21 % (the counts, ballots issued at 22:10: 54.19)
        ("kz-2023-03-19", 54.21, False, H.REPORT),
        # 7,820,204 of 12,284,487 (final)
        ("kz-2024-10-06", 63.66, False, H.COUNT),
        # 9,127,192 of 12,482,613 (preliminary, 16 March 2026)
        ("kz-2026-03-15", 73.12, True, H.COUNT),
    ],
)
def test_national_turnout_of_each_vote(eid, pct, preliminary, basis):
    t = H.national_turnout(vote(eid))
    assert round(t.pct, 2) == pct
    assert t.preliminary is preliminary
    assert t.basis == basis


def test_counts_kept_with_the_figure():
    t = H.national_turnout(vote("kz-2019-06-09"))
    assert (t.registered, t.took_part) == (11960364, 9261460)


def test_a_unit_of_the_day_keeps_its_reported_percentage():
    units = H.unit_turnouts(vote("kz-2019-06-09"))
    assert set(units) == set(boundary_set(UNITS_2022).unit_keys())
    assert units["east_kazakhstan"].pct == 84.9 and units["east_kazakhstan"].basis == H.REPORT
    # 2021 Kyzylorda: the counts in results.csv (363,754 of 492,198 = 73.90 %)
    assert round(H.unit_turnouts(vote("kz-2021-01-10"))["kyzylorda"].pct, 2) == 73.90


def test_percentages_only_are_flagged_never_averaged():
    """2026 on the 17 old units: East Kazakhstan was today's East Kazakhstan (86.42 %) and Abai (75.45 %);
    only percentages are published, so the old unit's figure cannot be combined — not 80.935 (their mean),
    not either of them."""
    old = H.on_set(vote("kz-2026-03-15"), boundary_set(UNITS_2022))
    for unit, parts in (("east_kazakhstan", ("abai", "east_kazakhstan")),
                        ("almaty_region", ("almaty_region", "zhetysu")),
                        ("karaganda", ("karaganda", "ulytau"))):
        assert old[unit].pct is None
        assert old[unit].basis == H.NOT_COMBINABLE
        assert sorted(old[unit].parts) == sorted(parts)
    # an unchanged unit keeps its own figure (Kyzylorda 93.04 % at 20:00)
    assert old["kyzylorda"].pct == 93.04
    assert len(old) == 17


def test_counts_of_the_parts_are_summed(tmp_path):
    """With counts for Abai (300,000 of 500,000) and East Kazakhstan (600,000 of 1,000,000), the old East
    Kazakhstan is 900,000 of 1,500,000 = 60.00 % (the mean of 60 % and 60 % is no test: 70 % and 50 %)."""
    folder = tmp_path / "pkg"
    shutil.copytree(package_dir("kz-2024-10-06"), folder)
    results = (folder / "results.csv").read_text(encoding="utf-8")
    results += ("nuclear_power_plant,abai,500000,350000,,,,\n"
                "nuclear_power_plant,east_kazakhstan,1000000,550000,,,,\n")
    (folder / "results.csv").write_text(results, encoding="utf-8")
    election = load_package(folder)
    own = H.unit_turnouts(election)
    assert own["abai"].pct == 70.0 and own["east_kazakhstan"].pct == 55.0
    old = H.on_set(election, boundary_set(UNITS_2022))["east_kazakhstan"]
    assert old.basis == H.COMBINED
    assert (old.registered, old.took_part) == (1500000, 900000)
    assert old.pct == 60.0  # 900,000 / 1,500,000, not (70 + 55) / 2 = 62.5


def test_change_between_votes_on_other_borders():
    """2019 → 2026 on the 17 old units: Kyzylorda 81.6 → 93.04 (+11.44), Almaty 52.2 → 33.43 (−18.77);
    the three split regions cannot be combined; the nation 77.43 → 73.12 (−4.32)."""
    change = H.turnout_change(vote("kz-2019-06-09"), vote("kz-2026-03-15"))
    assert change.boundaries.key == UNITS_2022
    assert round(change.units["kyzylorda"], 2) == 11.44
    assert round(change.units["almaty"], 2) == -18.77
    assert round(change.national, 2) == -4.32
    assert change.units["east_kazakhstan"] is None
    assert change.why["east_kazakhstan"] == H.NOT_COMBINABLE


def test_change_on_todays_borders_when_both_votes_are_after_the_split():
    """2022-11 → 2024-10 on the 20 units: Abai 80.18 → 69.57 (−10.61)."""
    change = H.turnout_change(vote("kz-2022-11-20"), vote("kz-2024-10-06"))
    assert change.boundaries.key == UNITS_2023
    assert round(change.units["abai"], 2) == -10.61


def test_previous_vote_of_the_same_kind():
    all_votes = votes()
    assert H.previous_of_kind(vote("kz-2023-03-19"), all_votes).id == "kz-2021-01-10"
    assert H.previous_of_kind(vote("kz-2022-11-20"), all_votes).id == "kz-2019-06-09"
    assert H.previous_of_kind(vote("kz-2026-03-15"), all_votes).id == "kz-2024-10-06"
    assert H.previous_of_kind(vote("kz-2019-06-09"), all_votes) is None


def test_party_shares_2023_against_2021():
    """Amanat (2021: Nur Otan, the same key): 5,148,074 of the 7,241,562 votes for parties (the 2021 ballot
    had no "against all") = 71.09 %; 2023: 53.90 %; −17.19 points. Ak Zhol 10.95 → 8.41."""
    changes = {c.party: c for c in H.share_changes(vote("kz-2021-01-10"), vote("kz-2023-03-19"))}
    assert set(changes) == {"amanat", "auyl", "ak_zhol", "qhp"}
    amanat = changes["amanat"]
    assert round(amanat.before, 2) == 71.09 and round(amanat.after, 2) == 53.90
    assert round(amanat.points, 2) == -17.19
    assert not amanat.before_of_parties  # the summary's own share: no missing count to work around
    assert round(changes["ak_zhol"].before, 2) == 10.95 and round(changes["ak_zhol"].after, 2) == 8.41


def test_series_of_an_old_unit_has_gaps_where_it_cannot_be_combined():
    points = H.unit_series(votes(), "east_kazakhstan", boundary_set(UNITS_2022))
    assert [p.election for p in points][:3] == ["kz-2019-06-09", "kz-2021-01-10", "kz-2022-06-05"]
    assert [p.turnout.pct for p in points][:3] == [84.9, 72.4, 77.49]
    assert all(p.turnout.basis == H.NOT_COMBINABLE for p in points[3:])
