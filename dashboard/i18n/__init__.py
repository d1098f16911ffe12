"""Kazakh, Russian and English: message catalogues (gettext ``.po`` via Babel) and number formats.

English strings are the message ids. Catalogues live in ``dashboard/i18n/locale/<lang>/LC_MESSAGES/
messages.po``; they are read with Babel at first use, so no compile step is needed. Update them with
``pybabel extract -F babel.cfg -o dashboard/i18n/messages.pot . && pybabel update -i
dashboard/i18n/messages.pot -d dashboard/i18n/locale``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LANGUAGES = ("kk", "ru", "en")
DEFAULT_LANGUAGE = "kk"
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
_LOCALES = {"kk": "kk_KZ", "ru": "ru_RU", "en": "en_US"}
#: Shown wherever the files hold no figure. Never a zero, never a blank.
NOT_REPORTED = "not reported"


def normalise_language(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


@cache
def _catalogue(lang: str) -> dict[str, str]:
    if lang == "en":
        return {}
    path = resources.files("dashboard.i18n").joinpath(f"locale/{lang}/LC_MESSAGES/messages.po")
    if not path.is_file():
        return {}
    with path.open("rb") as f:
        catalog = read_po(f, locale=_LOCALES[lang])
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


def gettext(message: str, lang: str) -> str:
    """``message`` (English) in ``lang``; the English text where a translation is missing."""
    return _catalogue(normalise_language(lang)).get(message, message)


def translator(lang: str):
    """A ``_`` for one language: ``_ = translator("ru"); _("Turnout")``."""
    lang = normalise_language(lang)
    return lambda message, **kw: gettext(message, lang).format(**kw) if kw else gettext(message, lang)


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
    """A percentage: ``53,90 %`` in kk/ru, ``53.90%`` in en."""
    if is_missing(value):
        return gettext(NOT_REPORTED, lang)
    lang = normalise_language(lang)
    text = format_decimal(float(value), format="0." + "0" * digits if digits else "0", locale=_LOCALES[lang])
    return f"{text}%" if lang == "en" else f"{text}\u00a0%"
