"""What a contest's figures decide: the majority of a chamber, a president elected or a second round, a
referendum valid and adopted.

Every rule is exact integer arithmetic on counts — "more than half" is ``2 × part > whole``, "at least
two-thirds of the units" is ``3 × units ≥ 2 × total`` — never a comparison of rounded percentages: a
candidate with 50.004 % shown as "50.00 %" has more than half (exactly 50 % has not), and 11 of 17 units
(64.7 %) is not two-thirds.

The rules and where they come from are in docs/format.md ("The laws"), each marked verified or *to be
checked*. In short: a president needs more than half of those who **took part** (Constitutional Law "On
elections" No. 2464, art. 9 §1(2)), else a second round between the two with the most votes (art. 63, to
be checked); a referendum is valid when more than half of those entitled took part (Constitutional Law
"On the republican referendum" No. 2592, art. 31 §2 as the commission quotes it) and adopted when more
than half of those who took part vote yes — for the Constitution also with a yes majority in "not less
than two-thirds" of the regions, cities of republican significance and the capital: 3n ≥ 2N, rounded
up (12 of 17, 14 of 20; a spokesperson's "2/3 of 17 is 11" rounds down, which "not less than" does not
allow).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction


def percent(part: int | None, whole: int | None) -> float | None:
    """100 * part / whole as the float nearest the exact ratio; None when either is unknown or whole is 0.
    For display only: no rule here compares a percentage."""
    if part is None or whole is None or whole <= 0:
        return None
    return float(Fraction(100 * part, whole))


def more_than_half(part: int, whole: int) -> bool:
    """``part`` is more than half of ``whole`` (exactly: 2 × part > whole)."""
    return 2 * part > whole


def majority_of(seats: int) -> int:
    """Seats a party or bloc needs to hold more than half of a chamber: 73 of 145, 50 of 98."""
    return seats // 2 + 1


def two_thirds_of(units: int) -> int:
    """The fewest units that are at least two-thirds of ``units``: 12 of 17, 14 of 20 (rounded up)."""
    return -(-2 * units // 3)


@dataclass(frozen=True)
class PresidentialOutcome:
    """``elected``: the candidate with more than half of ``base``; else ``second_round``: the two with the
    most votes (None, with ``tied``, when a tie leaves the pair undecided)."""

    elected: str | None
    second_round: tuple[str, str] | None
    base: int
    tied: bool = False


def presidential(votes: Mapping[str, int], base: int) -> PresidentialOutcome:
    """The outcome of a presidential vote from each candidate's votes and the base (those who took part)."""
    ranked = sorted(votes.items(), key=lambda kv: -kv[1])
    if ranked and more_than_half(ranked[0][1], base):
        return PresidentialOutcome(ranked[0][0], None, base)
    if len(ranked) < 2:
        return PresidentialOutcome(None, None, base)
    third = ranked[2][1] if len(ranked) > 2 else None
    if third is not None and third == ranked[1][1]:
        return PresidentialOutcome(None, None, base, tied=True)
    return PresidentialOutcome(None, (ranked[0][0], ranked[1][0]), base)


@dataclass(frozen=True)
class ReferendumOutcome:
    """A referendum question's outcome. ``adopted`` is None when a rule it needs lacks its figures (the
    units' yes majorities not reported): then only a published outcome can say."""

    valid: bool
    adopted: bool | None
    units_with_yes_majority: int | None
    units_required: int | None
    #: which rule decided: "turnout" (not valid), "national" (no national yes majority), "units" (too few
    #: units with a yes majority), "all" (every rule met), "not reported" (a unit rule without figures)
    decided_by: str


def referendum(
    registered: int,
    took_part: int,
    yes: int,
    units: Mapping[str, tuple[int, int]] | None = None,
    constitutional: bool = False,
) -> ReferendumOutcome:
    """Valid and adopted, from the national counts and, for a constitutional question, each unit's
    (yes, took part)."""
    required = None
    with_yes = None
    if constitutional and units is not None:
        required = two_thirds_of(len(units))
        with_yes = sum(more_than_half(y, t) for y, t in units.values())
    if not more_than_half(took_part, registered):
        return ReferendumOutcome(False, False, with_yes, required, "turnout")
    if not more_than_half(yes, took_part):
        return ReferendumOutcome(True, False, with_yes, required, "national")
    if not constitutional:
        return ReferendumOutcome(True, True, None, None, "all")
    if with_yes is None or required is None:
        return ReferendumOutcome(True, None, None, None, "not reported")
    if with_yes < required:
        return ReferendumOutcome(True, False, with_yes, required, "units")
    return ReferendumOutcome(True, True, with_yes, required, "all")


# --- what ``summary --json`` says of a contest's outcome ---------------------------------------------------
# Each function takes plain figures (None = not reported) and returns the ``outcome`` object of a contest
# summary (docs/format.md, "Kinds of contest and their outcomes"); ``contest_summary`` gathers the figures.


def chamber_outcome(chamber_seats: int | None) -> dict:
    """A party-list (or single-mandate) contest fills seats of a chamber: the seats a majority needs."""
    return {"majority": None if chamber_seats is None else majority_of(chamber_seats),
            "chamber_seats": chamber_seats}


def presidential_outcome(votes: Mapping[str, int | None], base_votes: int | None, base: str,
                         published: Mapping | None = None) -> dict:
    """``{"elected", "second_round", "base", …}``: computed when every candidate's votes and the base are
    reported; otherwise the published outcome (``basis: "published"``), else nothing decided."""
    known = {k: v for k, v in votes.items() if v is not None}
    leading = max(known, key=lambda k: known[k]) if known else None
    out: dict = {"elected": None, "second_round": None, "base": base, "base_votes": base_votes, "tied": False,
           "leading": leading, "basis": "computed"}
    if len(known) == len(votes) and known and base_votes is not None and base_votes > 0:
        o = presidential(known, base_votes)
        out.update(elected=o.elected, second_round=None if o.second_round is None else list(o.second_round),
                   tied=o.tied)
        out["leading"] = None if _tied_first(known) else leading
    elif published:
        out.update(elected=published.get("elected"), second_round=published.get("second_round"),
                   basis="published")
    return out


def _tied_first(votes: Mapping[str, int]) -> bool:
    top = sorted(votes.values(), reverse=True)
    return len(top) > 1 and top[0] == top[1]


def referendum_outcome(registered: int | None, took_part: int | None, yes: int | None,
                       units: Mapping[str, tuple[int, int]] | None, unit_count: int, constitutional: bool,
                       published: Mapping | None = None) -> dict:
    """``{"valid", "adopted", "yes_pct", "turnout_pct", "units_with_yes_majority", "units_required",
    "basis", "decided_by"}``. ``units`` holds every unit's (yes, took part) only when all ``unit_count``
    of them are reported (else None: the unit rule cannot be computed). Where a rule lacks its figures
    and the contest carries a published outcome, that is shown, with ``basis: "published"``."""
    required = two_thirds_of(unit_count) if constitutional else None
    out: dict = {"valid": None, "adopted": None, "yes_pct": percent(yes, took_part),
                 "turnout_pct": percent(took_part, registered), "units_with_yes_majority": None,
                 "units_required": required, "basis": "computed", "decided_by": "not reported"}
    if registered is not None and took_part is not None and yes is not None and registered > 0:
        o = referendum(registered, took_part, yes, units, constitutional)
        out.update(valid=o.valid, adopted=o.adopted, units_with_yes_majority=o.units_with_yes_majority,
                   decided_by=o.decided_by)
        if o.units_required is not None:
            out["units_required"] = o.units_required
    if (out["valid"] is None or out["adopted"] is None) and published:
        out.update({k: published[k] for k in ("valid", "adopted", "units_with_yes_majority", "units_required")
                    if k in published})
        out.update(basis="published", decided_by="published")
        out["adopted"] = _adopted_with_published_units(out, yes, took_part, constitutional)
    return out


def _adopted_with_published_units(out: dict, yes: int | None, took_part: int | None,
                                  constitutional: bool) -> bool | None:
    """A constitutional referendum whose units are published only as a count (2022: "a yes majority in all
    17") is decided by the same rules with that count: valid, more than half of those who took part said
    yes, and the count reaches the two-thirds required. An adoption the sources state stays as stated."""
    if out["adopted"] is not None or not constitutional or out["valid"] is not True:
        return out["adopted"]
    units, required = out["units_with_yes_majority"], out["units_required"]
    if yes is None or took_part is None or units is None or required is None:
        return None
    return 2 * yes > took_part and units >= required


