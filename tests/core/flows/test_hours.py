"""Office hours of `hours` nodes: local wall time of the schedule's zone, holidays first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tidal.config import HoursSpec
from tidal.core.flows import OfficeStatus, office_status

OPEN, CLOSED, HOLIDAY = OfficeStatus.OPEN, OfficeStatus.CLOSED, OfficeStatus.HOLIDAY

NEW_YORK = HoursSpec.model_validate(
    {
        "time_zone": "America/New_York",
        "weekly": {
            "mon": ["08:00", "18:00"],
            "tue": [["08:00", "12:00"], ["13:00", "17:00"]],
            "fri": ["20:00", "24:00"],
            "sun": ["00:00", "24:00"],
        },
        "holidays": ["2026-12-25"],
    }
)


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "status"),
    [
        (utc(2026, 11, 23, 13), OPEN),  # Monday 08:00 EST: opens (inclusive)
        (utc(2026, 11, 23, 12, 59), CLOSED),  # 07:59
        (utc(2026, 11, 23, 22, 59), OPEN),  # 17:59
        (utc(2026, 11, 23, 23), CLOSED),  # 18:00: closes (exclusive)
        (utc(2026, 11, 24, 17, 30), CLOSED),  # Tuesday 12:30: lunch
        (utc(2026, 11, 24, 18, 30), OPEN),  # Tuesday 13:30
        (utc(2026, 11, 25, 15), CLOSED),  # Wednesday: left out, closed
        (utc(2026, 11, 28, 4, 59), OPEN),  # Friday 23:59 EST: open until midnight
        (utc(2026, 11, 28, 5), CLOSED),  # Saturday 00:00
        (utc(2026, 11, 29, 5), OPEN),  # Sunday 00:00: all day
    ],
)
def test_weekly_schedule_in_local_time(now: datetime, status: OfficeStatus) -> None:
    assert office_status(NEW_YORK, now) is status


def test_summer_time_moves_the_utc_opening() -> None:
    assert office_status(NEW_YORK, utc(2026, 7, 6, 12)) is OPEN  # Monday 08:00 EDT
    assert office_status(NEW_YORK, utc(2026, 1, 5, 12)) is CLOSED  # Monday 07:00 EST


def test_holiday_is_the_local_date_and_comes_first() -> None:
    christmas_eve_utc = utc(2026, 12, 26, 1)  # Friday 25 December, 20:00 in New York
    assert office_status(NEW_YORK, christmas_eve_utc) is HOLIDAY
    assert office_status(NEW_YORK, utc(2026, 12, 26, 5)) is CLOSED  # Saturday already


def test_any_offset_is_the_same_instant() -> None:
    paris = timezone(timedelta(hours=1))
    assert office_status(NEW_YORK, datetime(2026, 11, 23, 14, 0, tzinfo=paris)) is OPEN


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        office_status(NEW_YORK, datetime(2026, 11, 23, 10))
