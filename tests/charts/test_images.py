"""``/image/<chart>.png|svg``: drawn by kaleido with the system Chromium, at the asked size, with the
source line and data version in the picture; kept per version (the second answer is not a render)."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

import pytest

from dashboard.app import create_app
from dashboard.charts import images
from dashboard.config import Config
from tests.serving import E2023


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return create_app(Config(data_dir=tmp_path_factory.mktemp("data"), default_election=E2023)).server.test_client()


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_png_sizes_and_cache(client, monkeypatch):
    renders = []
    real = images.render
    monkeypatch.setattr(images, "render", lambda *a, **k: renders.append(1) or real(*a, **k))
    web = client.get("/e/kz-2023-03-19/image/chamber.png?lang=en")
    assert web.status_code == 200 and web.mimetype == "image/png"
    assert _png_size(web.data) == (1200, 675) and web.headers["X-Saylau-Version"] == "0"
    square = client.get("/e/kz-2023-03-19/image/turnout.png?unit=almaty&size=square")
    assert _png_size(square.data) == (1080, 1080)
    assert web.headers["X-Saylau-Cache"] == "miss"
    again = client.get("/e/kz-2023-03-19/image/chamber.png?lang=en&fbclid=x")
    assert again.headers["X-Saylau-Cache"] == "hit" and len(renders) == 2  # kept: not drawn again
    assert again.data == web.data and again.headers["X-Saylau-Version"] == "0"
    svg = client.get("/e/kz-2023-03-19/image/chamber.svg?lang=en")  # another format: its own entry
    assert svg.headers["X-Saylau-Cache"] == "miss" and svg.mimetype == "image/svg+xml" and len(renders) == 3
    assert client.get("/e/kz-2023-03-19/image/chamber.png?size=huge").status_code == 400
    assert client.get("/e/kz-2023-03-19/image/nothing.png").status_code == 404



def test_each_size_of_one_chart_is_its_own_cache_entry(tmp_path):
    """The square picture of a chart is not the cached web one: the size is part of the entry."""
    fresh = create_app(Config(data_dir=tmp_path / "data", default_election=E2023)).server.test_client()
    web = fresh.get("/e/kz-2023-03-19/image/chamber.png?lang=en")
    square = fresh.get("/e/kz-2023-03-19/image/chamber.png?lang=en&size=square")
    assert web.status_code == square.status_code == 200
    assert (web.headers["X-Saylau-Cache"], square.headers["X-Saylau-Cache"]) == ("miss", "miss")
    assert _png_size(web.data) == (1200, 675)
    assert _png_size(square.data) == (1080, 1080)
    web_again = fresh.get("/e/kz-2023-03-19/image/chamber.png?lang=en")
    square_again = fresh.get("/e/kz-2023-03-19/image/chamber.png?lang=en&size=square")
    assert web_again.headers["X-Saylau-Cache"] == "hit" and _png_size(web_again.data) == (1200, 675)
    assert square_again.headers["X-Saylau-Cache"] == "hit" and _png_size(square_again.data) == (1080, 1080)


def test_an_svg_runs_and_fetches_nothing_when_opened_on_its_own(client):
    """An SVG opened directly is a document: its policy (on the render and on the cached answer alike)
    allows its inline styles and nothing that runs or fetches."""
    from dashboard.web.hardening import RESOURCE_CSP

    first = client.get("/e/kz-2023-03-19/image/shares.svg?lang=kk")
    again = client.get("/e/kz-2023-03-19/image/shares.svg?lang=kk&utm_source=x")
    assert (first.headers["X-Saylau-Cache"], again.headers["X-Saylau-Cache"]) == ("miss", "hit")
    for resp in (first, again):
        assert resp.mimetype == "image/svg+xml"
        assert resp.headers["Content-Security-Policy"] == RESOURCE_CSP
    assert RESOURCE_CSP.startswith("default-src 'none';") and "style-src 'unsafe-inline'" in RESOURCE_CSP


def test_svg_parses_and_carries_the_source_line(client):
    resp = client.get("/e/kz-2023-03-19/image/map.svg?lang=en&mode=turnout")
    assert resp.status_code == 200 and resp.mimetype == "image/svg+xml"
    root = ET.fromstring(resp.data)
    assert root.tag.endswith("svg") and root.get("width") == "1200" and root.get("height") == "675"
    text = " ".join(t for t in root.itertext())
    assert "Central Election Commission of Kazakhstan" in text and "version 0" in text
    assert "Almaty Region" in text  # the region names drawn on the map


@pytest.mark.parametrize(
    "url",
    [
        "/e/kz-2023-03-19/image/chamber.svg?lang=ru&size=square",
        "/e/kz-2023-03-19/image/chamber.svg?lang=en&body=maslikhat&area=almaty",
        "/e/kz-2023-03-19/image/maslikhats.svg?lang=kk",
        "/e/kz-2023-03-19/image/turnout.svg?lang=en&unit=almaty",
    ],
)
def test_the_credit_sits_under_the_legend_inside_the_picture(client, url):
    import re

    svg = client.get(url).data.decode("utf-8")
    height = int(ET.fromstring(svg).get("height"))
    legend = re.search(
        r'class="legend"[^>]*transform="translate\([\d.]+,([\d.]+)\)"><rect class="bg"[^>]*height="([\d.]+)"',
        svg,
    )
    credit = re.search(
        r'transform="translate\([\d.]+,([\d.]+)\)"><rect class="bg"[^>]*height="([\d.]+)"[^>]*/><text class="annotation-text"[^>]*>Saylau ·',
        svg,
    )
    assert legend and credit, url
    legend_bottom = float(legend.group(1)) + float(legend.group(2))
    credit_top, credit_bottom = float(credit.group(1)), float(credit.group(1)) + float(credit.group(2))
    assert legend_bottom <= credit_top and credit_bottom <= height, (legend_bottom, credit_top, credit_bottom)


def test_a_busy_renderer_answers_503_not_a_queue(client, monkeypatch):
    monkeypatch.setattr(images, "RENDER_WAIT_S", 0.2)
    assert images._render_lock.acquire(timeout=5)
    try:
        resp = client.get("/e/kz-2023-03-19/image/ranking.png?lang=ru&time=final")
    finally:
        images._render_lock.release()
    assert resp.status_code == 503 and resp.headers["Retry-After"] == "5"
    again = client.get("/e/kz-2023-03-19/image/ranking.png?lang=ru&time=final")  # the 503 was not stored
    assert again.status_code == 200 and again.headers["X-Saylau-Cache"] == "miss"


def test_a_server_without_chromium_answers_503_saying_so(client, monkeypatch):
    """The Quick start installs no browser: an image request says what is missing, not a 500."""
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    resp = client.get("/e/kz-2023-03-19/image/shares.png?lang=kk&size=square")
    assert resp.status_code == 503 and b"need Chromium" in resp.data


@pytest.fixture
def listener():
    """A real HTTP server on 127.0.0.1 that records every request it gets."""
    import http.server
    import threading

    got: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the stdlib's name)
            got.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", got
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("one_per_image", [False, True], ids=["server", "one-per-image"])
def test_the_renderer_fetches_no_url_a_figure_names(listener, monkeypatch, one_per_image):
    """A figure's text styled with ``fill:url(http://…)`` (as if a name had escaped the escaping) and a
    layout image pointing at a URL: kaleido's Chromium requests neither, in the long-lived renderer and in
    a one-off one, while a map (topojson from a file:// URI) still draws."""
    import plotly.graph_objects as go

    url, got = listener
    if one_per_image:
        import kaleido

        kaleido.stop_sync_server(silence_warnings=True)
        images._server_started = False  # the next render (another test) starts the renderer again
        monkeypatch.setenv("SAYLAU_KALEIDO_SERVER", "0")
    fig = go.Figure(go.Bar(x=[1], y=[f'<span style="fill:url({url}/span)">Y</span>']))
    fig.add_layout_image(source=f"{url}/image", x=0, y=1, sizex=1, sizey=1, xref="paper", yref="paper")
    fig.update_layout(title_text=f'<a href="{url}/link">link</a>')
    assert images.render(fig, "svg", (300, 200))
    geo = go.Figure(go.Scattergeo(lon=[70], lat=[48], text=[f'<span style="fill:url({url}/geo)">Z</span>']))
    assert b"<path" in images.render(geo, "svg", (300, 200))
    if one_per_image:  # the long-lived renderer starts again after a one-off one, offline as well
        monkeypatch.setenv("SAYLAU_KALEIDO_SERVER", "1")
        assert images.render(fig, "png", (300, 200)) and images._server_started
    assert got == []
