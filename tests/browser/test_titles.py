"""The browser tab title follows the page and the language; the turnout slider has an accessible name
and speaks the report time."""

from __future__ import annotations

import pytest

from dashboard.i18n import translator

pytestmark = pytest.mark.browser


def _attr(dash_duo, selector, name, prop=False):
    """An element's attribute (or property), None while the page re-renders it (stale) or it is absent."""
    from selenium.common.exceptions import WebDriverException

    try:
        el = dash_duo.find_element(selector)
        return el.get_property(name) if prop else el.get_attribute(name)
    except WebDriverException:
        return None


def test_tab_title_follows_page_and_language(dash_duo, embedded_app, bt):
    from dash.testing.wait import until

    dash_duo.start_server(embedded_app)
    bt.visit(dash_duo, "/turnout?lang=en", "#page-turnout")
    until(lambda: dash_duo.driver.title == "Turnout through election day — Saylau", timeout=10)
    dash_duo.find_element("#lang-ru").click()
    expected = translator("ru")("Turnout through election day") + " — Saylau"
    until(lambda: dash_duo.driver.title == expected, timeout=15)
    dash_duo.find_element("#nav-home").click()
    until(lambda: dash_duo.driver.title == "Итоги выборов в Мажилис — Saylau", timeout=15)
    assert bt.severe_logs(dash_duo) == []


def test_turnout_slider_is_labelled(dash_duo, embedded_app, bt):
    from dash.testing.wait import until

    dash_duo.start_server(embedded_app)
    bt.visit(dash_duo, "/turnout?lang=en&time=18:10", "#page-turnout")
    thumb = "#turnout-time [role=slider]"
    until(lambda: _attr(dash_duo, thumb, "aria-labelledby") == "turnout-time-label", timeout=10)
    assert dash_duo.find_element("#turnout-time-label").text == "Report time"
    until(lambda: _attr(dash_duo, thumb, "aria-valuetext") == "18:10", timeout=10)
    assert bt.severe_logs(dash_duo) == []
