"""dash_duo in Debian's headless Chromium.

``python -m pytest tests/browser`` works without any flag: the Chrome options below make Chromium
headless, sandbox-free and quiet (no background network), and point selenium at /usr/bin/chromium.
``--webdriver Chrome --headless`` may still be given; they are the defaults here.
"""

from __future__ import annotations

import os
import shutil
import time
from types import SimpleNamespace

import pytest
from selenium.webdriver.common.by import By

CHROMIUM = (
    os.environ.get("DASH_TEST_CHROMEPATH") or shutil.which("chromium") or shutil.which("chromium-browser")
)
CHROMEDRIVER = shutil.which("chromedriver")


def pytest_setup_options():
    from selenium.webdriver.chrome.options import Options

    options = Options()
    if CHROMIUM:
        options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--no-first-run",
        "--no-default-browser-check",
        "--window-size=1366,900",
        "--lang=kk",
    ):
        options.add_argument(arg)
    # Kazakh, the site's default: a bare page URL stays Kazakh (Russian or English would be redirected to
    # ?lang=, dashboard.web.language); tests of Accept-Language set it per page (set_accept_language)
    options.add_experimental_option("prefs", {"intl.accept_languages": "kk"})
    return options


def pytest_collection_modifyitems(config, items):
    if CHROMIUM and CHROMEDRIVER:
        return
    skip = pytest.mark.skip(
        reason="chromium and chromium-driver are needed (Debian: apt-get install chromium chromium-driver)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def embedded_app(tmp_path):
    """The app on an empty store, the embedded 2023 package as its front page (the newest embedded vote, the
    2026 referendum, is the front page otherwise: tests/history/test_live.py)."""
    from dashboard.app import create_app
    from dashboard.config import Config
    from tests.serving import E2023

    return create_app(Config(data_dir=tmp_path / "data", default_election=E2023))


@pytest.fixture
def two_elections_app(tmp_path):
    """The app with election B (tests/web/elections.py, newer: the front page's) beside 2023."""
    from dashboard.app import create_app
    from dashboard.config import Config
    from dashboard.store.library import Library
    from tests.web.elections import second_package

    Library(tmp_path / "data").ingest(second_package(tmp_path / "b"))
    return create_app(Config(data_dir=tmp_path / "data"))


@pytest.fixture
def demo_app():
    from dashboard.app import create_app
    from dashboard.config import Config

    return create_app(Config(demo=True, demo_stations=400))


PAGES = {
    "mazhilis": ("/", "#page-mazhilis"),
    "region": ("/e/kz-2023-03-19/region/almaty", "#page-region"),
    "turnout": ("/e/kz-2023-03-19/turnout", "#page-turnout"),
    "maslikhats": ("/e/kz-2023-03-19/maslikhats", "#page-maslikhats"),
}


def severe_logs(dash_duo) -> list[dict]:
    """Browser console errors, ignoring none: every SEVERE entry counts."""
    return [e for e in (dash_duo.get_logs() or []) if e.get("level") == "SEVERE"]


def visit(dash_duo, path: str, ready: str, timeout: float = 20) -> None:
    dash_duo.driver.get(dash_duo.server_url.rstrip("/") + path)
    dash_duo.wait_for_element(ready, timeout=timeout)
    wait_idle(dash_duo)


def wait_idle(dash_duo, timeout: float = 20) -> None:
    """Until Dash has no pending callbacks and every plot on the page has drawn."""
    deadline = time.monotonic() + timeout
    script = """
        var loading = document.querySelector('[data-dash-is-loading="true"]');
        var graphs = document.querySelectorAll('.dash-graph').length;
        var plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
        var drawn = plots.length >= graphs && plots.every(function (p) { return p._fullLayout && p.querySelector('.main-svg'); });
        var pending = window.store && window.store.getState().pendingCallbacks;
        return !loading && drawn && (!pending || pending.length === 0);
    """
    while time.monotonic() < deadline:
        if dash_duo.driver.execute_script(script):
            time.sleep(0.3)
            if dash_duo.driver.execute_script(script):
                return
        time.sleep(0.1)
    raise AssertionError("the page did not settle")


def map_paths(dash_duo, graph_id: str = "map") -> int:
    return len(dash_duo.driver.find_elements(By.CSS_SELECTOR, f"#{graph_id} path.choroplethlocation"))


def set_phone_viewport(driver, width: int = 390, height: int = 844) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True},
    )


def horizontal_overflow(driver) -> int:
    """How many CSS pixels the page is wider than the viewport (0 = no horizontal scrolling)."""
    return driver.execute_script(
        "return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth;"
    )


def text_of(dash_duo, selector: str) -> str:
    """An element's text read in one step in the page (``find_element(...).text`` can raise
    StaleElementReferenceException when Dash re-renders the element between the two calls)."""
    return dash_duo.driver.execute_script(
        "var e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : null;", selector
    )


@pytest.fixture
def bt():
    """The helpers above, for test modules (conftest is not importable under --import-mode=importlib)."""
    return SimpleNamespace(
        PAGES=PAGES,
        severe_logs=severe_logs,
        visit=visit,
        wait_idle=wait_idle,
        map_paths=map_paths,
        set_phone_viewport=set_phone_viewport,
        horizontal_overflow=horizontal_overflow,
        text_of=text_of,
    )
