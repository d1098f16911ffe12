"""The maps of older boundary sets, dissolved from today's 20-unit map at build time.

``python -m dashboard geodata build`` calls ``write_old_sets`` after it writes ``regions.geojson``:
each older set of ``dashboard/boundaries.py`` (today: the 17 units before 8 June 2022) is the union of
today's units it ``covers`` — East Kazakhstan ∪ Abai, Almaty Region ∪ Zhetysu, Karaganda ∪ Ulytau.

Why dissolve rather than draw: today's map is a clean coverage (shared borders have identical
vertices), so ``shapely.coverage_union_all`` removes the old inner border exactly, with no sliver or
gap left along it, and the old set's outer borders are today's, vertex for vertex (the 2019 map and
the 2023 map line up). ``check`` verifies this on every build and fails loudly otherwise.

Build-time only (geopandas/shapely); the app reads the written file.
"""

from __future__ import annotations

import json
from pathlib import Path

from dashboard.boundaries import BoundarySet, boundary_sets

#: The area of the union of an older set must equal today's within this fraction (floating point only).
AREA_TOLERANCE = 1e-9


def _geoms_by_key(fc: dict) -> dict:
    import shapely

    return {f["id"]: shapely.from_geojson(json.dumps(f["geometry"])) for f in fc["features"]}


def dissolved(fc: dict, bset: BoundarySet) -> dict:
    """``bset``'s units as geometries ``{key: geom}``, each the union of the today's units it covers."""
    import shapely

    from dashboard.geodata.build import _tidy

    today = _geoms_by_key(fc)
    return {
        key: _tidy(shapely.coverage_union_all([today[k] for k in parts]))
        for key, parts in bset.covers.items()
    }


def _holes(geom) -> int:
    import shapely

    return sum(len(p.interiors) for p in shapely.get_parts(geom))


def check(fc: dict, geoms: dict, bset: BoundarySet) -> list[str]:
    """Problems of a dissolved set against today's map (empty list = fine).

    Valid geometries, a valid coverage, the same union (area within ``AREA_TOLERANCE``, no holes added —
    a hole would be a gap along an old border), and the same number of units as the set.
    """
    import shapely

    from dashboard.geodata.build import areas_km2, count_invalid_edges

    problems = []
    old = list(geoms.values())
    if len(old) != len(bset.units):
        problems.append(f"{len(old)} units, expected {len(bset.units)}")
    invalid = int((~shapely.is_valid(old)).sum())
    if invalid:
        problems.append(f"{invalid} invalid geometries")
    edges = count_invalid_edges(old)
    if edges:
        problems.append(f"{edges} invalid coverage edges")
    today_union = shapely.union_all(list(_geoms_by_key(fc).values()))
    old_union = shapely.union_all(old)
    a_today, a_old = areas_km2([today_union, old_union])
    if abs(a_old / a_today - 1) > AREA_TOLERANCE:
        problems.append(f"union area {a_old:.3f} km² differs from today's {a_today:.3f} km²")
    if _holes(old_union) != _holes(today_union):
        problems.append(f"union has {_holes(old_union)} holes, today's {_holes(today_union)}")
    return problems


def feature_collection(fc: dict, bset: BoundarySet) -> dict:
    """The set's FeatureCollection in the layout of ``regions.geojson``, with the names of the day."""
    import shapely

    from dashboard.geodata.build import PRECISION, _round_coords, label_point

    geoms = dissolved(fc, bset)
    problems = check(fc, geoms, bset)
    if problems:
        raise RuntimeError(f"{bset.key}: dissolve failed its checks: " + ", ".join(problems))
    features = []
    for u in bset.units:
        g = geoms[u.key]
        geometry = json.loads(shapely.to_geojson(g))
        geometry["coordinates"] = _round_coords(geometry["coordinates"], PRECISION)
        lon, lat = label_point(g)
        features.append(
            {
                "type": "Feature",
                "id": u.key,
                "properties": {
                    "iso_3166_2": u.iso_3166_2,
                    "kind": u.kind,
                    "name_kk": u.names["kk"],
                    "name_ru": u.names["ru"],
                    "name_en": u.names["en"],
                    "label_lon": lon,
                    "label_lat": lat,
                    "boundaries": bset.key,
                    "covers": list(bset.covers[u.key]),
                },
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def write_old_sets(fc: dict, out_dir: Path) -> list[tuple[Path, int]]:
    """Write every older set's map next to ``regions.geojson``; returns (path, bytes) of each."""
    from dashboard.geodata.build import dumps

    written = []
    for bset in boundary_sets():
        if bset.geojson == "regions.geojson":
            continue
        data = dumps(feature_collection(fc, bset)).encode("utf-8")
        path = Path(out_dir) / bset.geojson
        path.write_bytes(data)
        written.append((path, len(data)))
    return written
