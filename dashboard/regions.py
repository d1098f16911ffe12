"""The one region registry of the project: 17 regions and 3 cities of national significance.

Ingestion, geodata and the UI all key on ``Region.key``; nothing else may invent region lists.
The registry is read once from ``dashboard/data/regions.csv`` (copied from the project's reference data).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from dashboard.i18n.collation import sort_key

#: The pseudo-unit for the whole country (national totals as the commission reports them).
NATIONAL = "kz"
#: Polling stations abroad, reported by the commission as their own unit.
ABROAD = "abroad"
LANGUAGES = ("kk", "ru", "en")


@dataclass(frozen=True)
class Region:
    key: str
    iso_3166_2: str
    kind: str  # "region" or "city"
    names: dict  # {"kk": …, "ru": …, "en": …}

    def name(self, lang: str = "en") -> str:
        return self.names.get(lang) or self.names["en"]


@cache
def regions() -> tuple[Region, ...]:
    """All 20 units in registry order (regions by ISO code, then the three cities)."""
    text = resources.files("dashboard.data").joinpath("regions.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return tuple(
        Region(
            key=r["key"],
            iso_3166_2=r["iso_3166_2"],
            kind=r["kind"],
            names={"en": r["name_en"], "ru": r["name_ru"], "kk": r["name_kk"]},
        )
        for r in rows
    )


@cache
def ordered(lang: str = "en") -> tuple[Region, ...]:
    """The 20 units in the alphabetical order of ``lang``'s names, for pickers and lists a reader scans.

    Not code-point order (which puts Қарағанды and Ұлытау after Я); Russian names such as «область Абай»
    sort under their proper part (А). Figures keep the registry order (``regions()``).
    """
    key = sort_key(lang)
    return tuple(sorted(regions(), key=lambda r: key(r.name(lang))))


@cache
def region_keys() -> tuple[str, ...]:
    return tuple(r.key for r in regions())


@cache
def _by_key() -> dict[str, Region]:
    return {r.key: r for r in regions()}


def region(key: str) -> Region:
    """The region with this key; KeyError for anything else (``kz``/``abroad`` are not regions)."""
    return _by_key()[key]


def is_region(key: str) -> bool:
    return key in _by_key()


def unit_name(unit: str, lang: str = "en") -> str:
    """Display name of any reporting unit: a region, the country, abroad, or a station code."""
    if unit in _by_key():
        return _by_key()[unit].name(lang)
    if unit == NATIONAL:
        return {"en": "Kazakhstan", "ru": "Казахстан", "kk": "Қазақстан"}.get(lang, "Kazakhstan")
    if unit == ABROAD:
        return {"en": "Abroad", "ru": "За рубежом", "kk": "Шетелде"}.get(lang, "Abroad")
    head, _, code = unit.partition("/")
    if code and head in _by_key():
        return f"{_by_key()[head].name(lang)} · {code}"
    return unit


def top_unit(unit: str) -> str:
    """The region key (or ``kz``/``abroad``) a reporting unit belongs to: ``astana/0123`` -> ``astana``."""
    return unit.split("/", 1)[0]
