"""Live pages in a real headless Chromium: an open page notices a newly ingested version within 5 s,
updates its figures in place (same URL, query kept), and says «Обновлено HH:MM:SS» in its language."""

from __future__ import annotations

import json
import re
import time

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.app import create_app
from dashboard.config import Config
from dashboard.rehearsal.simulate import write_simulated
from dashboard.store.library import Library

SIM = "/e/sim-7-60"

pytestmark = pytest.mark.browser

MAP_Z = "var g = document.querySelector('#map .js-plotly-plot'); return g && g.data ? g.data[0].z : null;"
#: How many /api/v1/status requests the page has completed (the browser's own resource timing record).
STATUS_POLLS = (
    "performance.setResourceTimingBufferSize(100000);"
    "return performance.getEntriesByType('resource')"
    ".filter(function (e) { return e.name.indexOf('/e/sim-7-60/status.json') >= 0; }).length;"
)
#: Report the tab hidden as a browser does, unless a poll is in flight (its answer would come in hidden).
HIDE_WHEN_IDLE = (
    "if (window.saylau.live.busy) { return false; }"
    "Object.defineProperty(document, 'hidden', {configurable: true, get: function () { return true; }});"
    "document.dispatchEvent(new Event('visibilitychange'));"
    "return true;"
)


def _as_sim7(package):
    """Another simulated night's package, relabelled as a new version of election sim-7-60 (its figures
    differ everywhere, so the page visibly changes)."""
    meta = package / "election.json"
    doc = json.loads(meta.read_text(encoding="utf-8"))
    doc["id"] = SIM.removeprefix("/e/")
    meta.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return package


def _until(fn, timeout: float, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = fn()
        if value:
            return value
        time.sleep(step)
    return fn()


def test_open_page_updates_in_place_within_5_s(dash_duo, tmp_path, bt):
    data = tmp_path / "data"
    # 30 % of the count in, then (another simulated night, as a version of the same election) 50 %
    write_simulated(tmp_path / "sim1", 60, 7, reported_fraction=0.3)
    _as_sim7(write_simulated(tmp_path / "sim2", 60, 8, reported_fraction=0.5))
    store = Library(data)
    store.ingest(tmp_path / "sim1")
    dash_duo.start_server(create_app(Config(data_dir=data)))

    bt.visit(dash_duo, f"{SIM}/?lang=ru&mode=turnout", "#page-mazhilis", timeout=60)
    assert bt.text_of(dash_duo, "#progress-national") == (
        "Подсчёт голосов · подсчитано избирательных участков: 18 из 61 (29,5\u00a0%)"
    )
    driver = dash_duo.driver
    before_url = driver.current_url
    before_z = driver.execute_script(MAP_Z)
    assert before_z and len(before_z) == 20
    assert bt.text_of(dash_duo, "#footer-version") == "1"
    assert bt.text_of(dash_duo, "#live-status") == ""
    # the poller runs (two polls answered): no update is announced for the version already shown
    polls = driver.execute_script(STATUS_POLLS)
    WebDriverWait(driver, 15, poll_frequency=0.2).until(
        lambda d: d.execute_script(STATUS_POLLS) >= polls + 2, "the page did not poll its status")
    assert bt.text_of(dash_duo, "#live-status") == ""

    driver.execute_script("window.scrollTo(0, 700);")
    store.ingest(tmp_path / "sim2")
    t0 = time.monotonic()
    changed = _until(lambda: driver.execute_script(MAP_Z) not in (None, before_z), timeout=5.0)
    elapsed = time.monotonic() - t0
    assert changed, "the map did not change within 5 s of the ingest"
    print(f"new version shown after {elapsed:.2f} s")
    status = _until(lambda: bt.text_of(dash_duo, "#live-status"), timeout=2.0)
    # the time the server accepted version 2, on election day's clock, as the footer shows it
    assert re.fullmatch(r"Обновлено \d\d:\d\d:\d\d \(UTC\+\d\)", status), status
    assert driver.find_element("css selector", "#live-status").get_attribute("role") == "status"
    bt.wait_idle(dash_duo)
    # in place: the same document (no reload), the same URL and query, all of it on version 2
    assert driver.current_url == before_url
    assert abs(driver.execute_script("return window.scrollY") - 700) < 5  # the reader keeps their place
    assert driver.execute_script("return window.saylau.live.version") == 2
    assert bt.text_of(dash_duo, "#footer-version") == "2"
    hm, zone = re.search(r"(\d\d:\d\d) (\(UTC\+\d\))", bt.text_of(dash_duo, "#site-footer")).groups()
    assert status.startswith(f"Обновлено {hm}:") and status.endswith(zone), (status, hm, zone)  # one clock
    # the reader's own zone plays no part: 16:10:05 UTC is 22:10:05 on the 2023 clock
    assert driver.execute_script(
        "return window.saylau.electionClock('2023-03-19T16:10:05Z', {offset_minutes: 360, zone: 'UTC+6'})"
    ) == "22:10:05 (UTC+6)"
    # round(0.5 * 61) = 30 (to even) of 61 stations: 49.18 %
    assert bt.text_of(dash_duo, "#progress-national") == (
        "Подсчёт голосов · подсчитано избирательных участков: 30 из 61 (49,2\u00a0%)"
    )
    assert driver.execute_script(
        "return document.querySelector('#map-mode input[value=turnout]').checked"
    )

    # a view chosen on the page (written into the URL by replaceState, no navigation) survives the next
    # version: the page re-renders in that view
    driver.find_element("css selector", "#map-mode input[value='leading']").click()
    assert _until(lambda: "mode=leading" in driver.current_url, timeout=5)
    bt.wait_idle(dash_duo)
    chosen_url = driver.current_url
    _as_sim7(write_simulated(tmp_path / "sim3", 60, 9, reported_fraction=0.7))
    store.ingest(tmp_path / "sim3")
    assert _until(lambda: driver.execute_script("return window.saylau.live.version") == 3, timeout=5.0)
    bt.wait_idle(dash_duo)
    assert bt.text_of(dash_duo, "#footer-version") == "3"
    assert driver.current_url == chosen_url
    assert driver.execute_script(
        "return document.querySelector('#map-mode input[value=leading]').checked"
    )
    assert driver.execute_script(
        "return document.querySelector('#map .js-plotly-plot').layout.title.text"
    ).replace("<br>", " ") == "Партия на первом месте по регионам"
    assert bt.severe_logs(dash_duo) == []


def test_poller_sleeps_in_a_hidden_tab(dash_duo, tmp_path, bt):
    """While the tab is hidden the page does not poll; shown again, it catches up at once."""
    data = tmp_path / "data"
    write_simulated(tmp_path / "sim1", 60, 7)
    _as_sim7(write_simulated(tmp_path / "sim2", 60, 8))
    store = Library(data)
    store.ingest(tmp_path / "sim1")
    dash_duo.start_server(create_app(Config(data_dir=data)))
    bt.visit(dash_duo, f"{SIM}/?lang=en&mode=turnout", "#page-mazhilis", timeout=60)
    driver = dash_duo.driver
    # the poller runs while the tab is shown
    WebDriverWait(driver, 15, poll_frequency=0.2).until(
        lambda d: d.execute_script(STATUS_POLLS) >= 1, "the page did not poll its status")
    # headless Chromium has no background tabs: report the page hidden as a browser does
    WebDriverWait(driver, 10, poll_frequency=0.05).until(
        lambda d: d.execute_script(HIDE_WHEN_IDLE), "a status poll never finished")
    polls = driver.execute_script(STATUS_POLLS)
    assert driver.execute_script("return window.saylau.live.timer") is None  # no poll scheduled
    store.ingest(tmp_path / "sim2")
    # hidden for longer than two poll periods (2 x (2 s + up to 1 s jitter)) on the page's own clock,
    # the status naming version 2 all along: not one request is made
    start = driver.execute_script("return performance.now()")
    WebDriverWait(driver, 20, poll_frequency=0.2).until(
        lambda d: d.execute_script("return performance.now()") - start > 6500)
    assert driver.execute_script(STATUS_POLLS) == polls
    assert driver.execute_script("return window.saylau.live.version") == 1
    assert bt.text_of(dash_duo, "#live-status") == ""
    driver.execute_script(
        "Object.defineProperty(document, 'hidden', {configurable: true, get: function () { return false; }});"
        "document.dispatchEvent(new Event('visibilitychange'));"
    )
    status = _until(lambda: bt.text_of(dash_duo, "#live-status"), timeout=3.0)
    assert re.fullmatch(r"Updated \d\d:\d\d:\d\d \(UTC\+\d\)", status or ""), status
    assert driver.execute_script("return window.saylau.live.version") == 2
    bt.wait_idle(dash_duo)  # let the re-render finish before the server stops
    assert bt.text_of(dash_duo, "#footer-version") == "2"
