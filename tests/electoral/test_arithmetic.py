"""The arithmetic made explicit: threshold base, tie rule and display rounding, against hand-computed splits.

Every expected split below was worked out by hand (Hare quota, largest remainders) and is written as a
literal; the working is in the comments, so a reader can check it without running the code.
"""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction

import pytest

from dashboard.electoral.commands import format_summary
from dashboard.electoral.rounding import format_plain_pct, round_pct
from dashboard.electoral.seats import allocate_seats
from dashboard.electoral.summary import contest_summary
from dashboard.ingest.package import load_package
from dashboard.model import Contest
from dashboard.store.embedded import embedded_election

from .conftest import build

ML = "mazhilis_party_list"


def test_hare_largest_remainder_by_hand():
    # 100,000 votes, 10 seats, 5 % threshold = 5,000: F (3,100) fails, E (6,100) passes.
    # Passed votes 96,900.  A 470,000/96,900 = 4 r 82,400;  B 160,000/96,900 = 1 r 63,100;
    # C 158,000/96,900 = 1 r 61,100;  D 120,000/96,900 = 1 r 23,100;  E 61,000/96,900 = 0 r 61,000.
    # 7 whole seats; the 3 left go to the largest remainders A, B, C (E's 61,000 just misses).
    votes = {"A": 47_000, "B": 16_000, "C": 15_800, "D": 12_000, "E": 6_100, "F": 3_100}
    assert allocate_seats(votes, 10) == {"A": 5, "B": 2, "C": 2, "D": 1, "E": 0, "F": 0}


def test_tie_on_remainders_goes_to_more_votes_then_ballot_order():
    # 2 seats, 64 votes: A 22/64 = 0 r 22, B 86/64 = 1 r 22, C 20/64 = 0 r 20; one seat left,
    # A and B tie on 22. Default rule: more votes first -> B.  ballot_order: A is listed first -> A.
    votes = {"A": 11, "B": 43, "C": 10}
    assert allocate_seats(votes, 2) == {"A": 0, "B": 2, "C": 0}
    assert allocate_seats(votes, 2, tie_rule="more_votes_then_ballot_order") == {"A": 0, "B": 2, "C": 0}
    assert allocate_seats(votes, 2, tie_rule="ballot_order") == {"A": 1, "B": 1, "C": 0}
    # equal remainders and equal votes (40/60 each): ballot order under both rules
    same = {"A": 20, "B": 20, "C": 20}
    assert allocate_seats(same, 2) == allocate_seats(same, 2, tie_rule="ballot_order") == {"A": 1, "B": 1, "C": 0}
    with pytest.raises(ValueError, match="tie_rule"):
        allocate_seats(votes, 2, tie_rule="lot")


def _base_case(base: str):
    # 1,000 took part, 100 invalid, 0 against all: votes counted 900.  C has 49 votes:
    # 49/900 = 5.44 % passes on votes counted; 49/1,000 = 4.9 % fails on took part.
    contest = Contest(ML, "mazhilis", "party_list", "kz", 20, 5.0, threshold_base=base)
    return build(results=[(ML, "kz", 2000, 1000, 100, 0, 500, 351, 49)], contests=(contest,))


def test_the_two_threshold_bases_give_different_passers_and_splits():
    # votes_counted: A, B, C pass; passed 900.  A 10,000/900 = 11 r 100; B 7,020/900 = 7 r 720;
    # C 980/900 = 1 r 80; 19 whole, the last seat to B (720)  -> 11 / 8 / 1.
    s = contest_summary(_base_case("votes_counted"), ML)
    assert {p.party: (p.passed_threshold, p.seats) for p in s.parties} == {
        "a": (True, 11), "b": (True, 8), "c": (True, 1)}
    # took_part: C fails; passed 851.  A 10,000/851 = 11 r 639; B 7,020/851 = 8 r 212;
    # 19 whole, the last seat to A (639)  -> 12 / 8 / 0.
    t = contest_summary(_base_case("took_part"), ML)
    assert {p.party: (p.passed_threshold, p.seats) for p in t.parties} == {
        "a": (True, 12), "b": (True, 8), "c": (False, 0)}
    assert allocate_seats({"A": 500, "B": 351, "C": 49}, 20, total=1000) == {"A": 12, "B": 8, "C": 0}


def test_took_part_base_needs_took_part():
    contest = Contest(ML, "mazhilis", "party_list", "kz", 20, 5.0, threshold_base="took_part")
    e = build(results=[(ML, "kz", 2000, None, 100, 0, 500, 351, 49)], contests=(contest,))
    s = contest_summary(e, ML)
    assert not s.seats_computed and all(p.passed_threshold is None for p in s.parties)


def test_defaults_reproduce_2023_under_either_base():
    # Published: Amanat 40, Auyl 8, Respublica 6, Ak Zhol 6, People's Party 5, OSDP 4, Baytaq 0.
    # OSDP: 331,058 of 6,366,441 votes counted = 5.20 %; of 6,521,860 who took part = 5.08 %: passes
    # on both bases, so the passers and the split are the same.
    published = {"amanat": 40, "auyl": 8, "respublica": 6, "ak_zhol": 6, "qhp": 5, "osdp": 4, "baytaq": 0}
    e = embedded_election()
    assert e.contest(ML).threshold_base == "votes_counted"
    assert e.contest(ML).tie_rule == "more_votes_then_ballot_order"
    for base in ("votes_counted", "took_part"):
        contests = tuple(dataclasses.replace(c, threshold_base=base) if c.key == ML else c for c in e.contests)
        s = contest_summary(dataclasses.replace(e, contests=contests), ML)
        assert {p.party: p.seats for p in s.parties} == published, base


def test_contest_parameters_come_from_election_json(tmp_path):
    from tests.results.conftest import HEADER, election_doc, make_package

    doc = election_doc(with_maslikhats=False)
    doc["contests"][0].update(threshold_base="took_part", tie_rule="ballot_order")
    row = "mazhilis_party_list,kz,2000,1000,100,0,500,351,49,0,0,0,0"
    e = load_package(make_package(tmp_path / "p", election=doc, results=f"{HEADER}\n{row}\n"))
    c = e.contest(ML)
    assert (c.threshold_base, c.tie_rule) == ("took_part", "ballot_order")
    s = contest_summary(e, ML)
    # 69 seats; respublica's 49 of 1,000 who took part fails (4.9 %); passed 851.  amanat 34,500/851 = 40 r 460;
    # auyl 24,219/851 = 28 r 391; 68 whole, the last seat to amanat  -> 41 / 28.
    assert {p.party: p.seats for p in s.parties if p.seats} == {"amanat": 41, "auyl": 28}
    assert {p.party: p.passed_threshold for p in s.parties}["respublica"] is False
    from dashboard.store.write import write_package

    out = write_package(e, tmp_path / "out")
    written = json.loads((out / "election.json").read_text(encoding="utf-8"))["contests"][0]
    assert (written["threshold_base"], written["tie_rule"]) == ("took_part", "ballot_order")


# --- display rounding ---------------------------------------------------------------------------------
def test_a_share_below_the_threshold_never_reads_5_00():
    assert format_plain_pct(Fraction(4996, 1000), threshold=5) == "4.99%"
    assert format_plain_pct(Fraction(49999, 10000), threshold=5) == "4.99%"
    assert format_plain_pct(4.996, threshold=5, passed=False) == "4.99%"
    assert format_plain_pct(Fraction(5), threshold=5) == "5.00%"
    # the exact verdict wins over a float that rounded onto the threshold
    assert format_plain_pct(5.0, threshold=5, passed=False) == "4.99%"
    # a threshold with more digits than shown: 7.125 % shown with one decimal
    assert str(round_pct(Fraction(7126, 1000), 1, threshold=Fraction(7125, 1000))) == "7.2"
    assert str(round_pct(Fraction(7124, 1000), 1, threshold=Fraction(7125, 1000))) == "7.1"
    assert format_plain_pct(None) == "—"


@pytest.mark.parametrize("value", [0.0, 0.004999, 0.005, 1.125, 12.345, 53.89999, 53.905, 99.995, 100.0])
def test_away_from_a_threshold_the_digits_are_pythons(value):
    assert format_plain_pct(value, threshold=5) == f"{value:.2f}%"
    assert format_plain_pct(value, 1, suffix=" %") == f"{value:.1f} %"


def test_summary_text_shows_4_99_next_to_below():
    # c: 4,996 of 100,000 votes counted = 4.996 % -> below 5 %; shown 4.99 %, not 5.00 %
    e = build(results=[(ML, "kz", 200_000, 100_000, 0, 0, 60_000, 35_004, 4_996)])
    s = contest_summary(e, ML)
    line = next(x for x in format_summary(s, 5.0).splitlines() if x.strip().startswith("c "))
    assert "4.99%" in line and "below" in line and "5.00%" not in line
