"""Link previews: each page's og:image / twitter:image is its headline chart's image for the view,
frozen at the served version, and that URL answers with the image."""

from __future__ import annotations

import html
import re
import struct

import pytest

from dashboard.app import create_app
from dashboard.config import Config
from tests.serving import E2023


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return create_app(Config(data_dir=tmp_path_factory.mktemp("data"), default_election=E2023)).server.test_client()


def _meta(page: bytes, prop: str) -> str:
    found = re.findall(rf'property="{prop}" content="([^"]*)"', page.decode("utf-8"))
    assert len(found) == 1, prop
    return html.unescape(found[0])


@pytest.mark.parametrize(
    "page, expected",
    [
        ("/?lang=ru", "/e/kz-2023-03-19/image/chamber.png?lang=ru&v=0"),  # the front page: its election's
        ("/e/kz-2023-03-19/?lang=ru", "/e/kz-2023-03-19/image/chamber.png?lang=ru&v=0"),
        ("/e/kz-2023-03-19/region/almaty?lang=en", "/e/kz-2023-03-19/image/turnout.png?lang=en&unit=almaty&v=0"),
        ("/e/kz-2023-03-19/maslikhats?region=astana&lang=en", "/e/kz-2023-03-19/image/chamber.png?lang=en&body=maslikhat&area=astana&v=0"),
        ("/e/kz-2023-03-19/turnout?lang=en&time=18:10", "/e/kz-2023-03-19/image/ranking.png?lang=en&time=18%3A10&v=0"),
    ],
)
def test_pages_point_their_previews_at_their_view(client, page, expected):
    resp = client.get(page)
    url = _meta(resp.data, "og:image")
    assert url == "http://localhost" + expected
    assert _meta(resp.data, "twitter:image") == url
    assert _meta(resp.data, "twitter:card") == "summary_large_image"


def test_the_preview_image_answers(client):
    url = _meta(client.get("/e/kz-2023-03-19/maslikhats?region=astana&lang=en").data, "og:image")
    image = client.get(url.removeprefix("http://localhost"))
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert struct.unpack(">II", image.data[16:24]) == (1200, 675)
    assert image.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert _meta(client.get("/no/such/page").data, "og:image") == ""  # Dash's default: none
