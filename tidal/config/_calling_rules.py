"""State calling-hour rules: the shipped file of when each state lets a lead be called.

Federal law allows telemarketing calls 08:00-21:00 in the called party's local time
(16 CFR 310.4(c), 47 CFR 64.1200(c)(1)); several states narrow that by the hour, by the
weekday or by their legal holidays. The rules live in `data/state_calling_rules.yaml`
so counsel can read and correct them without reading code; every entry names its
source and says that it must be verified with counsel.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from datetime import date, time
from functools import cache
from importlib import resources
from typing import Annotated, Any, Final, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from tidal.config._documents import read_mapping
from tidal.config._errors import (
    ConfigError,
    ConfigIssue,
    Loc,
    Problem,
    did_you_mean,
    format_path,
    raise_problems,
    read_config_text,
    show_value,
)
from tidal.config._yaml_lines import YamlDocument

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: Final[tuple[Weekday, ...]] = get_args(Weekday)  # index = date.weekday()

US_STATES: Final[Mapping[str, str]] = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "AS": "American Samoa",
    "GU": "Guam",
    "MP": "Northern Mariana Islands",
    "PR": "Puerto Rico",
    "VI": "U.S. Virgin Islands",
}
"""US states, DC and the territories in the NANP, by USPS code: the places a rule can name."""

COUNSEL_NOTE: Final = "verify with counsel"
RULES_FILE: Final = "state_calling_rules.yaml"
# Years in which a named holiday must exist for the name to be accepted (typo guard).
_NAME_CHECK_YEARS: Final = range(2020, 2041)
_CLOCK = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
_MONTH_DAY = re.compile(r"(\d\d)-(\d\d)")
_PREFIXES = ("Value error, ", "Assertion failed, ")


def _custom(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, "{reason}", {"reason": message})


def _parse_clock(value: object) -> object:
    """A wall-clock time written "HH:MM"; unquoted YAML times arrive as minutes."""
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads an unquoted 21:00 as the base-60 number 1260.
        written = f"{value // 60:02d}:{value % 60:02d}" if 0 <= value < 24 * 60 else "HH:MM"
        raise _custom(
            "clock_time",
            f'quote the time, e.g. "{written}" (unquoted, YAML reads it as the number {value})',
        )
    if isinstance(value, str):
        match = _CLOCK.fullmatch(value.strip())
        if match is None:
            raise _custom("clock_time", f'{value!r} is not a time like "08:00" (00:00-23:59)')
        return time(int(match.group(1)), int(match.group(2)))
    if isinstance(value, time):
        return value
    raise _custom("clock_time", f'expected a time like "08:00", got {show_value(value)}')


def _check_span(span: tuple[time, time]) -> tuple[time, time]:
    start, end = span
    if start >= end:
        raise _custom(
            "hours_span",
            f"the start {start:%H:%M} must be before the end {end:%H:%M} "
            "(write null for no calls that day)",
        )
    return span


def _check_span_shape(value: object) -> object:
    if not isinstance(value, list | tuple) or len(value) != 2:
        shown = show_value(value)
        raise _custom(
            "hours_span",
            f'expected [start, end] like ["08:00", "21:00"] or null for no calls, got {shown}',
        )
    return value


def _parse_month_day(value: object) -> object:
    if isinstance(value, str):
        match = _MONTH_DAY.fullmatch(value.strip())
        if match is not None:
            try:
                date(2000, int(match.group(1)), int(match.group(2)))  # a leap year: 02-29 exists
            except ValueError:
                pass
            else:
                return f"{match.group(1)}-{match.group(2)}"
    raise _custom("month_day", f'expected a day of the year like "05-04", got {show_value(value)}')


def _check_state_code(code: str) -> str:
    if code not in US_STATES:
        hint = did_you_mean(code.upper(), US_STATES)
        raise _custom(
            "state_code",
            f"{code!r} is not a US state or territory code like FL, TX or PR{hint}",
        )
    return code


def _check_note(note: str) -> str:
    if COUNSEL_NOTE not in note.lower():
        raise _custom("counsel_note", f'must say "{COUNSEL_NOTE}" (got {note!r})')
    return note


ClockTime = Annotated[time, BeforeValidator(_parse_clock)]
HoursSpan = Annotated[
    tuple[ClockTime, ClockTime], BeforeValidator(_check_span_shape), AfterValidator(_check_span)
]
MonthDay = Annotated[str, BeforeValidator(_parse_month_day)]
StateCode = Annotated[str, AfterValidator(_check_state_code)]
Citation = Annotated[str, Field(min_length=1)]
CounselNote = Annotated[str, AfterValidator(_check_note)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WeekHours(_Model):
    """Local hours a call may start, per weekday; None means no calls that day."""

    mon: HoursSpan | None
    tue: HoursSpan | None
    wed: HoursSpan | None
    thu: HoursSpan | None
    fri: HoursSpan | None
    sat: HoursSpan | None
    sun: HoursSpan | None

    def on(self, weekday: int) -> tuple[time, time] | None:
        """The hours of a weekday numbered as `date.weekday()` (0 = Monday)."""
        span: tuple[time, time] | None = getattr(self, WEEKDAYS[weekday])
        return span


class HolidayRules(_Model):
    """The days a state bars calls on: its legal holidays, some of them, or fixed dates."""

    legal_holidays: bool = False
    named: tuple[Annotated[str, Field(min_length=1)], ...] = ()
    annual: tuple[MonthDay, ...] = ()
    dates: tuple[date, ...] = ()

    @model_validator(mode="after")
    def _all_or_some(self) -> HolidayRules:
        if self.legal_holidays and self.named:
            raise_problems(
                "HolidayRules",
                [Problem(("named",), "list named holidays or set legal_holidays: true, not both")],
            )
        return self

    def days_in(self, year: int, subdivision: str | None) -> frozenset[date]:
        """The no-call days of `year`, resolving holiday names for a state (None = federal)."""
        days: set[date] = {day for day in self.dates if day.year == year}
        for month_day in self.annual:
            month, day_of_month = (int(part) for part in month_day.split("-"))
            if month != 2 or day_of_month != 29 or _is_leap(year):
                days.add(date(year, month, day_of_month))
        if self.legal_holidays or self.named:
            calendar = _legal_holidays(subdivision, year)
            wanted = set(self.named)
            for day, names in calendar.items():
                if self.legal_holidays or wanted.intersection(_base_names(names)):
                    days.add(day)
        return frozenset(days)


class CallingRule(_Model):
    """When one jurisdiction allows calls: hours per weekday and no-call holidays."""

    hours: WeekHours
    holidays: HolidayRules = HolidayRules()
    source: Citation
    note: CounselNote


class CallingRules(_Model):
    """The federal default and every state's narrower calling hours."""

    default: CallingRule
    states: dict[StateCode, CallingRule] = {}

    @model_validator(mode="after")
    def _known_holiday_names(self) -> CallingRules:
        problems = _unknown_names(("default",), self.default, None)
        for code, rule in self.states.items():
            problems.extend(_unknown_names(("states", code), rule, code))
        raise_problems("CallingRules", problems)
        return self

    def rule_for(self, state: str | None) -> CallingRule | None:
        """A state's own rule, if the file has one (the default applies everywhere anyway)."""
        return None if state is None else self.states.get(state)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _base_names(names: Iterable[str]) -> set[str]:
    """Holiday names without the " (observed)" suffix, so a name covers its observed day."""
    return {name.removesuffix(" (observed)") for name in names}


@cache
def _legal_holidays(subdivision: str | None, year: int) -> Mapping[date, tuple[str, ...]]:
    """Public holidays of the US or one state (observed days included) by the `holidays` data."""
    import holidays  # its import costs ~60 ms; only rules with holidays need it

    calendar = holidays.country_holidays("US", subdiv=subdivision, years=year)
    return {day: tuple(calendar.get_list(day)) for day in sorted(calendar)}


@cache
def _names_in_use(subdivision: str | None) -> frozenset[str]:
    names: set[str] = set()
    for year in _NAME_CHECK_YEARS:
        for day_names in _legal_holidays(subdivision, year).values():
            names.update(_base_names(day_names))
    return frozenset(names)


def _unknown_names(loc: Loc, rule: CallingRule, state: str | None) -> list[Problem]:
    """A problem for every named holiday the `holidays` data does not know for the state."""
    if not rule.holidays.named:
        return []
    known = _names_in_use(state)
    where = f"the {US_STATES[state]}" if state is not None else "the federal"
    return [
        Problem(
            (*loc, "holidays", "named", index),
            f"{name!r} is not one of {where} holidays{did_you_mean(name, known)}",
            name,
        )
        for index, name in enumerate(rule.holidays.named)
        if name not in known
    ]


# -- loading ---------------------------------------------------------------------------


def load_calling_rules(path: str | os.PathLike[str] | None = None) -> CallingRules:
    """Read and validate a calling-rules file (None = the one shipped with Tidal)."""
    if path is None:
        shipped = resources.files("tidal.config").joinpath("data", RULES_FILE)
        return parse_calling_rules(shipped.read_text(encoding="utf-8"), str(shipped))
    text, filename = read_config_text(path)
    return parse_calling_rules(text, filename)


def parse_calling_rules(text: str, filename: str = "<calling rules>") -> CallingRules:
    """Validate calling-rules YAML text; every problem is reported with its line and field."""
    document, issues = read_mapping(text, filename, "default:, states:")
    rules: CallingRules | None = None
    try:
        rules = CallingRules.model_validate(document.data)
    except ValidationError as error:
        issues.extend(_issue(detail, document, filename) for detail in error.errors())
    if issues or rules is None:
        raise ConfigError(sorted(issues, key=lambda issue: issue.line or 0))
    return rules


_FIELDS: Final[Mapping[str, tuple[str, ...]]] = {
    "rules": tuple(CallingRules.model_fields),
    "rule": tuple(CallingRule.model_fields),
    "hours": tuple(WeekHours.model_fields),
    "holidays": tuple(HolidayRules.model_fields),
}


def _model_at(loc: Loc) -> str:
    """Which model of the file sits at a location: rules, rule, hours or holidays."""
    if not loc:
        return "rules"
    if loc == ("default",) or (len(loc) == 2 and loc[0] == "states"):
        return "rule"
    return str(loc[-1]) if loc[-1] in ("hours", "holidays") else ""


def _issue(detail: ErrorDetails, document: YamlDocument, filename: str) -> ConfigIssue:
    """One pydantic error as a plain issue at the line of the field it is about."""
    loc: Loc = tuple(part for part in detail["loc"] if part != "[key]")
    message = _message(detail, loc)
    return ConfigIssue(filename, document.line_of(loc), format_path(loc), message)


def _message(detail: ErrorDetails, loc: Loc) -> str:
    kind = detail["type"]
    value: Any = detail["input"]
    context: Mapping[str, Any] = detail.get("ctx") or {}
    shown = show_value(value)
    if kind == "missing":
        return "required field missing"
    if kind == "extra_forbidden" and loc:
        fields = _FIELDS.get(_model_at(loc[:-1]), ())
        hint = did_you_mean(str(loc[-1]), fields)
        if not hint and fields:
            hint = f" (fields here: {', '.join(fields)})"
        return f"unknown field {show_value(loc[-1])}{hint}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping of fields, got {shown}"
    if kind in ("tuple_type", "list_type"):
        return f"expected a list, got {shown}"
    if kind in ("too_short", "string_too_short") and context.get("min_length") == 1:
        return "must not be empty"
    if kind == "string_type":
        return f"expected text, got {shown}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {shown}"
    if kind.startswith("date_"):
        return f"expected a date like 2026-12-25, got {shown}"
    message = str(detail["msg"])
    for prefix in _PREFIXES:
        message = message.removeprefix(prefix)
    return message
