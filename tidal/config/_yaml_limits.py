"""Bounds on a YAML document, so that no file or upload can stall or crash its reader.

A YAML alias reuses a node, so 500 bytes can stand for a billion values ("billion
laughs"): PyYAML shares the node, but whatever walks the data afterwards (validation,
error messages) expands it. Composition is also recursive, so a document nested a
thousand levels deep raises RecursionError. The loader here counts, while it composes,
how many values the document stands for once every alias is expanded and how deep it
nests (aliases included), and stops at the first node beyond a bound, naming its line
and path. Each count is computed once per node, so the check is linear in the text.
"""

from __future__ import annotations

from typing import Any, Final, NoReturn

import yaml

from tidal.config._errors import Loc

MAX_YAML_CHARS: Final = 4 * 1024 * 1024
"""The longest configuration document read (the largest shipped one is 10 kB)."""
MAX_YAML_NODES: Final = 200_000
"""Values (scalars, lists, mappings) a document may stand for with its aliases expanded."""
MAX_YAML_DEPTH: Final = 64
"""How deep lists and mappings may nest, aliases included."""

_INT_TAG = "tag:yaml.org,2002:int"


class YamlLimitError(yaml.MarkedYAMLError):
    """A document beyond one of the bounds; `loc` is the path of the node that went over."""

    def __init__(self, problem: str, mark: Any, loc: Loc) -> None:
        super().__init__(problem=problem, problem_mark=mark)
        self.loc = loc


def check_length(text: str) -> None:
    """Refuse a document longer than MAX_YAML_CHARS before any parsing."""
    if len(text) > MAX_YAML_CHARS:
        raise YamlLimitError(
            f"the document is {len(text):,} characters long; at most {MAX_YAML_CHARS:,} are read",
            None,
            (),
        )


def path_key(node: yaml.Node) -> str | int:
    """The path element a key node stands for, as the constructed data will hold it."""
    if isinstance(node, yaml.ScalarNode):
        text = str(node.value)
        if node.tag == _INT_TAG:
            try:
                return int(text.replace("_", ""), 0)
            except ValueError:
                return text
        return text
    return repr(node.value)


class BoundedLoader(yaml.SafeLoader):
    """SafeLoader that refuses documents too large once expanded, or nested too deep."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._loc: list[str | int] = []
        self._sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (values, depth) expanded

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        """Compose one node, keeping its path; refuse it when it goes over a bound."""
        if parent is not None:  # index: the key node in a mapping, None for the key itself
            self._loc.append(path_key(index) if isinstance(index, yaml.Node) else index or 0)
        try:
            if len(self._loc) >= MAX_YAML_DEPTH and not self.check_event(
                yaml.ScalarEvent, yaml.AliasEvent
            ):
                event = self.peek_event()  # type: ignore[no-untyped-call]
                self._refuse(f"nested deeper than {MAX_YAML_DEPTH} levels", event)
            alias = self.check_event(yaml.AliasEvent)
            composed = super().compose_node(parent, index)
            assert composed is not None  # only an empty stream composes to None
            node: yaml.Node = composed
            if alias and id(node) not in self._sizes:
                self._refuse("an alias inside the node it names (a loop)", node)
            self._measure(node)
            return node
        finally:
            if parent is not None:
                self._loc.pop()

    def _measure(self, node: yaml.Node) -> None:
        """Record the node's expanded size and depth from its children's (known already)."""
        if id(node) in self._sizes:  # an alias: the node it names was measured
            values, depth = self._sizes[id(node)]
        else:
            children: list[yaml.Node] = []
            if isinstance(node, yaml.SequenceNode):
                children = list(node.value)
            elif isinstance(node, yaml.MappingNode):
                children = [part for pair in node.value for part in pair]
            measured = [self._sizes.get(id(child), (1, 0)) for child in children]
            values = 1 + sum(size for size, _ in measured)
            depth = 1 + max((d for _, d in measured), default=0) if children else 0
            self._sizes[id(node)] = (values, depth)
        if values > MAX_YAML_NODES:
            self._refuse(
                f"stands for {values:,} values once its aliases are expanded; "
                f"at most {MAX_YAML_NODES:,} are read",
                node,
            )
        if len(self._loc) + depth > MAX_YAML_DEPTH:
            self._refuse(f"nested deeper than {MAX_YAML_DEPTH} levels (aliases included)", node)

    def _refuse(self, problem: str, where: yaml.Node | yaml.Event) -> NoReturn:
        raise YamlLimitError(problem, where.start_mark, tuple(self._loc))
