"""Boundary sets: which units a vote was counted in, and what they were called on its day.

Kazakhstan's first-level units changed on 8 June 2022, when three regions were carved out of old
ones (Abai out of East Kazakhstan, Zhetysu out of Almaty Region, Ulytau out of Karaganda), and the
capital was called Nur-Sultan from 23 March 2019 to 17 September 2022. A vote is drawn, tabled and
compared on the units *of its day*, so every election names a boundary set (``election.json``
``"boundaries"``; absent: the set in force on its date, ``for_date``).

**Keys stay stable; names belong to the set.** A unit keeps its registry key across sets when it is
the same body (``astana`` is the capital whether called Astana or Nur-Sultan; ``east_kazakhstan`` is
East Kazakhstan Region before and after Abai left it), so a turnout series or a comparison joins on the
key. What a key *covers* differs between sets: ``covers`` says which of today's units a unit of an older
set is made of, so two votes on different borders compare on the coarser set by summing counts of
today's units (never by averaging percentages). The names a page shows are the set's (``unit_name``).

Pure core: no dash, no flask, no geopandas. The maps are built files (``geodata/<set>.geojson``,
``python -m dashboard geodata build``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from dashboard.regions import NATIONAL, Region, regions
from dashboard.regions import unit_name as _today_unit_name

#: The set before 8 June 2022: 14 regions and 3 cities (the votes of 2019, January 2021 and 5 June 2022).
UNITS_2022 = "units_2022"
#: The set since 8 June 2022: 17 regions and 3 cities (the votes from November 2022 on).
UNITS_2023 = "units_2023"
#: The first day of the 20-unit set, as the project's reference data states it (sources/history/README.md);
#: the act that formed Abai, Zhetysu and Ulytau regions and its date of force: to be checked.
SPLIT_DATE = "2022-06-08"

#: Today's units that an older unit was made of: the three regions formed on 8 June 2022, each with
#: the region it was part of.
MERGED_BEFORE_SPLIT: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "east_kazakhstan": ("east_kazakhstan", "abai"),
        "almaty_region": ("almaty_region", "zhetysu"),
        "karaganda": ("karaganda", "ulytau"),
    }
)

#: Names that differ from today's in a set: the capital was Nur-Sultan from 23 March 2019 to
#: 17 September 2022.
_NAMES_OF_THE_DAY: Mapping[str, Mapping[str, dict]] = MappingProxyType(
    {UNITS_2022: {"astana": {"kk": "Нұр-Сұлтан", "ru": "Нур-Султан", "en": "Nur-Sultan"}}}
)


@dataclass(frozen=True)
class BoundarySet:
    key: str
    #: First and last day the set was in force (ISO dates; None = open).
    valid_from: str | None
    valid_until: str | None
    #: The set's units in today's registry order, with the names of the day.
    units: tuple[Region, ...]
    #: Unit key -> the keys of today's units it is made of (a unit that did not change covers itself).
    covers: Mapping[str, tuple[str, ...]]
    #: The built map, a file name under ``geodata/``.
    geojson: str
    #: What the set is, for a caption.
    names: Mapping[str, str]

    def unit_keys(self) -> tuple[str, ...]:
        return tuple(u.key for u in self.units)

    def unit(self, key: str) -> Region:
        """The unit of this set with this key; KeyError for anything else."""
        for u in self.units:
            if u.key == key:
                return u
        raise KeyError(key)

    def unit_name(self, unit: str, lang: str = "en") -> str:
        """Display name of a reporting unit in this set (the country, a unit of the set, or a station)."""
        head, _, code = unit.partition("/")
        if head in self.unit_keys():
            name = self.unit(head).name(lang)
            return f"{name} · {code}" if code else name
        return _today_unit_name(unit, lang)

    def unit_of(self, today_key: str) -> str:
        """The unit of this set that today's unit ``today_key`` lies in (``abai`` -> ``east_kazakhstan``)."""
        for key, parts in self.covers.items():
            if today_key in parts:
                return key
        raise KeyError(today_key)


def _units_2022() -> tuple[Region, ...]:
    gone = {k for parts in MERGED_BEFORE_SPLIT.values() for k in parts} - set(MERGED_BEFORE_SPLIT)
    names = _NAMES_OF_THE_DAY[UNITS_2022]
    return tuple(
        Region(r.key, r.iso_3166_2, r.kind, dict(names.get(r.key, r.names)))
        for r in regions()
        if r.key not in gone
    )


@cache
def boundary_sets() -> tuple[BoundarySet, ...]:
    """Every boundary set, oldest first."""
    old = _units_2022()
    return (
        BoundarySet(
            key=UNITS_2022,
            valid_from=None,
            valid_until="2022-06-07",
            units=old,
            covers=MappingProxyType({u.key: MERGED_BEFORE_SPLIT.get(u.key, (u.key,)) for u in old}),
            geojson="units_2022.geojson",
            names=MappingProxyType(
                {
                    "kk": "2022 жылғы 8 маусымға дейінгі 17 өңір",
                    "ru": "17 регионов до 8 июня 2022 года",
                    "en": "the 17 units before 8 June 2022",
                }
            ),
        ),
        BoundarySet(
            key=UNITS_2023,
            valid_from=SPLIT_DATE,
            valid_until=None,
            units=regions(),
            covers=MappingProxyType({r.key: (r.key,) for r in regions()}),
            geojson="regions.geojson",
            names=MappingProxyType(
                {
                    "kk": "2022 жылғы 8 маусымнан бергі 20 өңір",
                    "ru": "20 регионов с 8 июня 2022 года",
                    "en": "the 20 units since 8 June 2022",
                }
            ),
        ),
    )


def boundary_set(key: str) -> BoundarySet:
    """The set with this key; KeyError (naming the known keys) for anything else."""
    for s in boundary_sets():
        if s.key == key:
            return s
    raise KeyError(f"unknown boundary set {key!r}; known: {', '.join(s.key for s in boundary_sets())}")


def for_date(date: str) -> BoundarySet:
    """The set in force on an ISO date (``YYYY-MM-DD``; ISO dates compare as text)."""
    return boundary_set(UNITS_2022 if date < SPLIT_DATE else UNITS_2023)


def for_election(election) -> BoundarySet:
    """The set an election names in ``election.json`` (``"boundaries"``), else the one of its date."""
    extra = getattr(election, "extra", None) or {}
    key = extra.get("boundaries")
    return boundary_set(key) if isinstance(key, str) else for_date(election.date)


def is_unit(boundaries: BoundarySet, unit: str) -> bool:
    """Whether ``unit`` (``kz``, a unit key or ``unit/CODE``) belongs to the set."""
    head = unit.split("/", 1)[0]
    return head == NATIONAL or head in boundaries.unit_keys()
