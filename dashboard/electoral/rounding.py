"""The one display rounding policy for percentages: a rounded figure never crosses a threshold.

A list with 4.996 % of the votes is below a 5 % threshold; rounded to two decimals in the usual way it
reads "5.00 %" next to "below 5 %". Here a value is rounded to the nearest (ties to even, as Python's
``format`` does, so every other figure prints exactly as before) and then, if that crossed the
threshold, moved back to the last step on the side the exact value is on: 4.99 %. The same rule keeps
10,080 of 10,081 stations at "99.9 %", never "100.0 %". All steps are exact (Fractions), no float is
compared. Used by the summary text and the progress line; pages and figures should use it too.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from dashboard.electoral.seats import as_fraction


def round_pct(value: float | Fraction | int, decimals: int = 2, *, threshold: float | Fraction | None = None,
              passed: bool | None = None) -> Decimal:
    """``value`` rounded to ``decimals`` places, never onto the other side of ``threshold``.

    ``passed`` is the exact verdict when the caller has it (from integer arithmetic: ``votes * den >=
    num * total``); otherwise the side is judged from ``value`` itself.
    """
    exact = Fraction(value)
    scale = 10**decimals
    steps = round(exact * scale)  # nearest step, ties to even: the same digits as f"{value:.2f}"
    if threshold is not None:
        limit = as_fraction(threshold) * scale
        below = (not passed) if passed is not None else exact * scale < limit
        if below and steps >= limit:
            steps = math.ceil(limit) - 1
        elif not below and steps < limit:
            steps = math.ceil(limit)
    return Decimal(steps).scaleb(-decimals)


def format_plain_pct(value: float | Fraction | int | None, decimals: int = 2, *,
                     threshold: float | Fraction | None = None, passed: bool | None = None, suffix: str = "%",
                     missing: str = "—") -> str:
    """``round_pct`` as plain text with ``suffix`` ("4.99%"); ``missing`` for None.

    Not ``dashboard.i18n.format_pct``, which the pages use: that one writes the language's digits
    ("4,99 %" in kk/ru), rounds the float's printed decimal (2.675 reads 2.68 there, 2.67 here) and has
    no threshold rule (4.996 reads 5.00 there)."""
    if value is None:
        return missing
    return f"{round_pct(value, decimals, threshold=threshold, passed=passed):.{decimals}f}{suffix}"
