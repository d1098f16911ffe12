from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.electoral import allocate_seats
from dashboard.electoral.seats import as_fraction

NATIONAL_2023 = {
    "amanat": 3431510,
    "auyl": 693938,
    "respublica": 547154,
    "ak_zhol": 535139,
    "qhp": 432920,
    "osdp": 331058,
    "baytaq": 146431,
}


def test_commission_2023_mazhilis_allocation():
    seats = allocate_seats(NATIONAL_2023, 69, threshold=0.05, against_all=248291)
    assert seats == {
        "amanat": 40,
        "auyl": 8,
        "respublica": 6,
        "ak_zhol": 6,
        "qhp": 5,
        "osdp": 4,
        "baytaq": 0,
    }
    assert list(seats) == list(NATIONAL_2023)


def test_against_all_counts_in_the_threshold_total():
    # 5 of 100 party votes passes without against-all votes, not with them.
    assert allocate_seats({"a": 95, "b": 5}, 20) == {"a": 19, "b": 1}
    assert allocate_seats({"a": 95, "b": 5}, 20, against_all=1) == {"a": 20, "b": 0}


def test_threshold_exactly_met_passes():
    # 5 / 100 is exactly 5 %: a float comparison of 0.05 could go either way, the integer test does not.
    assert allocate_seats({"a": 5, "b": 95}, 20) == {"a": 1, "b": 19}
    assert allocate_seats({"a": 5, "b": 94}, 20, against_all=1) == {"a": 1, "b": 19}
    assert allocate_seats({"a": 4, "b": 95}, 20, against_all=1) == {"a": 0, "b": 20}


def test_threshold_given_as_fraction_or_float_alike():
    votes = {"a": 7, "b": 93}
    assert allocate_seats(votes, 10, threshold=Fraction(7, 100)) == allocate_seats(votes, 10, threshold=0.07)
    assert as_fraction(0.05) == Fraction(1, 20)
    assert as_fraction(5.0) / 100 == Fraction(1, 20)


def test_equal_remainders_go_to_more_votes_then_input_order():
    # quotas: a 1.5, b 1.5 -> one extra seat; equal remainders and votes: the first key wins.
    assert allocate_seats({"a": 50, "b": 50}, 3) == {"a": 2, "b": 1}
    assert allocate_seats({"b": 50, "a": 50}, 3) == {"b": 2, "a": 1}
    # equal remainders, different votes: 3 seats over 60/30 -> quotas 2.0/1.0 no tie; use 4 parties:
    # votes 30, 30, 20, 20 with 5 seats: quotas 1.5, 1.5, 1.0, 1.0 -> the two 30s tie; first key wins.
    assert allocate_seats({"x": 30, "y": 30, "z": 20, "w": 20}, 5) == {"x": 2, "y": 1, "z": 1, "w": 1}


def test_equal_remainders_more_votes_first():
    # 2 seats, votes 3 and 1: quotas 1.5 and 0.5, remainders equal (1/2) -> the party with more votes.
    assert allocate_seats({"small": 1, "big": 3}, 2) == {"small": 0, "big": 2}


def test_nobody_passes_no_seats():
    assert allocate_seats({"a": 1, "b": 1}, 5, against_all=100) == {"a": 0, "b": 0}


def test_zero_votes_everywhere():
    assert allocate_seats({"a": 0, "b": 0}, 5) == {"a": 0, "b": 0}
    assert allocate_seats({"a": 0, "b": 0}, 5, threshold=0) == {"a": 0, "b": 0}
    assert allocate_seats({}, 5) == {}


def test_zero_vote_party_never_passes_even_at_zero_threshold():
    assert allocate_seats({"a": 10, "b": 0}, 3, threshold=0) == {"a": 3, "b": 0}


def test_zero_seats():
    assert allocate_seats({"a": 10, "b": 5}, 0) == {"a": 0, "b": 0}


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(votes={"a": -1}, seats=3),
        dict(votes={"a": 1}, seats=-1),
        dict(votes={"a": 1}, seats=3, against_all=-1),
        dict(votes={"a": 1}, seats=3, threshold=1.5),
    ],
)
def test_invalid_input(kwargs):
    votes = kwargs.pop("votes")
    seats = kwargs.pop("seats")
    with pytest.raises(ValueError):
        allocate_seats(votes, seats, **kwargs)


def test_floats_are_rejected_as_votes():
    with pytest.raises(TypeError):
        allocate_seats({"a": 1.5}, 3)


votes_st = st.dictionaries(
    st.text(alphabet="abcdefghij", min_size=1, max_size=3),
    st.integers(min_value=0, max_value=10**7),
    min_size=1,
    max_size=9,
)
threshold_st = st.fractions(min_value=0, max_value=Fraction(1, 5), max_denominator=1000)


@settings(max_examples=300, deadline=None)
@given(votes=votes_st, seats=st.integers(0, 200), against_all=st.integers(0, 10**6), threshold=threshold_st)
def test_properties(votes, seats, against_all, threshold):
    result = allocate_seats(votes, seats, threshold=threshold, against_all=against_all)
    assert list(result) == list(votes)
    total = sum(votes.values()) + against_all
    passed = {k for k, v in votes.items() if v > 0 and Fraction(v, total) >= threshold}
    # no party below the threshold gets a seat
    assert all(result[k] == 0 for k in votes if k not in passed)
    if passed:
        # seats always sum to `seats` when anyone passes
        assert sum(result.values()) == seats
        passed_votes = sum(votes[k] for k in passed)
        for k in passed:
            quota = Fraction(votes[k] * seats, passed_votes)
            # floor or ceil of the exact quota
            assert (
                quota.numerator // quota.denominator <= result[k] <= -(-quota.numerator // quota.denominator)
            )
    else:
        assert sum(result.values()) == 0


@settings(max_examples=200, deadline=None)
@given(votes=votes_st, seats=st.integers(1, 100))
def test_monotone_in_votes_order(votes, seats):
    """A passing party with more votes never gets fewer seats than one with fewer votes."""
    result = allocate_seats(votes, seats)
    for a in votes:
        for b in votes:
            if votes[a] > votes[b]:
                assert result[a] >= result[b]
