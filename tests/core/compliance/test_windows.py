"""Calling windows: the federal 08:00-21:00, state rules, overrides, DST and next_allowed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidal.config import WEEKDAYS, load_calling_rules
from tidal.core.compliance._zones import (
    OVERLAYS,
    area_code_state,
    area_code_zones,
    postal_location,
)
from tidal.core.compliance.windows import (
    CallingWindows,
    CampaignHours,
    RefusalReason,
    WindowDecision,
)

RULES = load_calling_rules()
WINDOWS = CallingWindows(RULES)

NY = ZoneInfo("America/New_York")
CHICAGO = ZoneInfo("America/Chicago")
DENVER = ZoneInfo("America/Denver")
PHOENIX = ZoneInfo("America/Phoenix")
HONOLULU = ZoneInfo("Pacific/Honolulu")
PUERTO_RICO = ZoneInfo("America/Puerto_Rico")

MANHATTAN = 2125550123  # 212, New York
MIAMI = 3055550123  # 305, Florida: 08:00-20:00
PANHANDLE = 8505550123  # 850, Florida, Eastern and Central
NEBRASKA_WEST = 3085550123  # 308, Nebraska, Central and Mountain
PHOENIX_NUMBER = 6025550123  # 602, Arizona, no DST
DENVER_NUMBER = 3035550123  # 303, Colorado
HONOLULU_NUMBER = 8085550123  # 808, Hawaii
ALASKA = 9075550123  # 907, Alaska
SAN_JUAN = 7875550123  # 787, Puerto Rico
BIRMINGHAM = 2055550123  # 205, Alabama: no Sundays, no state holidays
DALLAS = 2145550123  # 214, Texas: Sunday from noon
PROVIDENCE = 4015550123  # 401, Rhode Island
SALT_LAKE = 8015550123  # 801, Utah


def at(
    zone: ZoneInfo, year: int, month: int, day: int, hour: int, minute: int, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=zone)


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def check(
    number: int,
    now: datetime,
    *,
    time_zone: str | None = None,
    postal_code: str | None = None,
    campaign_hours: CampaignHours | None = None,
) -> WindowDecision:
    """`check`, asserting that the cheap `is_allowed` agrees with it."""
    decision = WINDOWS.check(
        number, now, time_zone=time_zone, postal_code=postal_code, campaign_hours=campaign_hours
    )
    allowed = WINDOWS.is_allowed(
        number, now, time_zone=time_zone, postal_code=postal_code, campaign_hours=campaign_hours
    )
    assert allowed == decision.allowed
    return decision


# -- where a number rings ----------------------------------------------------------------


def test_multi_zone_area_codes_take_every_zone_of_their_prefixes() -> None:
    assert area_code_zones(850) == ("America/Chicago", "America/New_York")
    assert area_code_zones(308) == ("America/Chicago", "America/Denver")


def test_single_zone_area_codes() -> None:
    assert area_code_zones(212) == ("America/New_York",)
    assert area_code_zones(808) == ("Pacific/Honolulu",)
    assert area_code_zones(602) == ("America/Phoenix",)
    assert area_code_zones(787) == area_code_zones(939) == ("America/Puerto_Rico",)


def test_alaska_includes_the_aleutians() -> None:
    zones = area_code_zones(907)
    assert {"America/Anchorage", "America/Juneau", "America/Adak"} <= set(zones)


def test_overlays_share_their_parents_zones() -> None:
    for overlay, parent in OVERLAYS.items():
        assert area_code_zones(overlay) == area_code_zones(parent)
    assert area_code_zones(448) == ("America/Chicago", "America/New_York")


def test_unknown_area_codes_have_no_zone() -> None:
    assert area_code_zones(800) == ()  # toll-free
    assert area_code_zones(555) == ()


def test_area_code_states() -> None:
    assert area_code_state(212) == "NY"
    assert area_code_state(850) == "FL"
    assert area_code_state(202) == "DC"
    assert area_code_state(206) == "WA"
    assert area_code_state(787) == "PR"
    assert area_code_state(671) == "GU"
    assert area_code_state(416) is None  # Toronto


def test_postal_codes() -> None:
    location = postal_location("85001")
    assert location is not None
    assert location.zones == ("America/Phoenix",)
    assert location.state == "AZ"
    assert postal_location("10001-1234") == postal_location("10001")
    assert postal_location("00000") is None
    assert postal_location("not a zip") is None
    assert postal_location("09001") is None  # an APO code: no time zone


# -- the federal window and its exact boundaries ------------------------------------------


def test_eight_is_allowed_and_nine_pm_is_refused() -> None:
    assert check(MANHATTAN, at(NY, 2026, 6, 10, 8, 0)).allowed
    assert check(MANHATTAN, at(NY, 2026, 6, 10, 20, 59, 59)).allowed
    late = check(MANHATTAN, at(NY, 2026, 6, 10, 21, 0))
    assert not late.allowed
    assert late.reason == RefusalReason.CALLING_WINDOW
    assert str(late.reason) == "calling_window"  # the word the gate and audit trail use
    assert late.next_allowed == at(NY, 2026, 6, 11, 8, 0)


def test_allowed_decision_says_where_and_now() -> None:
    now = at(NY, 2026, 6, 10, 12, 0)
    decision = check(MANHATTAN, now)
    assert decision.zones == ("America/New_York",)
    assert decision.state == "NY"
    assert decision.local_times == (now,)
    assert decision.next_allowed == now
    assert decision.next_allowed.tzinfo is UTC
    assert decision.reason is None


def test_naive_now_is_an_error() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        WINDOWS.check(MANHATTAN, datetime(2026, 6, 10, 12, 0))
    with pytest.raises(ValueError, match="timezone-aware"):
        WINDOWS.is_allowed(MANHATTAN, datetime(2026, 6, 10, 12, 0))


# -- daylight saving time ---------------------------------------------------------------


def test_new_york_dst_start() -> None:
    # 2026-03-08: clocks jump from 02:00 EST to 03:00 EDT.
    assert not check(MANHATTAN, at(NY, 2026, 3, 8, 7, 59)).allowed
    assert check(MANHATTAN, at(NY, 2026, 3, 8, 8, 0)).allowed
    assert check(MANHATTAN, utc(2026, 3, 8, 12, 0)).allowed  # 08:00 EDT
    assert not check(MANHATTAN, utc(2026, 3, 8, 11, 59)).allowed  # 07:59 EDT
    assert check(MANHATTAN, utc(2026, 3, 9, 0, 59)).allowed  # 20:59 EDT
    assert not check(MANHATTAN, utc(2026, 3, 9, 1, 0)).allowed  # 21:00 EDT
    # From 21:00 EST the evening before, the next window opens 23 hours later.
    before = check(MANHATTAN, at(NY, 2026, 3, 7, 21, 0))
    assert before.next_allowed == utc(2026, 3, 8, 12, 0)
    assert before.next_allowed - utc(2026, 3, 8, 2, 0) == timedelta(hours=10)


def test_new_york_dst_end() -> None:
    # 2026-11-01: clocks fall back from 02:00 EDT to 01:00 EST.
    assert not check(MANHATTAN, utc(2026, 11, 1, 12, 59)).allowed  # 07:59 EST
    assert check(MANHATTAN, utc(2026, 11, 1, 13, 0)).allowed  # 08:00 EST
    assert check(MANHATTAN, utc(2026, 11, 2, 1, 59)).allowed  # 20:59 EST
    assert not check(MANHATTAN, utc(2026, 11, 2, 2, 0)).allowed  # 21:00 EST
    before = check(MANHATTAN, at(NY, 2026, 10, 31, 21, 0))  # 01:00 UTC on Nov 1
    assert before.next_allowed == utc(2026, 11, 1, 13, 0)
    repeated_hour = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NY)  # 01:30 EST
    assert check(MANHATTAN, repeated_hour).next_allowed == utc(2026, 11, 1, 13, 0)


def test_arizona_keeps_standard_time_while_denver_shifts() -> None:
    summer_early = utc(2026, 7, 15, 14, 30)  # 07:30 in Phoenix, 08:30 in Denver
    assert not check(PHOENIX_NUMBER, summer_early).allowed
    assert check(DENVER_NUMBER, summer_early).allowed
    summer_late = utc(2026, 7, 16, 3, 30)  # 20:30 in Phoenix, 21:30 in Denver
    assert check(PHOENIX_NUMBER, summer_late).allowed
    assert not check(DENVER_NUMBER, summer_late).allowed
    night = utc(2026, 7, 15, 6, 0)
    assert check(PHOENIX_NUMBER, night).next_allowed == utc(2026, 7, 15, 15, 0)
    assert check(DENVER_NUMBER, night).next_allowed == utc(2026, 7, 15, 14, 0)
    winter_night = utc(2026, 1, 14, 6, 0)  # both on UTC-7 in winter
    assert check(PHOENIX_NUMBER, winter_night).next_allowed == utc(2026, 1, 14, 15, 0)
    assert check(DENVER_NUMBER, winter_night).next_allowed == utc(2026, 1, 14, 15, 0)


@pytest.mark.parametrize("month", [1, 7])
def test_hawaii_has_no_dst(month: int) -> None:
    assert not check(HONOLULU_NUMBER, utc(2026, month, 14, 17, 59)).allowed
    assert check(HONOLULU_NUMBER, utc(2026, month, 14, 18, 0)).allowed  # 08:00 HST
    assert check(HONOLULU_NUMBER, utc(2026, month, 15, 6, 59)).allowed  # 20:59 HST
    assert not check(HONOLULU_NUMBER, utc(2026, month, 15, 7, 0)).allowed


@pytest.mark.parametrize("month", [1, 7])
def test_puerto_rico_has_no_dst(month: int) -> None:
    assert not check(SAN_JUAN, at(PUERTO_RICO, 2026, month, 14, 7, 59)).allowed
    assert check(SAN_JUAN, utc(2026, month, 14, 12, 0)).allowed  # 08:00 AST
    assert not check(SAN_JUAN, utc(2026, month, 15, 1, 0)).allowed  # 21:00 AST
    assert check(SAN_JUAN, utc(2026, month, 14, 12, 0)).state == "PR"


def test_alaska_window_fits_every_alaskan_zone() -> None:
    # Winter: Anchorage UTC-9, Adak and Honolulu UTC-10.
    assert not check(ALASKA, utc(2026, 1, 14, 17, 59)).allowed
    assert check(ALASKA, utc(2026, 1, 14, 18, 0)).allowed  # 08:00 in Adak, 09:00 Anchorage
    assert check(ALASKA, utc(2026, 1, 15, 5, 59)).allowed  # 20:59 in Anchorage
    assert not check(ALASKA, utc(2026, 1, 15, 6, 0)).allowed  # 21:00 in Anchorage
    # Summer: Anchorage UTC-8, Adak UTC-9; 907-581 (Unalaska) is listed as Honolulu.
    assert not check(ALASKA, utc(2026, 7, 15, 17, 0)).allowed  # 08:00 Adak, 07:00 HST
    assert check(ALASKA, utc(2026, 7, 15, 18, 0)).allowed
    assert not check(ALASKA, utc(2026, 7, 16, 5, 0)).allowed  # 21:00 AKDT


# -- area codes spanning zones ----------------------------------------------------------


def test_panhandle_needs_eight_in_central_time_too() -> None:
    early = check(PANHANDLE, at(NY, 2026, 6, 10, 8, 30))  # 07:30 in Pensacola
    assert not early.allowed
    assert early.zones == ("America/Chicago", "America/New_York")
    assert [local.hour for local in early.local_times] == [7, 8]
    assert early.next_allowed == at(NY, 2026, 6, 10, 9, 0)
    assert check(PANHANDLE, at(NY, 2026, 6, 10, 9, 0)).allowed
    # Florida ends at 20:00, which Tallahassee (Eastern) reaches first.
    assert check(PANHANDLE, at(NY, 2026, 6, 10, 19, 59)).allowed
    assert not check(PANHANDLE, at(NY, 2026, 6, 10, 20, 0)).allowed


def test_western_nebraska_needs_eight_in_mountain_time() -> None:
    assert not check(NEBRASKA_WEST, at(CHICAGO, 2026, 6, 10, 8, 30)).allowed  # 07:30 MDT
    assert check(NEBRASKA_WEST, at(CHICAGO, 2026, 6, 10, 9, 0)).allowed
    assert check(NEBRASKA_WEST, at(CHICAGO, 2026, 6, 10, 20, 59)).allowed
    assert not check(NEBRASKA_WEST, at(CHICAGO, 2026, 6, 10, 21, 0)).allowed


# -- overrides ----------------------------------------------------------------------------


def test_postal_code_overrides_the_number() -> None:
    morning = check(MANHATTAN, at(NY, 2026, 6, 10, 9, 0), postal_code="85001")  # 06:00 MST
    assert not morning.allowed
    assert morning.zones == ("America/Phoenix",)
    assert morning.state == "AZ"
    assert morning.states == ("AZ", "NY")
    assert morning.next_allowed == at(PHOENIX, 2026, 6, 10, 8, 0)
    assert check(MANHATTAN, at(NY, 2026, 6, 10, 22, 30), postal_code="85001").allowed


def test_time_zone_overrides_postal_code_and_number() -> None:
    now = at(NY, 2026, 6, 10, 22, 30)  # 19:30 in Los Angeles
    decision = check(MANHATTAN, now, time_zone="America/Los_Angeles", postal_code="85001")
    assert decision.allowed
    assert decision.zones == ("America/Los_Angeles",)
    assert decision.state == "AZ"  # the state still comes from the ZIP code


def test_area_code_state_rules_apply_even_with_a_zip_elsewhere() -> None:
    # Florida presumes a call to its area code reaches a resident: 20:30 is too late.
    decision = check(MIAMI, at(NY, 2026, 6, 10, 20, 30), postal_code="10001")
    assert not decision.allowed
    assert decision.state == "NY"
    assert decision.states == ("FL", "NY")


def test_blank_overrides_count_as_absent() -> None:
    decision = check(PANHANDLE, at(NY, 2026, 6, 10, 12, 0), time_zone=" ", postal_code="")
    assert decision.allowed
    assert decision.zones == ("America/Chicago", "America/New_York")


@pytest.mark.parametrize(
    ("number", "overrides"),
    [
        (8005550123, {}),
        (5555550123, {}),
        (12345, {}),
        (MANHATTAN, {"time_zone": "Mars/Olympus_Mons"}),
        (MANHATTAN, {"postal_code": "00000"}),
        (MANHATTAN, {"postal_code": "09001"}),
    ],
)
def test_unknown_zone_is_refused(number: int, overrides: dict[str, str]) -> None:
    decision = check(
        number,
        at(NY, 2026, 6, 10, 12, 0),
        time_zone=overrides.get("time_zone"),
        postal_code=overrides.get("postal_code"),
    )
    assert not decision.allowed
    assert decision.reason == RefusalReason.UNKNOWN_ZONE
    assert decision.zones == decision.local_times == ()
    assert decision.next_allowed is None


def test_canadian_number_has_zones_but_no_state() -> None:
    decision = check(4165550123, at(NY, 2026, 6, 10, 12, 0))
    assert decision.allowed
    assert decision.state is None


# -- campaign hours ---------------------------------------------------------------------


OFFICE_HOURS: CampaignHours = {day: (time(10, 0), time(16, 0)) for day in WEEKDAYS[:5]}


def test_campaign_hours_narrow_the_window() -> None:
    early = check(MANHATTAN, at(NY, 2026, 6, 10, 9, 30), campaign_hours=OFFICE_HOURS)
    assert not early.allowed
    assert early.reason == RefusalReason.CALLING_WINDOW
    assert early.next_allowed == at(NY, 2026, 6, 10, 10, 0)
    assert check(MANHATTAN, at(NY, 2026, 6, 10, 15, 59), campaign_hours=OFFICE_HOURS).allowed
    assert not check(MANHATTAN, at(NY, 2026, 6, 10, 16, 0), campaign_hours=OFFICE_HOURS).allowed


def test_campaign_days_not_named_have_no_calls() -> None:
    saturday = check(MANHATTAN, at(NY, 2026, 6, 13, 12, 0), campaign_hours=OFFICE_HOURS)
    assert not saturday.allowed
    assert saturday.next_allowed == at(NY, 2026, 6, 15, 10, 0)
    closed: CampaignHours = {day: None for day in WEEKDAYS}
    assert check(MANHATTAN, at(NY, 2026, 6, 13, 12, 0), campaign_hours=closed).next_allowed is None


def test_campaign_hours_cannot_widen_the_law() -> None:
    all_day: CampaignHours = {day: (time(0, 0), time(23, 59)) for day in WEEKDAYS}
    assert not check(MANHATTAN, at(NY, 2026, 6, 10, 7, 0), campaign_hours=all_day).allowed
    assert not check(MIAMI, at(NY, 2026, 6, 10, 20, 30), campaign_hours=all_day).allowed


def test_bad_campaign_hours_are_errors() -> None:
    with pytest.raises(ValueError, match="not weekdays"):
        WINDOWS.check(MANHATTAN, utc(2026, 6, 10, 16), campaign_hours={"monday": None})
    with pytest.raises(ValueError, match="is not before"):
        WINDOWS.check(MANHATTAN, utc(2026, 6, 10, 16), campaign_hours={"mon": (time(17), time(9))})


# -- state rules ------------------------------------------------------------------------


def test_florida_ends_at_eight_pm() -> None:
    assert check(MIAMI, at(NY, 2026, 6, 10, 19, 59)).allowed
    late = check(MIAMI, at(NY, 2026, 6, 10, 20, 30))
    assert not late.allowed
    assert late.reason == RefusalReason.CALLING_WINDOW
    assert late.state == "FL"
    assert late.next_allowed == at(NY, 2026, 6, 11, 8, 0)


def test_no_calls_on_sunday_in_alabama() -> None:
    sunday = check(BIRMINGHAM, at(CHICAGO, 2026, 6, 14, 12, 0))
    assert not sunday.allowed
    assert sunday.reason == RefusalReason.CALLING_WINDOW
    assert sunday.next_allowed == at(CHICAGO, 2026, 6, 15, 8, 0)


def test_saturday_night_in_alabama_waits_for_monday() -> None:
    decision = check(BIRMINGHAM, at(CHICAGO, 2026, 6, 13, 21, 30))
    assert decision.next_allowed == at(CHICAGO, 2026, 6, 15, 8, 0)
    friday = check(BIRMINGHAM, at(CHICAGO, 2026, 6, 12, 21, 30))
    assert friday.next_allowed == at(CHICAGO, 2026, 6, 13, 8, 0)


def test_state_holiday_is_refused_with_reason_holiday() -> None:
    christmas = check(BIRMINGHAM, at(CHICAGO, 2026, 12, 25, 12, 0))
    assert not christmas.allowed
    assert christmas.reason == RefusalReason.HOLIDAY
    assert str(christmas.reason) == "holiday"
    assert christmas.next_allowed == at(CHICAGO, 2026, 12, 26, 8, 0)
    confederate_memorial_day = at(CHICAGO, 2026, 4, 27, 12, 0)
    assert check(BIRMINGHAM, confederate_memorial_day).reason == RefusalReason.HOLIDAY
    assert check(MANHATTAN, at(NY, 2026, 12, 25, 12, 0)).allowed  # New York has no such rule


def test_utah_pioneer_day_and_sundays() -> None:
    mountain = ZoneInfo("America/Denver")
    assert check(SALT_LAKE, at(mountain, 2026, 7, 24, 12, 0)).reason == RefusalReason.HOLIDAY
    assert check(SALT_LAKE, at(mountain, 2026, 7, 23, 20, 59)).allowed
    assert not check(SALT_LAKE, at(mountain, 2026, 7, 26, 12, 0)).allowed  # a Sunday


def test_texas_sunday_starts_at_noon() -> None:
    assert not check(DALLAS, at(CHICAGO, 2026, 6, 14, 11, 59)).allowed
    assert check(DALLAS, at(CHICAGO, 2026, 6, 14, 12, 0)).allowed
    assert not check(DALLAS, at(CHICAGO, 2026, 6, 15, 8, 30)).allowed  # Monday from 09:00


def test_rhode_island_hours_and_holidays() -> None:
    assert check(PROVIDENCE, at(NY, 2026, 6, 13, 16, 59)).allowed  # Saturday until 17:00
    assert not check(PROVIDENCE, at(NY, 2026, 6, 13, 17, 0)).allowed
    assert not check(PROVIDENCE, at(NY, 2026, 6, 10, 18, 0)).allowed
    independence_day = check(PROVIDENCE, at(NY, 2026, 5, 4, 12, 0))  # a Monday, annual
    assert independence_day.reason == RefusalReason.HOLIDAY
    assert independence_day.next_allowed == at(NY, 2026, 5, 5, 9, 0)
    assert check(PROVIDENCE, at(NY, 2026, 8, 10, 12, 0)).reason == RefusalReason.HOLIDAY


def test_next_allowed_is_none_beyond_the_horizon() -> None:
    short = CallingWindows(RULES, horizon=timedelta(hours=12))
    saturday_night = at(CHICAGO, 2026, 6, 13, 21, 30)
    assert short.check(BIRMINGHAM, saturday_night).next_allowed is None
    assert WINDOWS.check(BIRMINGHAM, saturday_night).next_allowed is not None


# -- properties -------------------------------------------------------------------------

AREA_CODES = (212, 305, 850, 308, 602, 303, 808, 907, 787, 205, 214, 401, 801, 502, 225, 601)
START = datetime(2026, 1, 1, tzinfo=UTC)
END = datetime(2027, 12, 31, tzinfo=UTC)
numbers = st.builds(
    lambda npa, local: npa * 10**7 + local,
    st.sampled_from(AREA_CODES),
    st.integers(2_000_000, 9_999_999),
)
instants = st.datetimes(
    min_value=START.replace(tzinfo=None), max_value=END.replace(tzinfo=None), timezones=st.just(UTC)
)
clock = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
campaigns = st.none() | st.dictionaries(
    st.sampled_from(WEEKDAYS),
    st.none() | st.tuples(clock, clock).filter(lambda span: span[0] < span[1]),
)


def inside(span: tuple[time, time] | None, local: datetime) -> bool:
    return span is not None and span[0] <= local.time().replace(tzinfo=None) < span[1]


def state_allows(state: str, local: datetime) -> bool:
    rule = RULES.states.get(state)
    if rule is None:
        return True
    day: date = local.date()
    if day in rule.holidays.days_in(day.year, state):
        return False
    return inside(rule.hours.on(day.weekday()), local)


@settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(numbers, instants, campaigns)
def test_allowed_means_inside_every_window(
    number: int, now: datetime, campaign: CampaignHours | None
) -> None:
    decision = WINDOWS.check(number, now, campaign_hours=campaign)
    assert WINDOWS.is_allowed(number, now, campaign_hours=campaign) == decision.allowed
    assert decision.zones, "every sampled area code has zones"
    assert len(decision.local_times) == len(decision.zones)
    if not decision.allowed:
        return
    for local in decision.local_times:
        assert time(8, 0) <= local.time().replace(tzinfo=None) < time(21, 0)
        for state in decision.states:
            assert state_allows(state, local)
        if campaign is not None:
            assert inside(campaign.get(WEEKDAYS[local.weekday()]), local)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(numbers, instants, campaigns, st.integers(7, 97))
def test_next_allowed_is_the_first_allowed_moment(
    number: int, now: datetime, campaign: CampaignHours | None, step_minutes: int
) -> None:
    decision = WINDOWS.check(number, now, campaign_hours=campaign)
    nxt = decision.next_allowed
    if nxt is None:
        assert not decision.allowed
        probe = now
        while probe < now + timedelta(days=8):
            assert not WINDOWS.is_allowed(number, probe, campaign_hours=campaign)
            probe += timedelta(minutes=step_minutes * 3)
        return
    assert now <= nxt <= now + timedelta(days=8)
    assert WINDOWS.is_allowed(number, nxt, campaign_hours=campaign)
    assert (nxt == now) == decision.allowed
    earlier = [now + timedelta(minutes=m) for m in range(0, 12 * 24 * 60, step_minutes)]
    earlier.append(nxt - timedelta(minutes=1))
    for probe in earlier:
        if now <= probe < nxt:
            assert not WINDOWS.is_allowed(number, probe, campaign_hours=campaign)
