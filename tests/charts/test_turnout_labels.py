"""The all-regions turnout chart names its grey lines: each at the right edge, in the order the lines
end, a hairline to the end it names (figures from sources' turnout.csv, worked by hand)."""

from __future__ import annotations

import pytest

from dashboard.charts import turnout as turnout_chart
from dashboard.store.embedded import embedded_election


def test_spread_keeps_labels_apart_and_inside():
    assert turnout_chart.spread([50.0, 51.0, 60.0], gap=3.0) == [50.0, 53.0, 60.0]
    assert turnout_chart.spread([98.0, 99.0], gap=3.0) == [97.0, 100.0]
    assert turnout_chart.spread([], gap=3.0) == []


@pytest.mark.parametrize(("lang", "almaty", "wko"), [("ru", "Алматы", "Западно-Казахстанская"),
                                                      ("en", "Almaty", "West Kazakhstan")])
def test_every_region_line_is_named_at_its_end(lang, almaty, wko):
    fig = turnout_chart.figure(embedded_election(), lang, {})
    ends = {a.name: a for a in fig.layout.annotations if (a.name or "").startswith("end-")}
    assert len(ends) == 20  # 17 regions and 3 cities; the nation has its own bold label
    # Almaty city's last report: 25.82 % at 22:10, the lowest, so its label is not moved
    label = ends["end-almaty"]
    assert (label.text, label.x, label.y, label.ay) == (almaty, "22:10", 25.82, 25.82)
    assert ends["end-west_kazakhstan"].text == wko  # one line, no "<br>" left inside
    heights = sorted(a.ay for a in ends.values())
    assert all(b - a >= 3.0 - 1e-9 for a, b in zip(heights, heights[1:], strict=False))

