"""Alphabetical order as Kazakh and Russian readers expect it, not by Unicode code point.

Code-point order puts the Kazakh letters (Ә Ғ Қ Ң Ө Ұ Ү Һ І) after Я, so a plain ``sorted`` lists
Қарағанды, Қостанай, Қызылорда and Ұлытау last and Шымкент before Шығыс. An explicit alphabet per
language is enough for names of regions and parties and avoids PyICU (a large native dependency).
"""

from __future__ import annotations

from collections.abc import Callable

#: The 42 letters of the Kazakh Cyrillic alphabet, in order.
KAZAKH = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
#: The 33 letters of the Russian alphabet, with the Kazakh letters of names such as «область Ұлытау»
#: placed after the Russian letter they are closest to (ә after а, ұ and ү after у, і after и, …).
RUSSIAN = "аәбвгғдеёжзиійкқлмнңоөпрстуұүфхһцчшщъыьэюя"
_ALPHABETS = {"kk": KAZAKH, "ru": RUSSIAN}
#: Generic words that come first in some official Russian names («область Абай», «область Жетісу»):
#: readers look such a name up under its proper part, so the collation key skips them.
_LEADING_GENERIC = {"ru": ("область ",)}


def _rank_table(alphabet: str) -> dict[str, int]:
    return {letter: i for i, letter in enumerate(alphabet)}


_RANKS = {lang: _rank_table(alphabet) for lang, alphabet in _ALPHABETS.items()}


def sort_key(lang: str) -> Callable[[str], tuple]:
    """A ``key=`` for ``sorted`` that orders names alphabetically in ``lang`` (kk, ru; en: case-folded).

    Spaces and punctuation sort before every letter (so «Алматы» precedes «Алматы облысы»); Latin
    letters and digits after the Cyrillic ones, in code-point order; ties are broken by the text itself
    so the order is total and stable.
    """
    ranks = _RANKS.get(lang)
    generic = _LEADING_GENERIC.get(lang, ())

    def key(text: str) -> tuple:
        folded = text.casefold()
        for word in generic:
            if folded.startswith(word):
                folded = folded[len(word) :]
                break
        if ranks is None:
            return (folded, text)
        return (tuple(_weight(ch, ranks) for ch in folded), text)

    return key


def _weight(ch: str, ranks: dict[str, int]) -> tuple[int, int]:
    if ch in ranks:
        return (1, ranks[ch])
    if ch.isalnum():
        return (2, ord(ch))
    return (0, ord(ch))
