"""The outcome rules (``dashboard.electoral.outcome``) against hand-worked cases and the commission's
published national figures (the numbers below are literals from the sources named beside them)."""

from __future__ import annotations

import pytest

from dashboard.electoral.outcome import majority_of, more_than_half, presidential, referendum, two_thirds_of


def test_more_than_half_is_exact():
    assert more_than_half(51, 100) and not more_than_half(50, 100)
    assert more_than_half(50, 99)  # 50.5 % of 99
    # 50.004 %: shown as "50.00 %", and still more than half
    assert more_than_half(500_040, 1_000_000)
    assert not more_than_half(0, 0)


@pytest.mark.parametrize(("seats", "needed"), [(145, 73), (98, 50), (69, 35), (17, 9), (1, 1)])
def test_a_chambers_majority(seats, needed):
    assert majority_of(seats) == needed


@pytest.mark.parametrize(("units", "needed"), [(17, 12), (20, 14), (3, 2), (6, 4), (16, 11)])
def test_at_least_two_thirds_of_the_units_rounds_up(units, needed):
    assert two_thirds_of(units) == needed


def test_tokayev_2019_was_elected_in_the_first_round():
    # national_totals: Tokayev 6,539,715 votes of 9,261,460 who took part (70.96 %), Kosanov 1,495,401
    outcome = presidential({"tokayev": 6_539_715, "kosanov": 1_495_401, "espaeva": 465_714}, 9_261_460)
    assert (outcome.elected, outcome.second_round, outcome.base) == ("tokayev", None, 9_261_460)


def test_a_leader_below_half_goes_to_a_second_round_with_the_runner_up():
    # 48 % of those who took part: not elected; the pair is the two with the most votes
    outcome = presidential({"alpha": 480, "beta": 300, "gamma": 150}, 1_000)
    assert outcome.elected is None and outcome.second_round == ("alpha", "beta")
    # exactly half is not more than half
    assert presidential({"alpha": 500, "beta": 400}, 1_000).second_round == ("alpha", "beta")
    # more than half of the valid votes but not of those who took part: the base is those who took part
    assert presidential({"alpha": 510, "beta": 400}, 1_100).elected is None


def test_a_tie_for_second_place_leaves_the_pair_undecided():
    outcome = presidential({"alpha": 450, "beta": 250, "gamma": 250}, 1_000)
    assert outcome.elected is None and outcome.second_round is None and outcome.tied


def test_the_2022_constitutional_referendum_is_valid_with_a_national_yes_majority():
    # referendum_2022_by_region: registered 11,734,642; took part 7,985,769; yes 6,163,516
    outcome = referendum(11_734_642, 7_985_769, 6_163_516, units=None, constitutional=True)
    assert outcome.valid
    # the units' yes majorities were reported for 5-6 of 17 only: the rule cannot be computed
    assert outcome.adopted is None and outcome.decided_by == "not reported"


def test_the_2024_nuclear_referendum_needs_no_unit_rule():
    # not a constitutional question: valid and a national yes majority adopt it (hand-made counts)
    outcome = referendum(1_000, 640, 460)
    assert (outcome.valid, outcome.adopted, outcome.decided_by) == (True, True, "all")
    assert outcome.units_required is None


def test_turnout_of_half_or_less_makes_it_invalid_whatever_the_yes():
    outcome = referendum(1_000, 500, 499)
    assert (outcome.valid, outcome.adopted, outcome.decided_by) == (False, False, "turnout")


def _units(with_yes: int, total: int = 20) -> dict[str, tuple[int, int]]:
    """``total`` units of 1,000 who took part; ``with_yes`` of them 700 yes, the others 400."""
    return {f"u{i}": (700 if i < with_yes else 400, 1_000) for i in range(total)}


@pytest.mark.parametrize(("with_yes", "adopted"), [(13, False), (14, True), (12, False), (20, True)])
def test_a_constitutional_question_needs_a_yes_majority_in_two_thirds_of_20_units(with_yes, adopted):
    # 61 % yes nationally in every case: the units decide
    outcome = referendum(20_000, 14_000, 8_540, units=_units(with_yes), constitutional=True)
    assert outcome.valid and outcome.adopted is adopted
    assert (outcome.units_with_yes_majority, outcome.units_required) == (with_yes, 14)
    assert outcome.decided_by == ("all" if adopted else "units")


def test_eleven_of_17_is_not_two_thirds():
    outcome = referendum(17_000, 12_000, 8_000, units=_units(11, 17), constitutional=True)
    assert outcome.adopted is False and outcome.units_required == 12


def test_twelve_of_17_is_two_thirds():
    # 3 × 12 = 36 ≥ 2 × 17 = 34; 3 × 11 = 33 < 34
    outcome = referendum(17_000, 12_000, 8_000, units=_units(12, 17), constitutional=True)
    assert outcome.adopted is True and outcome.units_with_yes_majority == 12


@pytest.mark.parametrize("yes, units, adopted, basis", [
    (40, 11, False, "published"), (40, 12, True, "published"),
    (30, 17, False, "computed"),  # no national majority: the counts decide, whatever the units
])
def test_a_published_count_of_units_decides_by_the_same_rules_on_17_units(yes, units, adopted, basis):
    """2022: the sources give only "a yes majority in all 17 units". Two-thirds of the 17 units of the day is
    12 (11 is less than two-thirds); yes must also be more than half of those who took part (30 of 60 is not)."""
    from dashboard.electoral.outcome import referendum_outcome

    out = referendum_outcome(100, 60, yes, None, 17, True, {"units_with_yes_majority": units})
    assert (out["valid"], out["adopted"], out["units_required"], out["basis"]) == (True, adopted, 12, basis)
