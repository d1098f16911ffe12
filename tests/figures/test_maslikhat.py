import pandas as pd

from dashboard.figures.common import INDEPENDENT_COLOUR
from dashboard.figures.maslikhat import maslikhat_overview
from dashboard.regions import region_keys


def frame():
    rows = [
        ("almaty", "amanat", "party_list", 12),
        ("almaty", "amanat", "single_mandate", 12),
        ("almaty", "respublica", "party_list", 5),
        ("almaty", "independent", "single_mandate", 5),
        ("astana", "amanat", "party_list", 12),
        ("astana", "ak_zhol", "party_list", 3),
        ("kyzylorda", "amanat", "party_list", pd.NA),
    ]
    return pd.DataFrame(rows, columns=["area", "party", "kind", "seats"])


def test_stacked_by_party_with_not_reported_areas(parties):
    fig = maslikhat_overview(frame(), parties, "en", totals={"astana": 34, "almaty": 42})
    assert fig.layout.barmode == "stack"
    bars = {t.meta["party"]: t for t in fig.data if t.type == "bar"}
    assert list(bars) == ["amanat", "respublica", "ak_zhol", "independent", None]
    assert list(bars["amanat"].customdata) == ["astana", "almaty"]
    assert list(bars["amanat"].x) == [12, 24]
    assert list(bars["ak_zhol"].x) == [3, 0]
    assert bars["independent"].marker.color == INDEPENDENT_COLOUR
    assert list(bars[None].x) == [19, 8]  # seats not accounted for (34 - 15, 42 - 34)
    text = [t for t in fig.data if t.type == "scatter"][0]
    assert len(text.customdata) == 18 and "kyzylorda" in text.customdata  # NA seats: not reported
    assert all("not reported" in s for s in text.text)
    assert len(fig.layout.yaxis.categoryarray) == 20
    rows = {r[0]: r for r in fig.layout.meta["rows"]}
    assert rows["Kyzylorda Region"][-1] == "not reported"
    assert rows["Astana"][-1] == "34"
    assert len(fig.layout.meta["rows"]) == len(region_keys())
