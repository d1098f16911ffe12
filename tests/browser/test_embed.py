"""Embeds in a real headless Chromium: /embed/map draws the 20 units in a 320 px frame without console
errors or horizontal scrolling; the "Embed this chart" snippet carries this site's absolute URL."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def _attr(dash_duo, selector, name, prop=False):
    """An element's attribute (or property), None while the page re-renders it (stale) or it is absent."""
    from selenium.common.exceptions import WebDriverException

    try:
        el = dash_duo.find_element(selector)
        return el.get_property(name) if prop else el.get_attribute(name)
    except WebDriverException:
        return None


def test_embed_map_at_320px(dash_duo, embedded_app, bt):
    from dash.testing.wait import until

    dash_duo.start_server(embedded_app)
    bt.set_phone_viewport(dash_duo.driver, width=320, height=480)
    bt.visit(dash_duo, "/embed/map?lang=kk&mode=turnout", "#page-embed")
    dash_duo.wait_for_element("#embed-graph g.trace.choropleth path.choroplethlocation", timeout=20)
    count = (
        "var t = document.querySelectorAll('#embed-graph g.trace.choropleth');"
        "return t.length ? t[0].querySelectorAll('path.choroplethlocation').length : 0;"
    )
    until(lambda: dash_duo.driver.execute_script(count) == 20, timeout=20)
    assert dash_duo.driver.execute_script("return window.innerWidth") == 320
    assert bt.horizontal_overflow(dash_duo.driver) <= 0
    right = dash_duo.driver.execute_script(
        "return document.querySelector('#embed-graph .js-plotly-plot').getBoundingClientRect().right;"
    )
    assert right <= 321
    # minimal chrome: no site header or footer, the source line links back
    assert not dash_duo.find_element("#site-header").is_displayed()
    assert "Saylau" in dash_duo.find_element("#embed-credit").text
    assert bt.severe_logs(dash_duo) == []


def test_embed_snippet_has_the_absolute_url(dash_duo, embedded_app, bt):
    from dash.testing.wait import until

    dash_duo.start_server(embedded_app)
    bt.visit(dash_duo, "/?lang=en&mode=turnout", "#page-mazhilis")
    dash_duo.find_element("#map-embed summary").click()
    box = "#map-embed textarea"
    origin = dash_duo.server_url.rstrip("/")
    until(lambda: f'src="{origin}/embed/map?lang=en' in (_attr(dash_duo, box, "value", True) or ""), 10)
    # switching the map mode updates the snippet
    dash_duo.find_element("#map-mode input[value='against_all']").click()
    until(lambda: "mode=against_all" in (_attr(dash_duo, box, "value", True) or ""), timeout=10)
    assert bt.severe_logs(dash_duo) == []
