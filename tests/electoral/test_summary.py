import json

import pytest

from dashboard.electoral.summary import contest_summary

NA = None
ML = "mazhilis_party_list"
AST = "maslikhat_astana_party_list"


def test_own_row_is_used(make_election):
    e = make_election(results=[(ML, "kz", 1000, 600, 10, 40, 300, 200, 50)])
    s = contest_summary(e, ML)
    assert (s.registered, s.took_part, s.invalid, s.against_all) == (1000, 600, 10, 40)
    assert s.turnout_pct == 60.0
    assert s.votes_counted == 590
    assert s.complete and s.seats_computed and s.reported
    assert (s.units_reporting, s.units_expected) == (1, 1)
    assert [p.party for p in s.parties] == ["a", "b", "c"]
    assert [p.votes for p in s.parties] == [300, 200, 50]
    assert s.parties[0].share_pct == pytest.approx(100 * 300 / 590)
    assert s.against_all_share_pct == pytest.approx(100 * 40 / 590)
    assert sum(p.seats for p in s.parties) == 10
    assert all(p.passed_threshold for p in s.parties)


def test_region_sums_its_station_rows(make_election):
    e = make_election(
        results=[
            (ML, "astana/001", 100, 50, 1, 2, 30, 10, 7),
            (ML, "astana/002", 200, 80, 0, 3, 40, 20, 17),
        ]
    )
    s = contest_summary(e, ML, "astana")
    assert (s.registered, s.took_part, s.invalid, s.against_all) == (300, 130, 1, 5)
    assert {p.party: p.votes for p in s.parties} == {"a": 70, "b": 30, "c": 24}
    assert (s.units_reporting, s.units_expected) == (2, 2)
    # a sub-unit of the contest's area: no seats, no threshold verdict
    assert not s.seats_computed
    assert all(p.seats is None and p.passed_threshold is None for p in s.parties)
    assert s.parties[0].share_pct == pytest.approx(100 * 70 / 129)


def test_empty_cell_makes_the_sum_not_reported(make_election):
    e = make_election(
        results=[
            (ML, "astana/001", 100, 50, NA, 2, 30, 10, 7),
            (ML, "astana/002", 200, NA, 0, 3, 40, NA, 17),
        ]
    )
    s = contest_summary(e, ML, "astana")
    assert s.registered == 300
    assert s.took_part is None and s.invalid is None and s.turnout_pct is None
    votes = {p.party: p.votes for p in s.parties}
    assert votes == {"a": 70, "b": None, "c": 24}
    assert [p.party for p in s.parties] == ["a", "c", "b"]  # not reported last
    assert all(p.share_pct is None for p in s.parties)
    assert s.votes_counted is None and s.against_all_share_pct is None
    assert not s.complete


def test_national_sums_regions_and_abroad(make_election):
    e = make_election(
        results=[
            (ML, "astana", 100, 60, 0, 5, 30, 20, 5),
            (ML, "almaty/7", 50, 30, 0, 1, 10, 10, 9),
            (ML, "abroad", 10, 5, 0, 0, 5, 0, 0),
        ]
    )
    s = contest_summary(e, ML, "kz")
    assert s.registered == 160 and s.took_part == 95
    assert {p.party: p.votes for p in s.parties} == {"a": 45, "b": 30, "c": 14}
    assert (s.units_reporting, s.units_expected) == (3, 21)
    # a partial count: shares of the votes counted so far, but no seats
    assert s.votes_counted == 95
    assert not s.complete and not s.seats_computed
    assert all(p.seats is None for p in s.parties)


def test_national_complete_when_every_region_reports(make_election):
    from dashboard.regions import region_keys

    rows = [(ML, r, 10, 5, 0, 1, 2, 1, 1) for r in region_keys()]
    s = contest_summary(make_election(results=rows), ML)
    assert (s.units_reporting, s.units_expected) == (20, 20)
    assert s.complete and s.seats_computed
    assert {p.party: p.seats for p in s.parties} == {"a": 5, "b": 3, "c": 2}  # 40/20/20 of 80 -> 5, 2.5, 2.5


def test_missing_against_all_means_no_shares_no_seats(make_election):
    e = make_election(results=[(AST, "astana", 100, 60, NA, NA, 40, 20, NA)])
    s = contest_summary(e, AST, "astana")
    assert [p.party for p in s.parties] == ["a", "b"]  # the ballot, not every party
    assert [p.votes for p in s.parties] == [40, 20]
    assert all(p.share_pct is None and p.seats is None and p.passed_threshold is None for p in s.parties)
    assert not s.complete and not s.seats_computed
    assert s.against_all is None and s.invalid is None


def test_missing_ballot_party_means_incomplete(make_election):
    e = make_election(results=[(AST, "astana", 100, 60, 0, 3, 40, NA, NA)])
    s = contest_summary(e, AST, "astana")
    assert not s.complete and not s.seats_computed
    assert s.parties[-1].party == "b" and s.parties[-1].votes is None


def test_seats_unknown_not_computed(make_election):
    from dashboard.model import Contest

    contests = (Contest(AST, "maslikhat", "party_list", "astana", None, 5.0),)
    e = make_election(results=[(AST, "astana", 100, 60, 0, 3, 40, 10, 7)], contests=contests)
    s = contest_summary(e, AST, "astana")
    assert s.complete and not s.seats_computed
    assert all(p.seats is None for p in s.parties)
    assert all(p.passed_threshold is not None for p in s.parties)


def test_single_mandate_never_computes_seats(make_election):
    e = make_election(results=[("mazhilis_single_mandate", "kz", 100, 60, 0, 3, 40, 10, 7)])
    s = contest_summary(e, "mazhilis_single_mandate")
    assert not s.seats_computed and all(p.seats is None and p.passed_threshold is None for p in s.parties)


def test_not_reported_unit(make_election):
    e = make_election(results=[(ML, "kz", 1000, 600, 10, 40, 300, 200, 50)])
    s = contest_summary(e, ML, "astana")
    assert not s.reported and not s.complete
    assert s.registered is None and s.took_part is None and s.turnout_pct is None
    assert all(p.votes is None for p in s.parties)
    assert (s.units_reporting, s.units_expected) == (0, 0)


def test_zero_is_a_figure_not_missing(make_election):
    e = make_election(results=[(ML, "kz", 1000, 0, 0, 0, 0, 0, 0)])
    s = contest_summary(e, ML)
    assert s.took_part == 0 and s.turnout_pct == 0.0 and s.invalid == 0
    assert s.votes_counted == 0 and all(p.votes == 0 for p in s.parties)
    assert all(p.share_pct is None for p in s.parties)  # 0 of 0: not computable
    assert s.seats_computed and all(p.seats == 0 for p in s.parties)  # nobody passed: no seats


def test_published_seats_only_in_own_area(make_election):
    e = make_election(
        results=[(ML, "kz", 1000, 600, 10, 40, 300, 200, 50), (ML, "astana", 100, 60, 0, 4, 30, 20, 5)],
        composition=[(ML, "a", 6), (ML, "b", 4), (ML, "c", 0)],
    )
    assert {p.party: p.published_seats for p in contest_summary(e, ML).parties} == {"a": 6, "b": 4, "c": 0}
    assert all(p.published_seats is None for p in contest_summary(e, ML, "astana").parties)


def test_unit_outside_the_contest_area(make_election):
    e = make_election()
    with pytest.raises(ValueError):
        contest_summary(e, AST, "almaty")
    with pytest.raises(KeyError):
        contest_summary(e, "nope")
    assert contest_summary(e, AST, None).unit == "astana"


def test_to_dict_is_json_ready(make_election):
    e = make_election(results=[(ML, "kz", 1000, 600, NA, 40, 300, 200, 50)])
    doc = json.loads(json.dumps(contest_summary(e, ML).to_dict()))
    assert doc["registered"] == 1000 and doc["invalid"] is None
    assert doc["parties"][0] == {
        "party": "a",
        "votes": 300,
        "share_pct": pytest.approx(100 * 300 / 590),
        "passed_threshold": True,
        "seats": 5,
        "published_seats": None,
    }
    assert type(doc["registered"]) is int
