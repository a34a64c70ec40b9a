"""Reading a YAML configuration document: syntax errors and repeated keys with lines.

Scenario, call-flow and calling-rules files all start the same way: parse, insist
on a mapping at the top, report keys written twice. Validation differs after that.
"""

from __future__ import annotations

import yaml

from tidal.config._errors import ConfigError, ConfigIssue, format_path, show_value
from tidal.config._yaml_limits import YamlLimitError
from tidal.config._yaml_lines import YamlDocument, read_yaml


def yaml_issue(error: yaml.YAMLError, filename: str) -> ConfigIssue:
    """A YAML syntax error, at the line where the parser gave up (or a bound was passed)."""
    if isinstance(error, YamlLimitError):
        mark = error.problem_mark
        line = mark.line + 1 if mark else None
        return ConfigIssue(filename, line, format_path(error.loc), f"refused: {error.problem}")
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        parts = [part for part in (error.context, error.problem) if part]
        message = "invalid YAML: " + (", ".join(parts) if parts else "syntax error")
        return ConfigIssue(filename, mark.line + 1 if mark else None, "", message)
    return ConfigIssue(filename, None, "", f"invalid YAML: {error}")


def read_mapping(text: str, filename: str, expected: str) -> tuple[YamlDocument, list[ConfigIssue]]:
    """Parse a document whose top level must be a mapping (`expected` lists its keys).

    Raises ConfigError for a syntax error or another top level; returns the document
    and the issues found so far (keys written twice), for validation to add to.
    """
    try:
        document = read_yaml(text)
    except yaml.YAMLError as error:
        raise ConfigError([yaml_issue(error, filename)]) from None
    data = document.data
    if not isinstance(data, dict):
        if data is None:
            found = "an empty file"
        elif isinstance(data, list):
            found = "a list"
        else:
            found = f"the value {show_value(data)}"
        message = f"the top level must be a mapping ({expected}), not {found}"
        raise ConfigError([ConfigIssue(filename, document.line_of(()), "", message)])
    issues = [
        ConfigIssue(
            filename,
            duplicate.line,
            format_path(duplicate.loc),
            f"key written twice (first on line {duplicate.first_line})",
        )
        for duplicate in document.duplicate_keys
    ]
    return document, issues
