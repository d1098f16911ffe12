"""Kazakhstan's clock for an election: every time the site shows is in the zone of election day.

Kazakhstan had two zones until 29 February 2024 (Astana and Almaty on UTC+6, the west on UTC+5); from
1 March 2024 00:00 the whole country keeps UTC+5 (Government Decree No. 20 of 19 January 2024, amending
Decree No. 1749 of 23 November 2000 on the calculation of time; its text to be checked; the IANA tz
database, 2024a, moved ``Asia/Almaty`` to +05 on that date). The 2023 election was held on Astana time, UTC+6, and its reports carry ``+06:00``: a version
published that night is shown at 22:10 (UTC+6), not at 16:10 UTC nor in the reader's own zone.

``zoneinfo`` is used when the system's tz database knows the 2024 change; an older one (still +06 in
2025) would put a 2025 election an hour off, so then the fixed table below is used instead.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import cache

ZONE = "Asia/Almaty"
#: (first instant, UTC offset from then on) of the capital's clock, newest last.
OFFSETS = (
    (datetime(1992, 1, 1, tzinfo=UTC), timedelta(hours=6)),
    # 1 March 2024 00:00 local time (UTC+6) = 29 February 2024 18:00 UTC
    (datetime(2024, 2, 29, 18, 0, tzinfo=UTC), timedelta(hours=5)),
)


@cache
def _zoneinfo():
    """``Asia/Almaty`` from the system's tz database if it has the 2024 change, else None."""
    try:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(ZONE)
    except Exception:
        return None
    probe = datetime(2025, 1, 1, 12, tzinfo=UTC).astimezone(zone).utcoffset()
    return zone if probe == timedelta(hours=5) else None


def _table_offset(instant: datetime) -> timedelta:
    offset = OFFSETS[0][1]
    for start, value in OFFSETS:
        if instant >= start:
            offset = value
    return offset


def offset_at(instant: datetime) -> timedelta:
    """The capital's UTC offset at ``instant`` (an aware datetime)."""
    zone = _zoneinfo()
    offset = instant.astimezone(zone).utcoffset() if zone is not None else None
    if offset is not None:
        return offset
    return _table_offset(instant.astimezone(UTC))


def election_offset(election_date: str | date | None) -> timedelta:
    """The UTC offset of election day (late morning, capital time): UTC+6 for 2023, UTC+5 from March 2024.
    Without a date, the current clock."""
    if not election_date:
        return offset_at(datetime.now(UTC))
    day = date.fromisoformat(str(election_date)[:10])
    return offset_at(datetime.combine(day, time(6), UTC))  # 11:00 or 12:00 in the capital


def zone_label(offset: timedelta) -> str:
    """``UTC+6``, ``UTC+5``, ``UTC+5:30``: the label shown beside every time."""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def in_election_zone(value: str, election_date: str | date | None) -> tuple[datetime, str] | None:
    """(the instant ``value`` names, on election day's clock; its zone label), or None when ``value``
    is not an ISO time with an offset (a naive time says nothing about its zone)."""
    try:
        dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        return None
    offset = election_offset(election_date)
    return dt.astimezone(timezone(offset)), zone_label(offset)
