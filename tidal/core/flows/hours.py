"""Office hours: whether a flow's `hours` node finds the center open at a given instant."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from tidal.config import HoursSpec


class OfficeStatus(StrEnum):
    """Which branch of an `hours` node a caller takes."""

    OPEN = "open"
    CLOSED = "closed"
    HOLIDAY = "holiday"


def office_status(hours: HoursSpec, now: datetime) -> OfficeStatus:
    """Holidays first, then the weekly [opens, closes) spans, in the schedule's own zone."""
    local = aware(now).astimezone(ZoneInfo(hours.time_zone))
    if local.date() in hours.holidays:
        return OfficeStatus.HOLIDAY
    clock = local.time()
    if any(opens <= clock < closes for opens, closes in hours.weekly.on(local.weekday())):
        return OfficeStatus.OPEN
    return OfficeStatus.CLOSED


def aware(now: datetime) -> datetime:
    """`now` itself, refused when naive: a flow's time must say which instant it is."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be timezone-aware, got the naive datetime {now.isoformat()}")
    return now
