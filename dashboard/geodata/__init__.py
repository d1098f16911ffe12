"""The region map at run time: paths to the built files and a few readers (json only, no geopandas).

The files are written by ``python -m dashboard geodata build`` (see ``dashboard/geodata/build.py`` and
``geodata/README.md``):

* ``geodata/regions.geojson`` — 20 features in registry order, ``id`` = registry key, properties
  ``iso_3166_2``, ``kind``, ``name_kk``, ``name_ru``, ``name_en``, ``label_lon``, ``label_lat``;
* ``geodata/units_2022.geojson`` — the 17 units before 8 June 2022 (same layout, names of the day, plus
  ``boundaries`` and ``covers``: today's units each one is made of), dissolved from ``regions.geojson``;
* ``assets/topojson/world_110m.json`` and ``world_50m.json`` — a tiny local base map (Kazakhstan's
  outline) for plotly.js's geo; every graph's config points ``topojsonURL`` at it
  (``dashboard.components.ui.graph_config``) so that the browser never fetches ``cdn.plot.ly``.

The three cities are tiny at country scale: draw a clickable marker at ``city_points()`` over them.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from dashboard.regions import region_keys, regions

ROOT = Path(__file__).resolve().parents[2]
GEODATA_DIR = ROOT / "geodata"
GEOJSON_PATH = GEODATA_DIR / "regions.geojson"
TOPOJSON_DIR = ROOT / "assets" / "topojson"
#: The ``featureidkey`` to use with ``load_geojson()`` in a choropleth.
FEATURE_ID_KEY = "id"


@cache
def _text(name: str = GEOJSON_PATH.name) -> str:
    return (GEODATA_DIR / name).read_text(encoding="utf-8")


def load_geojson(boundaries: str | None = None) -> dict:
    """The region FeatureCollection as a fresh dict (parsed from a cached text; safe to mutate).

    ``boundaries``: a boundary-set key (``dashboard/boundaries.py``; ``units_2022`` = the 17 units before
    8 June 2022, with the names of the day); None = today's 20 units.
    """
    if boundaries is None:
        return json.loads(_text())
    from dashboard.boundaries import boundary_set

    return json.loads(_text(boundary_set(boundaries).geojson))


@cache
def label_points() -> dict[str, tuple[float, float]]:
    """Every unit's label point ``(lon, lat)`` (inside its largest part), in registry order."""
    feats = {f["id"]: f["properties"] for f in load_geojson()["features"]}
    return {k: (feats[k]["label_lon"], feats[k]["label_lat"]) for k in region_keys()}


def city_points() -> dict[str, tuple[float, float]]:
    """The three cities' marker points ``{key: (lon, lat)}`` in registry order (astana, almaty, shymkent)."""
    points = label_points()
    return {r.key: points[r.key] for r in regions() if r.kind == "city"}
