"""The 17-unit map of before 8 June 2022: dissolved from today's map, exact along the old borders."""

from __future__ import annotations

import json

import pytest

gpd = pytest.importorskip("geopandas")
shapely = pytest.importorskip("shapely")

from dashboard import boundaries, geodata  # noqa: E402
from dashboard.geodata import dissolve  # noqa: E402

#: An equal-area projection centred on Kazakhstan (independent of the build's EPSG:6933).
LAEA_KZ = "+proj=laea +lat_0=48 +lon_0=67 +datum=WGS84 +units=m"
OLD = geodata.GEODATA_DIR / "units_2022.geojson"


def _km2(geoms) -> list[float]:
    return [a / 1e6 for a in gpd.GeoSeries(list(geoms), crs="EPSG:4326").to_crs(LAEA_KZ).area]


def _geoms(path) -> dict:
    fc = json.loads(path.read_text(encoding="utf-8"))
    return {f["id"]: shapely.from_geojson(json.dumps(f["geometry"])) for f in fc["features"]}


@pytest.fixture(scope="module")
def old():
    return _geoms(OLD)


@pytest.fixture(scope="module")
def today():
    return _geoms(geodata.GEOJSON_PATH)


def test_shipped_file_equals_the_dissolve_of_the_shipped_20_units(tmp_path):
    fc = json.loads(geodata.GEOJSON_PATH.read_text(encoding="utf-8"))
    ((path, size),) = dissolve.write_old_sets(fc, tmp_path)
    assert path.name == "units_2022.geojson"
    assert path.read_bytes() == OLD.read_bytes()


def test_seventeen_units_in_registry_order(old):
    assert list(old) == [
        "akmola", "aktobe", "almaty_region", "atyrau", "west_kazakhstan", "zhambyl", "karaganda",
        "kostanay", "kyzylorda", "mangystau", "pavlodar", "north_kazakhstan", "turkistan",
        "east_kazakhstan", "astana", "almaty", "shymkent",
    ]  # fmt: skip


def test_file_is_at_most_150_kb():
    assert OLD.stat().st_size <= 150_000


def test_valid_and_a_clean_coverage(old):
    assert all(g.is_valid and g.geom_type in ("Polygon", "MultiPolygon") for g in old.values())
    assert not any(not e.is_empty for e in shapely.coverage_invalid_edges(list(old.values())))


@pytest.mark.parametrize(
    "old_key, parts",
    [("east_kazakhstan", ("east_kazakhstan", "abai")), ("almaty_region", ("almaty_region", "zhetysu")),
     ("karaganda", ("karaganda", "ulytau"))],
)  # fmt: skip
def test_merged_unit_is_the_union_of_todays(old, today, old_key, parts):
    union = shapely.union_all([today[k] for k in parts])
    (sym, whole) = _km2([shapely.symmetric_difference(old[old_key], union), union])
    assert sym < 1e-6 * whole  # ~0: the same polygon, no sliver along the old border
    # and no trace of the old border inside: one part, no hole that today's pair did not have
    assert len(shapely.get_parts(old[old_key])) <= sum(len(shapely.get_parts(today[k])) for k in parts)


def test_east_kazakhstan_is_east_kazakhstan_and_abai(old, today):
    """The issue's own check, on areas typed from nothing but the two files."""
    ek, ab = _km2([today["east_kazakhstan"], today["abai"]])
    (old_ek,) = _km2([old["east_kazakhstan"]])
    assert old_ek == pytest.approx(ek + ab, rel=1e-9)
    assert old_ek > 250_000  # East Kazakhstan + Abai ≈ 98,000 + 186,000 km²: not one of them alone


def test_unchanged_units_are_todays_geometries(old, today):
    for key, geom in old.items():
        if key not in boundaries.MERGED_BEFORE_SPLIT:
            assert shapely.equals(geom, today[key]), key


def test_same_country_no_gaps_no_new_holes(old, today):
    u_old, u_today = shapely.union_all(list(old.values())), shapely.union_all(list(today.values()))
    a_old, a_today = _km2([u_old, u_today])
    assert a_old == pytest.approx(a_today, rel=1e-9)
    holes = [len(p.interiors) for p in shapely.get_parts(u_old)]
    assert holes == [len(p.interiors) for p in shapely.get_parts(u_today)]


def test_names_of_the_day_and_stable_keys():
    fc = json.loads(OLD.read_text(encoding="utf-8"))
    props = {f["id"]: f["properties"] for f in fc["features"]}
    assert props["astana"]["name_en"] == "Nur-Sultan"
    assert props["astana"]["name_kk"] == "Нұр-Сұлтан"
    assert props["astana"]["name_ru"] == "Нур-Султан"
    assert props["east_kazakhstan"]["covers"] == ["east_kazakhstan", "abai"]
    assert props["east_kazakhstan"]["name_en"] == "East Kazakhstan Region"
    assert {"abai", "zhetysu", "ulytau"}.isdisjoint(props)
    assert geodata.load_geojson("units_2022") == fc


def test_label_points_inside_their_unit(old):
    fc = json.loads(OLD.read_text(encoding="utf-8"))
    for f in fc["features"]:
        p = shapely.Point(f["properties"]["label_lon"], f["properties"]["label_lat"])
        assert old[f["id"]].contains(p), f["id"]


def test_check_catches_a_gap(today):
    """The build's check must fail a dissolve that leaves a gap (a unit shrunk by 0.05°)."""
    fc = json.loads(geodata.GEOJSON_PATH.read_text(encoding="utf-8"))
    bset = boundaries.boundary_set(boundaries.UNITS_2022)
    geoms = dissolve.dissolved(fc, bset)
    geoms["east_kazakhstan"] = geoms["east_kazakhstan"].buffer(-0.05)
    problems = dissolve.check(fc, geoms, bset)
    assert any("union area" in p for p in problems)
