"""A region's name as a map draws it: one rule for every chart that labels regions (the map, the turnout
chart's region names), in a module of its own so that those charts need not import each other."""

from __future__ import annotations

from dashboard.figures.text import literal
from dashboard.regions import regions, unit_name

#: The word a region's name carries that its label on the map can do without ("Kostanay Region").
_KIND_WORDS = {"en": ("Region",), "ru": ("область",), "kk": ("облысы",)}
#: A label longer than this goes on two lines (at the break nearest its middle).
LABEL_LINE_CHARS = 12


def map_label(key: str, lang: str, units=None) -> str:
    """A region's name as its map label: without "Region"/«область»/«облысы» (the hover and the table give
    the full name), on two lines when long — full names overlapped on a 700 px embed («Костанайская
    область» ran into «Акмолинская область»). Kept whole where the short form is a city's name (Almaty
    Region beside the city of Almaty). Plotly text: the name ``literal``, the line break ``<br>``."""
    name = unit_name(key, lang) if units is None else units.unit_name(key, lang)
    words = [w for w in name.split(" ") if w not in _KIND_WORDS.get(lang, ())]
    short = " ".join(words)
    if short in {r.name(lang) for r in regions() if r.kind == "city"}:
        short = name
    breaks = [i for i, ch in enumerate(short) if ch in " -"]
    if len(short) <= LABEL_LINE_CHARS or not breaks:
        return literal(short)
    i = min(breaks, key=lambda b: abs(b - len(short) / 2))
    keep = i + 1 if short[i] == "-" else i  # a hyphen stays at the end of the first line
    return literal(short[:keep]) + "<br>" + literal(short[i + 1 :])
