"""A page never shows figures from two versions: its callbacks compute from the election and version the
page was rendered with (the ``page-version`` store, ``{"election", "version"}``), even after a new version is
published, through the real Dash callback endpoint of an app on a real store."""

from __future__ import annotations

import json

import dash
import pytest
from plotly.utils import PlotlyJSONEncoder

from dashboard.app import create_app
from dashboard.components import data as data_module
from dashboard.config import Config
from dashboard.rehearsal.simulate import write_simulated
from dashboard.store.library import Library
from dashboard.store.store import Store
from tests.serving import E2023

SIM = "sim-7-60"
OLD = "kz-2023-03-19"


def held(version, election=SIM) -> dict:
    """A ``page-version`` store's value."""
    return {"election": election, "version": version}

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
                {"id": "page-version", "property": "data", "value": held(page_version)},
            ],
            "changedPropIds": ["map-mode.value"],
        }
    ).encode()


@pytest.fixture
def store_v1(tmp_path):
    """Version 1 of election SIM (half counted) in a library; the package of its version 2 (all counted)."""
    data = tmp_path / "data"
    write_simulated(tmp_path / "sim1", 60, 7, reported_fraction=0.5)
    write_simulated(tmp_path / "sim2", 60, 7)
    store = Library(data)
    store.ingest(tmp_path / "sim1")
    return data, store, tmp_path / "sim2"


def _post(client, body):
    resp = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert resp.status_code == 200, resp.data[:300]
    return resp.get_json()["response"]


def test_recolour_uses_the_version_the_page_was_rendered_with(store_v1):
    data, store, second = store_v1
    app = create_app(Config(data_dir=data, default_election=E2023))
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
    app = create_app(Config(data_dir=data, default_election=E2023))
    store.ingest(second)
    server = app.server
    with server.test_request_context(f"/e/{SIM}/"):
        assert data_module.use_version(1, load=True) == 1
        assert data_module.version() == 1
        assert data_module.version_key().startswith(f"{SIM}@1-")
        assert data_module.election().id == SIM
        assert data_module.status()["version"] == 1
    with server.test_request_context(f"/e/{SIM}/"):
        assert data_module.version_key().startswith(f"{SIM}@2-")
        store.store(SIM).rollback(1)  # CURRENT moves on mid-request: this request keeps answering for version 2
        assert data_module.version() == 2
        assert data_module.election().id == SIM
    for forged in ("1", True, -1, 99, None, [1], 1.0, held("1"), held(1, "kz-1999-01-01"), {"version": 1}):
        with server.test_request_context(f"/e/{SIM}/"):
            assert data_module.use_version(forged, load=True) == 3, forged
            assert data_module.election().id == SIM
    # a version of another election: ignored where the path chose the election (the routing callback),
    # followed by a page's own callbacks (``select``: the store is all they know of their page)
    with server.test_request_context(f"/e/{SIM}/"):
        assert data_module.use_version(held(0, OLD), load=True) == 3 and data_module.election().id == SIM
    with server.test_request_context("/_dash-update-component"):
        assert data_module.use_version(held(1), load=True, select=True) == 1
        assert (data_module.election().id, data_module.election_id()) == (SIM, SIM)
        assert data_module.use_version(held(0, OLD), load=True, select=True) == 0
        assert data_module.election().id == OLD


def test_page_layout_carries_the_version_it_was_rendered_from(store_v1):
    data, store, second = store_v1
    app = create_app(Config(data_dir=data, default_election=E2023))
    store.ingest(second)
    page = next(p for p in dash.page_registry.values() if p["module"] == "dashboard.pages.mazhilis")
    with app.server.test_request_context("/_dash-update-component"):
        # the store still holds version 1 in memory (the newest few): the page is rendered from it
        Store.election(data_module.source().store(SIM), 1)
        marker, _content = page["layout"](election=SIM, data_version=held(1), lang="en")
    assert (marker.id, marker.data) == ("page-version", held(1))
    with app.server.test_request_context("/_dash-update-component"):
        marker, _content = page["layout"](election=SIM, data_version=held(2), lang="en")
    assert marker.data == held(2)
    for other in (held(7), held(1, OLD), 7, None):
        with app.server.test_request_context("/_dash-update-component"):
            # a version this process does not hold, of another election, or forged: the current version
            marker, _content = page["layout"](election=SIM, data_version=other, lang="en")
        assert marker.data == held(2), other


def test_a_page_of_the_embedded_2023_data_stays_on_it_when_another_election_is_ingested(tmp_path):
    """Version 0 (the embedded 2023 package) is a version like any other, and ingesting another election
    adds that election: a page of 2023 keeps its figures, a page of the new one has its own."""
    data = tmp_path / "data"
    app = create_app(Config(data_dir=data, default_election=E2023))
    page = next(p for p in dash.page_registry.values() if p["module"] == "dashboard.pages.mazhilis")
    with app.server.test_request_context("/"):
        assert (data_module.version(), data_module.election().id) == (0, OLD)
    write_simulated(tmp_path / "sim", 60, 7)
    Library(data).ingest(tmp_path / "sim")
    with app.server.test_request_context(f"/e/{OLD}/"):
        assert data_module.use_version(0, load=True) == 0
        assert (data_module.version(), data_module.election().id) == (0, OLD)
        assert data_module.version_key().startswith(f"{OLD}@0-")
    with app.server.test_request_context("/_dash-update-component"):
        marker, content = page["layout"](election=OLD, data_version=held(0, OLD), lang="en")
    assert marker.data == held(0, OLD)
    # Amanat's national party-list votes as the commission published them (sources/2023)
    assert "3,431,510" in json.dumps(content, cls=PlotlyJSONEncoder)
    with app.server.test_request_context("/_dash-update-component"):  # the new election: its own figures
        marker, content = page["layout"](election=SIM, lang="en")
    assert marker.data == held(1) and "3,431,510" not in json.dumps(content, cls=PlotlyJSONEncoder)
    with app.server.test_request_context("/_dash-update-component"):  # the front page: still 2023
        marker, content = page["layout"](lang="en")  # (a simulated election is never the default)
    assert marker.data == held(0, OLD)


def _footer_body(page_version) -> bytes:
    return json.dumps(
        {
            "output": "site-footer.children",
            "outputs": {"id": "site-footer", "property": "children"},
            "inputs": [{"id": "page-version", "property": "data", "value": held(page_version)}],
            "state": [
                {"id": "_pages_location", "property": "pathname", "value": f"/e/{SIM}/"},
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
    app = create_app(Config(data_dir=data, default_election=E2023))
    client = app.server.test_client()
    client.get("/")
    (footer_cb,) = [cb for out, cb in app.callback_map.items() if "site-footer.children" in out]
    assert [i["id"] for i in footer_cb["inputs"]] == ["page-version"]
    store.ingest(second)
    assert _footer_version(_post(client, _footer_body(1))["site-footer"]["children"]) == "1"
    assert _footer_version(_post(client, _footer_body(2))["site-footer"]["children"]) == "2"
