"""Accessibility in a real Chromium: axe-core (WCAG 2.1 A and AA rules) finds no violation on any page in
any language; every unit is reachable from the keyboard; a browser asking for Russian gets Russian HTML;
unknown pages answer 404.

axe-core is the engine of the npm package ``axe-core`` (tests/browser/vendor/axe.min.js, MPL-2.0, see
tests/browser/vendor/README.md), injected into the page under test.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Every page (the region page with and without maslikhat results, both turnout views, an embed).
VIEWS = [
    ("/", "#page-mazhilis"),
    ("/?mode=party&results=maslikhat", "#page-mazhilis"),
    ("/e/kz-2023-03-19/region/astana", "#page-region"),
    ("/e/kz-2023-03-19/region/abai", "#page-region"),
    ("/e/kz-2023-03-19/turnout?view=multiples", "#page-turnout"),
    ("/e/kz-2023-03-19/maslikhats", "#page-maslikhats"),
    ("/e/kz-2023-03-19/embed/shares", "#embed-graph"),
    ("/e/kz-2023-03-19/observers", "#page-observers"),
]
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


def _with_lang(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def axe_violations(dash_duo) -> list[str]:
    driver = dash_duo.driver
    driver.set_script_timeout(60)
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    return driver.execute_async_script(RUN_AXE, WCAG_TAGS)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_axe_finds_no_wcag_violation_on_any_page(dash_duo, embedded_app, bt, lang):
    dash_duo.start_server(embedded_app)
    found = {}
    for path, ready in VIEWS:
        bt.visit(dash_duo, _with_lang(path, lang), ready)
        assert dash_duo.driver.execute_script("return document.documentElement.lang") == lang
        violations = axe_violations(dash_duo)
        if violations:
            found[path] = violations
    assert found == {}


def test_axe_sees_a_violation_when_there_is_one(dash_duo, embedded_app, bt):
    """The check is live: an unnamed input added to the page is reported."""
    dash_duo.start_server(embedded_app)
    bt.visit(dash_duo, "/?lang=en", "#page-mazhilis")
    dash_duo.driver.execute_script(
        "document.querySelector('main').appendChild(document.createElement('select'))"
    )
    violations = axe_violations(dash_duo)
    assert any(v.startswith("select-name:") for v in violations), violations


def test_every_unit_is_one_keyboard_stop_from_the_home_page(dash_duo, embedded_app, bt):
    dash_duo.start_server(embedded_app)
    bt.set_phone_viewport(dash_duo.driver)
    bt.visit(dash_duo, "/?lang=ru", "#page-mazhilis")
    links = dash_duo.driver.execute_script(
        """
        return Array.from(document.querySelectorAll('#region-links a')).map(function (a) {
            a.focus();
            var r = a.getBoundingClientRect();
            return [a.getAttribute('href'), document.activeElement === a, r.width > 0 && r.height >= 24];
        });
        """
    )
    from dashboard.regions import region_keys

    assert sorted(h for h, _f, _v in links) == sorted(f"/e/kz-2023-03-19/region/{k}?lang=ru" for k in region_keys())
    assert all(focused and visible for _h, focused, visible in links)
    # the list comes before the map: reachable without scrolling past it
    above = dash_duo.driver.execute_script(
        "return document.querySelector('#region-links').getBoundingClientRect().top"
        " < document.querySelector('#map-wrap').getBoundingClientRect().top"
    )
    assert above
    dash_duo.driver.execute_script(
        "document.querySelector('#region-links a[href^=\"/e/kz-2023-03-19/region/astana\"]').click()"
    )
    dash_duo.wait_for_element("#page-region", timeout=20)
    assert dash_duo.driver.current_url.endswith("/region/astana?lang=ru")


def test_a_browser_asking_for_russian_gets_russian_html(dash_duo, embedded_app, bt):
    from dash.testing.wait import until

    dash_duo.start_server(embedded_app)
    driver = dash_duo.driver
    agent = driver.execute_script("return navigator.userAgent")
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(
        "Emulation.setUserAgentOverride", {"userAgent": agent, "acceptLanguage": "ru-RU,ru"}
    )
    try:
        bt.visit(dash_duo, "/e/kz-2023-03-19/turnout", "#page-turnout")
        assert driver.current_url.endswith("/turnout?lang=ru")
        assert driver.execute_script("return document.documentElement.lang") == "ru"
        until(lambda: driver.title == "Явка в течение дня голосования — Saylau", timeout=10)
        assert bt.text_of(dash_duo, "h1.page-title") == "Явка в течение дня голосования"
    finally:
        driver.execute_cdp_cmd("Emulation.setUserAgentOverride", {"userAgent": agent, "acceptLanguage": "kk"})


def test_unknown_pages_answer_404_with_the_friendly_page(dash_duo, embedded_app):
    dash_duo.start_server(embedded_app)
    base = dash_duo.server_url.rstrip("/")
    for path in ("/no-such-page", "/e/kz-2023-03-19/region/atlantis?lang=en", "/e/kz-1999-01-01/?lang=en"):
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(base + path, timeout=10)
        assert err.value.code == 404, path
        assert b"_dash-renderer" in err.value.read()
    with urllib.request.urlopen(base + "/e/kz-2023-03-19/turnout?lang=en", timeout=10) as ok:
        assert ok.status == 200


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_election_picker_is_accessible_fits_a_phone_and_leads_to_the_other_election(
        dash_duo, two_elections_app, bt, lang):
    """The header's picker (B, the newest and the front page's, then every embedded vote newest first, 2023
    among them): open, it has no axe violation and no sideways scroll at 390 px; its link to 2023 loads
    2023's page, whose poller then asks for 2023's status."""
    from tests.web.elections import B_NAMES, B

    dash_duo.start_server(two_elections_app)
    driver = dash_duo.driver
    bt.set_phone_viewport(driver)
    bt.visit(dash_duo, f"/?lang={lang}", "#election-picker")
    links = driver.execute_script(
        "return Array.from(document.querySelectorAll('#election-picker a')).map(function (a) {"
        " return [a.getAttribute('href'), a.getAttribute('aria-current'), a.textContent]; });")
    order = [B, "kz-2026-03-15", "kz-2024-10-06", "kz-2023-03-19", "kz-2022-11-20", "kz-2022-06-05",
             "kz-2021-01-10", "kz-2019-06-09"]
    assert [(h, c) for h, c, _t in links] == [(f"/e/{e}/?lang={lang}", "page" if e == B else None) for e in order]
    assert B_NAMES[lang] in links[0][2] and "19.03.2023" in links[3][2]
    driver.find_element("css selector", "#election-picker summary").click()
    assert driver.execute_script("return document.querySelector('#election-picker').open")
    assert bt.horizontal_overflow(driver) <= 0
    assert axe_violations(dash_duo) == []
    driver.find_element("css selector", "#election-picker a[href^='/e/kz-2023-03-19/']").click()
    dash_duo.wait_for_element("#page-mazhilis", timeout=20)
    bt.wait_idle(dash_duo)
    assert driver.current_url.endswith(f"/e/kz-2023-03-19/?lang={lang}")
    assert driver.execute_script(
        "return document.querySelector('#election-picker a[aria-current=page]').getAttribute('href')"
    ) == f"/e/kz-2023-03-19/?lang={lang}"
    polls = "performance.setResourceTimingBufferSize(100000);" \
            "return performance.getEntriesByType('resource').filter(function (e) {" \
            " return e.name.indexOf('/e/kz-2023-03-19/status.json') >= 0; }).length;"
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 15, poll_frequency=0.2).until(lambda d: d.execute_script(polls) >= 1)
    assert bt.severe_logs(dash_duo) == []
