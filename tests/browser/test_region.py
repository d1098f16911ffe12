"""A region page's first view leads with what is reported for the unit: Astana opens on its maslikhat
vote (the Mazhilis party list was published only for the whole country), then its turnout through the
day and its single-mandate district; a unit with no party-list results says so once, in one place."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

ORDER = """
return Array.from(document.querySelectorAll(arguments[0])).map(function (e) {
    return [e.id, Math.round(e.getBoundingClientRect().top + window.scrollY)];
});
"""


def _top(dash_duo, selector: str) -> float:
    return dash_duo.driver.execute_script(
        "return document.querySelector(arguments[0]).getBoundingClientRect().top + window.scrollY", selector
    )


def test_astana_opens_on_its_maslikhat_vote(dash_duo, embedded_app, bt):
    dash_duo.start_server(embedded_app)
    bt.set_phone_viewport(dash_duo.driver)
    bt.visit(dash_duo, "/region/astana?lang=ru", "#page-region")
    current = dash_duo.find_element("#page-region a[aria-current='true']")
    assert current.text == "Маслихат, партийные списки"
    assert "contest=maslikhat_astana_party_list" in current.get_attribute("href")
    dash_duo.find_element("a[href$='/region/astana?lang=ru&contest=mazhilis_party_list']")
    assert dash_duo.driver.find_elements("css selector", "#results-not-reported") == []
    bars = dash_duo.driver.execute_script(
        "return document.querySelector('#region-party-bar .js-plotly-plot').data[0].y.length"
    )
    assert bars >= 3
    # the vote, then turnout through the day, then the single-mandate district with its winner
    assert (
        _top(dash_duo, "#region-party-bar") < _top(dash_duo, "#region-turnout") < _top(dash_duo, "#districts")
    )
    winners = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#districts-table tbody tr'))"
        ".map(function (r) { return r.cells[1].textContent.trim(); })"
    )
    assert any(w and w != "не опубликовано" for w in winners), winners
    # no "not reported" tiles: the reported figures are tiles
    assert bt.text_of(dash_duo, "#stat-turnout")
    assert bt.severe_logs(dash_duo) == []


def test_a_unit_without_party_results_says_so_once(dash_duo, embedded_app, bt):
    dash_duo.start_server(embedded_app)
    bt.visit(dash_duo, "/region/abai?lang=en", "#page-region")
    tiles = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#page-region .stat-value')).map(function (e) { return e.textContent; })"
    )
    assert tiles and "not reported" not in tiles
    missing = bt.text_of(dash_duo, "#region-not-reported")
    assert missing.startswith("Not reported for Abai Region:") and "registered voters" in missing
    assert "not reported" in bt.text_of(dash_duo, "#results-not-reported")
    dash_duo.wait_for_element("#region-turnout .js-plotly-plot", timeout=15)
    assert bt.severe_logs(dash_duo) == []
