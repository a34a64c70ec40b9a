"""YAML read once with its line numbers kept, so every error can point at a line."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from tidal.config._errors import Loc
from tidal.config._yaml_limits import BoundedLoader, check_length, path_key

_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass(frozen=True, slots=True)
class DuplicateKey:
    """A mapping key written twice; YAML would silently keep only the last one."""

    loc: Loc
    line: int
    first_line: int


@dataclass(slots=True)
class YamlDocument:
    """Plain data of a YAML document plus the 1-based line of every key and list item."""

    data: object
    lines: dict[Loc, int] = field(default_factory=dict)
    duplicate_keys: list[DuplicateKey] = field(default_factory=list)

    def line_of(self, loc: Loc) -> int | None:
        """The line of `loc`, or of its deepest prefix that appears in the file."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(loc[:end])
            if line is not None:
                return line
        return None


def read_yaml(text: str) -> YamlDocument:
    """Compose and construct one YAML document (safe tags only); raises yaml.YAMLError.

    The document's length, its size with aliases expanded and its depth are bounded
    (`_yaml_limits`): beyond them a YamlLimitError names the line and path.
    """
    check_length(text)
    loader = BoundedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(data=None)
        document = YamlDocument(data=None)
        document.lines[()] = node.start_mark.line + 1
        _walk(node, (), document, set())
        # Constructing after the walk: construction flattens `<<` merge keys in place.
        try:
            document.data = loader.construct_document(node)
        except ValueError as error:  # e.g. an impossible date such as 2026-02-30
            raise _construction_error(node, error) from None
        return document
    finally:
        loader.dispose()


def _construction_error(root: yaml.Node, error: ValueError) -> yaml.YAMLError:
    """A YAMLError with the line of the scalar that could not be built (PyYAML gives none)."""
    constructor = yaml.SafeLoader("")
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                constructor.construct_object(node)
            except ValueError:
                return yaml.constructor.ConstructorError(
                    None, None, f"{node.value!r} is not a valid value ({error})", node.start_mark
                )
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.extend((value, key))
    return yaml.YAMLError(str(error))


def _walk(node: yaml.Node, loc: Loc, document: YamlDocument, seen: set[int]) -> None:
    # An alias reuses a node: walk each node once (aliased paths fall back to the alias).
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        first_lines: dict[str | int, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            key = path_key(key_node)
            line = key_node.start_mark.line + 1
            if key in first_lines:
                document.duplicate_keys.append(DuplicateKey((*loc, key), line, first_lines[key]))
            else:
                first_lines[key] = line
            document.lines[(*loc, key)] = line
            _walk(value_node, (*loc, key), document, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            document.lines[(*loc, index)] = item.start_mark.line + 1
            _walk(item, (*loc, index), document, seen)
