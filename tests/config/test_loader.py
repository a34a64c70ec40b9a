"""Bad scenario files: every problem is reported at once, with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from tidal.config import ConfigError, ConfigIssue, load_scenario, parse_scenario

DATA = Path(__file__).parent / "data"
BLENDED_DAY = (DATA / "blended-day.yaml").read_text(encoding="utf-8")

# Line numbers below are those of this text; keep them in step when editing it.
DAY = """\
name: day
duration: 8h
agents:
  - group: support
    count: 10
    skills: {billing: 5, tech: 3}
queues:
  - name: billing
    skills: {billing: 1}
    arrivals:
      rate_per_hour: 100
    handle_time:
      mean: 180
      dist: exponential
    patience: {dist: exponential, mean: 120}
"""


def issues_of(
    text: str, filename: str = "day.yaml", *, simulate: bool = False
) -> list[ConfigIssue]:
    with pytest.raises(ConfigError) as caught:
        parse_scenario(text, filename, simulate=simulate)
    return caught.value.issues


def only_issue(text: str) -> str:
    issues = issues_of(text)
    assert len(issues) == 1, [str(issue) for issue in issues]
    return str(issues[0])


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def test_base_texts_are_valid() -> None:
    parse_scenario(DAY)
    parse_scenario(BLENDED_DAY)


def test_unknown_dist_names_the_choices() -> None:
    text = edit(DAY, "dist: exponential\n", "dist: exponentail\n")
    assert only_issue(text) == (
        "day.yaml:14 queues[0].handle_time.dist: 'exponentail' is not one of "
        "constant, exponential, lognormal, gamma, uniform, empirical"
    )


def test_unknown_dist_in_flow_mapping() -> None:
    text = edit(DAY, "{dist: exponential, mean: 120}", "{dist: poisson, mean: 120}")
    assert only_issue(text).startswith("day.yaml:15 queues[0].patience.dist: 'poisson' is not")


def test_missing_dist() -> None:
    text = edit(DAY, "      dist: exponential\n", "")
    assert only_issue(text) == (
        "day.yaml:12 queues[0].handle_time.dist: required field missing "
        "(one of constant, exponential, lognormal, gamma, uniform, empirical)"
    )


def test_distribution_given_as_a_number() -> None:
    text = edit(DAY, "{dist: exponential, mean: 120}", "120")
    assert only_issue(text) == (
        "day.yaml:15 queues[0].patience: expected a distribution like "
        "{dist: exponential, mean: 180}, got 120"
    )


def test_wrong_parameter_of_a_distribution() -> None:
    text = edit(DAY, "      mean: 180\n", "      mean: 180\n      cv: 0.5\n")
    assert only_issue(text) == (
        "day.yaml:14 queues[0].handle_time.cv: unknown field 'cv' (fields here: dist, mean)"
    )


def test_unknown_key_suggests_the_near_miss() -> None:
    text = edit(DAY, "    handle_time:\n", "    handel_time:\n")
    # The misspelling, not also "handle_time: required field missing".
    assert only_issue(text) == (
        "day.yaml:12 queues[0].handel_time: unknown field 'handel_time' "
        "(did you mean 'handle_time'?)"
    )


def test_unknown_key_without_near_miss_lists_the_fields() -> None:
    text = edit(DAY, "name: day\n", "name: day\ncolour: blue\n")
    assert only_issue(text) == (
        "day.yaml:2 colour: unknown field 'colour' "
        "(fields here: name, seed, start, duration, agents, queues, campaigns, flows, blending, "
        "pause_reasons, telephony)"
    )


def test_missing_handle_time_points_at_its_queue_when_simulating() -> None:
    text = edit(DAY, "    handle_time:\n      mean: 180\n      dist: exponential\n", "")
    parse_scenario(text, "day.yaml")  # a live center may leave the world out
    (issue,) = issues_of(text, simulate=True)
    assert str(issue) == "day.yaml:8 queues[0].handle_time: needed to simulate"


def test_missing_duration_points_at_the_document_when_simulating() -> None:
    text = edit(DAY, "duration: 8h\n", "")
    parse_scenario(text, "day.yaml")
    (issue,) = issues_of(text, simulate=True)
    assert str(issue) == "day.yaml:1 duration: needed to simulate"


def test_missing_top_level_field_points_at_the_document() -> None:
    text = edit(DAY, "name: day\n", "")
    assert only_issue(text) == "day.yaml:1 name: required field missing"


def test_negative_count() -> None:
    text = edit(DAY, "count: 10", "count: -3")
    assert only_issue(text) == "day.yaml:5 agents[0].count: must be >= 0 (got -3)"


def test_skill_level_out_of_range() -> None:
    text = edit(DAY, "{billing: 5, tech: 3}", "{billing: 11, tech: 3}")
    assert only_issue(text) == "day.yaml:6 agents[0].skills.billing: must be <= 10 (got 11)"


def test_bad_duration_string() -> None:
    text = edit(DAY, "duration: 8h", "duration: 8 hours")
    assert only_issue(text) == (
        "day.yaml:2 duration: '8 hours' is not a duration "
        "(use seconds or a string like 30s, 5m, 8h, 7d)"
    )


def test_zero_duration() -> None:
    text = edit(DAY, "duration: 8h", "duration: 0s")
    assert only_issue(text) == "day.yaml:2 duration: must be > 0 (got '0s')"


def test_profile_must_start_at_zero_and_increase() -> None:
    text = edit(
        DAY,
        "      rate_per_hour: 100\n",
        "      profile:\n        - [5, 100]\n        - [60, 120]\n        - [60, 80]\n",
    )
    assert [str(issue) for issue in issues_of(text)] == [
        "day.yaml:12 queues[0].arrivals.profile[0]: the first minute offset must be 0 (got 5)",
        "day.yaml:14 queues[0].arrivals.profile[2]: minute offsets must increase (60 follows 60)",
    ]


def test_profile_entry_must_be_a_pair() -> None:
    text = edit(DAY, "rate_per_hour: 100", "profile: [[0, 100], [30, 5, 9]]")
    assert only_issue(text) == (
        "day.yaml:11 queues[0].arrivals.profile[1]: "
        "expected [minute_offset, rate_per_hour], got [30, 5, 9]"
    )


def test_rate_and_profile_together() -> None:
    text = edit(DAY, "rate_per_hour: 100", "rate_per_hour: 100\n      profile: [[0, 100]]")
    assert only_issue(text) == (
        "day.yaml:10 queues[0].arrivals: give exactly one of rate_per_hour or profile (both)"
    )


def test_outcomes_must_sum_to_one() -> None:
    text = edit(BLENDED_DAY, "busy: 0.10,", "busy: 0.05,")
    (issue,) = issues_of(text)
    assert issue.path == "campaigns[0].outcomes"
    assert issue.message == "outcomes must sum to 1 (they sum to 0.95)"
    assert issue.line == BLENDED_DAY.splitlines().index(_line_with(BLENDED_DAY, "outcomes:")) + 1


def test_outcomes_near_the_largest_float_are_an_issue_not_an_overflow() -> None:
    text = edit(BLENDED_DAY, "busy: 0.10,", "busy: 1.7e308,")
    text = edit(text, "human: 0.25", "human: 1.7e308")
    messages = [issue.message for issue in issues_of(text)]
    assert "outcomes must sum to 1 (they sum to inf)" in messages


def test_unknown_outcome() -> None:
    text = edit(BLENDED_DAY, "human: 0.25", "humans: 0.25")
    (issue,) = issues_of(text)
    assert issue.path == "campaigns[0].outcomes.humans"
    assert issue.message == (
        "'humans' is not one of human, machine, no_answer, busy, invalid (did you mean 'human'?)"
    )


def test_unquoted_caller_id() -> None:
    text = edit(BLENDED_DAY, '"+12025550100"', "+12025550100")
    (issue,) = issues_of(text)
    assert issue.path == "campaigns[0].caller_id"
    assert issue.message.startswith('quote the number, e.g. "+12025550100"')


def test_bad_caller_id_and_area_code() -> None:
    text = edit(BLENDED_DAY, '"+12025550100"', '"202-555-0100"')
    text = edit(text, "[212, 305,", "[212, 1305,")
    assert [(issue.path, issue.message) for issue in issues_of(text)] == [
        ("campaigns[0].caller_id", "'202-555-0100' is not an E.164 number like +12025550100"),
        ("campaigns[0].leads.area_codes[1]", "1305 is not a 3-digit area code (200-999)"),
    ]


def test_unknown_dial_mode_suggests() -> None:
    text = edit(BLENDED_DAY, "dial_mode: predictive", "dial_mode: predictve")
    (issue,) = issues_of(text)
    assert issue.path == "campaigns[0].dial_mode"
    assert issue.message == (
        "'predictve' is not one of preview, progressive, power, predictive "
        "(did you mean 'predictive'?)"
    )


def test_unknown_campaign_referenced() -> None:
    text = edit(BLENDED_DAY, "campaigns: []", "campaigns: [renewal]")
    (issue,) = issues_of(text)
    assert issue.path == "agents[0].campaigns[0]"
    assert issue.message == (
        "unknown campaign 'renewal' (did you mean 'renewals'?) (campaigns: renewals)"
    )
    assert issue.line == 11


def test_outbound_group_needs_a_campaign() -> None:
    text = edit(BLENDED_DAY, "modes: [inbound]", "modes: [inbound, outbound]")
    (issue,) = issues_of(text)
    assert (issue.line, issue.path) == (11, "agents[0].campaigns")
    assert issue.message == "a group with outbound in modes must list at least one campaign"
    parse_scenario(edit(text, "campaigns: []", "campaigns: [renewals]"))


def test_mode_listed_twice() -> None:
    text = edit(BLENDED_DAY, "modes: [inbound]", "modes: [inbound, inbound]")
    assert only_issue(text) == "day.yaml:10 agents[0].modes[1]: mode 'inbound' is listed twice"


def test_duplicate_queue() -> None:
    text = DAY + "  - name: billing\n    arrivals: {rate_per_hour: 5}\n"
    text += "    handle_time: {dist: constant, value: 1m}\n"
    assert only_issue(text) == (
        "day.yaml:16 queues[1].name: duplicate queue 'billing' (also queues[0])"
    )


def test_duplicate_group() -> None:
    text = edit(DAY, "queues:\n", "  - {group: support, count: 1}\nqueues:\n")
    assert only_issue(text) == (
        "day.yaml:7 agents[1].group: duplicate group 'support' (also agents[0])"
    )


def test_unservable_queue_names_the_skills_and_groups() -> None:
    text = edit(DAY, "queues:\n", "  - {group: sales, count: 4, skills: {billing: 2}}\nqueues:\n")
    text = edit(text, "skills: {billing: 1}", "skills: {billing: 6, tech: 1}")
    assert only_issue(text) == (
        "day.yaml:10 queues[0].skills: no inbound agent group has billing>=6 and tech>=1 "
        "(groups: support, sales)"
    )


def test_outbound_only_group_does_not_serve_queues() -> None:
    outbound_only = "    count: 10\n    modes: [outbound]\n    campaigns: [x]\n"
    text = edit(DAY, "    count: 10\n", outbound_only)
    messages = [issue.message for issue in issues_of(text)]
    assert "no inbound agent group has billing>=1 (groups: support)" in messages


def test_yaml_syntax_error_has_its_line() -> None:
    text = edit(DAY, "count: 10", "count: [10")
    (issue,) = issues_of(text)
    assert issue.file == "day.yaml"
    assert issue.line == 6
    assert issue.path == ""
    assert str(issue).startswith("day.yaml:6: invalid YAML: ")


def test_duplicate_yaml_key() -> None:
    text = edit(DAY, "    count: 10\n", "    count: 10\n    count: 12\n")
    assert only_issue(text) == "day.yaml:6 agents[0].count: key written twice (first on line 5)"


@pytest.mark.parametrize(
    ("text", "found"), [("- a\n- b\n", "a list"), ("", "an empty file"), ("42\n", "the value 42")]
)
def test_top_level_must_be_a_mapping(text: str, found: str) -> None:
    (issue,) = issues_of(text)
    assert issue.message.startswith("the top level must be a mapping")
    assert issue.message.endswith(f"not {found}")


def test_naive_start_needs_an_offset() -> None:
    text = edit(DAY, "duration: 8h\n", 'duration: 8h\nstart: "2026-11-23T08:00:00"\n')
    assert only_issue(text) == (
        "day.yaml:3 start: start must include a UTC offset, e.g. 2026-11-23T08:00:00-05:00"
    )


def test_unquoted_naive_start_needs_an_offset_too() -> None:
    text = edit(DAY, "duration: 8h\n", "duration: 8h\nstart: 2026-11-23 08:00:00\n")
    assert only_issue(text).startswith("day.yaml:3 start: start must include a UTC offset")


def test_unquoted_start_with_offset_is_accepted() -> None:
    text = edit(DAY, "duration: 8h\n", "duration: 8h\nstart: 2026-11-23T08:00:00-05:00\n")
    assert parse_scenario(text).start.utcoffset() is not None


def test_several_errors_reported_together_in_file_order() -> None:
    text = edit(DAY, "duration: 8h", "duration: 8 hours")
    text = edit(text, "count: 10", "count: -3")
    text = edit(text, "dist: exponential\n", "dist: exponentail\n")
    text = edit(text, "mean: 120}", "mean: 120, shape: 2}")
    with pytest.raises(ConfigError) as caught:
        parse_scenario(text, "day.yaml")
    assert [(issue.line, issue.path) for issue in caught.value.issues] == [
        (2, "duration"),
        (5, "agents[0].count"),
        (14, "queues[0].handle_time.dist"),
        (15, "queues[0].patience.shape"),
    ]
    assert str(caught.value).splitlines() == [str(issue) for issue in caught.value.issues]


def test_several_cross_reference_errors_reported_together() -> None:
    text = edit(DAY, "queues:\n", "  - {group: support, count: 1, campaigns: [x]}\nqueues:\n")
    text = edit(text, "skills: {billing: 1}", "skills: {legal: 1}")
    assert [issue.path for issue in issues_of(text)] == [
        "agents[1].group",
        "agents[1].campaigns[0]",
        "queues[0].skills",
    ]


def test_load_names_the_file_as_given(tmp_path: Path) -> None:
    path = tmp_path / "day.yaml"
    path.write_text(edit(DAY, "count: 10", "count: -3"), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_scenario(str(path))
    assert str(caught.value) == f"{path}:5 agents[0].count: must be >= 0 (got -3)"


def test_load_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(ConfigError) as caught:
        load_scenario(path)
    assert str(caught.value) == f"{path}: no such file"


def test_load_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the file"):
        load_scenario(tmp_path)


def test_load_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "day.yaml"
    path.write_bytes(b"name: \xff\xfe\n")
    with pytest.raises(ConfigError, match="not UTF-8 text"):
        load_scenario(path)


def test_default_filename() -> None:
    with pytest.raises(ConfigError, match=r"^<scenario>:5 agents\[0\]\.count"):
        parse_scenario(edit(DAY, "count: 10", "count: -3"))


def _line_with(text: str, fragment: str) -> str:
    return next(line for line in text.splitlines() if fragment in line)


def test_voice_capacity_above_one_names_the_channel() -> None:
    text = edit(DAY, "    skills: {billing: 5, tech: 3}\n", "    skills: {billing: 5, tech: 3}\n"
                "    capacity: {voice: 2, chat: 3}\n")  # fmt: skip
    assert only_issue(text) == (
        "day.yaml:7 agents[0].capacity.voice: a voice contact has the agent to itself: "
        "capacity must be 0 or 1, got 2"
    )


def test_negative_chat_capacity() -> None:
    text = edit(DAY, "    skills: {billing: 5, tech: 3}\n", "    skills: {billing: 5, tech: 3}\n"
                "    capacity: {chat: -1}\n")  # fmt: skip
    assert only_issue(text) == "day.yaml:7 agents[0].capacity.chat: must be >= 0 (got -1)"


def test_unknown_capacity_channel() -> None:
    text = edit(DAY, "    skills: {billing: 5, tech: 3}\n", "    skills: {billing: 5, tech: 3}\n"
                "    capacity: {chatt: 3}\n")  # fmt: skip
    assert only_issue(text) == (
        "day.yaml:7 agents[0].capacity.chatt: 'chatt' is not one of voice, chat, email, sms "
        "(did you mean 'chat'?)"
    )


def test_a_chat_queue_nobody_may_take() -> None:
    text = edit(DAY, "    skills: {billing: 5, tech: 3}\n", "    skills: {billing: 5, tech: 3}\n"
                "    capacity: {chat: 0}\n")  # fmt: skip
    text = edit(text, "    skills: {billing: 1}\n", "    skills: {billing: 1}\n    channel: chat\n")
    assert only_issue(text) == (
        "day.yaml:11 queues[0].channel: no agent group that has the skills takes chat "
        "(capacity chat: 0 in support)"
    )


def test_unknown_queue_channel() -> None:
    text = edit(DAY, "    skills: {billing: 1}\n", "    skills: {billing: 1}\n    channel: fax\n")
    assert only_issue(text).startswith("day.yaml:10 queues[0].channel: 'fax' is not one of")
