"""A chart as a picture for print and social posts: PNG or SVG, drawn by kaleido with the system Chromium.

The image carries its own credit (site, source, data version; SIMULATED when it is) under the chart, so
a cropped screenshot is never the only record of where the figures came from. Sizes: ``web`` 1200×675
(a news article, a link preview) and ``square`` 1080×1080 (social posts).

A render costs a Chromium page (~0.3–1 s): images are kept per ``version_key()`` and state in a bounded
in-process LRU, and one render at a time per process (a crowd asking for new images waits in line
instead of spawning Chromiums).
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import cachetools
import plotly.graph_objects as go

from .base import NotReported

SIZES = {"web": (1200, 675), "square": (1080, 1080)}
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
#: Bytes of images kept per process (a 1200×675 PNG is ~60–150 KB).
CACHE_BYTES = 64 * 1024 * 1024
CREDIT_PX = 56
TOPOJSON = Path(__file__).resolve().parents[2] / "assets" / "topojson"

_render_lock = threading.Lock()
_cache_lock = threading.Lock()
_cache: cachetools.LRUCache = cachetools.LRUCache(maxsize=CACHE_BYTES, getsizeof=len)


def chromium() -> str | None:
    """The system Chromium kaleido drives (``BROWSER_PATH`` if set)."""
    return os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def for_print(fig, credit: str, size: tuple[int, int], lang: str):
    """``fig`` laid out for a fixed-size image: the GeoJSON inlined (kaleido cannot fetch the site's
    URL), fixed width and height, the credit line drawn under the plot."""
    from dashboard.geodata import load_geojson

    fig = go.Figure(fig)
    for trace in fig.data:
        if getattr(trace, "type", None) == "choropleth" and isinstance(trace.geojson, str):
            trace.geojson = load_geojson()
    width, height = size
    margin = fig.layout.margin
    bottom = (margin.b or 0) + CREDIT_PX
    fig.update_layout(
        width=width,
        height=height,
        autosize=False,
        paper_bgcolor="#ffffff",
        margin={"b": bottom, "l": max(margin.l or 0, 16), "r": max(margin.r or 0, 16)},
    )
    fig.add_annotation(
        text=credit,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-bottom + 12,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        font={"size": 14, "color": "#444444"},
        name="saylau-credit",
    )
    return fig


def render(fig, fmt: str, size: tuple[int, int]) -> bytes:
    """The image bytes, one render at a time in this process."""
    import plotly.io as pio

    browser = chromium()
    if browser:
        os.environ.setdefault("BROWSER_PATH", browser)
    # plotly.js fetches the world topojson for any geo subplot: from the site's own copy, not the CDN
    pio.defaults.topojson = TOPOJSON.as_uri() + "/"
    with _render_lock:
        return pio.to_image(fig, format=fmt, width=size[0], height=size[1], scale=1)


def image(version_key: str, built, fmt: str, size_name: str, credit: str, lang: str) -> bytes:
    """The image of a built chart (``dashboard.charts.build``), from the cache when it was drawn for
    this version and state before."""
    if built.figure is None:
        raise NotReported(built.message or "not reported")
    key = (version_key, built.chart, lang, tuple(sorted(built.state.items())), fmt, size_name)
    with _cache_lock:
        found = _cache.get(key)
    if found is not None:
        return found
    data = render(for_print(built.figure, credit, SIZES[size_name], lang), fmt, SIZES[size_name])
    with _cache_lock:
        _cache[key] = data
    return data


def cached(version_key: str, chart: str, lang: str, state: dict, fmt: str, size_name: str) -> bytes | None:
    with _cache_lock:
        return _cache.get((version_key, chart, lang, tuple(sorted(state.items())), fmt, size_name))
