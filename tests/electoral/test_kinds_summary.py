"""``contest_summary`` of the new kinds: packages ingested as a journalist would, outcomes worked by hand.

The packages are in tests/kinds_packages.py, with their arithmetic written out.
"""

from __future__ import annotations

import json

import pytest

from dashboard.cli import main
from dashboard.electoral.summary import contest_summary
from dashboard.ingest.package import load_package
from tests.kinds_packages import (
    PRES_HEADER,
    REF_HEADER,
    kurultai_doc,
    presidential_doc,
    presidential_rows,
    referendum_doc,
    referendum_rows,
    write,
)


def _load(tmp_path, doc, rows):
    return load_package(write(tmp_path / "p", doc, rows))


def test_a_leader_with_48_percent_goes_to_a_second_round_with_the_runner_up(tmp_path):
    # alpha 4,800 of 10,000 who took part: 2 × 4,800 = 9,600 is not more than 10,000
    s = contest_summary(_load(tmp_path, presidential_doc(), presidential_rows(4800)), "president")
    assert s.kind == "presidential" and s.decided
    assert s.outcome == {"elected": None, "second_round": ["alpha", "beta"], "base": "took_part",
                         "base_votes": 10_000, "tied": False, "leading": "alpha", "basis": "computed"}
    assert [(p.party, p.votes) for p in s.parties] == [("alpha", 4800), ("beta", 3000), ("gamma", 1700)]


def test_half_plus_one_vote_is_elected(tmp_path):
    # 5,001 of 10,000: 10,002 > 10,000
    s = contest_summary(_load(tmp_path, presidential_doc(), presidential_rows(5001)), "president")
    assert s.outcome["elected"] == "alpha" and s.outcome["second_round"] is None and s.decided


def test_exactly_half_is_not_elected(tmp_path):
    s = contest_summary(_load(tmp_path, presidential_doc(), presidential_rows(5000)), "president")
    assert s.outcome["elected"] is None and s.outcome["second_round"] == ["alpha", "beta"]


def test_the_base_can_be_the_votes_counted(tmp_path):
    # 4,950 of 10,000 who took part is not half; of the votes counted (10,000 - 200 invalid = 9,800) it is
    s = contest_summary(_load(tmp_path, presidential_doc(base="votes_counted"), presidential_rows(4950)),
                        "president")
    assert s.outcome["base_votes"] == 9_800 and s.outcome["elected"] == "alpha"


def test_mid_count_a_presidential_outcome_is_not_decided(tmp_path):
    s = contest_summary(_load(tmp_path, presidential_doc(status="counting"), presidential_rows(5001)),
                        "president")
    assert not s.decided and s.outcome["leading"] == "alpha"


def test_a_published_presidential_outcome_where_votes_are_missing(tmp_path):
    rows = f"{PRES_HEADER}\npresident,kz,15000,10000,200,300,5001,,\n"
    doc = presidential_doc(published_outcome={"elected": "alpha"})
    s = contest_summary(_load(tmp_path, doc, rows), "president")
    assert (s.outcome["elected"], s.outcome["basis"], s.decided) == ("alpha", "published", True)


def test_61_percent_yes_but_12_of_20_units_is_not_adopted(tmp_path):
    # yes 12 × 750 + 8 × 400 = 12,200 of 20,000 = 61 %; 12 units with a yes majority < 14 (⌈2 × 20 / 3⌉)
    s = contest_summary(_load(tmp_path, referendum_doc(), referendum_rows(12)), "constitution")
    assert s.kind == "referendum" and s.decided and s.complete
    assert s.outcome == {"valid": True, "adopted": False, "yes_pct": 61.0, "turnout_pct": 200 / 3,
                         "units_with_yes_majority": 12, "units_required": 14, "basis": "computed",
                         "decided_by": "units"}
    # no "against all" on a referendum ballot: its empty cells are no missing figure
    assert s.against_all is None and s.votes_counted == 12_200 + 7_600


@pytest.mark.parametrize(("with_yes", "adopted"), [(13, False), (14, True)])
def test_two_thirds_of_20_units_is_14(tmp_path, with_yes, adopted):
    s = contest_summary(_load(tmp_path, referendum_doc(), referendum_rows(with_yes)), "constitution")
    assert (s.outcome["units_with_yes_majority"], s.outcome["adopted"]) == (with_yes, adopted)
    assert s.outcome["decided_by"] == ("all" if adopted else "units")


def test_not_constitutional_the_national_majority_decides(tmp_path):
    s = contest_summary(_load(tmp_path, referendum_doc(constitutional=False), referendum_rows(12)),
                        "constitution")
    assert s.outcome["adopted"] is True and s.outcome["units_required"] is None
    assert s.outcome["units_with_yes_majority"] is None and s.outcome["decided_by"] == "all"


def test_turnout_of_exactly_half_is_not_valid(tmp_path):
    # 20 × 1,000 took part of 20 × 2,000 registered: 50 %, not more than half
    s = contest_summary(_load(tmp_path, referendum_doc(), referendum_rows(20, registered=2000)), "constitution")
    assert s.outcome["turnout_pct"] == 50.0
    assert (s.outcome["valid"], s.outcome["adopted"], s.outcome["decided_by"]) == (False, False, "turnout")


def test_a_unit_not_reported_leaves_the_unit_rule_undecided(tmp_path):
    rows = "".join(line + "\n" for line in referendum_rows(20).splitlines()[:-1])  # 19 regions
    s = contest_summary(_load(tmp_path, referendum_doc(), rows), "constitution")
    assert s.outcome["adopted"] is None and s.outcome["units_with_yes_majority"] is None
    assert not s.decided and s.outcome["yes_pct"] == 75.0  # 19 × 750 of 19,000 so far


def test_the_2026_referendum_as_published(tmp_path):
    # CEC, 17 March 2026: registered 12,482,613; took part 9,127,192; yes 7,954,667; no 898,099; invalid
    # 146,558 (and 127,868 ballots not counted). Its units' figures are not in the sources: the unit rule
    # can only be shown as published.
    rows = f"{REF_HEADER}\nconstitution,kz,12482613,9127192,146558,,7954667,898099\n"
    doc = referendum_doc(published_outcome={"valid": True, "adopted": True, "units_with_yes_majority": 20})
    s = contest_summary(_load(tmp_path, doc, rows), "constitution")
    assert s.outcome["basis"] == "published" and s.outcome["adopted"] is True and s.decided
    assert (s.outcome["units_with_yes_majority"], s.outcome["units_required"]) == (20, 14)
    assert round(s.outcome["yes_pct"], 2) == 87.15 and round(s.outcome["turnout_pct"], 2) == 73.12


def test_a_referendum_mid_count_is_not_decided(tmp_path):
    s = contest_summary(_load(tmp_path, referendum_doc(status="counting"), referendum_rows(14)), "constitution")
    assert s.outcome["adopted"] is True and not s.decided


def test_a_kurultai_without_a_threshold_computes_no_seats(tmp_path):
    rows = ("contest,unit,registered,took_part,invalid,against_all,amanat,auyl,respublica\n"
            "kurultai_party_list,kz,1000,800,10,40,450,200,100\n")
    s = contest_summary(_load(tmp_path, kurultai_doc(), rows), "kurultai_party_list")
    assert s.outcome == {"majority": 73, "chamber_seats": 145}
    assert not s.seats_computed and all(p.passed_threshold is None and p.seats is None for p in s.parties)
    assert not s.decided  # the seats, what a party list decides, are not known


def test_the_mazhilis_majority_counts_both_kinds_of_seat(make_election):
    # the test election's Mazhilis: 10 list + 3 single-mandate seats = 13; a majority is 7
    e = make_election(results=[("mazhilis_party_list", "kz", 1000, 600, None, 40, 300, 200, 50)])
    s = contest_summary(e, "mazhilis_party_list")
    assert s.outcome == {"majority": 7, "chamber_seats": 13} and s.decided


def test_summary_json_carries_kind_outcome_and_decided(tmp_path, capsys):
    # as a journalist would: the package ingested beside the embedded 2023 election, then asked by id
    package = write(tmp_path / "p", referendum_doc(), referendum_rows(12))
    data = str(tmp_path / "data")
    assert main(["ingest", str(package), "--data-dir", data]) == 0
    capsys.readouterr()
    args = ["summary", "--election", "kz-ref-test", "--contest", "constitution", "--data-dir", data]
    assert main([*args, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["kind"] == "referendum" and doc["decided"] is True
    assert doc["outcome"]["adopted"] is False and doc["outcome"]["decided_by"] == "units"
    assert doc["outcome"]["units_with_yes_majority"] == 12 and doc["outcome"]["units_required"] == 14
    # of the 20,000 who took part: yes 12 × 750 + 8 × 400 = 12,200 (61.00 %, not 61.62 % of yes + no),
    # no 12 × 240 + 8 × 590 = 7,600 (38.00 %); the other 1 % are the 200 invalid ballots
    assert {p["party"]: p["share_pct"] for p in doc["parties"]} == {"yes": 61.0, "no": 38.0}
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "not adopted (decided by: units), yes majority in 12 of the 14 units needed" in text
    assert "against all" not in text  # no such line on a referendum ballot: nothing "not reported"


def test_a_kurultai_with_a_stated_threshold(tmp_path):
    # docs/format.md's worked example. 790 votes counted (750 for parties + 40 against all); 5 % is 39.5:
    # all three lists pass. Quotient 750 / 145: amanat 450 × 145 / 750 = 87, auyl 38.667, respublica 19.333
    # → 87 + 38 + 19 = 144 whole seats; the last one to the largest remainder (auyl): 87 / 39 / 19.
    doc = kurultai_doc()
    doc["contests"][0]["threshold_pct"] = 5.0
    rows = ("contest,unit,registered,took_part,invalid,against_all,amanat,auyl,respublica\n"
            "kurultai_party_list,kz,1000,800,10,40,450,200,100\n")
    s = contest_summary(_load(tmp_path, doc, rows), "kurultai_party_list")
    assert [(p.party, p.seats) for p in s.parties] == [("amanat", 87), ("auyl", 39), ("respublica", 19)]
    assert s.outcome == {"majority": 73, "chamber_seats": 145} and s.decided


def test_a_presidential_ballot_without_against_all_is_decided(tmp_path):
    # 2019's ballot had no "against all": the empty cell leaves the shares of votes counted unknown, not
    # the outcome, whose base is those who took part (5,200 of 10,000 for alpha: elected)
    rows = f"{PRES_HEADER}\npresident,kz,15000,10000,200,,5200,3000,1600\n"
    s = contest_summary(_load(tmp_path, presidential_doc(), rows), "president")
    # the shares are of the valid votes, as the commission publishes them: with against all not
    # reported they are unknown, and say so
    assert not s.complete and s.parties[0].share_pct is None and s.against_all_share_pct is None
    assert s.outcome["elected"] == "alpha" and s.decided


def test_a_published_outcome_is_not_decided_mid_count(tmp_path):
    doc = referendum_doc(status="counting", published_outcome={"adopted": True})
    rows = f"{REF_HEADER}\nconstitution,kz,15000,10000,100,,,\n"
    s = contest_summary(_load(tmp_path, doc, rows), "constitution")
    assert s.outcome["basis"] == "published" and not s.decided


def test_a_ballot_declared_without_against_all_has_complete_shares(tmp_path):
    # "against_all": false (the 2019 ballot): the empty cell is no missing figure. Votes counted =
    # 5,200 + 3,000 + 1,600 = 9,800 valid votes, the base the commission publishes shares on:
    # alpha 5,200 / 9,800 = 53.06 %, beta 30.61 %, gamma 16.33 % (the outcome reads 52 % of those who took part)
    rows = f"{PRES_HEADER}\npresident,kz,15000,10000,200,,5200,3000,1600\n"
    s = contest_summary(_load(tmp_path, presidential_doc(against_all=False), rows), "president")
    assert s.complete and s.votes_counted == 9_800
    assert [round(p.share_pct, 2) for p in s.parties] == [53.06, 30.61, 16.33]
    assert s.outcome["base_votes"] == 10_000 and s.outcome["elected"] == "alpha"
    # "base": "votes_counted" (the other base the law may read): of the 9,800, 53.06 %
    s = contest_summary(_load(tmp_path / "v", presidential_doc(against_all=False, base="votes_counted"), rows),
                        "president")
    assert [round(p.share_pct, 2) for p in s.parties] == [53.06, 30.61, 16.33]


def test_against_all_given_where_the_ballot_has_none_is_refused(tmp_path):
    from dashboard.ingest.rules import Rejected

    rows = f"{PRES_HEADER}\npresident,kz,15000,10000,200,300,4900,3000,1600\n"
    with pytest.raises(Rejected) as e:
        _load(tmp_path, presidential_doc(against_all=False), rows)
    assert any(p.rule == "not-on-ballot" and p.line == 2 and "results.csv" in p.file
               for p in e.value.problems), e.value.problems


def test_against_all_false_round_trips_through_the_writer(tmp_path):
    from dashboard.store.write import election_json

    rows = f"{PRES_HEADER}\npresident,kz,15000,10000,200,,5200,3000,1600\n"
    doc = election_json(_load(tmp_path, presidential_doc(against_all=False), rows))
    assert doc["contests"][0]["against_all"] is False
