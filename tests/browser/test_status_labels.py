"""A party-list chart mid-count on a 390 px phone: every bar's status line ("↑ above 5 % so far · 84 seats")
lies inside the chart, in every language. The Kazakh «↑ әзірге 5 % межесінен жоғары · 84 мандат» ran
28 px past the chart's right edge and the Russian «↑ пока выше барьера 5 % · 84 мандата» 11 px, both cut."""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SAYLAU_SHOTS")

#: Each status annotation's left and right edge against the chart's SVG, in CSS pixels.
BOXES = """
var plot = document.querySelector('#party-bar .js-plotly-plot');
var svg = plot.querySelector('svg.main-svg').getBoundingClientRect();
return Array.from(plot.querySelectorAll('.annotation')).filter(function (a) {
    return /·/.test(a.textContent);
}).map(function (a) {
    var r = a.getBoundingClientRect();
    return {text: a.textContent, left: r.left - svg.left, right: r.right - svg.left, width: svg.width};
});
"""


def test_mid_count_status_labels_fit_a_phone(dash_duo, tmp_path, bt):
    from dashboard.rehearsal.kinds import write_kind
    from tests.serving import serve

    # a simulated Kurultai a third counted: seven parties, five above the 5 % threshold so far
    write_kind(tmp_path / "night", "kurultai", 300, 8, reported_fraction=0.3)
    dash_duo.start_server(serve(tmp_path / "data", tmp_path / "night"))
    bt.set_phone_viewport(dash_duo.driver)
    for lang, so_far, seats in (("kk", "әзірге", "мандат"), ("ru", "пока", "мандат"), ("en", "so far", "seat")):
        bt.visit(dash_duo, f"/?lang={lang}", "#party-bar .main-svg")
        boxes = dash_duo.driver.execute_script(BOXES)
        assert len(boxes) >= 2, boxes
        for box in boxes:
            # the meaning kept: "so far", the threshold's 5 % and the seats
            assert so_far in box["text"] and "5\u00a0%" in box["text"].replace("5%", "5\u00a0%"), box
            assert seats in box["text"], box
            assert box["left"] >= 0 and box["right"] <= box["width"], (lang, box)
        if SHOTS:
            dash_duo.driver.find_element("css selector", "#party-bar").screenshot(
                os.path.join(SHOTS, f"status-labels-{lang}.png"))
