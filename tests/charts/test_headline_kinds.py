"""The headline charts follow the lead contest's kind: render on publish draws a president's or a
referendum's shares ahead (never a chamber image that says "not reported"), and their home's
link preview is that image; a party list keeps its chamber."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace

import pytest

from dashboard.charts import headline_charts
from dashboard.components import data as data_module
from dashboard.ingest.package import load_package
from dashboard.store.embedded import embedded_election
from dashboard.web import fastcache
from dashboard.web.fastcache.tiers import HEADER
from tests import kinds_packages as kp
from tests.serving import ingest, serve

KURULTAI_ROWS = ("contest,unit,registered,took_part,invalid,against_all,amanat,auyl,respublica\n"
                 "kurultai_party_list,kz,1000,800,0,0,500,200,100\n")


def _package(root, which):
    return {"kurultai": lambda: kp.write(root / "k", kp.kurultai_doc(), KURULTAI_ROWS),
            "presidential": lambda: kp.write(root / "p", kp.presidential_doc(), kp.presidential_rows()),
            "referendum": lambda: kp.write(root / "r", kp.referendum_doc(), kp.referendum_rows())}[which]()


@pytest.mark.parametrize("which, expected", [
    ("kurultai", ("chamber", "shares")),  # 145 seats: a chamber to draw
    ("presidential", ("shares",)),
    ("referendum", ("shares",)),
])
def test_the_headline_charts_follow_the_lead_contests_kind(tmp_path, which, expected):
    assert headline_charts(load_package(_package(tmp_path, which))) == expected


def test_the_2023_headline_is_still_its_chamber_then_its_shares():
    assert headline_charts(embedded_election()) == ("chamber", "shares")


class _Recorder:
    """A test client that records the images render-on-publish asks for (drawing none)."""

    def __init__(self):
        self.urls: list[str] = []

    def get(self, url, environ_overrides=None):
        self.urls.append(url)
        return SimpleNamespace(headers={HEADER: "miss"})


@pytest.mark.parametrize("which, election", [("presidential", "kz-pres-test"), ("referendum", "kz-ref-test")])
def test_render_on_publish_draws_no_chamber_for_a_president_or_a_referendum(tmp_path, which, election):
    app = serve(tmp_path / "data")
    ingest(tmp_path / "data", _package(tmp_path, which))
    server = app.server
    version, model, current = data_module.source_of(server).served(election)
    recorder = _Recorder()
    assert fastcache.prerender_images(server, recorder, current, version, election, model) == 3  # shares × 3
    assert recorder.urls == [f"/e/{election}/image/shares.png?lang={lang}&v=1" for lang in ("kk", "ru", "en")]
    # and the 2023 election beside it keeps its chamber
    version, model, current = data_module.source_of(server).served("kz-2023-03-19")
    recorder = _Recorder()
    fastcache.prerender_images(server, recorder, current, version, "kz-2023-03-19", model)
    assert recorder.urls[0] == "/e/kz-2023-03-19/image/chamber.png?lang=kk&v=0"


def test_a_referendums_link_preview_is_the_image_drawn_ahead(tmp_path):
    app = serve(tmp_path / "data", _package(tmp_path, "referendum"))
    client = app.server.test_client()
    for path in ("/?lang=ru", "/e/kz-ref-test/?lang=ru"):
        page = client.get(path).data.decode("utf-8")
        found = re.findall(r'property="og:image" content="([^"]*)"', page)
        assert [html.unescape(u) for u in found] == ["http://localhost/e/kz-ref-test/image/shares.png?lang=ru&v=1"]


def test_a_referendums_region_preview_is_its_own_yes_and_no(tmp_path):
    app = serve(tmp_path / "data", _package(tmp_path, "referendum"))
    page = app.server.test_client().get("/e/kz-ref-test/region/abai?lang=en").data.decode("utf-8")
    found = re.findall(r'property="og:image" content="([^"]*)"', page)
    assert [html.unescape(u) for u in found] == [
        "http://localhost/e/kz-ref-test/image/shares.png?lang=en&unit=abai&v=1"]
