"""Seat allocation for party-list contests: threshold, Hare quota, largest remainders — exact integers only."""

from __future__ import annotations

import operator
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from dashboard.model import TIE_RULES


def as_fraction(value: float | int | str | Fraction | Decimal) -> Fraction:
    """An exact Fraction for a threshold given as a decimal number (``0.05`` is exactly 1/20, not its float)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        # str() of a float is its shortest round-tripping decimal: "0.05", not 0.05000000000000000277…
        return Fraction(str(value))
    return Fraction(value)


def passes_threshold(party_votes: int, total: int, threshold: Fraction) -> bool:
    """``party_votes / total >= threshold`` by cross-multiplication; a party with no votes never passes."""
    return party_votes > 0 and party_votes * threshold.denominator >= threshold.numerator * total


def allocate_seats(
    votes: Mapping[str, int],
    seats: int,
    *,
    threshold: float | Fraction = 0.05,
    against_all: int = 0,
    total: int | None = None,
    tie_rule: str = "more_votes_then_ballot_order",
) -> dict[str, int]:
    """Share ``seats`` between the parties of ``votes`` as the Kazakh election law prescribes.

    1. Threshold: a party takes part in the allocation when its votes are at least ``threshold`` (a
       fraction, 0.05 = 5 %) of *all party votes plus the votes "against all"*, tested exactly as
       ``votes * den >= num * total`` where ``num/den`` is the threshold as a Fraction (a float threshold
       is read as the decimal it prints as). A party with zero votes never passes.
    2. Hare quota: the quota is the votes of the parties that passed divided by ``seats``; each passing
       party first gets the whole part of ``votes / quota`` (= ``votes * seats // passed_votes``).
    3. Largest remainders: the seats left over go one each to the parties with the largest remainders
       ``votes * seats % passed_votes`` (all over the same denominator, so compared as integers).

    ``total`` replaces the threshold base (step 1's "all party votes plus against all") when the contest
    counts its threshold on another total, e.g. every voter who took part (``threshold_base: took_part``).

    Ties (``tie_rule``; docs/format.md says what the law does and does not settle):
    ``more_votes_then_ballot_order`` (the default): between equal remainders the party with more votes
    comes first; between equal remainders *and* equal votes, the party that comes first in the order of
    ``votes`` (the caller passes ballot order) wins. ``ballot_order``: equal remainders go by that order.

    When no party passes (or every vote is zero) no seat is allocated: every party gets 0, and the sum is
    then *less* than ``seats`` — callers must show this, not hide it.

    Returns every key of ``votes`` (0 for parties without seats), in the input order. All arithmetic is
    on Python integers and Fractions; no float is ever compared.
    """
    seats = operator.index(seats)
    against_all = operator.index(against_all)
    if seats < 0:
        raise ValueError(f"seats must be >= 0, got {seats}")
    if against_all < 0:
        raise ValueError(f"against_all must be >= 0, got {against_all}")
    counts = {}
    for key, v in votes.items():
        v = operator.index(v)
        if v < 0:
            raise ValueError(f"votes of {key!r} must be >= 0, got {v}")
        counts[key] = v
    limit = as_fraction(threshold)
    if not 0 <= limit <= 1:
        raise ValueError(f"threshold must be within [0, 1], got {threshold}")

    total = sum(counts.values()) + against_all if total is None else operator.index(total)
    if tie_rule not in TIE_RULES:
        raise ValueError(f"tie_rule must be one of {', '.join(TIE_RULES)}, got {tie_rule!r}")
    result = dict.fromkeys(counts, 0)
    passed = [k for k, v in counts.items() if passes_threshold(v, total, limit)]
    passed_votes = sum(counts[k] for k in passed)
    if not passed or passed_votes == 0 or seats == 0:
        return result

    remainders = {}
    for k in passed:
        whole, remainder = divmod(counts[k] * seats, passed_votes)
        result[k] = whole
        remainders[k] = remainder
    left = seats - sum(result.values())
    order = {k: i for i, k in enumerate(counts)}
    if tie_rule == "ballot_order":
        ranked = sorted(passed, key=lambda k: (-remainders[k], order[k]))
    else:
        ranked = sorted(passed, key=lambda k: (-remainders[k], -counts[k], order[k]))
    for k in ranked[:left]:
        result[k] += 1
    return result
