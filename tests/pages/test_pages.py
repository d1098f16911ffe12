"""The app without a browser: routes, page layouts in every language, URL state, no third-party URLs."""

from __future__ import annotations

import json
import re

import pytest
from dash import html

from dashboard.app import GEOJSON_ROUTE, create_app
from dashboard.config import Config
from dashboard.i18n import LANGUAGES
from dashboard.regions import region_keys
from tests.layout_tree import components as _walk
from tests.serving import E2023


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return create_app(Config(data_dir=tmp_path_factory.mktemp("data"), default_election=E2023))


@pytest.fixture(scope="module")
def demo_app():
    return create_app(Config(demo=True, demo_stations=200))


def _text(component) -> str:
    """All the text of a layout (children strings, recursively)."""
    out = []

    def walk(node):
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, list | tuple):
            for n in node:
                walk(n)
        elif hasattr(node, "children"):
            walk(node.children)

    walk(component)
    return " ".join(out)


def _ids(component) -> set[str]:
    found = set()

    def walk(node):
        if isinstance(node, list | tuple):
            for n in node:
                walk(n)
        elif hasattr(node, "to_plotly_json"):
            i = getattr(node, "id", None)
            if isinstance(i, str):
                found.add(i)
            walk(getattr(node, "children", None))

    walk(component)
    return found


def _graphs(component) -> list:
    found = []

    def walk(node):
        if isinstance(node, list | tuple):
            for n in node:
                walk(n)
        elif hasattr(node, "to_plotly_json"):
            if type(node).__name__ == "Graph":
                found.append(node)
            walk(getattr(node, "children", None))

    walk(component)
    return found


def test_index_has_no_third_party_urls(app):
    client = app.server.test_client()
    page = client.get("/").get_data(as_text=True)
    assert app.config.serve_locally
    urls = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert urls and all(u.startswith("/") for u in urls), urls
    assert "cdn" not in page.lower()


def test_geojson_route_is_cached_by_the_browser(app):
    client = app.server.test_client()
    first = client.get(GEOJSON_ROUTE)
    assert first.status_code == 200
    assert "max-age=86400" in first.headers["Cache-Control"] and "public" in first.headers["Cache-Control"]
    doc = json.loads(first.data)
    assert {f["id"] for f in doc["features"]} == set(region_keys())
    again = client.get(GEOJSON_ROUTE, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_renders_in_every_language(app, lang):
    from dashboard.pages import maslikhats, mazhilis, not_found_404, region, turnout

    with app.server.test_request_context("/"):
        for layout in (
            mazhilis.layout(lang=lang),
            mazhilis.layout(lang=lang, mode="party", party="auyl", results="maslikhat"),
            region.layout(unit="almaty", lang=lang),
            region.layout(unit="karaganda", lang=lang, contest="maslikhat_karaganda_party_list"),
            region.layout(unit="nowhere", lang=lang),
            turnout.layout(lang=lang),
            turnout.layout(lang=lang, time="18:10", view="multiples"),
            maslikhats.layout(lang=lang),
            maslikhats.layout(lang=lang, region="kyzylorda"),
            not_found_404.layout(lang=lang),
        ):
            assert _text(layout).strip()


def test_2023_home_says_what_is_missing(app):
    from dashboard.pages import mazhilis

    with app.server.test_request_context("/"):
        page = mazhilis.layout(lang="en", mode="leading")
    text = _text(page)
    assert "not reported by region" in text
    assert "0 of 20" in text  # units reporting Mazhilis results by region
    # the map's geometry is a URL, never inlined
    graphs = {g.id: g for g in _graphs(page)}
    fig = graphs["map"].figure
    assert fig["data"][0]["geojson"] == GEOJSON_ROUTE
    assert graphs["map"].config["topojsonURL"].endswith("/assets/topojson/")


def _find(component, id_):
    if isinstance(component, list | tuple):
        for c in component:
            found = _find(c, id_)
            if found is not None:
                return found
        return None
    if not hasattr(component, "to_plotly_json"):
        return None
    if getattr(component, "id", None) == id_:
        return component
    return _find(getattr(component, "children", None), id_)


@pytest.mark.parametrize(
    ("lang", "value", "note"),
    [
        ("en", "national total", "party results by region: not reported (0 of 20)"),
        ("ru", "по стране в целом", "итоги партий по регионам: не опубликованы (0 из 20)"),
    ],
)
def test_2023_headline_says_national_total_not_nothing(app, lang, value, note):
    from dashboard.pages import mazhilis

    with app.server.test_request_context("/"):
        card = _find(mazhilis.layout(lang=lang), "stat-units")
    parts = [_text(c) for c in card.children]
    assert parts[1] == value
    assert parts[2] == note


def test_demo_headline_counts_units_by_region(demo_app):
    from dashboard.pages import mazhilis

    with demo_app.server.test_request_context("/"):
        card = _find(mazhilis.layout(lang="en"), "stat-units")
    assert [_text(c) for c in card.children][1] == "20 of 20"


def test_map_mode_defaults_to_turnout_when_leading_is_not_reported(app):
    from dashboard.pages import mazhilis

    with app.server.test_request_context("/"):
        page = mazhilis.layout(lang="en")
        fig = {g.id: g for g in _graphs(page)}["map"].figure
    assert all(v is not None for v in fig["data"][0]["z"])


def test_kazakh_and_russian_labels_and_number_format(app):
    from dashboard.pages import mazhilis

    with app.server.test_request_context("/"):
        kk = _text(mazhilis.layout(lang="kk"))
        ru = _text(mazhilis.layout(lang="ru"))
        en = _text(mazhilis.layout(lang="en"))
    assert "Мәжіліс сайлауының қорытындылары" in kk
    assert "Итоги выборов в Мажилис" in ru
    assert "3\u00a0431\u00a0510" in ru and "3,431,510" in en
    assert "53,90\u00a0%" in ru and "53.90%" in en


def test_demo_pages_mark_every_chart_simulated(demo_app):
    from dashboard.pages import maslikhats, mazhilis, region, turnout

    with demo_app.server.test_request_context("/"):
        pages = [
            mazhilis.layout(lang="en"),
            region.layout(unit="astana", lang="en"),
            turnout.layout(lang="en"),
            maslikhats.layout(lang="en"),
        ]
    for page in pages:
        graphs = _graphs(page)
        assert graphs
        for g in graphs:
            names = [a.get("name") for a in g.figure["layout"].get("annotations", [])]
            assert "simulated_banner" in names, g.id


def test_unit_from_click():
    from dashboard.pages.mazhilis import unit_from_click

    assert unit_from_click({"points": [{"location": "karaganda"}]}) == "karaganda"
    assert unit_from_click({"points": [{"customdata": "astana"}]}) == "astana"
    assert unit_from_click({"points": [{"customdata": ["almaty"]}]}) == "almaty"
    assert unit_from_click({"points": [{"location": "nowhere"}]}) is None
    assert unit_from_click(None) is None


def test_href_keeps_language():
    from dashboard.components.shell import href, lang_of

    assert href("/turnout", "ru") == "/turnout?lang=ru"
    assert href("/maslikhats", "en", region="astana") == "/maslikhats?lang=en&region=astana"
    assert lang_of("?lang=ru&mode=x") == "ru"
    assert lang_of("?lang=xx") == "kk"
    assert lang_of(None) == "kk"


def test_serve_command_builds_the_configured_app(monkeypatch, tmp_path):
    from types import SimpleNamespace

    import dashboard.app as app_module

    seen = {}

    def fake_run(self, **kw):
        seen.update(kw)

    monkeypatch.setattr(app_module.dash.Dash, "run", fake_run)
    args = SimpleNamespace(host="0.0.0.0", port=8099, demo=True, debug=False, data_dir=str(tmp_path))
    assert app_module.serve_command(args) == 0
    assert seen["host"] == "0.0.0.0" and seen["port"] == 8099


def test_not_found_page(app):
    from dashboard.pages import not_found_404

    with app.server.test_request_context("/"):
        assert "Page not found" in _text(not_found_404.layout(lang="en"))
    assert isinstance(not_found_404.layout(lang="en"), html.Div)


@pytest.mark.parametrize(
    ("url", "module", "kwargs", "expected"),
    [
        ("/?lang=ru", "dashboard.pages.mazhilis", {}, "Итоги выборов в Мажилис — Saylau"),
        ("/region/almaty?lang=en", "dashboard.pages.region", {"unit": "almaty"}, "Almaty — Saylau"),
        ("/turnout?lang=en", "dashboard.pages.turnout", {}, "Turnout through election day — Saylau"),
        ("/maslikhats?lang=en&region=astana", "dashboard.pages.maslikhats", {}, "Maslikhat of Astana — Saylau"),
        ("/nowhere?lang=en", "dashboard.pages.not_found_404", {}, "Page not found — Saylau"),
    ],
)
def test_tab_title_follows_page_and_language(app, url, module, kwargs, expected):
    import dash

    page = next(p for p in dash.page_registry.values() if p["module"] == module)
    with app.server.test_request_context(url):
        assert page["title"](**kwargs) == expected


def test_tab_title_in_kazakh_by_default(app):
    import dash

    from dashboard.i18n import translator

    page = next(p for p in dash.page_registry.values() if p["module"] == "dashboard.pages.turnout")
    with app.server.test_request_context("/turnout"):
        assert page["title"]() == translator("kk")("Turnout through election day") + " — Saylau"


def test_turnout_slider_has_a_label_and_spoken_values(app):
    from dashboard.pages import turnout

    with app.server.test_request_context("/turnout"):
        page = turnout.layout(lang="en")
    wrap = _find(page, "turnout-time-label")
    assert _text(wrap) == "Report time"
    slider_wrap = next(
        c
        for c in _walk(page)
        if getattr(c, "className", None) == "slider-wrap"
    )
    attrs = slider_wrap.to_plotly_json()["props"]
    assert attrs["data-aria-labelledby"] == "turnout-time-label"
    # the last stop is the last time with figures for regions: the national-only final figure would be an
    # all-grey map ("0 of 20"); it is the page's "Final turnout" instead
    assert json.loads(attrs["data-value-texts"])[-1] == "22:10"
    assert "final" not in json.loads(attrs["data-value-texts"])



def test_region_lists_maslikhat_districts_when_reported(demo_app):
    from dashboard.pages import region

    with demo_app.server.test_request_context("/"):
        election = demo_app.server.extensions["saylau"].election()
        expected = (election.districts["contest"] == "maslikhat_astana_single_mandate").sum()
        page = region.layout(unit="astana", lang="ru")
    assert expected > 0
    card = _find(page, "maslikhat-districts")
    assert "Астана" in _text(card.children[0])
    table = _find(page, "maslikhat-districts-table")
    assert len(table.children.children[1].children) == expected
    assert _find(page, "districts-table") is not None  # the Mazhilis districts stay


def test_region_says_maslikhat_districts_not_reported_2023(app):
    from dashboard.pages import region

    with app.server.test_request_context("/"):
        page = region.layout(unit="astana", lang="en")
    assert "not reported" in _text(_find(page, "maslikhat-districts-not-reported"))
    assert _find(page, "maslikhat-districts-table") is None


def _find(component, ident):
    if getattr(component, "id", None) == ident:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if hasattr(child, "to_plotly_json"):
            found = _find(child, ident)
            if found is not None:
                return found
    return None


def test_maslikhats_says_which_is_shown_and_why_before_the_detail(app):
    """On a phone the page opened on Karaganda's maslikhat without a word, the picker ~1,900 px down:
    the first lines say which one is shown and why (Karaganda Region is the first in the commission's
    order with party-list results in 2023: Abai…Zhetysu have none), with a link to the picker."""
    from dashboard.pages import maslikhats

    with app.server.test_request_context("/"):
        page = maslikhats.layout(lang="ru")
        chosen = maslikhats.layout(lang="ru", region="kyzylorda")
    ids = [getattr(c, "id", None) for c in page.children]
    assert ids.index("maslikhat-shown") < [i for i, c in enumerate(page.children) if _find(c, "maslikhat-detail")][0]
    note = _text(_find(page, "maslikhat-shown"))
    assert "Сначала показан маслихат: Карагандинская область" in note
    assert _find(page, "maslikhat-jump").href == "#picker-heading"
    assert _find(page, "picker-heading") is not None
    assert "Сначала показан" not in _text(_find(chosen, "maslikhat-shown"))  # the URL chose it
    assert _find(chosen, "maslikhat-jump").children == "Выбрать другой маслихат \u2193"
