"""Page layouts are cached per data version: a warm view is served from the cache, a new version is not
served stale."""

from __future__ import annotations

import dash

from dashboard.app import create_app
from dashboard.cache import _backend, figure_key
from dashboard.components import data as data_module
from dashboard.config import Config
from dashboard.rehearsal.simulate import write_simulated
from dashboard.store.library import Library
from tests.layout_tree import text as _text
from tests.serving import E2023


def _layout(app, module):
    page = next(p for p in dash.page_registry.values() if p["module"] == module)
    return page["layout"]



def _count_renders(monkeypatch) -> list[str]:
    """The mazhilis page's renders: its layout builds the map once per render (a cache hit never does)."""
    from dashboard.pages import mazhilis

    calls: list[str] = []
    real = mazhilis.build_map
    monkeypatch.setattr(mazhilis, "build_map", lambda election, *a, **k: calls.append(election.id)
                        or real(election, *a, **k))
    return calls


def test_layout_cache_hits_and_follows_new_versions(tmp_path, monkeypatch):
    data = tmp_path / "data"
    app = create_app(Config(data_dir=data, default_election=E2023))
    layout = _layout(app, "dashboard.pages.mazhilis")
    renders = _count_renders(monkeypatch)
    with app.server.app_context():
        first = layout(lang="en")
        assert "19 March 2023" in _text(first)
        assert renders == ["kz-2023-03-19"]
        # The rendered page is in the cache under the election, its data version and the language.
        key = figure_key("layout:mazhilis", data_module.version_key(), [("lang", "en")])
        assert _backend().get(key) is not None
        again = layout(lang="en")
        assert renders == ["kz-2023-03-19"]  # a hit: not rendered again
        assert _text(again) == _text(first)

        # Another election ingested: its page is its own; 2023's cached page is still a hit.
        write_simulated(tmp_path / "sim", 40, 7)
        Library(data).ingest(tmp_path / "sim")
        with app.server.test_request_context("/_dash-update-component"):
            after = layout(election="sim-7-40", lang="en")
        assert renders == ["kz-2023-03-19", "sim-7-40"]
        assert "SIMULATED" in _text(after)
        assert _text(after) != _text(first)
        assert _text(layout(lang="en")) == _text(first) and len(renders) == 2


def test_layout_cache_keys_on_language(tmp_path):
    app = create_app(Config(data_dir=tmp_path / "data", default_election=E2023))
    layout = _layout(app, "dashboard.pages.turnout")
    with app.server.app_context():
        en, ru = _text(layout(lang="en")), _text(layout(lang="ru"))
    assert "Turnout" in en
    assert "Явка" in ru and en != ru


def test_a_decorated_url_renders_the_cached_layout_of_the_plain_one(tmp_path):
    """``?lang=EN&fbclid=…`` is the view ``?lang=en``: one entry, under the canonical state."""
    app = create_app(Config(data_dir=tmp_path / "data", default_election=E2023))
    layout = _layout(app, "dashboard.pages.mazhilis")
    with app.server.app_context():
        key = figure_key("layout:mazhilis", data_module.version_key(), [("lang", "en")])
        assert _backend().get(key) is None
        decorated = layout(lang="EN", fbclid="IwAR", utm_source="fb", data_version=0)
        assert "Mazhilis election results" in _text(decorated)
        assert _backend().get(key) is not None  # stored under the canonical state only
        assert _text(layout(lang="en")) == _text(decorated)
        # a default value is the same view as no value: the entry of the plain URL
        default_key = figure_key("layout:mazhilis", data_module.version_key(), [])
        assert _backend().get(default_key) is None
        layout(results="mazhilis")
        assert _backend().get(default_key) is not None
