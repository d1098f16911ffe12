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
    bt.visit(dash_duo, "/e/kz-2023-03-19/embed/map?lang=kk&mode=turnout", "#page-embed")
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
    until(lambda: f'src="{origin}/e/kz-2023-03-19/embed/map?lang=en' in (_attr(dash_duo, box, "value", True) or ""), 10)
    # switching the map mode updates the snippet
    dash_duo.find_element("#map-mode input[value='against_all']").click()
    until(lambda: "mode=against_all" in (_attr(dash_duo, box, "value", True) or ""), timeout=10)
    assert bt.severe_logs(dash_duo) == []


#: One URL per chart of the catalogue (``dashboard.charts.CHARTS``).
FIT_URLS = {
    "map": "/e/kz-2023-03-19/embed/map?lang=en&mode=turnout",
    "shares": "/e/kz-2023-03-19/embed/shares?lang=ru",
    "chamber": "/e/kz-2023-03-19/embed/chamber?lang=en",
    "turnout": "/e/kz-2023-03-19/embed/turnout?lang=kk&unit=almaty",
    "ranking": "/e/kz-2023-03-19/embed/ranking?lang=en",
    "maslikhats": "/embed/maslikhats?lang=en",  # a snippet of the one-election site: redirected, still fits
    "turnout_history": "/e/kz-2023-03-19/embed/turnout_history?lang=ru&unit=abai",
    "turnout_change": "/e/kz-2026-03-15/embed/turnout_change?lang=kk&from=kz-2019-06-09",
}


def test_every_embed_fits_its_frame_on_another_origin(dash_duo, embedded_app, bt, tmp_path):
    """The snippet on a page of another origin (a second loopback server, 127.0.0.2): the script resizes
    each chart's frame until its whole source line shows, with nothing to scroll, at 300, 390 and 700 px;
    the map names its regions only where the frame is wide enough."""
    import functools
    import http.server
    import threading

    from dashboard.charts import CHARTS
    from tests.conftest import _free_port

    # the night's estimate exists only while a count goes on (the embedded votes are counted): its embed is
    # looked at mid-count in tests/browser/test_estimate.py
    assert set(FIT_URLS) == set(CHARTS) - {"estimate"}
    dash_duo.start_server(embedded_app)
    app_origin = dash_duo.server_url.rstrip("/")
    port = _free_port()
    host = f"http://127.0.0.2:{port}"
    frames = "".join(
        f'<div id="w-{c}" style="width:300px"><iframe id="f-{c}" src="{app_origin}{u}" width="100%" '
        f'height="200" style="border:0" title="{c}"></iframe></div>'
        for c, u in FIT_URLS.items()
    )
    (tmp_path / "index.html").write_text(
        f"<!doctype html><html><head><link rel='icon' href='data:,'></head><body style='margin:0'>{frames}"
        f'<script src="{app_origin}/assets/saylau-embed.js" async></script></body></html>',
        encoding="utf-8",
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.2", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    driver = dash_duo.driver
    driver.set_window_size(1000, 900)

    def inside(chart, script):
        driver.switch_to.frame(f"f-{chart}")
        try:
            return driver.execute_script(script)
        finally:
            driver.switch_to.default_content()

    seen = {}

    def fits(chart):
        frame_h = driver.execute_script(f"return document.getElementById('f-{chart}').offsetHeight;")
        credit, scroll, plotted, *debug = seen[chart] = inside(
            chart,
            "var c = document.getElementById('embed-credit');"
            "return [c ? c.getBoundingClientRect().bottom + window.scrollY : null,"
            " document.documentElement.scrollHeight, !!document.querySelector('#embed-graph .main-svg'),"
            " document.documentElement.className, window.parent !== window];",
        )
        seen[chart] = (frame_h, credit, scroll, plotted, debug)
        return plotted and credit is not None and frame_h > 250 and credit <= frame_h and scroll <= frame_h + 1

    def map_labels_visible():
        return inside(
            "map",
            "var gd = document.querySelector('#embed-graph .js-plotly-plot');"
            "var t = gd && gd.data ? gd.data.filter(function (d) { return d.name === 'region_labels'; }) : [];"
            "return t.length ? t[0].visible !== false : null;",
        )

    try:
        driver.get(host + "/index.html")
        for width in (300, 390, 700):
            driver.execute_script(
                f"document.querySelectorAll('div[id^=w-]').forEach(function (d) {{ d.style.width = '{width}px'; }});"
            )
            for chart in FIT_URLS:
                _wait(lambda chart=chart: fits(chart), 30, lambda chart=chart, width=width: (width, chart, seen[chart]))
            _wait(lambda width=width: map_labels_visible() is (width >= 560), 10, lambda width=width: width)
        assert not [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    finally:
        server.shutdown()
        server.server_close()


def _wait(condition, timeout: float, describe) -> None:
    """Poll ``condition`` until true; fail naming what was last seen."""
    import time

    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, describe()
        time.sleep(0.2)


def test_copy_button_copies_the_absolute_snippet(dash_duo, embedded_app, bt):
    from dash.testing.wait import until

    dash_duo.start_server(embedded_app)
    origin = dash_duo.server_url.rstrip("/")
    driver = dash_duo.driver
    driver.execute_cdp_cmd(
        "Browser.grantPermissions",
        {"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"], "origin": origin},
    )
    bt.visit(dash_duo, "/e/kz-2023-03-19/maslikhats?lang=en", "#page-maslikhats")
    details = dash_duo.find_element("details.embed")
    details.find_element("css selector", "summary").click()
    details.find_element("css selector", "button.embed-copy").click()
    until(lambda: "✓" in details.find_element("css selector", ".embed-copied").text, timeout=10)
    copied = driver.execute_async_script(
        "var done = arguments[0]; navigator.clipboard.readText().then(done, function (e) { done('ERR ' + e); });"
    )
    assert copied.startswith(f'<iframe src="{origin}/e/kz-2023-03-19/embed/')
    assert f'<script src="{origin}/assets/saylau-embed.js" async></script>' in copied
    assert bt.severe_logs(dash_duo) == []
