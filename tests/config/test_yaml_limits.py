"""Bounds on YAML documents: alias bombs, deep nesting and huge texts are refused at once."""

from __future__ import annotations

import pytest

from tidal.config import ConfigError, parse_flow, parse_scenario
from tidal.config._yaml_limits import (
    MAX_YAML_CHARS,
    MAX_YAML_DEPTH,
    MAX_YAML_NODES,
    YamlLimitError,
)
from tidal.config._yaml_lines import read_yaml


def billion_laughs(levels: int = 9) -> str:
    """The classic alias bomb: each level names the previous one nine times."""
    lines = ['  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghijklmnop"
    for level in range(1, levels):
        here, before = names[level], names[level - 1]
        lines.append(f"  {here}: &{here} [" + ",".join([f"*{before}"] * 9) + "]")
    body = "\n".join(lines)
    return f"name: bomb\nstart: s\nlaughs:\n{body}\nnodes:\n  s: {{hangup: *{names[levels - 1]}}}\n"


def nested_flow(levels: int) -> str:
    """A flow whose first node nests `levels` mappings deep."""
    return "name: deep\nstart: a\nnodes:\n  a: " + "{x: " * levels + "1" + "}" * levels + "\n"


def test_billion_laughs_is_refused_with_line_and_path() -> None:
    bomb = billion_laughs()
    assert len(bomb.encode()) < 600
    with pytest.raises(ConfigError) as refused:
        parse_flow(bomb, "bomb.yaml")
    [issue] = refused.value.issues
    assert issue.file == "bomb.yaml"
    assert issue.path.startswith("laughs.")
    assert issue.line is not None and 4 <= issue.line <= 12
    assert "aliases are expanded" in issue.message
    assert f"{MAX_YAML_NODES:,}" in issue.message


def test_a_flow_nested_a_thousand_levels_names_the_field() -> None:
    with pytest.raises(ConfigError) as refused:
        parse_flow(nested_flow(1000), "deep.yaml")
    [issue] = refused.value.issues
    assert issue.line == 4
    assert issue.path.startswith("nodes.a.x.x")
    assert f"nested deeper than {MAX_YAML_DEPTH} levels" in issue.message


def test_deep_lists_too() -> None:
    with pytest.raises(YamlLimitError) as refused:
        read_yaml("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert refused.value.loc[:3] == ("a", 0, 0)


def test_aliases_cannot_build_depth_the_text_does_not_show() -> None:
    # Each line is shallow; the aliases stack them into one value nested 100 levels.
    lines = ["l0: &l0 [1]"] + [f"l{i}: &l{i} [*l{i - 1}]" for i in range(1, 100)]
    with pytest.raises(YamlLimitError, match="aliases included"):
        read_yaml("\n".join(lines) + "\n")


def test_a_document_longer_than_the_bound_is_not_parsed() -> None:
    with pytest.raises(ConfigError, match="characters long"):
        parse_scenario("#" * (MAX_YAML_CHARS + 1), "huge.yaml")


def test_documents_within_the_bounds_still_read() -> None:
    shallow = "a: " + "[" * (MAX_YAML_DEPTH - 2) + "1" + "]" * (MAX_YAML_DEPTH - 2) + "\n"
    assert read_yaml(shallow).data is not None
    reused = "base: &b {dist: constant, value: 30}\nx: *b\ny: *b\nz: {<<: *b, value: 5}\n"
    assert read_yaml(reused).data == {
        "base": {"dist": "constant", "value": 30},
        "x": {"dist": "constant", "value": 30},
        "y": {"dist": "constant", "value": 30},
        "z": {"dist": "constant", "value": 5},
    }
