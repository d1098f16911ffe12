"""The choropleth of the 20 regions and cities, drawn on a plotly ``geo`` subplot (no tiles, no third-party
requests) from a GeoJSON **URL** (the geometry is never inlined in the figure).

Traces, always in this order (``MAIN``, ``MISSING``, ``CITIES``):

0. ``go.Choropleth`` of all 20 region keys (registry order), ``z`` = the value or ``None``;
1. ``go.Choropleth`` of the same 20 keys, ``z`` = 1 where the value is not reported, ``None`` elsewhere,
   filled mid-grey with "not reported" hover (a unit with no figure is grey, never a zero colour); ``z`` =
   2, filled sand, where the unit has figures but not this one ("incomplete": e.g. a maslikhat missing two
   parties' votes has no leader), so a unit that reported is never drawn as one that did not;
2. ``go.Scattergeo`` markers for the three cities (tiny at country scale), ``customdata`` = unit key,
   coloured like their map value, so a click on a marker opens the city like a click on its polygon, and
   outlined in the colour contrasting with that fill (visible on a region of the same colour).

Switching mode (or time, or party) only changes the properties listed by ``map_patch_values`` — the page
recolours with a Dash ``Patch`` instead of resending the figure::

    patch = Patch()
    apply_map_patch(patch, map_patch_values(values, mode="turnout", parties=parties, lang=lang))

``choropleth_map`` itself builds the static part and then applies the very same changes, so a patched
figure is identical to a freshly built one.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence

import plotly.colors as pcolors
import plotly.graph_objects as go

from dashboard.boundaries import UNITS_2023, BoundarySet, boundary_set
from dashboard.figures.common import (
    MAP_INCOMPLETE_COLOUR,
    MAP_NOT_REPORTED_COLOUR,
    base_layout,
    fmt_pct,
    missing,
    party_colour,
    party_label,
    party_lookup,
)
from dashboard.figures.text import literal, plain
from dashboard.i18n import INCOMPLETE, NOT_REPORTED, translator
from dashboard.model import Party

MODES = ("leading", "party", "turnout", "against_all")
#: The frame of the map: Kazakhstan's extent (with a small margin) in a conic projection centred on it.
#: Explicit ranges, not ``fitbounds="locations"``: with plotly.js 4.1 ``fitbounds`` plus a projection
#: rotation collapses the map to a dot, ``fitbounds`` without rotation leaves ~40 % of the frame empty, and
#: ``fitbounds`` follows only the units drawn (the frame would move when a recolour changes them).
LON_RANGE = (46.3, 87.5)
LAT_RANGE = (40.4, 55.6)
CENTER = {"lon": 67.0, "lat": 48.0}
MAIN, MISSING, CITIES = 0, 1, 2
CITY_KEYS = ("astana", "almaty", "shymkent")
#: Where each city's name sits beside its marker: away from the region labels around it (Akmola's to the
#: north-west of Astana, Almaty Region's just north of Almaty, Turkistan's north-west of Shymkent).
CITY_LABEL_POSITIONS = {"astana": "middle right", "almaty": "bottom center", "shymkent": "bottom center"}

#: Colour-blind-safe, perceptually uniform sequential scale for turnout.
TURNOUT_SCALE = "Viridis"
#: Turnout was coloured on a fixed 0–100 % range: regions at 42–67 % looked alike and Almaty's 25.8 % was
#: an unlabelled dark dot. Every numeric map is now coloured on the range of the values it shows,
#: rounded outwards to this step (``fitted_range``), both ends labelled on the colour bar; a page that
#: shows several report times passes one ``zrange`` fitted to all of them.
RANGE_STEP = 5.0
#: Sequential purple for "against all" (kept away from the not-reported grey).
AGAINST_ALL_SCALE = [[0.0, "#efedf5"], [0.5, "#9e9ac8"], [1.0, "#3f007d"]]


def _mix_with_white(hex_colour: str, share: float) -> str:
    """``share`` of the colour, the rest white (a light tint for the low end of a party's scale)."""
    r, g, b = pcolors.hex_to_rgb(hex_colour)
    mix = [round(255 - (255 - c) * share) for c in (r, g, b)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def leading_colorscale(colours: Sequence[str]) -> list[list]:
    """A stepped scale: with ``zmin=-0.5, zmax=n-0.5`` the integer ``i`` gets exactly ``colours[i]``."""
    n = len(colours)
    if n == 0:
        return [[0.0, MAP_NOT_REPORTED_COLOUR], [1.0, MAP_NOT_REPORTED_COLOUR]]
    scale: list[list] = []
    for i, colour in enumerate(colours):
        scale.append([i / n, colour])
        scale.append([(i + 1) / n, colour])
    return scale


def colour_at(scale, zmin: float, zmax: float, value: float) -> str:
    """The colour plotly gives ``value`` on ``scale`` between ``zmin`` and ``zmax`` (for the city markers)."""
    pos = 0.0 if zmax <= zmin else min(1.0, max(0.0, (float(value) - zmin) / (zmax - zmin)))
    if isinstance(scale, str):
        scale = pcolors.get_colorscale(scale)
    # A stepped scale repeats positions; pick the step the value falls in (sample_colorscale would blend).
    for (p0, c0), (p1, _c1) in zip(scale, scale[1:], strict=False):
        if p0 <= pos < p1 and c0 == _c1:
            return _as_rgb(c0)
    return pcolors.sample_colorscale(scale, [pos])[0]


#: A city marker is filled like its own region, so where the city and the region around it share a
#: value it would vanish into it; its outline contrasts with that very fill (``outline_for``).
CITY_OUTLINE_WIDTH = 2.5
DARK_OUTLINE, LIGHT_OUTLINE = "#1a1a1a", "#ffffff"


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance (0 black … 1 white) of a ``#rrggbb`` or ``rgb(r, g, b)`` colour."""
    rgb = pcolors.hex_to_rgb(colour) if colour.startswith("#") else pcolors.unlabel_rgb(colour)
    linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def outline_for(fill: str) -> str:
    """The outline (near-black or white) with the higher WCAG contrast against ``fill``: the marker stays
    visible on a region of its own colour, whatever the scale (viridis runs from dark to light)."""
    lum = relative_luminance(fill)
    on_dark = (1.05) / (lum + 0.05)
    on_light = (lum + 0.05) / (relative_luminance(DARK_OUTLINE) + 0.05)
    return LIGHT_OUTLINE if on_dark >= on_light else DARK_OUTLINE


def _as_rgb(colour: str) -> str:
    if colour.startswith("#"):
        return "rgb({}, {}, {})".format(*pcolors.hex_to_rgb(colour))
    return colour


def fitted_range(numbers: Sequence[float], step: float = RANGE_STEP) -> tuple[float, float]:
    """The colour range of ``numbers`` (percent), rounded outwards to ``step``: 25.8–67.1 -> (25, 70)."""
    return _nice_range(numbers, step) if numbers else (0.0, 100.0)


def scale_ticks(zmin: float, zmax: float) -> list[float]:
    """Colour-bar ticks with both ends labelled (a scale that starts at 25 % must say so), and round
    values between them, none crowding an end."""
    step = 10.0 if zmax - zmin >= 30 else RANGE_STEP
    inner = [v * step for v in range(math.ceil(zmin / step), math.floor(zmax / step) + 1)]
    inner = [v for v in inner if zmin + 0.6 * step <= v <= zmax - 0.6 * step]  # "25 30" ran together
    return [zmin, *inner, zmax]


def _nice_range(numbers: Sequence[float], step: float) -> tuple[float, float]:
    lo = math.floor(min(numbers) / step) * step
    hi = math.ceil(max(numbers) / step) * step
    if hi <= lo:
        hi = lo + step
    if max(numbers) <= 100:
        hi = min(100.0, hi)
    return max(0.0, lo), hi


#: A party name longer than this is put on two lines in the map's key; up to this many parties' names
#: are written level.
KEY_LINE_CHARS = 9
KEY_FLAT_MAX = 4


def _key_label(name: str) -> str:
    """A party's name for the leading-party key, its words on two lines when long: one band of the key is
    a quarter of a phone's width, and plotly tilted long names and hid the last one ("Народная партия")."""
    words = name.split(" ")
    if len(name) <= KEY_LINE_CHARS or len(words) == 1:
        return name
    half = max(range(1, len(words)), key=lambda i: -abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
    return " ".join(words[:half]) + "<br>" + " ".join(words[half:])


def _colorbar(title: str, **extra) -> dict:
    bar = {
        "title": {"text": title, "side": "top"},
        "orientation": "h",
        "x": 0.5,
        "xanchor": "center",
        "y": 0.0,
        "yanchor": "top",
        "len": 0.9,
        "thickness": 10,
        "outlinewidth": 0,
        "ticks": "outside",
    }
    bar.update(extra)
    return bar


def map_patch_values(
    values: Mapping[str, object],
    *,
    mode: str,
    parties: Sequence[Party],
    lang: str,
    party: str | None = None,
    zrange: tuple[float, float] | None = None,
    title: str | None = None,
    time_label: str | None = None,
    cities: Sequence[str] = CITY_KEYS,
    incomplete: Collection[str] = (),
    centre: tuple[float, str] | None = None,
    leading_label: str | None = None,
    of_took_part: bool = False,
    units: BoundarySet | None = None,
) -> list[tuple[tuple, object]]:
    """Everything that changes between modes, as ``(path, value)`` pairs into the figure's JSON.

    Paths (``("data", 0, "z")`` …) are the only properties that differ between two maps of the same
    geometry: trace 0 ``z``/``zmin``/``zmax``/``colorscale``/``colorbar``/``hovertext``; trace 1 ``z``/
    ``hovertext``; trace 2 ``marker.color``/``marker.line.color``/``hovertext``; ``layout.title.text``; ``layout.meta``.

    ``values``: unit key -> number (``party``/``turnout``/``against_all`` modes, in percent) or party key
    (``leading`` mode); a missing key, ``None`` or NaN means "not reported". ``party`` names the party of
    ``party`` mode. ``zrange`` fixes the scale (e.g. 0–100, or the same range across report times).
    ``cities``: the city markers the figure has (the keys of the ``city_points`` it was built with).
    ``incomplete``: units without a value that did report figures (drawn sand, "incomplete", not grey).
    ``centre``: (a share, the colour below it) — a ``party`` map on a diverging scale centred there (a
    referendum's yes share around 50 %: the no colour below, white at half, the yes colour above, the range
    symmetric so half is the scale's middle). ``leading_label``: what leads (a candidate, an answer) for
    the ``leading`` map's title, key and table, instead of "Leading party". ``of_took_part``: a
    ``party`` map's share is of those who took part (a candidate's, an answer's), and says so — "share of
    the vote" read as of the valid votes.
    """
    if mode not in MODES:
        raise ValueError(f"unknown map mode {mode!r}; expected one of {MODES}")
    _ = translator(lang)
    lookup = party_lookup(parties)
    bset = of_the_day(units)
    keys = bset.unit_keys()
    names = [bset.unit_name(k, lang) for k in keys]
    raw = [values.get(k) for k in keys]
    present = [not missing(v) for v in raw]
    partial = [not ok and k in incomplete for k, ok in zip(keys, present, strict=True)]
    not_reported = _(NOT_REPORTED)
    gap_texts = [_(INCOMPLETE) if part else not_reported for part in partial]

    if mode == "leading":
        # The scale lists only the parties leading somewhere (election order), then any other key
        # (against_all, independent); index i of ``order`` is painted ``colours[i]``.
        leaders = {str(v) for v, ok in zip(raw, present, strict=True) if ok}
        order = [p.key for p in parties if p.key in leaders]
        order += sorted(leaders - set(order))
        colours = [party_colour(k, lookup) for k in order]
        z = [order.index(v) if ok else None for v, ok in zip(raw, present, strict=True)]
        zmin, zmax = -0.5, len(order) - 0.5
        scale = leading_colorscale(colours)
        colorbar = _colorbar(
            _("Leading party") if leading_label is None else leading_label,
            tickmode="array",
            tickvals=list(range(len(order))),
            ticktext=[_key_label(literal(party_label(k, lookup, lang))) for k in order],
            ticks="",
            # level names fit four bands on a phone; with more, plotly tilts them (none hidden: "allow")
            **({"tickangle": 0} if len(order) <= KEY_FLAT_MAX else {}),
            ticklabeloverflow="allow",
        )
        texts = [
            party_label(str(v), lookup, lang) if ok else gap
            for v, ok, gap in zip(raw, present, gap_texts, strict=True)
        ]
        hover_value = [
            _("Leading: {party}", party=literal(t)) if ok else t for t, ok in zip(texts, present, strict=True)
        ]
        default_title = _("Leading party by region") if leading_label is None else leading_label
        table_header = drawn_header = _("Leading party") if leading_label is None else leading_label
    else:
        z = [float(v) if ok else None for v, ok in zip(raw, present, strict=True)]
        numbers = [v for v in z if v is not None]
        zmin, zmax = (float(x) for x in (zrange if zrange is not None else fitted_range(numbers)))
        if mode == "turnout":
            scale = TURNOUT_SCALE
            default_title = _("Turnout by region")
            table_header = drawn_header = _("Turnout")
        elif mode == "against_all":
            scale = AGAINST_ALL_SCALE
            default_title = _("Against all by region")
            table_header = drawn_header = _("Against all")
        else:
            if party is None:
                raise ValueError("party mode needs party=<party key>")
            colour = party_colour(party, lookup)
            scale = [[0.0, _mix_with_white(colour, 0.12)], [1.0, colour]]
            if centre is not None:
                half, below = centre
                scale = [[0.0, below], [0.5, "#f7f7f7"], [1.0, colour]]
                reach = max([abs(v - half) for v in numbers] + [RANGE_STEP])
                reach = math.ceil(reach / RANGE_STEP) * RANGE_STEP
                zmin, zmax = half - reach, half + reach
            pname = party_label(party, lookup, lang)
            if of_took_part:
                default_title = _("{party}: share of those who took part, by region", party=literal(pname))
                table_header = _("{party}, share of those who took part", party=pname)
                drawn_header = _("{party}, share of those who took part", party=literal(pname))
            else:
                default_title = _("{party}: share of the vote by region", party=literal(pname))
                table_header = _("{party}, share of the vote", party=pname)
                drawn_header = _("{party}, share of the vote", party=literal(pname))
        colorbar = _colorbar(
            drawn_header,
            ticksuffix="%" if lang == "en" else "\u00a0%",
            tickmode="array",
            tickvals=scale_ticks(zmin, zmax),
        )
        texts = [fmt_pct(v, lang) if v is not None else gap for v, gap in zip(z, gap_texts, strict=True)]
        hover_value = [f"{drawn_header}: {t}" if ok else t for t, ok in zip(texts, present, strict=True)]

    if time_label:
        default_title = _("{title} — {time}", title=default_title, time=literal(time_label))
    drawn_names = [literal(n) for n in names]
    hover_main = [f"<b>{n}</b><br>{h}" for n, h in zip(drawn_names, hover_value, strict=True)]
    missing_z = [None if ok else 2 if part else 1 for ok, part in zip(present, partial, strict=True)]
    hover_missing = [f"<b>{n}</b><br>{gap}" for n, gap in zip(drawn_names, gap_texts, strict=True)]

    city_colours = []
    city_hover = []
    for key in cities:
        i = keys.index(key)
        gap_colour = MAP_INCOMPLETE_COLOUR if partial[i] else MAP_NOT_REPORTED_COLOUR
        city_colours.append(colour_at(scale, zmin, zmax, z[i]) if present[i] else gap_colour)
        city_hover.append(hover_main[i] if present[i] else hover_missing[i])
    city_outlines = [outline_for(c) for c in city_colours]

    reported = sum(present)
    alt = _(
        "{title}. Figures for {reported} of {total} regions and cities; the others are not reported.",
        title=plain(default_title if title is None else title),
        reported=reported,
        total=len(keys),
    )
    meta = {
        "alt": alt,
        "columns": [_("Region"), table_header],
        "rows": [[n, t] for n, t in zip(names, texts, strict=True)],
    }
    return [
        (("data", MAIN, "z"), z),
        (("data", MAIN, "zmin"), zmin),
        (("data", MAIN, "zmax"), zmax),
        (("data", MAIN, "colorscale"), scale),
        (("data", MAIN, "colorbar"), colorbar),
        (("data", MAIN, "hovertext"), hover_main),
        (("data", MISSING, "z"), missing_z),
        (("data", MISSING, "hovertext"), hover_missing),
        (("data", CITIES, "marker", "color"), city_colours),
        (("data", CITIES, "marker", "line", "color"), city_outlines),
        (("data", CITIES, "hovertext"), city_hover),
        (("layout", "title", "text"), default_title if title is None else title),
        (("layout", "meta"), meta),
    ]


def apply_map_patch(target, changes: Sequence[tuple[tuple, object]]):
    """Write ``map_patch_values`` changes into anything indexable: a Dash ``Patch``, or a figure's JSON dict."""
    for path, value in changes:
        node = target
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value
    return target


def of_the_day(units: BoundarySet | None) -> BoundarySet:
    """The units a map draws: its election's boundary set (``units``; 17 before 8 June 2022), else today's 20.
    A map's ``geojson_url`` must be the same set's file, or its locations would not match the features."""
    return units if units is not None else boundary_set(UNITS_2023)


def choropleth_map(
    values: Mapping[str, object],
    *,
    mode: str,
    geojson_url: str,
    parties: Sequence[Party],
    lang: str,
    city_points: Mapping[str, tuple[float, float]] | None = None,
    party: str | None = None,
    zrange: tuple[float, float] | None = None,
    title: str | None = None,
    time_label: str | None = None,
    incomplete: Collection[str] = (),
    units: BoundarySet | None = None,
) -> go.Figure:
    """The map of one figure per region/city. See the module docstring for the traces and the patch.

    ``geojson_url``: URL of the regions GeoJSON (features with ``id`` = region key); must be a string.
    ``city_points``: {city key: (lon, lat)}; default ``dashboard.geodata.city_points()`` when available,
    no city markers otherwise (the trace is still there, empty, so trace indices never move).
    """
    if not isinstance(geojson_url, str):
        raise TypeError("geojson_url must be a URL string: the geometry is never inlined in the figure")
    if city_points is None:
        city_points = _default_city_points()
    bset = of_the_day(units)
    keys = list(bset.unit_keys())
    lookup = {r.key: r for r in bset.units}
    cities = [k for k in CITY_KEYS if k in city_points]
    common = {
        "geojson": geojson_url,
        "featureidkey": "id",
        "locations": keys,
        "customdata": keys,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "marker": {"line": {"color": "#ffffff", "width": 0.8}},
    }
    fig = go.Figure()
    fig.add_trace(go.Choropleth(name="values", showscale=True, **common))
    fig.add_trace(
        go.Choropleth(
            name="not_reported",
            showscale=False,
            colorscale=[[0.0, MAP_NOT_REPORTED_COLOUR], [0.5, MAP_NOT_REPORTED_COLOUR],
                        [0.5, MAP_INCOMPLETE_COLOUR], [1.0, MAP_INCOMPLETE_COLOUR]],
            zmin=1,
            zmax=2,
            **common,
        )
    )
    fig.add_trace(
        go.Scattergeo(
            name="cities",
            lon=[city_points[k][0] for k in cities],
            lat=[city_points[k][1] for k in cities],
            customdata=cities,
            text=[literal(lookup[k].name(lang)) for k in cities],
            mode="markers+text",  # named: three unlabelled dots said nothing on a phone
            textposition=[CITY_LABEL_POSITIONS[k] for k in cities],
            textfont={"size": 12, "color": "#1a1a1a"},
            marker={"size": 14, "symbol": "circle", "line": {"width": CITY_OUTLINE_WIDTH}, "opacity": 1},
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
        )
    )
    base_layout(fig, lang, "")
    fig.update_geos(
        visible=False,
        fitbounds=False,
        projection={"type": "conic conformal", "parallels": [45, 52], "rotation": {"lon": CENTER["lon"]}},
        lonaxis={"range": list(LON_RANGE)},
        lataxis={"range": list(LAT_RANGE)},
        center=CENTER,
        showland=False,
        showcountries=False,
        showcoastlines=False,
        showframe=False,
        showlakes=False,
        showocean=False,
        showrivers=False,
        showsubunits=False,
        bgcolor="rgba(0,0,0,0)",
    )
    fig.update_layout(
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        dragmode=False,
        margin={"l": 0, "r": 0, "t": 40, "b": 56},
        showlegend=False,
        clickmode="event",
    )
    changes = map_patch_values(
        values,
        mode=mode,
        parties=parties,
        lang=lang,
        party=party,
        zrange=zrange,
        title=title,
        time_label=time_label,
        cities=cities,
        incomplete=incomplete,
        units=units,
    )
    return go.Figure(apply_map_patch(fig.to_dict(), changes))


def _default_city_points() -> dict[str, tuple[float, float]]:
    try:
        from dashboard.geodata import city_points  # the geodata engineer's registry of city centres
    except ImportError:
        return {}
    return dict(city_points())
