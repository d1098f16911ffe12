"""A page never shows figures from two versions: its callbacks compute from the version the page was
rendered with (the ``page-version`` store), even after a new version is published, through the real
Dash callback endpoint of an app on a real store."""

from __future__ import annotations

import json

import dash
import pytest
from plotly.utils import PlotlyJSONEncoder

from dashboard.app import create_app
from dashboard.components import data as data_module
from dashboard.config import Config
from dashboard.rehearsal.simulate import write_simulated
from dashboard.store.store import Store

RECOLOUR_OUTPUTS = (
    "..map.figure...map-notes.children...map-table.children...map-wrap.aria-label"
    "...map-party-wrap.hidden...map-embed.children.."
)


def _recolour_body(mode: str, page_version) -> bytes:
    outputs = [
        {"id": i, "property": p}
        for i, p in (
            ("map", "figure"),
            ("map-notes", "children"),
            ("map-table", "children"),
            ("map-wrap", "aria-label"),
            ("map-party-wrap", "hidden"),
            ("map-embed", "children"),
        )
    ]
    return json.dumps(
        {
            "output": RECOLOUR_OUTPUTS,
            "outputs": outputs,
            "inputs": [
                {"id": "map-mode", "property": "value", "value": mode},
                {"id": "map-party", "property": "value", "value": "amanat"},
                {"id": "map-results", "property": "value", "value": "mazhilis"},
            ],
            "state": [
                {"id": "_pages_location", "property": "search", "value": "?lang=en"},
                {"id": "page-version", "property": "data", "value": page_version},
            ],
            "changedPropIds": ["map-mode.value"],
        }
    ).encode()


@pytest.fixture
def store_v1(tmp_path):
    data = tmp_path / "data"
    write_simulated(tmp_path / "sim1", 60, 7)
    write_simulated(tmp_path / "sim2", 60, 8)
    store = Store(data)
    store.ingest(tmp_path / "sim1")
    return data, store, tmp_path / "sim2"


def _post(client, body):
    resp = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert resp.status_code == 200, resp.data[:300]
    return resp.get_json()["response"]


def test_recolour_uses_the_version_the_page_was_rendered_with(store_v1):
    data, store, second = store_v1
    app = create_app(Config(data_dir=data))
    client = app.server.test_client()
    client.get("/")  # Dash registers the pages' routing on the first request
    at_v1 = _post(client, _recolour_body("turnout", 1))

    store.ingest(second)
    # the page still shows version 1: its map recolours with version 1's figures
    assert _post(client, _recolour_body("turnout", 1)) == at_v1
    # a page rendered from version 2 gets version 2's figures (the two versions do differ)
    at_v2 = _post(client, _recolour_body("turnout", 2))
    assert at_v2 != at_v1
    assert at_v2["map-table"] != at_v1["map-table"]


def test_request_is_pinned_to_one_version(store_v1):
    data, store, second = store_v1
    app = create_app(Config(data_dir=data))
    store.ingest(second)
    server = app.server
    with server.test_request_context("/"):
        assert data_module.use_version(1, load=True) == 1
        assert data_module.version() == 1
        assert data_module.version_key().startswith("sim-7-60@1-")
        assert data_module.election().id == "sim-7-60"
        assert data_module.status()["version"] == 1
    with server.test_request_context("/"):
        assert data_module.version_key().startswith("sim-8-60@2-")
        store.rollback(1)  # CURRENT moves on mid-request: this request keeps answering for version 2
        assert data_module.version() == 2
        assert data_module.election().id == "sim-8-60"
    for forged in ("1", True, -1, 99, None, [1], 1.0):
        with server.test_request_context("/"):
            assert data_module.use_version(forged, load=True) == 3, forged


def test_page_layout_carries_the_version_it_was_rendered_from(store_v1):
    data, store, second = store_v1
    app = create_app(Config(data_dir=data))
    store.ingest(second)
    page = next(p for p in dash.page_registry.values() if p["module"] == "dashboard.pages.mazhilis")
    with app.server.test_request_context("/"):
        # the store still holds version 1 in memory (the newest few): the page is rendered from it
        Store.election(data_module.source().store(), 1)
        marker, _content = page["layout"](data_version=1, lang="en")
    assert (marker.id, marker.data) == ("page-version", 1)
    with app.server.test_request_context("/"):
        marker, _content = page["layout"](data_version=2, lang="en")
    assert marker.data == 2
    with app.server.test_request_context("/"):
        # a version this process does not hold (and forged values) render the current version
        marker, _content = page["layout"](data_version=7, lang="en")
    assert marker.data == 2


def test_a_page_of_the_embedded_2023_data_stays_on_it_after_the_first_ingest(tmp_path):
    """Version 0 (the embedded 2023 package, served while the data dir is empty) is a version like any
    other: a page rendered from it keeps its figures after the first ingest publishes version 1."""
    data = tmp_path / "data"
    app = create_app(Config(data_dir=data))
    page = next(p for p in dash.page_registry.values() if p["module"] == "dashboard.pages.mazhilis")
    with app.server.test_request_context("/"):
        assert data_module.version() == 0
    write_simulated(tmp_path / "sim", 60, 7)
    Store(data).ingest(tmp_path / "sim")
    with app.server.test_request_context("/"):
        assert data_module.use_version(0, load=True) == 0
        assert (data_module.version(), data_module.election().id) == (0, "kz-2023-03-19")
        assert data_module.version_key().startswith("kz-2023-03-19@0-")
    with app.server.test_request_context("/"):
        marker, content = page["layout"](data_version=0, lang="en")
    assert marker.data == 0
    # Amanat's national party-list votes as the commission published them (sources/2023)
    assert "3,431,510" in json.dumps(content, cls=PlotlyJSONEncoder)
    with app.server.test_request_context("/"):  # a page without a version gets the new one
        marker, content = page["layout"](lang="en")
    assert marker.data == 1 and "3,431,510" not in json.dumps(content, cls=PlotlyJSONEncoder)


def _footer_body(page_version) -> bytes:
    return json.dumps(
        {
            "output": "site-footer.children",
            "outputs": {"id": "site-footer", "property": "children"},
            "inputs": [{"id": "page-version", "property": "data", "value": page_version}],
            "state": [
                {"id": "_pages_location", "property": "pathname", "value": "/"},
                {"id": "_pages_location", "property": "search", "value": "?lang=en"},
            ],
            "changedPropIds": ["page-version.data"],
        }
    ).encode()


def _footer_version(footer: dict) -> str:
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == "footer-version":
                found.append(node["props"]["children"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(footer)
    return found[0]


def test_footer_names_the_version_the_page_was_rendered_from(store_v1):
    """The footer followed the shell's data-version store, set as soon as a version is published, and so
    said "Data version 2" seconds before the page's figures were version 2's: it is drawn from the
    page's own page-version store, by a callback nothing else triggers."""
    data, store, second = store_v1
    app = create_app(Config(data_dir=data))
    client = app.server.test_client()
    client.get("/")
    (footer_cb,) = [cb for out, cb in app.callback_map.items() if "site-footer.children" in out]
    assert [i["id"] for i in footer_cb["inputs"]] == ["page-version"]
    store.ingest(second)
    assert _footer_version(_post(client, _footer_body(1))["site-footer"]["children"]) == "1"
    assert _footer_version(_post(client, _footer_body(2))["site-footer"]["children"]) == "2"
