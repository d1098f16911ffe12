import plotly.graph_objects as go
import pytest

from dashboard.figures.common import AGAINST_ALL_COLOUR
from dashboard.figures.parties import (
    BELOW_THRESHOLD_OPACITY,
    party_shares_bar,
    results_table_columns,
    results_table_data,
)
from dashboard.i18n import translator

NBSP = "\u00a0"


def test_bars_sorted_coloured_and_threshold_line(mazhilis_summary, parties, make_summary):
    fig = party_shares_bar(mazhilis_summary, parties, "en")
    bars, against, unreported = fig.data
    assert isinstance(bars, go.Bar) and bars.orientation == "h"
    assert list(bars.x) == sorted(bars.x, reverse=True)
    assert list(bars.y) == ["Amanat", "Auyl", "Respublica", "Ak Zhol", "People's Party", "OSDP", "Baytaq"]
    colours = {p.short_name("en"): p.colour for p in parties}
    assert list(bars.marker.color) == [colours[n] for n in bars.y]
    line = [s for s in fig.layout.shapes if s.name == "threshold"]
    assert len(line) == 1 and line[0].x0 == 5.0 and line[0].x1 == 5.0 and line[0].type == "line"
    assert any("5% threshold" in a.text for a in fig.layout.annotations)
    # in/out: on a line of its own under each bar
    status = _statuses(fig)
    assert "✓ in" in status[0] and "40 seats" in status[0]
    baytaq = list(bars.y).index("Baytaq")
    assert "✗ below 5%" in status[baytaq]
    assert bars.text[0] == "53.90%"
    assert bars.marker.opacity[baytaq] == BELOW_THRESHOLD_OPACITY and bars.marker.pattern.shape[baytaq] == "/"
    assert bars.marker.opacity[0] == 1.0
    # against all: its own grey bar
    assert list(against.y) == ["Against all"] and list(against.x) == [3.9]
    assert against.marker.color == AGAINST_ALL_COLOUR
    assert len(unreported.y) == 0
    # categories: parties by share, then against all
    assert list(fig.layout.yaxis.categoryarray) == [*bars.y, "Against all"]


def _statuses(fig) -> list[str]:
    """The status lines under the bars, by row."""
    found = {round(a.y): a.text for a in fig.layout.annotations if a.name == "status"}
    return [found.get(i, "") for i in range(len(fig.data[0].y))]


def test_threshold_label_under_the_axis_not_over_the_subtitle(mazhilis_summary, parties):
    fig = party_shares_bar(mazhilis_summary, parties, "kk")
    (label,) = [a for a in fig.layout.annotations if a.name == "threshold_label"]
    assert label.yref == "paper" and label.y == 0 and label.yanchor == "top" and label.yshift < 0
    assert fig.layout.margin.b >= 40  # room for it under the tick labels


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_labels_fit_a_narrow_plot(make_summary, parties, lang):
    """Every share printed beside its bar ends inside a plot area of MIN_PLOT_PX; the long status texts
    ("✗ below 5% · 0 seats") start at the axis on their own line."""
    from dashboard.figures.parties import LABEL_PX_PER_CHAR, MIN_PLOT_PX

    data = [("amanat", 9, 30.0, 10), ("auyl", 8, 27.0, 9), ("baytaq", 1, 2.3, 0)]
    fig = party_shares_bar(make_summary(results=data), parties, lang)
    bars, against = fig.data[0], fig.data[1]
    xmax = fig.layout.xaxis.range[1]
    outside = [
        (x, t) for x, t, p in zip(bars.x, bars.text, bars.textposition, strict=True) if p == "outside"
    ] + list(zip(against.x, against.text, strict=True))
    assert outside
    for x, text in outside:
        assert x / xmax * MIN_PLOT_PX + LABEL_PX_PER_CHAR * len(text) <= MIN_PLOT_PX
    assert all(len(t) <= 8 for t in bars.text)
    assert all(a.x == 0 and a.xanchor == "left" for a in fig.layout.annotations if a.name == "status")


def test_input_order_does_not_matter(make_summary, parties):
    data = [("baytaq", 1, 2.3, 0), ("amanat", 5, 60.0, 10), ("auyl", 2, 7.0, 1)]
    fig = party_shares_bar(make_summary(results=data), parties, "en")
    assert list(fig.data[0].y) == ["Amanat", "Auyl", "Baytaq"]


def test_not_reported_parties_get_text_not_a_zero_bar(make_summary, parties):
    data = [("amanat", 200000, None, None), ("ak_zhol", None, None, None)]
    s = make_summary(results=data, against=(None, None), computed=False, complete=False)
    fig = party_shares_bar(s, parties, "ru")
    bars, against, unreported = fig.data
    assert len(bars.x) == 0 and len(against.x) == 0  # no bar at all, least of all a zero one
    _ = translator("ru")
    assert list(unreported.y) == ["Amanat", "Ак жол", _("Against all")]
    assert unreported.mode == "text"
    assert _("not reported") in unreported.text[1]
    assert _("not reported") in unreported.text[2]
    assert f"200{NBSP}000" in unreported.text[0]  # votes known, share not computable
    assert _("not reported") not in unreported.text[0]
    assert fig.layout.title.subtitle.text


def test_seats_only_when_computed_or_published(make_summary, parties):
    fig = party_shares_bar(make_summary(computed=False), parties, "en")
    assert not any("seat" in t for t in _statuses(fig))
    fig = party_shares_bar(make_summary(computed=False, published={"amanat": 40}), parties, "en")
    assert "40 seats" in _statuses(fig)[0]
    assert "seat" not in _statuses(fig)[1]


def test_separators_and_title_per_language(mazhilis_summary, parties):
    en = party_shares_bar(mazhilis_summary, parties, "en")
    ru = party_shares_bar(mazhilis_summary, parties, "ru")
    kk = party_shares_bar(mazhilis_summary, parties, "kk")
    assert en.layout.separators == ".,"
    assert ru.layout.separators == ", " and kk.layout.separators == ", "
    assert "Kazakhstan" in en.layout.title.text and "Казахстан" in ru.layout.title.text
    assert ru.data[0].text[0].startswith(f"53,90{NBSP}%")
    assert en.data[0].text[0].startswith("53.90%")
    assert ru.layout.xaxis.ticksuffix == f"{NBSP}%"


def test_results_table_rows(mazhilis_summary, parties):
    _ = translator("ru")
    rows = results_table_data(mazhilis_summary, parties, "ru")
    assert [r["key"] for r in rows] == [*[r.party for r in mazhilis_summary.parties], "against_all"]
    amanat = rows[0]
    assert amanat["votes"] == f"3{NBSP}431{NBSP}510"
    assert amanat["share"] == f"53,90{NBSP}%"
    assert amanat["seats"] == "40" and amanat["seats_value"] == 40
    assert amanat["threshold"] == _("✓ in")
    assert rows[6]["threshold"] == _("✗ below {threshold}", threshold=f"5{NBSP}%") and rows[6]["seats"] == "0"
    assert (
        rows[-1]["party"] == _("Against all")
        and rows[-1]["share"] == f"3,90{NBSP}%"
        and rows[-1]["seats"] == ""
    )
    en = results_table_data(mazhilis_summary, parties, "en")
    assert en[0]["votes"] == "3,431,510" and en[0]["share"] == "53.90%"
    assert {c["id"] for c in results_table_columns("en")} <= set(en[0])


def test_results_table_not_reported(make_summary, parties):
    data = [("amanat", None, None, None)]
    rows = results_table_data(make_summary(results=data, against=(None, None), computed=False), parties, "en")
    assert rows[0]["votes"] == "not reported" and rows[0]["share"] == "not reported"
    assert rows[0]["votes_value"] is None and rows[0]["seats"] == "—"
    assert rows[1]["votes"] == "not reported"


def test_meta_is_the_table(mazhilis_summary, parties):
    fig = party_shares_bar(mazhilis_summary, parties, "en")
    meta = fig.layout.meta
    assert meta["columns"] == ["Party", "Votes", "Share", "Threshold", "Seats"]
    assert meta["rows"][0] == ["Amanat", "3,431,510", "53.90%", "✓ in", "40"]
    assert "6 parties pass" in meta["alt"]


def test_a_share_short_of_the_threshold_is_printed_right_of_its_line(make_summary, parties):
    """ "2.30%" beside a 2.3 % bar would run across the dashed 5 % line: it is drawn just right of it."""
    data = [("amanat", 9, 30.0, 10), ("auyl", 8, 7.0, 9), ("baytaq", 1, 2.3, 0)]
    fig = party_shares_bar(make_summary(results=data), parties, "en")
    bars = fig.data[0]
    assert list(bars.textposition) == ["inside", "outside", "none"]
    values = [a for a in fig.layout.annotations if a.name == "value"]
    assert [(a.text, a.y, a.x, a.xanchor) for a in values if a.y == "Baytaq"] == [
        ("2.30%", "Baytaq", 5.0, "left")
    ]
    assert fig.layout.xaxis.tickangle == 0


def test_a_share_just_below_the_threshold_never_reads_5_00(make_summary, parties):
    """4.996 % is below 5 %: the table and the bar say 4.99, never "5.00 %" next to "below 5 %"; a share
    just above stays on its side too (5.004 % reads 5.00 %, a pass)."""
    results = [("amanat", 900, 90.0, 9), ("auyl", 50, 4.996, 0), ("osdp", 50, 5.004, 1)]
    s = make_summary(results, against=(0, 0.0))
    rows = {r["key"]: r for r in results_table_data(s, parties, "en")}
    assert rows["auyl"]["share"] == "4.99%" and rows["auyl"]["share_value"] == 4.996
    assert rows["osdp"]["share"] == "5.00%"
    fig = party_shares_bar(make_summary(results[:2], against=(0, 0.0)), parties, "en")
    texts = [t for tr in fig.data for t in (tr.text or []) if isinstance(t, str)]
    texts += [a.text for a in fig.layout.annotations]
    assert any("4.99%" in t for t in texts) and not any("5.00%" in t for t in texts)
