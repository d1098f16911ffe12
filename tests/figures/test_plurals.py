"""Plural forms read from the catalogues: Russian has three, Kazakh one word form, English two; seat
counts in the figures agree with their number."""

from __future__ import annotations

import pytest

from dashboard.figures.hemicycle import hemicycle
from dashboard.figures.parties import seats_text
from dashboard.i18n import ngettext, ntranslator

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1 мандат"),
        (2, "2 мандата"),
        (5, "5 мандатов"),
        (11, "11 мандатов"),
        (21, "21 мандат"),
        (22, "22 мандата"),
        (25, "25 мандатов"),
        (98, "98 мандатов"),
        (111, "111 мандатов"),
        (0, "0 мандатов"),
    ],
)
def test_russian_seat_counts_take_three_forms(n, expected):
    assert ngettext("{n} seat", "{n} seats", n, "ru").format(n=n) == expected
    assert seats_text(n, "ru") == expected


@pytest.mark.parametrize("n", [1, 2, 5, 21, 98])
def test_kazakh_uses_one_word_form(n):
    assert ngettext("{n} seat", "{n} seats", n, "kk").format(n=n) == f"{n} мандат"


def test_english_and_missing_translations_fall_back_to_english():
    assert ngettext("{n} seat", "{n} seats", 1, "en") == "{n} seat"
    assert ngettext("{n} seat", "{n} seats", 21, "en") == "{n} seats"
    assert ngettext("{n} apple", "{n} apples", 1, "ru") == "{n} apple"
    assert ngettext("{n} apple", "{n} apples", 3, "ru") == "{n} apples"


def test_ntranslator_formats_the_number_for_the_language():
    assert ntranslator("ru")("{n} seat", "{n} seats", 1200) == f"1{NBSP}200 мандатов"
    assert ntranslator("en")("{n} seat", "{n} seats", 1200) == "1,200 seats"


@pytest.mark.parametrize(("total", "word"), [(21, "мандат"), (22, "мандата"), (98, "мандатов")])
def test_hemicycle_centre_agrees_with_the_total(parties, total, word):
    import pandas as pd

    df = pd.DataFrame([("amanat", "party_list", total)], columns=["party", "kind", "seats"])
    fig = hemicycle(df, parties, "ru", total=total)
    (centre,) = [a for a in fig.layout.annotations if a.name == "total"]
    assert centre.text.endswith(f">{word}</span>")
    assert fig.layout.meta["alt"].startswith(f"Всего {total} {word}.")


def test_seat_plurals_are_in_the_template():
    """pybabel finds them (no more ``_('seats')`` hidden inside an f-string)."""
    from pathlib import Path

    pot = (Path(__file__).resolve().parents[2] / "dashboard/i18n/messages.pot").read_text()
    assert 'msgid "seat"\nmsgid_plural "seats"' in pot
    assert 'msgid "{n} seat"\nmsgid_plural "{n} seats"' in pot
