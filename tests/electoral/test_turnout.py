import math

from dashboard.electoral.turnout import latest_turnout, report_times, turnout_at, turnout_table

T1 = "2023-03-19T10:10:00+06:00"
T2 = "2023-03-19T12:10:00+06:00"
T0_UTC = "2023-03-19T03:00:00+00:00"  # 09:00 Astana time: before T1 although it sorts after as text


def _election(make_election):
    return make_election(
        turnout=[
            ("final", "kz", None, None, 54.21),
            (T2, "kz", None, None, 30.0),
            (T2, "astana", 1000, 250, None),
            (T1, "kz", None, None, 14.0),
            (T1, "astana", None, None, 10.5),
            (T1, "abai", None, None, 15.0),
            (T0_UTC, "almaty", None, None, 1.0),
        ]
    )


def test_report_times_in_order_final_last(make_election):
    assert report_times(_election(make_election)) == [T0_UTC, T1, T2, "final"]
    assert report_times(make_election()) == []


def test_turnout_table(make_election):
    t = turnout_table(_election(make_election))
    assert list(t.columns) == ["time", "unit", "turnout_pct", "registered", "took_part"]
    assert list(zip(t["time"], t["unit"], strict=True)) == [
        (T0_UTC, "almaty"),
        (T1, "kz"),
        (T1, "abai"),
        (T1, "astana"),
        (T2, "kz"),
        (T2, "astana"),
        ("final", "kz"),
    ]
    row = t[(t["time"] == T2) & (t["unit"] == "astana")].iloc[0]
    assert row["turnout_pct"] == 25.0 and row["registered"] == 1000 and row["took_part"] == 250
    assert str(t["registered"].dtype) == "Int64"
    assert len(turnout_table(make_election())) == 0


def test_turnout_at(make_election):
    e = _election(make_election)
    assert turnout_at(e, T1) == {"kz": 14.0, "abai": 15.0, "astana": 10.5}
    assert turnout_at(e, T2) == {"kz": 30.0, "astana": 25.0}  # abai not reported at T2: absent
    assert turnout_at(e, "2023-03-19T23:00:00+06:00") == {}


def test_latest_turnout_final_for_kz(make_election):
    latest = latest_turnout(_election(make_election))
    assert latest == {"kz": 54.21, "abai": 15.0, "astana": 25.0, "almaty": 1.0}
    assert list(latest) == ["kz", "abai", "astana", "almaty"]  # registry order
    assert not any(math.isnan(v) for v in latest.values())
