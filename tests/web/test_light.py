"""dashboard.web.light through the app's test client: compression, cache lifetimes, conditional GETs."""

from __future__ import annotations

import gzip
import re

import brotli
import pytest

from dashboard.web.light import IMMUTABLE
from tests.serving import E2023


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from dashboard.app import create_app
    from dashboard.config import Config

    return create_app(Config(data_dir=tmp_path_factory.mktemp("data"), default_election=E2023))


@pytest.fixture
def client(app):
    return app.server.test_client()


def page_urls(client) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', client.get("/").get_data(as_text=True))


def test_the_page_is_compressed(client):
    br = client.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert br.headers["Content-Encoding"] == "br"
    html = brotli.decompress(br.data)
    assert html.startswith(b"<!DOCTYPE html>") and b"_dash-renderer" in html


@pytest.mark.parametrize(
    "path", ["/_dash-layout", "/_dash-dependencies", "/geodata/regions.geojson", "/e/kz-2023-03-19/download/shares.csv"]
)
def test_text_responses_are_compressed_and_decode_to_the_same_bytes(client, path):
    plain = client.get(path)
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    br = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Accept-Encoding" in br.headers["Vary"]
    # a download answered by the HTTP cache (dashboard.web.fastcache) comes as the gzip stored with it
    # (compressing each hit would cost more than the hit); everything else is brotli-compressed per request
    decode = {"br": brotli.decompress, "gzip": gzip.decompress}[br.headers["Content-Encoding"]]
    assert br.headers["Content-Encoding"] == ("gzip" if "/download/" in path else "br")
    assert decode(br.data) == plain.data
    gz = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(gz.data) == plain.data
    assert len(br.data) < len(plain.data)


def test_fingerprinted_files_are_immutable_for_a_year_and_others_revalidate(client):
    urls = page_urls(client)
    suites = [u for u in urls if u.startswith("/_dash-component-suites/")]
    assets = [u for u in urls if u.startswith("/assets/")]
    assert suites and assets and all("?m=" in u for u in assets)
    favicon = [u for u in urls if u.startswith("/_favicon.ico?v=")]
    assert favicon
    for url in suites + assets + favicon:
        assert client.get(url).headers["Cache-Control"] == IMMUTABLE, url
    # the same asset without Dash's cache-buster, and Dash's unfingerprinted async chunks, must revalidate
    bare = assets[0].split("?")[0]
    assert client.get(bare).headers["Cache-Control"] == "no-cache"
    chunk = client.get("/_dash-component-suites/dash/dcc/async-graph.js")
    assert chunk.status_code == 200 and "immutable" not in chunk.headers.get("Cache-Control", "")


def test_weak_and_strong_etags_give_304(client):
    first = client.get("/geodata/regions.geojson")
    etag = first.headers["ETag"].strip('"')
    for header in (f'"{etag}"', f'W/"{etag}"', f'W/"other", W/"{etag}"'):
        r = client.get("/geodata/regions.geojson", headers={"If-None-Match": header})
        assert r.status_code == 304 and r.data == b"", header
    assert client.get("/geodata/regions.geojson", headers={"If-None-Match": 'W/"other"'}).status_code == 200
    # an asset's ETag as nginx's gzip rewrites it (weak) still validates against the app
    asset = next(u for u in page_urls(client) if u.startswith("/assets/saylau.css"))
    tag = client.get(asset).headers["ETag"]
    assert client.get(asset, headers={"If-None-Match": "W/" + tag}).status_code == 304


def test_the_partial_plotly_bundle_replaces_dashs_plotly(client):
    urls = page_urls(client)
    assert any(u.startswith("/assets/plotly-saylau.min.js?m=") for u in urls)
    assert not any("plotly.min.js" in u for u in urls)
