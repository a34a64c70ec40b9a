"""Issues and ConfigError: how a problem is printed for the user."""

from __future__ import annotations

import pytest

from tidal.config import ConfigError, ConfigIssue
from tidal.config._errors import did_you_mean, format_path


def test_issue_with_line_and_path() -> None:
    issue = ConfigIssue("day.yaml", 14, "queues[0].handle_time.dist", "bad")
    assert str(issue) == "day.yaml:14 queues[0].handle_time.dist: bad"


def test_issue_without_line_or_path() -> None:
    assert str(ConfigIssue("day.yaml", None, "", "no such file")) == "day.yaml: no such file"
    assert str(ConfigIssue("day.yaml", 3, "", "invalid YAML")) == "day.yaml:3: invalid YAML"
    assert str(ConfigIssue("day.yaml", None, "seed", "bad")) == "day.yaml seed: bad"


def test_issue_is_a_frozen_value() -> None:
    issue = ConfigIssue("a.yaml", 1, "name", "x")
    assert issue == ConfigIssue("a.yaml", 1, "name", "x")
    with pytest.raises(AttributeError):
        issue.line = 2  # type: ignore[misc]


def test_error_lists_every_issue_one_per_line() -> None:
    issues = [ConfigIssue("a.yaml", 1, "name", "x"), ConfigIssue("a.yaml", 2, "seed", "y")]
    error = ConfigError(issues)
    assert error.issues == issues
    assert str(error) == "a.yaml:1 name: x\na.yaml:2 seed: y"
    assert isinstance(error, Exception)


@pytest.mark.parametrize(
    ("loc", "text"),
    [
        ((), ""),
        (("duration",), "duration"),
        (("queues", 0, "handle_time", "dist"), "queues[0].handle_time.dist"),
        (("queues", 0, "arrivals", "profile", 2), "queues[0].arrivals.profile[2]"),
        (("agents", 1, "skills", "billing"), "agents[1].skills.billing"),
    ],
)
def test_path_format(loc: tuple[str | int, ...], text: str) -> None:
    assert format_path(loc) == text


def test_did_you_mean() -> None:
    assert did_you_mean("handel_time", ["handle_time", "patience"]) == (
        " (did you mean 'handle_time'?)"
    )
    assert did_you_mean("colour", ["name", "seed"]) == ""
