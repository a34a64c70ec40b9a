"""The state calling-rules file: shipped rules are sane, and bad files name line and field."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from tidal.config import (
    US_STATES,
    WEEKDAYS,
    CallingRules,
    ConfigError,
    HolidayRules,
    load_calling_rules,
    parse_calling_rules,
)

# Line numbers in the tests below are those of this text; keep them in step when editing it.
RULES = """\
default:
  hours:
    mon: ["08:00", "21:00"]
    tue: ["08:00", "21:00"]
    wed: ["08:00", "21:00"]
    thu: ["08:00", "21:00"]
    fri: ["08:00", "21:00"]
    sat: ["08:00", "21:00"]
    sun: ["08:00", "21:00"]
  source: "16 CFR 310.4(c)"
  note: verify with counsel
states:
  AL:
    hours:
      mon: ["08:00", "20:00"]
      tue: ["08:00", "20:00"]
      wed: ["08:00", "20:00"]
      thu: ["08:00", "20:00"]
      fri: ["08:00", "20:00"]
      sat: ["08:00", "20:00"]
      sun: null
    holidays:
      named: ["Christmas Day"]
    source: "Ala. Admin. Code r. 770-X-5-.17(1)(b)"
    note: "Verify with counsel: test data"
"""


def issues_of(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_calling_rules(text, "rules.yaml")
    return [str(issue) for issue in caught.value.issues]


def only_issue(text: str) -> str:
    issues = issues_of(text)
    assert len(issues) == 1, issues
    return issues[0]


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# -- the shipped file -------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> CallingRules:
    return load_calling_rules()


def test_shipped_default_is_the_federal_window(shipped: CallingRules) -> None:
    for weekday in range(7):
        assert shipped.default.hours.on(weekday) == (time(8, 0), time(21, 0))
    assert "310.4(c)" in shipped.default.source
    assert "64.1200(c)(1)" in shipped.default.source


def test_every_shipped_entry_is_sourced_and_says_verify_with_counsel(
    shipped: CallingRules,
) -> None:
    assert shipped.states
    for code, rule in shipped.states.items():
        assert code in US_STATES
        assert rule.source.strip()
        assert "verify with counsel" in rule.note.lower()


def test_shipped_states_only_narrow_the_federal_window(shipped: CallingRules) -> None:
    for rule in shipped.states.values():
        for weekday in range(7):
            span = rule.hours.on(weekday)
            assert span is None or (time(8, 0) <= span[0] and span[1] <= time(21, 0))


def test_shipped_florida_and_alabama(shipped: CallingRules) -> None:
    florida = shipped.states["FL"]
    assert all(florida.hours.on(day) == (time(8, 0), time(20, 0)) for day in range(7))
    alabama = shipped.states["AL"]
    assert alabama.hours.sun is None
    assert date(2026, 12, 25) in alabama.holidays.days_in(2026, "AL")
    assert shipped.states["TX"].hours.sun == (time(12, 0), time(21, 0))


def test_load_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(RULES, encoding="utf-8")
    rules = load_calling_rules(path)
    assert rules.rule_for("AL") is not None
    assert rules.rule_for("NY") is None
    assert rules.rule_for(None) is None


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_calling_rules(tmp_path / "absent.yaml")


# -- holidays ---------------------------------------------------------------------------


def test_named_holidays_include_their_observed_day() -> None:
    rules = parse_calling_rules(RULES)
    days = rules.states["AL"].holidays.days_in(2022, "AL")  # 2022-12-25 was a Sunday
    assert days == {date(2022, 12, 25), date(2022, 12, 26)}


def test_annual_and_fixed_dates() -> None:
    holidays = HolidayRules(annual=("05-04", "02-29"), dates=(date(2026, 7, 3), date(2027, 1, 2)))
    assert holidays.days_in(2026, None) == {date(2026, 5, 4), date(2026, 7, 3)}
    assert holidays.days_in(2028, None) == {date(2028, 5, 4), date(2028, 2, 29)}


def test_legal_holidays_are_the_states_public_holidays() -> None:
    days = HolidayRules(legal_holidays=True).days_in(2026, "UT")
    assert date(2026, 7, 24) in days  # Pioneer Day
    assert date(2026, 7, 3) in days  # Independence Day observed
    assert date(2026, 7, 24) not in HolidayRules(legal_holidays=True).days_in(2026, "NY")


# -- bad files --------------------------------------------------------------------------


def test_base_text_is_valid() -> None:
    rules = parse_calling_rules(RULES)
    assert rules.states["AL"].hours.on(WEEKDAYS.index("sat")) == (time(8, 0), time(20, 0))


def test_unquoted_time_says_to_quote_it() -> None:
    text = edit(RULES, 'mon: ["08:00", "20:00"]', 'mon: ["08:00", 20:00]')
    assert only_issue(text) == (
        'rules.yaml:15 states.AL.hours.mon[1]: quote the time, e.g. "20:00" '
        "(unquoted, YAML reads it as the number 1200)"
    )


def test_bad_time_text() -> None:
    text = edit(RULES, 'tue: ["08:00", "21:00"]', 'tue: ["8am", "21:00"]')
    assert only_issue(text) == (
        "rules.yaml:4 default.hours.tue[0]: '8am' is not a time like \"08:00\" (00:00-23:59)"
    )


def test_start_after_end() -> None:
    text = edit(RULES, 'wed: ["08:00", "20:00"]', 'wed: ["20:00", "08:00"]')
    assert only_issue(text) == (
        "rules.yaml:17 states.AL.hours.wed: the start 20:00 must be before the end 08:00 "
        "(write null for no calls that day)"
    )


def test_hours_must_be_a_pair() -> None:
    text = edit(RULES, 'thu: ["08:00", "20:00"]', 'thu: ["08:00"]')
    assert "rules.yaml:18 states.AL.hours.thu: expected [start, end]" in only_issue(text)


def test_missing_weekday() -> None:
    text = edit(RULES, '    sun: ["08:00", "21:00"]\n', "")
    assert only_issue(text) == "rules.yaml:2 default.hours.sun: required field missing"


def test_misspelled_field_gets_a_hint() -> None:
    text = edit(RULES, "  AL:\n    hours:", "  AL:\n    hour:")
    issues = issues_of(text)
    assert "rules.yaml:14 states.AL.hour: unknown field 'hour' (did you mean 'hours'?)" in issues


def test_unknown_state_code() -> None:
    text = edit(RULES, "  AL:\n", "  Al:\n")
    assert only_issue(text) == (
        "rules.yaml:13 states.Al: 'Al' is not a US state or territory code like FL, TX or PR "
        "(did you mean 'AL'?)"
    )


def test_source_is_required() -> None:
    text = edit(RULES, '    source: "Ala. Admin. Code r. 770-X-5-.17(1)(b)"\n', "")
    assert only_issue(text) == "rules.yaml:13 states.AL.source: required field missing"


def test_note_must_say_verify_with_counsel() -> None:
    text = edit(RULES, '"Verify with counsel: test data"', '"checked"')
    assert only_issue(text) == (
        "rules.yaml:25 states.AL.note: must say \"verify with counsel\" (got 'checked')"
    )


def test_unknown_holiday_name() -> None:
    text = edit(RULES, '["Christmas Day"]', '["Christmas"]')
    assert only_issue(text) == (
        "rules.yaml:23 states.AL.holidays.named[0]: 'Christmas' is not one of the Alabama "
        "holidays (did you mean 'Christmas Day'?)"
    )


def test_named_and_all_holidays_exclude_each_other() -> None:
    text = edit(RULES, "    holidays:\n", "    holidays:\n      legal_holidays: true\n")
    assert only_issue(text).startswith("rules.yaml:24 states.AL.holidays.named: list named")


def test_bad_annual_day() -> None:
    text = edit(RULES, 'named: ["Christmas Day"]', 'annual: ["13-01"]')
    assert only_issue(text) == (
        "rules.yaml:23 states.AL.holidays.annual[0]: expected a day of the year like "
        "\"05-04\", got '13-01'"
    )


def test_bad_fixed_date() -> None:
    text = edit(RULES, 'named: ["Christmas Day"]', 'dates: ["2026-12-32"]')
    assert only_issue(text).startswith(
        "rules.yaml:23 states.AL.holidays.dates[0]: expected a date like 2026-12-25"
    )


def test_impossible_unquoted_date_is_a_config_error() -> None:
    text = edit(RULES, 'named: ["Christmas Day"]', "dates: [2026-13-01]")
    assert only_issue(text) == (
        "rules.yaml:23: invalid YAML: '2026-13-01' is not a valid value (month must be in 1..12)"
    )


def test_duplicate_key() -> None:
    text = edit(RULES, "      sun: null\n", "      sun: null\n      sun: null\n")
    assert "rules.yaml:22 states.AL.hours.sun: key written twice (first on line 21)" in (
        issues_of(text)
    )


def test_every_problem_is_reported_at_once() -> None:
    text = edit(RULES, '"16 CFR 310.4(c)"', '""')
    text = edit(text, "  Al" if "  Al" in text else "  AL:\n", "  ZZ:\n")
    issues = issues_of(text)
    assert len(issues) == 2
    assert issues[0].startswith("rules.yaml:10 default.source: must not be empty")
    assert issues[1].startswith("rules.yaml:13 states.ZZ: 'ZZ' is not a US state")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "",
            "rules.yaml: the top level must be a mapping (default:, states:), not an empty file",
        ),
        ("- 1\n", "rules.yaml:1: the top level must be a mapping (default:, states:), not a list"),
        ("default: [\n", "rules.yaml:2: invalid YAML"),
    ],
)
def test_not_a_rules_file(text: str, message: str) -> None:
    assert only_issue(text).startswith(message)
