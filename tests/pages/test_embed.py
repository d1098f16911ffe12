"""Embeddable charts (/embed/<chart>), the "Embed this chart" disclosure under every chart card, the CSV
download and the framing policy."""

from __future__ import annotations

import csv
import io

import dash
import pytest

from dashboard.app import create_app
from dashboard.config import Config
from dashboard.i18n import LANGUAGES, translator
from dashboard.pages import embed
from dashboard.regions import region_keys
from tests.layout_tree import by_id as _by_id
from tests.layout_tree import components as _walk
from tests.serving import E2023


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return create_app(Config(data_dir=tmp_path_factory.mktemp("data"), default_election=E2023))


@pytest.fixture(scope="module")
def demo_app():
    return create_app(Config(demo=True, demo_stations=200))



def _text(node) -> str:
    out = []
    for c in _walk(node):
        ch = getattr(c, "children", None)
        if isinstance(ch, str):
            out.append(ch)
        elif isinstance(ch, list | tuple):
            out += [x for x in ch if isinstance(x, str)]
    return " ".join(out)



def _graph(node):
    return next(c for c in _walk(node) if type(c).__name__ == "Graph")


QUERIES = {
    "map": [{}, {"mode": "turnout", "time": "14:10"}, {"mode": "party", "party": "auyl"}],
    "shares": [{}, {"contest": "maslikhat_astana_party_list", "unit": "astana"}, {"unit": "almaty"}],
    "chamber": [{}, {"body": "maslikhat", "area": "astana"}],
    "turnout": [{}, {"unit": "almaty"}],
    "ranking": [{}, {"time": "final"}],
    "maslikhats": [{}],
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_embed_renders_with_its_source_line(app, lang):
    _ = translator(lang)
    with app.server.test_request_context("/"):
        for chart, queries in QUERIES.items():
            for query in queries:
                page = embed.layout(chart=chart, lang=lang, **query)
                credit = _by_id(page, "embed-credit")
                text = _text(credit)
                assert _("data: Central Election Commission of Kazakhstan") in text, (chart, query)
                assert _("version {n}", n=0) in text
                home = next(c for c in _walk(credit) if getattr(c, "className", None) == "embed-home")
                assert home.children == "Saylau" and f"lang={lang}" in home.href and home.target == "_blank"
                assert _by_id(page, "site-header") is None


def test_embed_map_keeps_the_home_map_state(app):
    with app.server.test_request_context("/"):
        page = embed.layout(chart="map", lang="en", mode="turnout", time="14:10")
        fig = _graph(page).figure
        assert "14:10" in _text(page)
        assert len(fig["data"][0]["locations"]) == 20 and all(v is not None for v in fig["data"][0]["z"])
        credit = _by_id(page, "embed-credit")
        assert "/turnout?lang=en&time=14%3A10" in [c.href for c in _walk(credit) if hasattr(c, "href")][0]
        leading = embed.layout(chart="map", lang="en", mode="leading")
        assert all(v is None for v in _graph(leading).figure["data"][0]["z"])  # 2023: not by region
        assert fig["layout"]["title"]["text"] == ""  # the title is the HTML heading (it wraps)


def test_embed_not_reported_says_so(app):
    with app.server.test_request_context("/"):
        page = embed.layout(chart="shares", lang="en", unit="almaty")
    assert "not reported" in _text(_by_id(page, "embed-not-reported"))
    assert not [c for c in _walk(page) if type(c).__name__ == "Graph"]


def test_demo_embeds_say_simulated(demo_app):
    with demo_app.server.test_request_context("/"):
        for chart in embed.CHARTS:
            page = embed.layout(chart=chart, lang="ru")
            assert "СИМУЛЯЦИЯ" in _text(page), chart
            if chart == "turnout_change":  # one vote in the demo: nothing to compare with, said so
                assert _by_id(page, "embed-not-reported") is not None
                continue
            if chart == "estimate":  # the demo is counted in full: the night's estimate is gone, said so
                assert "СИМУЛЯЦИЯ" in _text(page) and _by_id(page, "embed-not-reported") is not None
                continue
            names = [a.get("name") for a in _graph(page).figure["layout"].get("annotations", [])]
            assert "simulated_banner" in names, chart


def test_embed_layouts_are_cached_and_titled(app):
    page = next(p for p in dash.page_registry.values() if p["module"] == "dashboard.pages.embed")
    assert page["path_template"] == "/e/<election>/embed/<chart>"
    assert hasattr(page["layout"], "uncached")  # wrapped in cached_layout
    with app.server.test_request_context("/e/kz-2023-03-19/embed/chamber?lang=en&body=maslikhat&area=astana"):
        assert page["title"](election="kz-2023-03-19", chart="chamber") == (
            "Composition of the maslikhat of Astana — Saylau")
        assert page["title"](election="kz-1999-01-01", chart="chamber") == "Page not found — Saylau"


def test_every_chart_card_offers_embed_and_csv(app):
    from dashboard.pages import maslikhats, mazhilis, region, turnout

    with app.server.test_request_context("/"):
        pages = [
            mazhilis.layout(lang="ru"),
            region.layout(unit="astana", lang="ru", contest="maslikhat_astana_party_list"),
            turnout.layout(lang="ru"),
            maslikhats.layout(lang="ru", region="astana"),
        ]
    _ = translator("ru")
    for page in pages:
        graphs = [c for c in _walk(page) if type(c).__name__ == "Graph"]
        details = [c for c in _walk(page) if getattr(c, "className", None) == "embed"]
        assert graphs and len(details) == len(graphs)
        for d in details:
            assert _("Embed this chart") in _text(d)
            box = next(c for c in _walk(d) if type(c).__name__ == "Textarea")
            path = box.to_plotly_json()["props"]["data-embed-path"]
            assert path.startswith("/e/kz-2023-03-19/embed/") and "lang=ru" in path
            assert box.children.startswith('<iframe src="/e/kz-2023-03-19/embed/') and 'loading="lazy"' in box.children
            assert 'style="border:0"' in box.children and 'width="100%"' in box.children
            csv_link = next(c for c in _walk(d) if getattr(c, "className", None) == "csv-link")
            assert csv_link.href.startswith("/e/kz-2023-03-19/download/") and ".csv?lang=ru" in csv_link.href


def _csv(client, url):
    resp = client.get(url)
    assert resp.status_code == 200, url
    body = resp.data
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the Cyrillic right
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    return resp, rows


def test_csv_download_header_row_first_and_provenance_in_name_and_headers(app):
    client = app.server.test_client()
    resp, rows = _csv(client, "/e/kz-2023-03-19/download/map.csv?lang=en&mode=leading")
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = resp.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="saylau-kz-2023-03-19-v0-map-leading-en.csv"'
    assert resp.headers["X-Saylau-Version"] == "0" and resp.headers["X-Saylau-Election"] == "kz-2023-03-19"
    assert "Central Election Commission" in resp.headers["X-Saylau-Source"]
    assert rows[0] == ["unit", "unit_name", "leading_party"]  # the header row first, no comment line
    assert len(rows) == 1 + len(region_keys())
    assert all(r[2] == "" for r in rows[1:])  # 2023: national totals only, empty = not reported

    resp, rows = _csv(client, "/e/kz-2023-03-19/download/map.csv?lang=ru&mode=turnout&time=18:10")
    assert ":" not in resp.headers["Content-Disposition"].split("filename=")[1]
    assert rows[0] == ["time", "unit", "unit_name", "turnout_pct", "turnout_pct_exact"]
    assert all(float(r[3]) > 0 for r in rows[1:])  # numbers, not "57,02 %"


def test_csv_of_a_not_reported_chart_and_unknown_chart(app):
    client = app.server.test_client()
    # not a header-only table a reader takes for "no votes": a 404 that says why, in the error shape
    resp = client.get("/e/kz-2023-03-19/download/shares.csv?lang=en&unit=almaty")
    assert resp.status_code == 404 and resp.get_json() == {
        "error": "not reported", "detail": "The party-list results are not reported for Almaty."}
    assert client.get("/e/kz-2023-03-19/download/nothing.csv").status_code == 404
    assert client.get("/e/kz-2023-03-19/download/shares.exe").status_code == 404


def test_demo_json_says_simulated(demo_app):
    demo = demo_app.server.extensions["saylau"].default_id()  # the rehearsal is the one election served
    resp = demo_app.server.test_client().get(f"/e/{demo}/download/shares.json?lang=en")
    body = resp.get_json()
    assert body["simulated"] is True and "SIMULATED" in body["source"]
    assert body["columns"][:3] == ["contest", "unit", "party"] and body["rows"]


def test_only_embeds_may_be_framed(app):
    client = app.server.test_client()
    framed = client.get("/e/kz-2023-03-19/embed/map?lang=en")
    assert framed.status_code == 200
    assert _directive(framed, "frame-ancestors") == "*"
    assert "X-Frame-Options" not in framed.headers
    page = client.get("/?lang=en")
    assert page.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert _directive(page, "frame-ancestors") == "'self'"


def _directive(resp, name: str) -> str:
    """One directive of the response's Content-Security-Policy (the whole policy is dashboard.web.hardening's)."""
    directives = dict(d.strip().split(" ", 1) for d in resp.headers["Content-Security-Policy"].split(";"))
    return directives[name]
