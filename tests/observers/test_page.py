"""The Observers page's layout without a browser: 2023 data, a planted store with two versions, the demo."""

from __future__ import annotations

import re
import shutil

import pytest

from dashboard.app import create_app
from dashboard.config import Config
from dashboard.i18n import LANGUAGES
from dashboard.pages import observers
from dashboard.rehearsal.simulate import write_simulated
from tests.serving import E2023, ingest, serve


def _walk(node):
    yield node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            yield from _walk(child)


def _text(node) -> str:
    out = []
    for n in _walk(node):
        children = getattr(n, "children", None)
        for c in children if isinstance(children, list | tuple) else [children]:
            if isinstance(c, str):
                out.append(c)
    return " ".join(out)


def _by_id(layout, id_):
    return next(n for n in _walk(layout) if getattr(n, "id", None) == id_)


def _render(app, lang="en", **kw):
    with app.server.test_request_context(f"/observers?lang={lang}"):
        return observers.layout(lang=lang, **kw)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("page")
    first = write_simulated(tmp / "v1", 600, seed=3, plant=("turkistan", 0.05))
    second = tmp / "v2"
    shutil.copytree(first, second)
    text = (second / "results.csv").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("mazhilis_party_list,abai/0001,"))
    cells = line.split(",")
    cells[7] = str(int(cells[7]) - 2)  # two votes fewer for the second party
    (second / "results.csv").write_text(text.replace(line, ",".join(cells)), encoding="utf-8")
    app = serve(tmp / "data", first)  # its election is the front page's
    ingest(tmp / "data", second)
    return app


@pytest.mark.parametrize("lang", LANGUAGES)
def test_2023_page_says_there_are_no_station_rows(tmp_path, lang):
    app = create_app(Config(data_dir=tmp_path / "empty", default_election=E2023))
    layout = _render(app, lang)
    assert _by_id(layout, "forensics-none").id == "forensics-none"
    rows = [n for n in _walk(_by_id(layout, "flags-table")) if getattr(n, "className", None) == "flag-unit"]
    assert sorted(n.href for n in rows) == sorted(
        [f"/e/kz-2023-03-19/region/{u}?lang={lang}" for u in ("almaty", "almaty", "astana", "astana", "shymkent")])
    assert _by_id(layout, "audit-none").id == "audit-none"


def test_planted_page_lists_flags_forensics_and_the_diff(planted):
    layout = _render(planted)
    table = _by_id(layout, "flags-table")
    units = [n.children for n in _walk(table) if getattr(n, "className", None) == "flag-unit"]
    assert any(u.startswith("Turkistan Region · ") for u in units)
    assert _by_id(layout, "observers-fingerprint").id == "observers-fingerprint"
    diff = _text(_by_id(layout, "audit-diff"))
    assert "abai/0001" not in diff and "Abai Region · 0001" in diff and "Auyl" in diff and "−2" in diff


def test_the_audit_trail_speaks_the_page_language(planted):
    """The diff showed raw keys (``mazhilis_party_list``, ``registered``, ``auyl``), ISO report times and
    ``15121``; the versions table ISO instants (``2026-12-02T01:30:43Z``)."""
    layout = _render(planted, "ru")
    diff = _text(_by_id(layout, "audit-diff"))
    assert "Мажилис, партийный список" in diff and "mazhilis_party_list" not in diff
    assert "Ауыл" in diff and "auyl" not in diff
    assert "1\u00a0299" in diff and "−2" in diff
    versions = _text(_by_id(layout, "audit-table"))
    assert not re.search(r"\d{4}-\d\d-\d\dT", versions)  # no ISO instant
    assert re.search(r"\d\d\.\d\d\.\d{4} \d\d:\d\d \(UTC\+[56]\)", versions)  # as the footer says it

    election = planted.server.extensions["saylau"].election()
    turnout = {"table": "turnout", "key": "2023-03-19T10:10:00+06:00", "unit": "abai", "field": "registered",
               "before": 15121, "after": 15131, "delta": 10}
    assert observers._change_key(turnout, election, "ru") == "10:10"
    from dashboard.figures.common import field_label

    assert field_label("registered", election, "ru") == "Включено в списки избирателей"
    assert field_label("invalid", election, "kk") == "Жарамсыз бюллетеньдер"
    assert observers._change_value(turnout, 15121, election, "ru") == "15\u00a0121"
    assert observers._change_delta(turnout, "ru") == "+10"
    pct = {**turnout, "field": "turnout_pct", "delta": -0.5}
    assert observers._change_value(pct, 54.2, election, "ru") == "54,20\u00a0%"
    assert observers._change_delta(pct, "ru") == "−0,50"
    final = {**turnout, "key": "final"}
    assert observers._change_key(final, election, "ru") == "итог"
    status = {"table": "contests", "key": "mazhilis_party_list", "unit": "", "field": "status",
              "before": "counting", "after": "final", "delta": None}
    assert observers._change_key(status, election, "kk") == "Мәжіліс, партиялық тізім"
    assert observers._change_value(status, "final", election, "ru") == "Окончательные итоги"


def test_filter_and_sort(planted):
    with planted.server.test_request_context("/observers?lang=en"):
        only = observers.flags_table(planted.server.extensions["saylau"].election(), "en", rule="station_outlier")
        rules = {getattr(n, "data-rule", None) for n in _walk(only)} - {None}
        none = observers.flags_table(planted.server.extensions["saylau"].election(), "en", region="abai")
    assert rules == {"station_outlier"}
    assert _text(none) == "No rule flags anything here."


def test_demo_has_no_versions():
    app = create_app(Config(demo=True, demo_stations=400))
    assert _by_id(_render(app, "ru"), "audit-none").id == "audit-none"


def test_the_layout_is_cached_per_canonical_view(tmp_path):
    """The page is rendered once per (version, canonical view): a decorated URL (unknown region, tracking
    parameter, default sort) is answered from the plain view's cache entry — shown
    by replacing that entry with a marker and getting the marker back."""
    import dash
    from dash import html

    from dashboard.cache import _backend, cached_figure, figure_key
    from dashboard.components import data as data_module

    app = create_app(Config(data_dir=tmp_path / "empty", default_election=E2023))
    layout = next(p for p in dash.page_registry.values() if p["module"] == "dashboard.pages.observers")["layout"]
    with app.server.test_request_context("/observers?lang=en"):
        first = layout(lang="en", rule="interval_outlier")
        rows = [n for n in _walk(first[-1]) if getattr(n, "className", None) == "flag-unit"]
        assert len(rows) == 5
        parts = [("lang", "en"), ("rule", "interval_outlier")]
        key = figure_key("layout:observers", data_module.version_key(), parts)
        assert _backend().get(key) is not None
        _backend().delete(key)
        cached_figure("layout:observers", data_module.version_key(), parts,
                      compute=lambda: html.Div(id="marker"))
        again = layout(lang="en", rule="interval_outlier", sort="rule", utm_source="x", region="atlantis")
    assert again[-1].id == "marker"


def test_a_first_election_is_compared_with_nothing(tmp_path):
    """An election ingested beside the built-in 2023 one has no version 0 of its own: its first version
    is compared with nothing (it used to be "a different election from version 0", the 2023 package)."""
    app = serve(tmp_path / "data", write_simulated(tmp_path / "v1", 60, seed=3))
    assert _text(_by_id(_render(app, "en"), "audit-diff")) == (
        "Version 1 is the first version of this election: there is nothing to compare it with.")
    assert _text(_by_id(_render(app, "ru"), "audit-diff")) == (
        "Версия 1 — первая версия этих выборов: сравнивать её не с чем.")
    table = _render(app, "en")
    hrefs = {getattr(n, "href", None) for n in _walk(table)} - {None}
    assert "/api/v1/elections/sim-3-60/versions/1/diff" in hrefs and "/e/sim-3-60/feeds/versions.atom" in hrefs
