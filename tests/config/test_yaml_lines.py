"""The YAML reader keeps the line of every key and list item for error messages."""

from __future__ import annotations

import pytest
import yaml

from tidal.config._yaml_limits import YamlLimitError
from tidal.config._yaml_lines import read_yaml

TEXT = """\
# a comment first
name: day
queues:
  - name: billing
    handle_time: {dist: exponential, mean: 180}
    arrivals:
      profile: [[0, 10],
                [30, 20]]
"""


def test_lines_of_keys_and_items() -> None:
    document = read_yaml(TEXT)
    assert document.lines[()] == 2
    assert document.lines[("name",)] == 2
    assert document.lines[("queues",)] == 3
    assert document.lines[("queues", 0)] == 4
    assert document.lines[("queues", 0, "handle_time", "dist")] == 5
    assert document.lines[("queues", 0, "arrivals", "profile", 1)] == 8
    assert document.lines[("queues", 0, "arrivals", "profile", 1, 0)] == 8


def test_data_is_constructed_safely() -> None:
    document = read_yaml(TEXT)
    assert document.data == {
        "name": "day",
        "queues": [
            {
                "name": "billing",
                "handle_time": {"dist": "exponential", "mean": 180},
                "arrivals": {"profile": [[0, 10], [30, 20]]},
            }
        ],
    }
    with pytest.raises(yaml.YAMLError):
        read_yaml("!!python/object:os.system {}\n")


def test_line_of_falls_back_to_the_deepest_known_prefix() -> None:
    document = read_yaml(TEXT)
    assert document.line_of(("queues", 0, "patience")) == 4
    assert document.line_of(("queues", 0, "handle_time", "cv")) == 5
    assert document.line_of(("seed",)) == 2


def test_duplicate_keys_are_found() -> None:
    document = read_yaml("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")
    found = [(d.loc, d.line, d.first_line) for d in document.duplicate_keys]
    assert found == [(("b", "c"), 4, 3), (("a",), 5, 1)]
    assert document.data == {"a": 3, "b": {"c": 2}}


def test_merge_keys_and_aliases() -> None:
    text = "base: &base {count: 3, skills: {x: 1}}\ngroup:\n  <<: *base\n  count: 4\n"
    document = read_yaml(text)
    assert document.duplicate_keys == []
    assert document.data == {
        "base": {"count": 3, "skills": {"x": 1}},
        "group": {"count": 4, "skills": {"x": 1}},
    }
    assert document.line_of(("group", "count")) == 4
    assert document.line_of(("group", "skills")) == 2


def test_recursive_alias_is_refused_not_looped() -> None:
    # A list that holds itself stands for an endless value once expanded.
    with pytest.raises(YamlLimitError, match="alias inside the node it names") as refused:
        read_yaml("a: &x [1, *x]\n")
    assert refused.value.loc == ("a", 1)


def test_integer_keys_match_the_data() -> None:
    document = read_yaml("m:\n  5: a\n")
    assert document.lines[("m", 5)] == 2


def test_empty_document() -> None:
    document = read_yaml("# nothing\n")
    assert document.data is None
    assert document.line_of(("name",)) is None
