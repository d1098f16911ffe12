"""The record across votes in a real Chromium, kk/ru/en, at 390 and 1366 px: the archive page (plain HTML)
and the turnout-history and change charts' embeds — axe-core finds no WCAG 2.1 A/AA violation, nothing
scrolls sideways. With SAYLAU_SHOTS set, a screenshot of each view goes there (to look at)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SAYLAU_SHOTS")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """
    var done = arguments[arguments.length - 1];
    axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
      .then(function (r) {
        done(r.violations.map(function (v) {
          return v.id + ': ' + v.nodes.map(function (n) { return n.target.join(' '); }).join(', ');
        }));
      })
      .catch(function (e) { done(['axe failed: ' + e]); });
"""
VIEWS = {
    "archive": ("/archive", "#archive-list"),
    "history": ("/e/kz-2026-03-15/embed/turnout_history", "#embed-graph"),
    "history-region": ("/e/kz-2026-03-15/embed/turnout_history?unit=east_kazakhstan", "#embed-graph"),
    "change": ("/e/kz-2026-03-15/embed/turnout_change?from=kz-2019-06-09", "#embed-graph"),
}


def _axe(driver) -> list[str]:
    driver.set_script_timeout(60)
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    return driver.execute_async_script(RUN_AXE, WCAG_TAGS)


def _url(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_record_views_are_accessible_and_fit_a_phone(dash_duo, embedded_app, bt, lang):
    dash_duo.start_server(embedded_app)
    found, overflow = {}, {}
    for width in (390, 1366):
        if width == 390:
            bt.set_phone_viewport(dash_duo.driver)
        else:
            dash_duo.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
            dash_duo.driver.set_window_size(1366, 900)
        for name, (path, ready) in VIEWS.items():
            if name == "archive":  # plain HTML: no Dash to wait for
                dash_duo.driver.get(dash_duo.server_url.rstrip("/") + _url(path, lang))
                dash_duo.wait_for_element(ready, timeout=20)
            else:
                bt.visit(dash_duo, _url(path, lang), ready)
            assert dash_duo.driver.execute_script("return document.documentElement.lang") == lang
            violations = _axe(dash_duo.driver)
            if violations:
                found[(name, width)] = violations
            extra = bt.horizontal_overflow(dash_duo.driver)
            if extra > 0:  # a desktop scrollbar makes it negative
                overflow[(name, width)] = extra
            if SHOTS:
                dash_duo.driver.execute_script("window.scrollTo(0, 0)")
                dash_duo.driver.save_screenshot(os.path.join(SHOTS, f"{name}-{lang}-{width}.png"))
    assert found == {}
    assert overflow == {}
    assert bt.severe_logs(dash_duo) == []


def test_archive_works_without_script(dash_duo, embedded_app):
    """The archive's links and text are in the HTML itself: with script disabled the page is whole."""
    dash_duo.start_server(embedded_app)
    driver = dash_duo.driver
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    driver.get(dash_duo.server_url.rstrip("/") + "/archive?lang=en")
    links = driver.find_elements("css selector", "#archive-list h2 a")
    assert [a.get_attribute("href").split("/e/", 1)[1] for a in links][-1] == "kz-2019-06-09/?lang=en"
    assert len(links) == 7


@pytest.mark.parametrize("lang", ["kk", "en"])
def test_header_links_the_archive_and_the_turnout_page_shows_the_record(dash_duo, embedded_app, bt, lang):
    dash_duo.start_server(embedded_app)
    bt.set_phone_viewport(dash_duo.driver)
    bt.visit(dash_duo, f"/e/kz-2023-03-19/turnout?lang={lang}", "#history-turnout-change")
    href = dash_duo.driver.execute_script("return document.querySelector('#archive-link').getAttribute('href')")
    assert href == f"/archive?lang={lang}"
    assert bt.horizontal_overflow(dash_duo.driver) <= 0
    assert _axe(dash_duo.driver) == []
    if SHOTS:
        dash_duo.driver.execute_script("window.scrollTo(0, 0)")
        dash_duo.driver.save_screenshot(os.path.join(SHOTS, f"turnout-page-top-{lang}-390.png"))
        dash_duo.driver.execute_script("document.querySelector('#history-turnout-history-wrap').scrollIntoView()")
        dash_duo.driver.save_screenshot(os.path.join(SHOTS, f"turnout-page-record-{lang}-390.png"))
        dash_duo.driver.execute_script("document.querySelector('#history-turnout-change-wrap').scrollIntoView()")
        dash_duo.driver.save_screenshot(os.path.join(SHOTS, f"turnout-page-change-{lang}-390.png"))
    bt.visit(dash_duo, f"/e/kz-2023-03-19/?lang={lang}", "#history-compare")
    if SHOTS:
        dash_duo.driver.execute_script("document.querySelector('#outcome').scrollIntoView()")
        dash_duo.driver.save_screenshot(os.path.join(SHOTS, f"home-compare-{lang}-390.png"))
