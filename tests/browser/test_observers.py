"""The Observers page in a real headless Chromium: it lists the flags of a store with planted stuffing,
filters them by rule (written to the URL), and a flag links to its unit's region page."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

pytestmark = pytest.mark.browser
PLANTED = "/e/sim-3-600-planted-turkistan"


@pytest.fixture
def planted_app(tmp_path):
    from dashboard.rehearsal.simulate import write_simulated
    from tests.serving import serve

    package = write_simulated(tmp_path / "planted", 600, seed=3, plant=("turkistan", 0.05))
    return serve(tmp_path / "data", package)


def _rows(dash_duo):
    return dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#flags-table tbody tr')).map(function (r) {"
        " return [r.dataset.rule, r.dataset.unit, r.querySelector('a.flag-unit').getAttribute('href')]; });")


def test_observers_page_lists_flags_and_links_to_the_unit(dash_duo, planted_app, bt):
    from dash.testing.wait import until

    dash_duo.start_server(planted_app)
    bt.visit(dash_duo, f"{PLANTED}/observers?lang=en", "#page-observers")
    rows = _rows(dash_duo)
    stations = [r for r in rows if r[0] == "station_outlier"]
    assert stations and all(unit.startswith("turkistan/") for _rule, unit, _href in stations)
    assert all(href == f"{PLANTED}/region/turkistan?lang=en" for _rule, _unit, href in stations)
    assert bt.text_of(dash_duo, "#flags-count .stat-value") == str(len(rows))
    # the forensics charts are drawn, the audit trail lists the version
    assert dash_duo.find_element("#observers-fingerprint .main-svg")
    assert "package" in bt.text_of(dash_duo, "#audit-table")

    # filter by rule: only that rule's rows, and the choice is in the URL (this night also has an
    # interval flag: Almaty's turnout rises unlike the other regions')
    assert {r[0] for r in rows} == {"interval_outlier", "station_outlier"}
    # the filters show what they filter by ("" was shown as the select's blank placeholder)
    for select_id, shown in (("#flags-rule", "All rules"), ("#flags-region", "All regions")):
        assert Select(dash_duo.find_element(select_id)).first_selected_option.text == shown
        assert dash_duo.driver.execute_script(
            "var s = document.querySelector(arguments[0]); return s.options[s.selectedIndex].text;", select_id) == shown
    Select(dash_duo.find_element("#flags-rule")).select_by_visible_text(
        "Turnout and leading share both far above the region's")
    until(lambda: {r[0] for r in _rows(dash_duo)} == {"station_outlier"}, timeout=10)
    until(lambda: "rule=station_outlier" in dash_duo.driver.current_url, timeout=10)
    Select(dash_duo.find_element("#flags-rule")).select_by_visible_text("All rules")  # and back
    until(lambda: {r[0] for r in _rows(dash_duo)} == {"interval_outlier", "station_outlier"}, timeout=10)
    until(lambda: "rule=" not in dash_duo.driver.current_url, timeout=10)
    Select(dash_duo.find_element("#flags-rule")).select_by_visible_text(
        "Turnout and leading share both far above the region's")
    until(lambda: {r[0] for r in _rows(dash_duo)} == {"station_outlier"}, timeout=10)

    link = dash_duo.driver.find_element(By.CSS_SELECTOR, "#flags-table tr[data-rule='station_outlier'] a.flag-unit")
    link.click()
    dash_duo.wait_for_element("#page-region", timeout=20)
    assert dash_duo.driver.current_url.endswith(f"{PLANTED}/region/turkistan?lang=en")
    assert bt.severe_logs(dash_duo) == []


def test_observers_page_says_plainly_when_there_are_no_station_rows(dash_duo, embedded_app, bt):
    dash_duo.start_server(embedded_app)
    bt.visit(dash_duo, "/e/kz-2023-03-19/observers?lang=en", "#page-observers")
    assert "no polling-station rows" in bt.text_of(dash_duo, "#forensics-none")
    units = {r[1] for r in _rows(dash_duo)}
    assert units == {"almaty", "astana", "shymkent"}  # the 2023 interval flags
    assert dash_duo.find_element("#observers-increments .main-svg")
    assert bt.severe_logs(dash_duo) == []
