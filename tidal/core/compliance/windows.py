"""Calling windows: whether a lead may be called at `now`, and when it next may be.

A call is allowed only inside 08:00-21:00 local time of the called party (16 CFR
310.4(c), 47 CFR 64.1200(c)(1)), narrowed by the state rules file and by the campaign's
own hours. Where the callee is comes from, in order: an IANA `time_zone` on the lead, a
US `postal_code` on the lead, else the number's area code. An area code that spans
several zones takes the most restrictive answer: the call must be inside the window in
every one of them. The rules of the ZIP code's state and of the area code's state both
apply (FL, OK and CT presume a call to one of their area codes reaches a resident).

Windows are [start, end) in local wall time; each local day's window becomes one UTC
interval, computed exactly (so DST days are right) and cached, so that the question the
dialer asks before every dial costs a few dictionary look-ups.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo

from tidal.config import WEEKDAYS, CallingRule, CallingRules
from tidal.core.compliance._zones import (
    area_code_state,
    area_code_zones,
    nanp_area_code,
    postal_location,
    zone_info,
)

SEARCH_HORIZON: Final = timedelta(days=8)
_CACHE_SIZE: Final = 1 << 16

CampaignHours = Mapping[str, tuple[time, time] | None]
"""Weekday ("mon".."sun") -> local hours the campaign calls; None or absent = not that day."""

Interval = tuple[datetime, datetime]
_Span = tuple[time, time]
_Week = tuple[_Span | None, ...]


class RefusalReason(StrEnum):
    """Why a calling window refuses a call (the words the gate and the audit trail use)."""

    CALLING_WINDOW = "calling_window"
    HOLIDAY = "holiday"
    UNKNOWN_ZONE = "unknown_zone"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a lead is taken to be: every zone it may be in and every state whose rules apply."""

    zones: tuple[str, ...]  # empty when unknown: such a lead is never called
    state: str | None  # the lead's state: the ZIP code's, else the area code's
    states: tuple[str, ...]  # the ZIP code's and the area code's, both apply


@dataclass(frozen=True, slots=True)
class WindowDecision:
    """Whether a call may start now, why not, and the earliest moment it may."""

    allowed: bool
    reason: RefusalReason | None
    zones: tuple[str, ...]
    state: str | None
    local_times: tuple[datetime, ...]  # `now` in each of `zones`
    next_allowed: datetime | None  # UTC; `now` when allowed, None if not within the horizon
    states: tuple[str, ...] = ()


class CallingWindows:
    """The calling-window rules of a center, asked before every dial; time is an argument."""

    __slots__ = ("_horizon", "_no_call_days", "_rules", "_span", "_window")

    def __init__(self, rules: CallingRules, *, horizon: timedelta = SEARCH_HORIZON) -> None:
        self._rules = rules
        self._horizon = horizon
        self._span = lru_cache(maxsize=_CACHE_SIZE)(self._compute_span)
        self._window = lru_cache(maxsize=_CACHE_SIZE)(self._compute_window)
        self._no_call_days = lru_cache(maxsize=4096)(self._compute_no_call_days)

    # -- questions -----------------------------------------------------------------------

    def locate(
        self, number: int, *, time_zone: str | None = None, postal_code: str | None = None
    ) -> Location:
        """Where the lead with this 10-digit NANP number is: zones by override, ZIP or number.

        Blank overrides (as CSV imports leave them) count as absent.
        """
        time_zone = (time_zone or "").strip() or None
        postal_code = (postal_code or "").strip() or None
        npa = nanp_area_code(number)
        npa_state = area_code_state(npa) if npa is not None else None
        postal = postal_location(postal_code) if postal_code is not None else None
        zones: tuple[str, ...]
        if time_zone is not None:
            zones = (time_zone,) if zone_info(time_zone) is not None else ()
        elif postal_code is not None:
            zones = postal.zones if postal is not None else ()
        else:
            zones = area_code_zones(npa) if npa is not None else ()
        postal_state = postal.state if postal is not None else None
        states = tuple(sorted({s for s in (postal_state, npa_state) if s is not None}))
        return Location(zones, postal_state or npa_state, states)

    def is_allowed(
        self,
        number: int,
        now: datetime,
        *,
        time_zone: str | None = None,
        postal_code: str | None = None,
        campaign_hours: CampaignHours | None = None,
    ) -> bool:
        """Whether a call may start at `now` (the cheap form of `check`)."""
        instant = _utc(now)
        week = _campaign_week(campaign_hours)
        location = self.locate(number, time_zone=time_zone, postal_code=postal_code)
        return self._allowed_at(location, instant, week)

    def check(
        self,
        number: int,
        now: datetime,
        *,
        time_zone: str | None = None,
        postal_code: str | None = None,
        campaign_hours: CampaignHours | None = None,
    ) -> WindowDecision:
        """Whether a call may start at `now`, with the reason and the next allowed moment."""
        instant = _utc(now)
        week = _campaign_week(campaign_hours)
        location = self.locate(number, time_zone=time_zone, postal_code=postal_code)
        if not location.zones:
            return WindowDecision(
                False, RefusalReason.UNKNOWN_ZONE, (), location.state, (), None, location.states
            )
        local_times = tuple(instant.astimezone(_zone(name)) for name in location.zones)
        if self._allowed_at(location, instant, week):
            return WindowDecision(
                True, None, location.zones, location.state, local_times, instant, location.states
            )
        ruled = self._ruled_states(location)
        on_holiday = any(self._is_no_call_day(local.date(), ruled) for local in local_times)
        return WindowDecision(
            False,
            RefusalReason.HOLIDAY if on_holiday else RefusalReason.CALLING_WINDOW,
            location.zones,
            location.state,
            local_times,
            self._next_allowed(location, instant, week),
            location.states,
        )

    # -- windows -------------------------------------------------------------------------

    def _ruled_states(self, location: Location) -> tuple[str, ...]:
        """The lead's states that have rules of their own (a smaller cache key)."""
        return tuple(state for state in location.states if state in self._rules.states)

    def _allowed_at(self, location: Location, instant: datetime, week: _Week | None) -> bool:
        if not location.zones:
            return False
        ruled = self._ruled_states(location)
        for name in location.zones:
            day = instant.astimezone(_zone(name)).date()
            window = self._window(name, day, ruled, week)
            if window is None or not window[0] <= instant < window[1]:
                return False
        return True

    def _next_allowed(
        self, location: Location, instant: datetime, week: _Week | None
    ) -> datetime | None:
        """The earliest moment in [now, now + horizon] inside the window of every zone."""
        limit = instant + self._horizon
        ruled = self._ruled_states(location)
        common: list[Interval] | None = None
        for name in location.zones:
            zone = _zone(name)
            first = instant.astimezone(zone).date()
            days = (limit.astimezone(zone).date() - first).days + 1
            windows = [
                window
                for offset in range(days)
                if (window := self._window(name, first + timedelta(offset), ruled, week))
                is not None
                and window[1] > instant
            ]
            common = windows if common is None else _intersect(common, windows)
        for start, end in common or ():
            moment = max(start, instant)
            if moment < end:
                return moment if moment <= limit else None
        return None

    def _compute_window(
        self, zone_name: str, day: date, states: tuple[str, ...], week: _Week | None
    ) -> Interval | None:
        """The UTC interval of one local day's window in one zone, or None for no calls."""
        span = self._span(day, states, week)
        if span is None:
            return None
        zone = _zone(zone_name)
        start = max(_instants(day, span[0], zone))
        end = min(_instants(day, span[1], zone))
        return (start, end) if start < end else None

    def _compute_span(self, day: date, states: tuple[str, ...], week: _Week | None) -> _Span | None:
        """The local hours of a day: federal, each state's and the campaign's, intersected."""
        if self._is_no_call_day(day, states):
            return None
        weekday = day.weekday()
        span: _Span | None = self._rules.default.hours.on(weekday)
        for state in states:
            span = _narrow(span, self._rules.states[state].hours.on(weekday))
        if week is not None:
            span = _narrow(span, week[weekday])
        return span

    def _is_no_call_day(self, day: date, states: tuple[str, ...]) -> bool:
        if day in self._no_call_days(None, day.year):
            return True
        return any(day in self._no_call_days(state, day.year) for state in states)

    def _compute_no_call_days(self, state: str | None, year: int) -> frozenset[date]:
        rule: CallingRule | None
        rule = self._rules.default if state is None else self._rules.rule_for(state)
        return rule.holidays.days_in(year, state) if rule is not None else frozenset()


def _utc(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be timezone-aware, got the naive datetime {now.isoformat()}")
    return now.astimezone(UTC)


def _zone(name: str) -> ZoneInfo:
    zone = zone_info(name)
    if zone is None:  # locate() only returns zones that load
        raise ValueError(f"unknown time zone {name!r}")
    return zone


def _instants(day: date, clock: time, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Both readings of a local wall time (they differ only inside a DST gap or overlap).

    Taking the later reading for a start and the earlier for an end keeps a window that
    touches a DST change on the safe side.
    """
    local = datetime.combine(day, clock, tzinfo=zone)
    return local.astimezone(UTC), local.replace(fold=1).astimezone(UTC)


def _narrow(span: _Span | None, other: _Span | None) -> _Span | None:
    if span is None or other is None:
        return None
    start, end = max(span[0], other[0]), min(span[1], other[1])
    return (start, end) if start < end else None


def _intersect(first: list[Interval], second: list[Interval]) -> list[Interval]:
    """The intersection of two sorted lists of disjoint intervals."""
    common: list[Interval] = []
    i = j = 0
    while i < len(first) and j < len(second):
        start = max(first[i][0], second[j][0])
        end = min(first[i][1], second[j][1])
        if start < end:
            common.append((start, end))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return common


def _campaign_week(hours: CampaignHours | None) -> _Week | None:
    """Campaign hours as a 7-tuple by weekday; days it does not name have no calls."""
    if hours is None:
        return None
    unknown = sorted(set(hours) - set(WEEKDAYS))
    if unknown:
        raise ValueError(f"campaign hours name {unknown}, not weekdays ({', '.join(WEEKDAYS)})")
    week: list[_Span | None] = []
    for weekday in WEEKDAYS:
        span = hours.get(weekday)
        if span is not None and not span[0] < span[1]:
            raise ValueError(f"campaign hours for {weekday}: {span[0]} is not before {span[1]}")
        week.append(span)
    return tuple(week)
