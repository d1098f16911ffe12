import math

import pandas as pd
import pytest

from dashboard.figures.common import INDEPENDENT_COLOUR, NOT_REPORTED_COLOUR
from dashboard.figures.hemicycle import hemicycle, seat_positions
from dashboard.i18n import translator


def seat_traces(fig):
    return [t for t in fig.data if t.meta and "party" in t.meta]


def test_mazhilis_98_seats_by_party_and_kind(mazhilis_seats, parties):
    fig = hemicycle(mazhilis_seats, parties, "en", total=98)
    traces = seat_traces(fig)
    assert sum(len(t.x) for t in traces) == 98
    by_party = {t.meta["party"]: t for t in traces if t.meta["party"]}
    expected = mazhilis_seats.groupby("party")["seats"].sum()
    assert {k: len(t.x) for k, t in by_party.items()} == {k: v for k, v in expected.items() if v}
    amanat = by_party["amanat"]
    assert list(amanat.marker.symbol).count("circle") == 40
    assert list(amanat.marker.symbol).count("diamond") == 22
    assert amanat.marker.color == parties[0].colour
    assert by_party["independent"].marker.color == INDEPENDENT_COLOUR
    assert set(by_party["independent"].marker.symbol) == {"diamond"}
    assert "baytaq" not in by_party  # 0 seats: no dots, no legend entry
    assert [t for t in traces if t.meta["party"] is None][0].x == ()
    centre = [a for a in fig.layout.annotations if a.name == "total"][0]
    assert "98" in centre.text
    legend_keys = [t for t in fig.data if t.meta and "symbol_key" in t.meta]
    assert [t.marker.symbol for t in legend_keys] == ["circle", "diamond"]


def test_parties_fill_left_to_right_in_party_order(mazhilis_seats, parties):
    fig = hemicycle(mazhilis_seats, parties, "en", total=98)
    traces = [t for t in seat_traces(fig) if len(t.x)]
    angles = [[math.atan2(y, x) for x, y in zip(t.x, t.y, strict=True)] for t in traces]
    for left, right in zip(angles, angles[1:], strict=False):
        assert min(left) >= max(right) - 1e-9  # every seat of a party left of the next party's
    assert [t.meta["party"] for t in traces][:2] == ["amanat", "auyl"]
    assert traces[-1].meta["party"] == "independent"


def test_unknown_seats_are_light_hollow_not_reported(parties):
    df = pd.DataFrame(
        [("amanat", "party_list", 12), ("respublica", "party_list", 3), ("qhp", "party_list", pd.NA)],
        columns=["party", "kind", "seats"],
    )
    fig = hemicycle(df, parties, "ru", total=34)
    nr = [t for t in seat_traces(fig) if t.meta["party"] is None][0]
    assert len(nr.x) == 19
    assert nr.marker.symbol == "circle-open" and nr.marker.color == NOT_REPORTED_COLOUR
    assert translator("ru")("not reported") in nr.name and nr.showlegend
    assert sum(len(t.x) for t in seat_traces(fig)) == 34
    assert fig.layout.meta["rows"][-1][0] == translator("ru")("not reported")


@pytest.mark.parametrize("n", [1, 2, 5, 29, 30, 34, 42, 50, 69, 98, 150])
def test_seat_positions(n):
    pos = seat_positions(n)
    assert len(pos) == n
    assert len({(round(x, 6), round(y, 6)) for x, y in pos}) == n
    for x, y in pos:
        assert y >= -1e-9 and 0.5 - 1e-9 <= math.hypot(x, y) <= 1 + 1e-9
    angles = [math.atan2(y, x) for x, y in pos]
    assert angles == sorted(angles, reverse=True)


def test_total_defaults_to_known_and_overflow_is_an_error(parties):
    df = pd.DataFrame([("amanat", "party_list", 5)], columns=["party", "kind", "seats"])
    fig = hemicycle(df, parties, "en")
    assert sum(len(t.x) for t in seat_traces(fig)) == 5
    with pytest.raises(ValueError):
        hemicycle(df, parties, "en", total=4)


def test_the_key_names_only_the_marks_the_chart_has(mazhilis_seats, parties):
    """Under a count with no single-mandate seat and no independent the caption still spoke of diamonds
    and dark grey, and a lone grey "● party list" legend entry read as one more party."""
    from dashboard.figures.hemicycle import seat_key

    full = hemicycle(mazhilis_seats, parties, "en", total=98)  # 2023: both kinds, independents
    assert seat_key(full, "en") == ("Circles: party-list seats; diamonds: single-mandate seats; "
                                    "dark grey: self-nominated (independent) deputies.")
    assert [t.showlegend for t in full.data if t.meta and "symbol_key" in t.meta] == [True, True]
    lists_only = pd.DataFrame([("amanat", "party_list", 40), ("auyl", "party_list", 8),
                               ("qhp", "party_list", pd.NA)], columns=["party", "kind", "seats"])
    fig = hemicycle(lists_only, parties, "ru", total=98)
    assert seat_key(fig, "ru") == "Круги — мандаты по партийным спискам; пустые — не опубликовано."
    assert [t.showlegend for t in fig.data if t.meta and "symbol_key" in t.meta] == [False, False]
    assert seat_key(fig.to_plotly_json(), "ru") == seat_key(fig, "ru")  # the figure as JSON reads the same


def test_hemicycle_keeps_its_aspect_at_any_width(mazhilis_seats, parties):
    """One unit of y is one unit of x (plotly widens the x range instead of stretching the arc): at
    1,366 px a free y axis would draw the half circle as a flat oval."""
    fig = hemicycle(mazhilis_seats, parties, "en", total=98)
    assert (fig.layout.yaxis.scaleanchor, fig.layout.yaxis.scaleratio) == ("x", 1)
