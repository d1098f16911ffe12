import plotly.graph_objects as go

from dashboard.figures.common import NATIONAL_COLOUR, OTHER_UNIT_COLOUR
from dashboard.figures.turnout import turnout_lines, turnout_ranking, turnout_small_multiples
from dashboard.i18n import translator


def by_unit(fig):
    return {t.meta["unit"]: t for t in fig.data if t.meta and "unit" in t.meta}


def test_lines_national_thick_others_grey_and_time_labels(turnout_table):
    fig = turnout_lines(turnout_table, "ru")
    units = by_unit(fig)
    assert set(units) == {"kz", "astana", "almaty", "abai"}
    assert all(isinstance(t, go.Scatter) for t in fig.data)
    assert units["kz"].line.width > 3 and units["kz"].line.color == NATIONAL_COLOUR
    assert units["abai"].line.color == OTHER_UNIT_COLOUR and units["abai"].line.width <= 1
    assert fig.data[-1].meta["unit"] == "kz"  # drawn on top
    assert list(fig.layout.xaxis.categoryarray) == ["10:10", "12:10", "14:10", translator("ru")("final")]
    assert list(units["kz"].y) == [14.21, 30.65, 46.71, 54.21]
    assert units["almaty"].y[1] is None and units["almaty"].y[3] is None  # gaps, not zeros
    assert units["almaty"].connectgaps is False
    assert tuple(fig.layout.yaxis.range) == (0, 100)
    assert "Алматы" in units["almaty"].hovertemplate
    assert fig.layout.separators == ", "


def test_highlight_other_unit(turnout_table):
    fig = turnout_lines(turnout_table, "en", highlight="astana", units=["kz", "astana"])
    units = by_unit(fig)
    assert set(units) == {"kz", "astana"}
    assert fig.data[-1].meta["unit"] == "astana"
    assert units["astana"].line.color not in (OTHER_UNIT_COLOUR, NATIONAL_COLOUR)


def test_small_multiples_one_panel_per_unit(turnout_table):
    fig = turnout_small_multiples(turnout_table, "en", columns=2)
    panels = [t for t in fig.data if t.meta["unit"] != "kz"]
    assert [t.meta["unit"] for t in panels] == ["abai", "astana", "almaty"]  # registry order
    assert len([t for t in fig.data if t.meta["unit"] == "kz"]) == 3  # national reference in each panel
    assert {t.xaxis for t in panels} == {"x", "x2", "x3"}
    assert [a.text for a in fig.layout.annotations][:3] == ["Abai Region", "Astana", "Almaty"]


def test_ranking_sorted_national_marked_not_reported_last():
    values = {"abai": 60.0, "kz": 54.19, "almaty": 25.8, "astana": 42.9, "atyrau": None}
    fig = turnout_ranking(values, "en", time="2023-03-19T22:10:00+06:00")
    bars, missing = fig.data
    assert list(bars.x) == [60.0, 54.19, 42.9, 25.8]
    assert list(bars.customdata) == ["abai", "kz", "astana", "almaty"]
    assert bars.marker.color[1] == NATIONAL_COLOUR and bars.marker.color[0] != NATIONAL_COLOUR
    assert list(missing.customdata) == ["atyrau"] and "not reported" in missing.text[0]
    assert 0.0 not in bars.x
    assert [s.x0 for s in fig.layout.shapes if s.name == "national"] == [54.19]
    assert "22:10" in fig.layout.title.text
    assert fig.layout.meta["rows"][-1] == ["Atyrau Region", "not reported"]


def test_ranking_labels_stay_inside_a_narrow_chart():
    """The top bar's "67,21 %" goes inside its end (it ran off a 390 px screen when printed beside it)."""
    fig = turnout_ranking({"kyzylorda": 67.21, "kz": 54.19, "almaty": 25.82}, "ru")
    bars = fig.data[0]
    assert bars.textposition == "inside" and bars.insidetextanchor == "end"
    assert fig.layout.xaxis.range[1] < 67.21 * 1.1
