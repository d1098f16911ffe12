"""Election day's clock: UTC+6 (Astana time) for the 2023 election, UTC+5 for the whole country from
1 March 2024; every time the site shows is on it, with its label (hand-worked literals)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dashboard.components import shell
from dashboard.electoral import clock


@pytest.mark.parametrize("use_zoneinfo", [True, False], ids=["zoneinfo", "table"])
def test_offset_before_and_after_the_2024_change(monkeypatch, use_zoneinfo):
    if not use_zoneinfo:  # an old tz database: the fixed table answers the same
        monkeypatch.setattr(clock, "_zoneinfo", lambda: None)
    elif clock._zoneinfo() is None:
        pytest.skip("the system's tz database predates the 2024 change")
    assert clock.offset_at(datetime(2023, 3, 19, 16, 10, tzinfo=UTC)) == timedelta(hours=6)
    assert clock.offset_at(datetime(2025, 6, 1, 12, 0, tzinfo=UTC)) == timedelta(hours=5)
    # 29 February 2024 23:59 in Astana (17:59 UTC) was still +6; midnight (18:00 UTC) was +5
    assert clock.offset_at(datetime(2024, 2, 29, 17, 59, tzinfo=UTC)) == timedelta(hours=6)
    assert clock.offset_at(datetime(2024, 2, 29, 18, 0, tzinfo=UTC)) == timedelta(hours=5)
    assert clock.election_offset("2023-03-19") == timedelta(hours=6)
    assert clock.election_offset("2025-03-19") == timedelta(hours=5)


def test_zone_labels():
    assert clock.zone_label(timedelta(hours=6)) == "UTC+6"
    assert clock.zone_label(timedelta(hours=5, minutes=30)) == "UTC+5:30"
    assert clock.zone_label(timedelta(0)) == "UTC+0"


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_publication_time_on_the_election_clock(lang):
    # accepted at 16:10 UTC on election night 2023 = 22:10 Astana time
    status = {"version": 3, "accepted_at": "2023-03-19T16:10:00Z"}
    assert shell.update_label(status, lang, "2023-03-19") == "19.03.2023 22:10 (UTC+6)"
    # a reported time with another offset is the same instant on the same clock
    assert shell.format_timestamp("2023-03-19T21:10:00+05:00", lang, "2023-03-19") == "19.03.2023 22:10 (UTC+6)"
    # an election after March 2024: UTC+5 (16:10 UTC = 21:10)
    assert shell.format_timestamp("2025-10-05T16:10:00Z", lang, "2025-10-05") == "05.10.2025 21:10 (UTC+5)"


def test_live_labels_carry_the_election_offset():
    class Day:
        date = "2023-03-19"

    labels = shell.live_labels("ru", Day())
    assert (labels["offset_minutes"], labels["zone"], labels["lang"]) == (360, "UTC+6", "ru")
    assert labels["updated"] == "Обновлено {time}"
