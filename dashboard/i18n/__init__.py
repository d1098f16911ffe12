"""Kazakh, Russian and English: message catalogues (gettext ``.po`` via Babel) and number formats.

English strings are the message ids. Catalogues live in ``dashboard/i18n/locale/<lang>/LC_MESSAGES/
messages.po``; they are read with Babel at first use, so no compile step is needed. Update them with
``pybabel extract -F babel.cfg -o dashboard/i18n/messages.pot . && pybabel update -i
dashboard/i18n/messages.pot -d dashboard/i18n/locale``.
"""

from __future__ import annotations

import gettext as _gettext_module
from functools import cache
from importlib import resources

from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from dashboard.i18n.collation import sort_key  # noqa: F401  (re-exported: dashboard.i18n.sort_key)

LANGUAGES = ("kk", "ru", "en")
DEFAULT_LANGUAGE = "kk"
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
_LOCALES = {"kk": "kk_KZ", "ru": "ru_RU", "en": "en_US"}
#: Shown wherever the files hold no figure. Never a zero, never a blank.
NOT_REPORTED = "not reported"
#: Shown where a unit reported figures but not the one asked for (a share or a leader needs them all).
INCOMPLETE = "incomplete: some figures are not reported"
#: The page's ``<meta name="description">`` (English; the message id of its translations).
DESCRIPTION = "Official results of the elections of 19 March 2023 in Kazakhstan"


def N_(message: str) -> str:
    """Marks a message for the catalogue (pybabel extracts ``N_``); translated where it is shown."""
    return message


def normalise_language(lang: str | None) -> str:
    """``lang`` as one of ``LANGUAGES`` (case and surrounding spaces ignored: ``?lang=EN`` is English);
    anything else, a missing or a repeated parameter included, is the default language."""
    if isinstance(lang, str):
        lang = lang.strip().lower()
        if lang in LANGUAGES:
            return lang
    return DEFAULT_LANGUAGE


@cache
def _read(lang: str):
    """(singular messages, plural messages, plural function) of ``lang``'s catalogue."""
    if lang == "en":
        return {}, {}, _english_plural
    path = resources.files("dashboard.i18n").joinpath(f"locale/{lang}/LC_MESSAGES/messages.po")
    if not path.is_file():
        return {}, {}, _english_plural
    with path.open("rb") as f:
        catalog = read_po(f, locale=_LOCALES[lang])
    singular, plural = {}, {}
    for m in catalog:
        if not m.id or m.fuzzy:
            continue
        if isinstance(m.id, tuple):
            forms = tuple(m.string) if isinstance(m.string, tuple | list) else (m.string,)
            if forms and all(forms):
                plural[m.id[0]] = forms
        elif m.string:
            singular[m.id] = m.string
    # the catalogue's own Plural-Forms expression (Russian: three forms; Kazakh: one word form)
    return singular, plural, _gettext_module.c2py(catalog.plural_expr)


def _english_plural(n: int) -> int:
    return 0 if n == 1 else 1


def _catalogue(lang: str) -> dict[str, str]:
    return _read(lang)[0]


def gettext(message: str, lang: str) -> str:
    """``message`` (English) in ``lang``; the English text where a translation is missing."""
    return _catalogue(normalise_language(lang)).get(message, message)


def ngettext(singular: str, plural: str, n: int, lang: str) -> str:
    """The form of a message for the count ``n``, following the catalogue's plural rule.

    ``ngettext("{n} seat", "{n} seats", 22, "ru").format(n=22) == "22 мандата"``; the English forms
    where the catalogue has no (complete) translation.
    """
    lang = normalise_language(lang)
    _singles, plurals, rule = _read(lang)
    forms = plurals.get(singular)
    n = int(n)
    if not forms:
        return singular if _english_plural(n) == 0 else plural
    index = rule(n)
    return forms[index] if 0 <= index < len(forms) else forms[-1]


def translator(lang: str):
    """A ``_`` for one language: ``_ = translator("ru"); _("Turnout")``."""
    lang = normalise_language(lang)
    return lambda message, **kw: gettext(message, lang).format(**kw) if kw else gettext(message, lang)


def description(lang: str) -> str:
    """The page's meta description in ``lang``: search engines and link previews show it, so a Kazakh or
    Russian page should not describe itself in English."""
    return gettext(DESCRIPTION, lang)


def ntranslator(lang: str):
    """A plural ``n_`` for one language: ``n_ = ntranslator("ru"); n_("{n} seat", "{n} seats", 5)``.

    ``n`` is formatted for the language and passed as ``{n}``, with any other keyword arguments.
    """
    lang = normalise_language(lang)

    def n_(singular: str, plural: str, n: int, **kw) -> str:
        return ngettext(singular, plural, n, lang).format(n=format_number(n, lang), **kw)

    return n_


def is_missing(value) -> bool:
    """None, NaN or pandas' NA: a figure the files do not report."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:  # pd.NA refuses to be a bool
        return True


def format_number(value, lang: str) -> str:
    """An integer count: ``3 431 510`` in kk/ru (no-break spaces), ``3,431,510`` in en."""
    if is_missing(value):
        return gettext(NOT_REPORTED, lang)
    return format_decimal(int(value), format="#,##0", locale=_LOCALES[normalise_language(lang)])


def format_pct(value, lang: str, digits: int = 2) -> str:
    """A percentage: ``53,90 %`` in kk/ru, ``53.90%`` in en; the missing text in the language for None.

    Rounds the printed decimal (Babel: 2.675 reads 2.68) and knows no threshold: not
    ``dashboard.electoral.rounding.format_plain_pct`` (language-free text, never rounded across a
    threshold), which the summary text and the progress line use."""
    if is_missing(value):
        return gettext(NOT_REPORTED, lang)
    lang = normalise_language(lang)
    text = format_decimal(float(value), format="0." + "0" * digits if digits else "0", locale=_LOCALES[lang])
    return f"{text}%" if lang == "en" else f"{text}\u00a0%"


def format_float(value, lang: str, digits: int = 2, *, signed: bool = False) -> str:
    """A decimal that is not a percentage (a z-score, a change in points): ``13,34`` in kk/ru, ``13.34`` in
    en; a negative value with a minus sign (−8,7), never a hyphen; ``signed`` puts "+" before a positive
    one. Data tables and flag texts use it, so a Kazakh or Russian page never shows "+13.34" or "-0.1"."""
    if is_missing(value):
        return gettext(NOT_REPORTED, lang)
    lang = normalise_language(lang)
    value = float(value)
    text = format_decimal(abs(value), format="0." + "0" * digits if digits else "0", locale=_LOCALES[lang])
    zero = not any(ch in "123456789" for ch in text)  # rounds to zero: no sign
    sign = "" if zero else "−" if value < 0 else "+" if signed else ""
    return sign + text
