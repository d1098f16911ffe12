"""Each rule: a crafted series that must flag, one that must not, and the edge at its threshold."""

from __future__ import annotations

import json

import pytest

from dashboard.observers import flags as F
from dashboard.observers.forensics import robust_z

REGIONS = ("abai", "akmola", "aktobe", "atyrau", "zhambyl", "karaganda", "kostanay")


def rules(election, rule):
    return [f for f in F.flags_of(election) if f.rule == rule]


# --- turnout_falls -----------------------------------------------------------------------------------------
def test_a_fall_of_a_hundredth_of_a_point_is_flagged(make, turnout_series):
    e = make(turnout=turnout_series({"astana": [20.0, 19.99, 30.0]}))
    [flag] = rules(e, "turnout_falls")
    assert (flag.unit, flag.time) == ("astana", "2023-03-19T12:00:00+06:00")
    assert flag.figures == {"before": 20.0, "before_time": "2023-03-19T10:00:00+06:00", "after": 19.99}
    assert F.finding(flag, "en") == "Turnout was 20.00% at 10:00 and 19.99% at 12:00."


def test_an_equal_or_rising_turnout_is_not_flagged(make, turnout_series):
    e = make(turnout=turnout_series({"astana": [20.0, 20.0, 30.0, 45.5, 50.0]}))
    assert rules(e, "turnout_falls") == []


def test_a_final_figure_below_the_last_report_is_flagged(make, turnout_series):
    e = make(turnout=turnout_series({"kz": [20.0, 40.0, 55.0]}, times=("10:00", "12:00", "final")))
    e2 = make(turnout=turnout_series({"kz": [20.0, 40.0, 39.5]}, times=("10:00", "12:00", "final")))
    assert rules(e, "turnout_falls") == []
    [flag] = rules(e2, "turnout_falls")
    assert (flag.time, flag.figures["before"], flag.figures["after"]) == ("final", 40.0, 39.5)


# --- turnout_above_100 -------------------------------------------------------------------------------------
def test_above_100_percent_is_flagged_and_exactly_100_is_not(make, turnout_series):
    e = make(turnout=turnout_series({"abai": [100.0], "akmola": [100.01]}))
    [flag] = rules(e, "turnout_above_100")
    assert flag.unit == "akmola"
    # percentages only (as in 2023): the finding says no more than the files do, and the JSON has nulls
    assert F.finding(flag, "en") == "Turnout 100.01%."
    assert json.loads(json.dumps(flag.as_dict("ru")))["figures"] == {
        "value": 100.01, "took_part": None, "registered": None}


def test_above_100_from_the_counts(make):
    e = make(turnout=[("final", "abai", 1000, 1001, None), ("final", "akmola", 1000, 1000, None)])
    [flag] = rules(e, "turnout_above_100")
    assert flag.unit == "abai"
    assert (flag.figures["took_part"], flag.figures["registered"]) == (1001, 1000)
    assert F.finding(flag, "en") == "Turnout 100.10% (1,001 took part, 1,000 registered)."


# --- interval_outlier --------------------------------------------------------------------------------------
def _intervals(make, turnout_series, last_increase, peers=REGIONS):
    """Every unit at 20 % at 10:00; at 12:00 six units rose by 10 ± 0.6745 (median 10, MAD 0.6745, so a
    unit's robust z-score is its distance from 10), and the last unit by ``last_increase``."""
    rises = [10.0, 10.0, 10.6745, 9.3255, 10.6745, 9.3255, last_increase][: len(peers)]
    values = {u: [20.0, 20.0 + r] for u, r in zip(peers, rises, strict=True)}
    values["kz"] = [20.0, 60.0]  # the country is not a peer of its regions: never judged, never counted
    return make(turnout=turnout_series(values))


def test_the_peers_distribution_is_as_designed():
    z = robust_z([10.0, 10.0, 10.6745, 9.3255, 10.6745, 9.3255, 13.6])
    assert z[-1] == pytest.approx(3.6)
    assert list(z[:6]) == pytest.approx([0, 0, 0.6745, -0.6745, 0.6745, -0.6745])


def test_an_increase_far_outside_its_peers_is_flagged(make, turnout_series):
    [flag] = rules(_intervals(make, turnout_series, 13.51), "interval_outlier")
    assert (flag.unit, flag.time) == ("kostanay", "2023-03-19T12:00:00+06:00")
    assert flag.figures["z"] == pytest.approx(3.51, abs=1e-6)
    assert flag.figures["median"] == pytest.approx(10.0)


def test_an_increase_just_inside_the_limit_is_not_flagged(make, turnout_series):
    assert rules(_intervals(make, turnout_series, 13.49), "interval_outlier") == []
    assert rules(_intervals(make, turnout_series, 6.51), "interval_outlier") == []


def test_a_far_smaller_increase_is_flagged_too(make, turnout_series):
    [flag] = rules(_intervals(make, turnout_series, 6.49), "interval_outlier")
    assert flag.unit == "kostanay" and flag.figures["z"] == pytest.approx(-3.51, abs=1e-6)


def test_decimals_in_the_page_language(make, turnout_series):
    """The flag text said «z-оценка -3.5»-style hyphens and the data table «+13.34», «-0.1» on kk/ru pages."""
    from dashboard.figures.forensics import increments_figure

    e = _intervals(make, turnout_series, 6.49)
    [flag] = rules(e, "interval_outlier")
    ru = F.finding(flag, "ru")
    assert "z-оценка −3,5)" in ru and "-3" not in ru
    assert "(robust z-score −3.5)" in F.finding(flag, "en")
    rows = increments_figure(F.increments(e), set(), "ru").layout.meta["rows"]
    kostanay = next(r for r in rows if r[0] == "Костанайская область")
    assert kostanay[2:] == ["+6,49", "+10,00", "−3,5"]
    for row in rows:
        assert not any("." in cell or "-" in cell for cell in row[2:]), row


def test_too_few_peers_give_no_distribution(make, turnout_series):
    e = _intervals(make, turnout_series, 50.0, peers=REGIONS[:4])  # 4 regions < MIN_PEERS
    assert F.MIN_PEERS == 5
    assert rules(e, "interval_outlier") == []


# --- final_jump ----------------------------------------------------------------------------------------------
def test_final_jump_above_ten_points(make, turnout_series):
    times = ("16:00", "18:00", "final")
    e = make(turnout=turnout_series({"abai": [40.0, 50.0, 60.0], "akmola": [40.0, 50.0, 60.01]}, times=times))
    [flag] = rules(e, "final_jump")
    assert flag.unit == "akmola"
    assert flag.figures["before_time"] == "2023-03-19T18:00:00+06:00"
    assert flag.figures["change"] == pytest.approx(10.01)


# --- protocols --------------------------------------------------------------------------------------------------
def _row(unit, registered, took, invalid, against, a, b, c, contest="mazhilis_party_list"):
    return (contest, unit, registered, took, invalid, against, a, b, c)


def test_protocol_sum(make):
    e = make(results=[
        _row("abai", 2000, 1000, 10, 20, 500, 300, 170),  # 1000 in the box: adds up
        _row("akmola", 2000, 1000, 10, 20, 500, 300, 171),  # 1001: one ballot more than voters
        _row("aktobe", 2000, 1000, 10, 20, 500, 300, 160),  # 990: 1 % short, allowed
        _row("atyrau", 2000, 1000, 10, 20, 500, 300, 159),  # 989: more than 1 % short
        _row("zhambyl", 2000, 1000, None, 20, 500, 300, 100),  # invalid not reported: not judged
    ])
    found = {f.unit: f.figures for f in rules(e, "protocol_sum")}
    assert found == {
        "akmola": {"took_part": 1000, "in_box": 1001, "difference": 1},
        "atyrau": {"took_part": 1000, "in_box": 989, "difference": -11},
    }
    flag = next(f for f in rules(e, "protocol_sum") if f.unit == "atyrau")
    assert F.finding(flag, "en") == "1,000 took part; the box held 989 (−11)."


def test_took_part_above_registered(make):
    e = make(results=[_row("abai", 1000, 1000, 0, 0, 1000, 0, 0), _row("akmola", 1000, 1001, 0, 0, 1001, 0, 0)])
    [flag] = rules(e, "took_part_above_registered")
    assert (flag.unit, flag.contest, flag.figures) == (
        "akmola", "mazhilis_party_list", {"took_part": 1001, "registered": 1000})


def test_stations_that_do_not_add_up_to_their_region(make):
    stations = [_row("abai/1", 500, 300, 3, 7, 150, 100, 40), _row("abai/2", 500, 200, 2, 8, 100, 60, 30)]
    good = make(results=[*stations, _row("abai", 1000, 500, 5, 15, 250, 160, 70)])
    bad = make(results=[*stations, _row("abai", 1000, 500, 5, 15, 250, 161, 70)])
    assert rules(good, "stations_sum") == []
    [flag] = rules(bad, "stations_sum")
    assert (flag.unit, flag.figures) == ("abai", {"field": "b", "unit_total": 161, "stations_sum": 160})


def test_findings_name_figures_and_parties_in_the_page_language(make):
    """The stations-sum finding quoted the column key («registered: итог — …») and the station outlier the
    leader's English name; the API's figures keep the key and the English name."""
    stations = [_row("abai/1", 500, 300, 3, 7, 150, 100, 40), _row("abai/2", 500, 200, 2, 8, 100, 60, 30)]
    [flag] = rules(make(results=[*stations, _row("abai", 1001, 500, 5, 15, 250, 160, 70)]), "stations_sum")
    assert flag.figures["field"] == "registered"
    assert F.finding(flag, "ru").startswith("Включено в списки избирателей: итог — 1\u00a0001")
    assert F.finding(flag, "kk").startswith("Сайлаушылар тізіміне енгізілгендер: ")
    assert F.finding(flag, "en").startswith("Registered voters: the total is 1,001")
    [outlier] = rules(_region(make, 60.0, 70.0), "station_outlier")
    assert outlier.names == {"leader": {"kk": "A", "ru": "A", "en": "A"}}
    named = F.Flag("station_outlier", "abai/11", figures=outlier.figures,
                   names={"leader": {"ru": "Народная партия"}})
    assert "Народная партия" in F.finding(named, "ru") and "A " not in F.finding(named, "ru")


def test_a_station_without_the_figure_is_not_summed(make):
    stations = [_row("abai/1", 500, 300, 3, 7, 150, 100, 40), _row("abai/2", 500, 200, 2, 8, 100, None, 30)]
    e = make(results=[*stations, _row("abai", 1000, 500, 5, 15, 250, 999, 70)])
    assert rules(e, "stations_sum") == []


def test_more_stations_counted_than_expected(make):
    listed = [("abai/1", "1", 500), ("abai/2", "2", 500)]
    two = [_row("abai/1", 500, 300, 3, 7, 150, 100, 40), _row("abai/2", 500, 200, 2, 8, 100, 60, 30)]
    three = [*two, _row("abai/3", 500, 200, 2, 8, 100, 60, 30)]
    assert rules(make(results=two, stations=listed), "stations_above_expected") == []
    [flag] = rules(make(results=three, stations=listed), "stations_above_expected")
    assert (flag.unit, flag.figures) == ("abai", {"counted": 3, "expected": 2})
    # no station list: nobody can say what was expected
    assert rules(make(results=three), "stations_above_expected") == []


# --- station_outlier -------------------------------------------------------------------------------------------
def _region(make, turnout, share):
    """Eleven stations of Abai: ten at turnout and share 49/50/51 % (median 50, MAD 1, so the eleventh's
    robust z-scores are 0.6745 × its distance from 50) and one at (``turnout``, ``share``)."""
    base = [49, 49, 49, 50, 50, 50, 50, 51, 51, 51]
    rows = []
    for i, (t, s) in enumerate([*zip(base, base, strict=True), (turnout, share)], start=1):
        # 1000 registered, 10 × turnout took part; 1000 votes for parties and against all, the leader "a"
        # has 10 × share of them, "b" the rest but 100, "c" 100.
        a = int(round(10 * s))
        rows.append(_row(f"abai/{i:02d}", 1000, int(round(10 * t)), 0, 0, a, 900 - a, 100))
    return make(results=rows)


@pytest.mark.parametrize(("turnout", "share", "flagged"), [
    (55.3, 55.3, True),  # z 3.57 each, together 5.06 > 5
    (55.2, 55.2, False),  # z 3.51 each, together 4.96
    (53.0, 60.0, True),  # z 2.02 and 6.75
    (52.9, 60.0, False),  # turnout z 1.96: not above 2
    (95.0, 50.0, False),  # turnout alone far out: no
    (50.0, 95.0, False),  # share alone far out: no
])
def test_station_far_above_its_region_in_both(make, turnout, share, flagged):
    found = rules(_region(make, turnout, share), "station_outlier")
    assert [f.unit for f in found] == (["abai/11"] if flagged else [])


def test_station_outlier_figures(make):
    [flag] = rules(_region(make, 60.0, 70.0), "station_outlier")
    assert flag.figures["turnout_median"] == 50.0 and flag.figures["leader_median"] == 50.0
    assert flag.figures["turnout_z"] == pytest.approx(6.745) and flag.figures["leader_z"] == pytest.approx(13.49)
    assert flag.figures["leader"] == "A"


def test_explanations_in_three_languages_say_it_is_no_accusation(make, turnout_series):
    e = make(turnout=turnout_series({"astana": [20.0, 19.0]}))
    [flag] = rules(e, "turnout_falls")
    texts = {lang: flag.as_dict(lang) for lang in ("en", "ru", "kk")}
    assert "innocent causes" in texts["en"]["meaning"]
    assert texts["ru"]["meaning"] != texts["en"]["meaning"] and texts["kk"]["meaning"] != texts["en"]["meaning"]
    assert texts["ru"]["finding"] == "Явка: 10:00 — 20,00\u00a0%, 12:00 — 19,00\u00a0%."
    assert texts["ru"]["unit_name"] == "Астана"


def test_abroad_is_neither_a_peer_nor_judged(make, turnout_series):
    """Abroad votes in other time zones: a wildly different rise there is not an outlier, and does not
    move the regions' median either."""
    e = _intervals(make, turnout_series, 13.51)
    with_abroad = make(turnout=[*e.turnout.itertuples(index=False, name=None),
                                *turnout_series({"abroad": [1.0, 90.0]})])
    assert [(f.unit, round(f.figures["z"], 2)) for f in rules(with_abroad, "interval_outlier")] == [("kostanay", 3.51)]


def test_json_figures_are_rounded_as_printed_beside_the_exact_ones():
    """A change computed in floats as 9.770000000000001 points: the finding prints 9.77, so must the JSON."""
    flag = F.Flag("interval_outlier", "abai", time="2023-03-19T18:00:00+06:00",
                  figures={"change": 9.770000000000001, "median": 2.0, "z": 3.5123, "before_time": ""})
    doc = flag.as_dict("en")
    assert doc["figures"] == {"change": 9.77, "median": 2.0, "z": 3.5, "before_time": ""}
    assert doc["figures_exact"]["change"] == 9.770000000000001
    assert "+9.77 points" in doc["finding"]
