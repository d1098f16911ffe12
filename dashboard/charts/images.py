"""A chart as a picture for print and social posts: PNG or SVG, drawn by kaleido with the system Chromium.

The image carries its own credit (site, source, data version; SIMULATED when it is) under the chart, so
a cropped screenshot is never the only record of where the figures came from. Sizes: ``web`` 1200×675
(a news article, a link preview) and ``square`` 1080×1080 (social posts).

A render costs ~0.4–0.8 s in a warm Chromium (~3–4 s when kaleido starts one per image): each process
keeps one Chromium (kaleido's sync server, started at the first image) and renders one image at a time
(a crowd asking for new images is answered 503 with ``Retry-After`` when every miss slot is taken,
``dashboard.web.missgate``, instead of spawning Chromiums or holding workers in a queue). The answers are kept by the
HTTP cache (``dashboard.web.fastcache``: per version, state, format and size, shared through Redis, one
render per key across workers), and the headline charts are drawn when a version is published.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from pathlib import Path

import plotly.graph_objects as go

from .base import NotReported

SIZES = {"web": (1200, 675), "square": (1080, 1080)}
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
CREDIT_PX = 56
#: How long a request waits for the process's renderer before answering 503. Rarely waited for: a miss
#: draws only while it holds one of the instance's miss slots (``dashboard.web.missgate``), and a
#: cached image never waits.
RENDER_WAIT_S = 5.0
TOPOJSON = Path(__file__).resolve().parents[2] / "assets" / "topojson"

_render_lock = threading.Lock()
_server_started = False


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
            # the boundary set the URL names (``/geodata/units_2022.geojson``: the 17 units of before 2022)
            old = trace.geojson.rsplit("/", 1)[-1] == "units_2022.geojson"
            trace.geojson = load_geojson("units_2022" if old else None)
    width, height = size
    margin = fig.layout.margin
    # room under the plot for a legend there and the credit below it: a bottom margin set large enough
    # that plotly never grows it (a grown margin would move the plot, and the legend onto the credit)
    bottom = max(margin.b or 0, legend_below_px(fig, width)) + CREDIT_PX
    left = max(margin.l or 0, 16)
    fig.update_layout(
        width=width,
        height=height,
        autosize=False,
        paper_bgcolor="#ffffff",
        margin={"b": bottom, "l": left, "r": max(margin.r or 0, 16)},
    )
    fig.add_annotation(
        text=credit,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xshift=-left + 16,
        yshift=-bottom + 12,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        font={"size": 14, "color": "#444444"},
        name="saylau-credit",
    )
    return fig


def legend_below_px(fig, width: int) -> int:
    """A generous estimate of the height a horizontal legend under the plot takes (its rows of
    entries, ~9 px a character; a legend group of several entries stacks them), with the x axis labels
    above it; 0 when the legend is elsewhere."""
    legend = fig.layout.legend
    y = legend.y if legend.y is not None else 1
    below = y < 0 or (y == 0 and legend.yanchor == "top")
    if fig.layout.showlegend is False or legend.orientation != "h" or not below:
        return 0
    shown = [t for t in fig.data if t.showlegend is not False and t.name]
    if not shown:
        return 0
    row, rows = 0, 1
    for name in dict.fromkeys(t.name for t in shown):
        item = 50 + 9 * len(name)
        if row + item > width - 32:
            rows, row = rows + 1, 0
        row += item
    groups: dict = {}
    for t in shown:
        if t.legendgroup:
            groups[t.legendgroup] = groups.get(t.legendgroup, 0) + 1
    rows += sum(n for n in groups.values() if n > 1)
    return 48 + 30 * rows


def render(fig, fmt: str, size: tuple[int, int]) -> bytes:
    """The image bytes, one render at a time in this process, drawn by a Chromium with no network."""
    import kaleido

    browser = chromium()
    if not browser:  # the Quick start installs no browser: say so instead of a 500 from kaleido
        raise Unavailable("chart images need Chromium on the server (Debian: apt-get install chromium)")
    os.environ.setdefault("BROWSER_PATH", browser)
    if not _render_lock.acquire(timeout=RENDER_WAIT_S):
        raise Busy("the image renderer is busy")
    try:
        _start_server()
        # plotly.js fetches the world topojson for any geo subplot: from the site's own copy, not the CDN
        extra = {"topojson": TOPOJSON.as_uri() + "/"}
        if not _server_started:  # one Chromium for this image: it gets the same offline options
            extra["kopts"] = kaleido_options()
        opts = {"format": fmt, "width": size[0], "height": size[1], "scale": 1}
        return kaleido.calc_fig_sync(go.Figure(fig).to_dict(), opts=opts, **extra)
    finally:
        _render_lock.release()


#: Chromium flags of every render: no host name (nor IP address) resolves, and every request that got
#: past that would go to a proxy that is not there (port 9, loopback included: Chromium otherwise sends
#: ``localhost`` direct), so nothing in a figure — a ``fill:url(http://…)`` in a name from the files, a
#: layout image — makes the server fetch a URL, on the internet or inside our network. plotly.js and the
#: topojson are read from ``file://`` URIs, which neither touches.
OFFLINE_FLAGS = (
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
)


def kaleido_options() -> dict:
    """``Kaleido(...)`` options: a Chromium started with ``OFFLINE_FLAGS`` (choreographer's
    ``browser_cls``: kaleido has no option for extra flags) and no MathJax (kaleido's default loads it
    from a CDN; no figure here has LaTeX). A new dict each time: kaleido writes into the one it gets."""
    return {"browser_cls": _offline_chromium(), "mathjax": False}


@functools.cache
def _offline_chromium():
    """choreographer's Chromium with ``OFFLINE_FLAGS`` after its own."""
    from choreographer.browsers.chromium import Chromium

    class OfflineChromium(Chromium):
        def get_cli(self):
            return [*super().get_cli(), *OFFLINE_FLAGS]

    return OfflineChromium


class Busy(Exception):
    """Another render held this process's renderer for longer than ``RENDER_WAIT_S``."""


class Unavailable(Exception):
    """No Chromium on this server: images cannot be drawn here."""


def _start_server() -> None:
    """One Chromium for this process's renders (``SAYLAU_KALEIDO_SERVER=0``: one per image), stopped at
    exit."""
    global _server_started
    if _server_started or os.environ.get("SAYLAU_KALEIDO_SERVER", "1") in ("0", "false", ""):
        return
    import atexit

    import kaleido

    kaleido.start_sync_server(n=1, silence_warnings=True, **kaleido_options())
    atexit.register(kaleido.stop_sync_server, silence_warnings=True)
    _server_started = True


def image(built, fmt: str, size_name: str, credit: str, lang: str) -> bytes:
    """The image of a built chart (``dashboard.charts.build``); kept by the HTTP cache
    (``dashboard.web.fastcache``) per version, state, format and size."""
    if built.figure is None:
        raise NotReported(built.message or "not reported")
    return render(for_print(built.figure, credit, SIZES[size_name], lang), fmt, SIZES[size_name])
