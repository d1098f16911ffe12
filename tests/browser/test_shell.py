"""The shell in a real browser: pages load cleanly, the language switch, the map and its click, 390 px."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_demo_home_loads(dash_duo, demo_app, bt):
    dash_duo.start_server(demo_app)
    bt.visit(dash_duo, "/", "#page-mazhilis")
    assert bt.severe_logs(dash_duo) == []
    assert "SIMULATED" in dash_duo.find_element("#sim-banner").text
