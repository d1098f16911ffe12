import copy
import math

import plotly.colors as pcolors
import plotly.graph_objects as go
import pytest

from dashboard.figures.common import MAP_INCOMPLETE_COLOUR, MAP_NOT_REPORTED_COLOUR
from dashboard.figures.maps import (
    CITIES,
    MAIN,
    MISSING,
    apply_map_patch,
    choropleth_map,
    colour_at,
    leading_colorscale,
    map_patch_values,
)
from dashboard.regions import region_keys

URL = "/assets/geodata/regions.geojson"
CITY_POINTS = {"astana": (71.43, 51.13), "almaty": (76.9, 43.24), "shymkent": (69.6, 42.32)}


def build(values, mode="turnout", lang="en", parties=(), **kw):
    return choropleth_map(
        values, mode=mode, geojson_url=URL, parties=parties, lang=lang, city_points=CITY_POINTS, **kw
    )


def turnout_values():
    return {k: 40.0 + i for i, k in enumerate(region_keys()) if k not in ("atyrau", "almaty")}


def test_traces_geojson_url_and_locations():
    fig = build(turnout_values())
    assert [type(t) for t in fig.data] == [go.Choropleth, go.Choropleth, go.Scattergeo]
    for trace in fig.data[:2]:
        assert trace.geojson == URL and isinstance(trace.geojson, str)
        assert trace.featureidkey == "id"
        assert list(trace.locations) == list(region_keys()) and len(trace.locations) == 20
    assert "mapbox" not in fig.to_plotly_json()["layout"] and "map" not in fig.to_plotly_json()["layout"]


def test_geometry_is_never_inlined():
    with pytest.raises(TypeError):
        choropleth_map({}, mode="turnout", geojson_url={"type": "FeatureCollection"}, parties=(), lang="en")


def test_geo_base_layers_off_and_mobile_layout():
    fig = build(turnout_values())
    geo = fig.layout.geo
    assert geo.visible is False
    for flag in ("showland", "showcountries", "showcoastlines", "showframe", "showlakes", "showocean"):
        assert getattr(geo, flag) is False, flag
    assert fig.layout.dragmode is False
    assert fig.layout.paper_bgcolor == "rgba(0,0,0,0)"
    assert fig.data[MAIN].colorbar.orientation == "h"


def test_turnout_z_equals_inputs_and_missing_units_are_grey_not_zero():
    values = turnout_values()
    fig = build(values)
    main, miss = fig.data[MAIN], fig.data[MISSING]
    for key, z, zmiss, hover, miss_hover in zip(
        region_keys(), main.z, miss.z, main.hovertext, miss.hovertext, strict=True
    ):
        if key in values:
            assert z == values[key]
            assert zmiss is None
        else:
            assert z is None  # never 0
            assert zmiss == 1
            assert "not reported" in hover and "not reported" in miss_hover
    assert _gap_colour(miss, 1) == MAP_NOT_REPORTED_COLOUR
    assert [c for _p, c in main.colorscale] == [c for _p, c in pcolors.get_colorscale("Viridis")]


def test_nan_and_none_are_not_reported():
    fig = build({"abai": float("nan"), "akmola": None, "aktobe": 0.0})
    z = dict(zip(region_keys(), fig.data[MAIN].z, strict=True))
    assert z["abai"] is None and z["akmola"] is None
    assert z["aktobe"] == 0.0  # a real zero stays a zero
    zmiss = dict(zip(region_keys(), fig.data[MISSING].z, strict=True))
    assert zmiss["abai"] == 1 and zmiss["aktobe"] is None


def _gap_colour(trace, z):
    """The colour the gap trace paints ``z`` (1 not reported, 2 incomplete) with: its scale must be two
    flat steps over [zmin, zmax] = [1, 2], so z = 1 takes the first colour and z = 2 the last."""
    assert (trace.zmin, trace.zmax) == (1, 2)
    low = {c for p, c in trace.colorscale if p < 0.5}
    high = {c for p, c in trace.colorscale if p > 0.5}
    assert len(low) == len(high) == 1, "two flat steps, never blended"
    return (low if z == 1 else high).pop()


def _colour_for_index(scale, i, n):
    """Where plotly puts integer i on [zmin, zmax] = [-0.5, n - 0.5], and the colour of that segment."""
    pos = (i + 0.5) / n
    for (p0, c0), (p1, c1) in zip(scale, scale[1:], strict=False):
        if p0 <= pos <= p1:
            assert c0 == c1, "the scale must be stepped, not blended"
            return c0
    raise AssertionError(pos)


def test_leading_mode_stepped_scale_maps_each_party_index_to_its_colour(parties):
    keys = list(region_keys())
    values = {k: parties[i % 3].key for i, k in enumerate(keys)}
    values["kostanay"] = None
    fig = build(values, mode="leading", parties=parties)
    main = fig.data[MAIN]
    leaders = [p for p in parties if p.key in set(values.values())]
    n = len(leaders)
    assert (main.zmin, main.zmax) == (-0.5, n - 0.5)
    for i, p in enumerate(leaders):
        assert _colour_for_index(main.colorscale, i, n) == p.colour
    assert list(main.colorbar.ticktext) == [p.short_name("en") for p in leaders]
    z = dict(zip(keys, main.z, strict=True))
    for k, v in values.items():
        if v is None:
            assert z[k] is None
        else:
            assert leaders[z[k]].key == v
    # one trace for all parties, not one per party
    assert sum(isinstance(t, go.Choropleth) for t in fig.data) == 2


def test_leading_colorscale_helper():
    scale = leading_colorscale(["#111111", "#222222", "#333333", "#444444"])
    for i, c in enumerate(["#111111", "#222222", "#333333", "#444444"]):
        assert _colour_for_index(scale, i, 4) == c
    assert colour_at(scale, -0.5, 3.5, 2) == "rgb(51, 51, 51)"


def test_city_markers_carry_unit_keys_and_map_colours(parties):
    values = {"astana": "amanat", "almaty": "auyl", "shymkent": None}
    fig = build(values, mode="leading", parties=parties)
    cities = fig.data[CITIES]
    assert list(cities.customdata) == ["astana", "almaty", "shymkent"]
    assert list(cities.lon) == [CITY_POINTS[k][0] for k in ("astana", "almaty", "shymkent")]
    rgb = ["rgb({}, {}, {})".format(*pcolors.hex_to_rgb(parties[i].colour)) for i in (0, 1)]
    assert list(cities.marker.color) == [*rgb, MAP_NOT_REPORTED_COLOUR]
    assert "not reported" in cities.hovertext[2]
    assert "Astana" in cities.hovertext[0]


def test_city_marker_colour_follows_sequential_scale():
    fig = build({"astana": 40.0, "almaty": 60.0, "shymkent": 50.0}, zrange=(40.0, 60.0))
    colours = list(fig.data[CITIES].marker.color)
    viridis = pcolors.get_colorscale("Viridis")
    assert colours[0] == pcolors.sample_colorscale(viridis, [0.0])[0]
    assert colours[1] == pcolors.sample_colorscale(viridis, [1.0])[0]
    assert colours[2] == pcolors.sample_colorscale(viridis, [0.5])[0]


def test_party_and_against_all_modes(parties):
    fig = build({"abai": 12.5, "akmola": 30.0}, mode="party", parties=parties, party="auyl")
    assert fig.data[MAIN].colorscale[-1][1] == parties[1].colour
    assert "Auyl" in fig.layout.title.text
    assert fig.data[MAIN].zmin == 10 and fig.data[MAIN].zmax == 30
    fig = build({"abai": 3.0}, mode="against_all", parties=parties)
    assert fig.data[MAIN].z[0] == 3.0
    with pytest.raises(ValueError):
        build({}, mode="party", parties=parties)
    with pytest.raises(ValueError):
        build({}, mode="seats", parties=parties)


def test_switching_mode_by_patch_equals_a_fresh_build(parties):
    leading = {k: parties[i % 2].key for i, k in enumerate(region_keys())}
    a = build(turnout_values(), mode="turnout", lang="ru", parties=parties)
    b = build(leading, mode="leading", lang="ru", parties=parties)
    changes = map_patch_values(leading, mode="leading", parties=parties, lang="ru")
    patched = apply_map_patch(copy.deepcopy(a.to_plotly_json()), changes)
    assert go.Figure(patched).to_plotly_json() == b.to_plotly_json()
    # only the documented properties change
    paths = {p for p, _v in changes}
    assert paths == {
        ("data", MAIN, "z"),
        ("data", MAIN, "zmin"),
        ("data", MAIN, "zmax"),
        ("data", MAIN, "colorscale"),
        ("data", MAIN, "colorbar"),
        ("data", MAIN, "hovertext"),
        ("data", MISSING, "z"),
        ("data", MISSING, "hovertext"),
        ("data", CITIES, "marker", "color"),
        ("data", CITIES, "marker", "line", "color"),
        ("data", CITIES, "hovertext"),
        ("layout", "title", "text"),
        ("layout", "meta"),
    }


def test_meta_table_and_alt():
    fig = build(turnout_values(), lang="ru")
    meta = fig.layout.meta
    assert len(meta["rows"]) == 20
    rows = dict((r[0], r[1]) for r in meta["rows"])
    assert rows["Астана"] == "57,00\u00a0%"
    assert "18" in meta["alt"] and "20" in meta["alt"]
    assert fig.layout.separators == ", "


def test_zrange_and_time_label():
    fig = build({"abai": 50.0}, zrange=(0, 100), time_label="14:10")
    assert (fig.data[MAIN].zmin, fig.data[MAIN].zmax) == (0, 100)
    assert "14:10" in fig.layout.title.text
    assert not math.isnan(fig.data[MAIN].z[0])


def test_turnout_scale_is_fitted_to_the_values_shown_and_says_so():
    """On 0–100 % the 2023 regions (42–67 %) looked alike and Almaty's 25.8 % was a dark dot: the scale
    runs over the shown values rounded outwards to 5 (25.8 -> 25, 67.1 -> 70), both ends labelled."""
    fig = build({"almaty": 25.8, "abai": 42.0, "akmola": 67.1}, mode="turnout")
    main = fig.data[MAIN]
    assert (main.zmin, main.zmax) == (25.0, 70.0)
    assert list(main.colorbar.tickvals) == [25.0, 40.0, 50.0, 60.0, 70.0]  # 30 would crowd 25 on a phone
    assert main.colorbar.ticksuffix == "%"
    narrow = build({"abai": 41.0, "akmola": 47.0}, mode="turnout").data[MAIN]
    assert (narrow.zmin, narrow.zmax) == (40.0, 50.0)
    assert list(narrow.colorbar.tickvals) == [40.0, 45.0, 50.0]


def test_turnout_page_uses_one_scale_for_the_whole_day():
    """The slider's maps share one range, fitted to every region's figure of 2023 (turnout.csv: lowest
    Almaty city at 10:10, 8.51 %; highest Kyzylorda at 22:10, 67.21 %): 5–70 %, not 0–100 %."""
    from dashboard.charts import turnout as turnout_chart
    from dashboard.store.embedded import embedded_election

    assert turnout_chart.zrange(embedded_election()) == (5.0, 70.0)


def test_city_markers_are_named():
    fig = build({"abai": 50.0}, lang="ru")
    cities = fig.data[CITIES]
    assert cities.mode == "markers+text"
    assert list(cities.text) == ["Астана", "Алматы", "Шымкент"]


def _contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio, computed here from the standard's formula (not the module's helper)."""

    def lum(colour):
        rgb = pcolors.hex_to_rgb(colour) if colour.startswith("#") else pcolors.unlabel_rgb(colour)
        lin = [(v / 255) / 12.92 if v / 255 <= 0.03928 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize(
    "mode, values",
    [
        ("turnout", {"astana": 40.0, "almaty": 60.0, "shymkent": None, "akmola": 40.0, "almaty_region": 60.0}),
        ("against_all", {"astana": 1.0, "almaty": 9.0, "shymkent": 5.0, "akmola": 1.0}),
        ("leading", {"astana": "amanat", "almaty": "auyl", "shymkent": "amanat", "akmola": "amanat"}),
    ],
)
def test_city_markers_keep_a_visible_outline_on_a_region_of_their_own_colour(parties, mode, values):
    """A city marker filled like the region around it vanished (a white outline on yellow, a dark one on
    purple): each marker's outline has a non-text contrast of at least 3:1 (WCAG 1.4.11) against the
    marker's fill, which is also the colour of any region with the same value; the patch keeps it so."""
    fig = build(values, mode=mode, parties=parties, zrange=(40.0, 60.0) if mode == "turnout" else None)
    marker = fig.data[CITIES].marker
    assert marker.line.width >= 2
    fills, outlines = list(marker.color), list(marker.line.color)
    assert len(outlines) == 3
    for fill, outline in zip(fills, outlines, strict=True):
        assert _contrast(fill, outline) >= 3, (fill, outline)
    if mode == "turnout":  # the dark end of viridis gets a light outline, the yellow end a dark one
        assert _contrast(outlines[0], "#ffffff") < 1.5 and _contrast(outlines[1], "#000000") < 1.5


def test_a_unit_with_part_of_its_vote_is_incomplete_not_unreported(parties):
    """Kyzylorda's maslikhat reported five parties' votes of seven: no leader, but not "not reported"."""
    values = {"astana": "amanat", "almaty": "amanat", "kostanay": "amanat"}
    fig = build(values, mode="leading", parties=parties, incomplete={"kyzylorda", "astana"})
    miss = fig.data[MISSING]
    zmiss = dict(zip(region_keys(), miss.z, strict=True))
    hover = dict(zip(region_keys(), miss.hovertext, strict=True))
    assert zmiss["kyzylorda"] == 2 and zmiss["abai"] == 1
    assert zmiss["astana"] is None  # a unit with a value is drawn with it, whatever the caller says
    assert _gap_colour(miss, 2) == MAP_INCOMPLETE_COLOUR != MAP_NOT_REPORTED_COLOUR
    assert _gap_colour(miss, 1) == MAP_NOT_REPORTED_COLOUR
    assert hover["kyzylorda"] == "<b>Kyzylorda Region</b><br>incomplete: some figures are not reported"
    assert hover["abai"].endswith("<br>not reported")
    rows = dict(fig.layout.meta["rows"])
    assert rows["Kyzylorda Region"] == "incomplete: some figures are not reported"
    assert rows["Abai Region"] == "not reported" and rows["Astana"] == "Amanat"


def test_an_incomplete_city_marker_is_sand_and_says_why(parties):
    fig = build({"astana": 51.0}, mode="against_all", parties=parties, incomplete={"shymkent"})
    cities = fig.data[CITIES]
    colours = dict(zip(cities.customdata, cities.marker.color, strict=True))
    hover = dict(zip(cities.customdata, cities.hovertext, strict=True))
    assert colours["shymkent"] == MAP_INCOMPLETE_COLOUR and colours["almaty"] == MAP_NOT_REPORTED_COLOUR
    assert hover["shymkent"].endswith("incomplete: some figures are not reported")
    fig_ru = build({"astana": 51.0}, mode="against_all", lang="ru", parties=parties, incomplete={"shymkent"})
    rows = [r for r in fig_ru.layout.meta["rows"] if r[0] == "Шымкент"]
    assert rows == [["Шымкент", "неполные данные: часть цифр не опубликована"]]


def test_every_leading_party_is_named_in_the_key_on_a_phone(parties):
    """At 390 px plotly tilted the four names of the key and hid the last ("Народная партия"): long
    names now take two lines, level, and none is hidden."""
    keys = list(region_keys())
    four = [p.key for p in parties[:4]]
    fig = build({k: four[i % 4] for i, k in enumerate(keys)}, mode="leading", lang="ru", parties=parties)
    bar = fig.data[MAIN].colorbar
    assert list(bar.ticktext) == ["Amanat", "Ауыл", "Respublica", "Ак жол"]
    assert bar.tickangle == 0 and bar.ticklabeloverflow == "allow"
    by_name = {p.key: p for p in parties}
    assert by_name["qhp"].short["ru"] == "Народная партия"
    fig = build({"abai": "qhp", "akmola": "amanat"}, mode="leading", lang="ru", parties=parties)
    assert list(fig.data[MAIN].colorbar.ticktext) == ["Amanat", "Народная<br>партия"]
    seven = build({k: parties[i % 7].key for i, k in enumerate(keys)}, mode="leading", lang="ru", parties=parties)
    assert seven.data[MAIN].colorbar.tickangle is None  # seven names cannot lie level: plotly tilts them
