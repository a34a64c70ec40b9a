"""Reading a scenario file, and turning every validation error into a located, plain issue."""

from __future__ import annotations

import os
import re
import types
from collections.abc import Mapping
from typing import Annotated, Any, TypeGuard, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from tidal.config._distributions import DIST_KINDS, _Dist
from tidal.config._documents import read_mapping
from tidal.config._errors import (
    ConfigError,
    ConfigIssue,
    Loc,
    closest,
    did_you_mean,
    format_path,
    read_config_text,
    show_value,
)
from tidal.config._scenario import Scenario
from tidal.config._world import NEEDED_TO_SIMULATE, simulation_gaps
from tidal.config._yaml_lines import YamlDocument

_DIST_CHOICES = ", ".join(DIST_KINDS)
_DIST_EXAMPLE = "{dist: exponential, mean: 180}"
_QUOTED = re.compile(r"'([^']*)'")
_PREFIXES = ("Value error, ", "Assertion failed, ")
_BOUNDS = {
    "greater_than": (">", "gt"),
    "greater_than_equal": (">=", "ge"),
    "less_than": ("<", "lt"),
    "less_than_equal": ("<=", "le"),
}


def load_scenario(
    path: str | os.PathLike[str], *, simulate: bool = False, simulate_queues: bool = True
) -> Scenario:
    """Read and validate a scenario file; a ConfigError lists every problem with file and line.

    With `simulate`, the simulated world's keys are required too (`tidal simulate`,
    simulated telephony): each missing one is an issue `file:line field: needed to
    simulate`. `simulate_queues=False` leaves the queues' world out of that.
    """
    text, filename = read_config_text(path)
    return parse_scenario(text, filename, simulate=simulate, simulate_queues=simulate_queues)


def parse_scenario(
    text: str,
    filename: str = "<scenario>",
    *,
    simulate: bool = False,
    simulate_queues: bool = True,
) -> Scenario:
    """Validate scenario YAML text; `filename` is only used to name the file in issues."""
    document, issues = read_mapping(text, filename, "name:, duration:, agents:, ...")
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(document.data)
    except ValidationError as error:
        details = _without_misspelled_missing(error.errors(), document.data)
        issues.extend(_issue(detail, document, filename) for detail in details)
    if scenario is not None and simulate:
        issues.extend(
            ConfigIssue(filename, document.line_of(gap), format_path(gap), NEEDED_TO_SIMULATE)
            for gap in simulation_gaps(scenario, queues=simulate_queues)
        )
    if issues or scenario is None:
        raise ConfigError(sorted(issues, key=lambda issue: issue.line or 0))
    return scenario


def _without_misspelled_missing(details: list[ErrorDetails], data: object) -> list[ErrorDetails]:
    """Drop "required field missing" where an unknown field beside it is its misspelling."""
    misspelled: set[Loc] = set()
    for detail in details:
        loc = _without_tags(tuple(detail["loc"]), data)
        if detail["type"] == "extra_forbidden" and loc:
            meant = closest(str(loc[-1]), _fields_at(loc[:-1], data))
            if meant is not None:
                misspelled.add((*loc[:-1], meant))
    return [
        detail
        for detail in details
        if detail["type"] != "missing"
        or _without_tags(tuple(detail["loc"]), data) not in misspelled
    ]


def _issue(detail: ErrorDetails, document: YamlDocument, filename: str) -> ConfigIssue:
    """One pydantic error as a user-facing issue: where it is, and what would be valid."""
    loc = _without_tags(tuple(detail["loc"]), document.data)
    loc, message = _translate(detail, loc, document.data)
    return ConfigIssue(filename, document.line_of(loc), format_path(loc), message)


def _translate(detail: ErrorDetails, loc: Loc, data: object) -> tuple[Loc, str]:
    """Plain wording for the cryptic pydantic messages; the location may move to the culprit."""
    kind = detail["type"]
    value = detail["input"]
    context: Mapping[str, Any] = detail.get("ctx") or {}
    shown = show_value(value)
    if kind == "union_tag_invalid":
        tag = show_value(context.get("tag", value))
        return (*loc, "dist"), f"{tag} is not one of {_DIST_CHOICES}"
    if kind == "union_tag_not_found":
        return (*loc, "dist"), f"required field missing (one of {_DIST_CHOICES})"
    if kind == "missing":
        return loc, "required field missing"
    if kind == "extra_forbidden" and loc:
        return loc, _unknown_field(loc, data)
    if kind == "literal_error":
        choices = _QUOTED.findall(str(context.get("expected", "")))
        if loc and loc[-1] == "[key]":
            loc, value = loc[:-1], loc[-2]
        hint = did_you_mean(value if isinstance(value, str) else str(value), choices)
        return loc, f"{show_value(value)} is not one of {', '.join(choices)}{hint}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        if _is_distribution(_type_at(loc, data)):
            return loc, f"expected a distribution like {_DIST_EXAMPLE}, got {shown}"
        return loc, f"expected a mapping of fields, got {shown}"
    if kind in _BOUNDS:
        symbol, key = _BOUNDS[kind]
        return loc, f"must be {symbol} {context.get(key)} (got {shown})"
    if kind in ("too_short", "string_too_short") and context.get("min_length") == 1:
        return loc, "must not be empty"
    if kind in ("list_type", "tuple_type"):
        return loc, f"expected a list, got {shown}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return loc, f"expected a whole number, got {shown}"
    if kind in ("float_type", "float_parsing"):
        return loc, f"expected a number, got {shown}"
    if kind == "string_type":
        return loc, f"expected text, got {shown}"
    if kind.startswith(("datetime_", "date_")):
        return loc, f"expected a date and time like 2026-11-23T08:00:00-05:00, got {shown}"
    message = detail["msg"]
    for prefix in _PREFIXES:
        message = message.removeprefix(prefix)
    return loc, message


def _unknown_field(loc: Loc, data: object) -> str:
    """`unknown field 'x'`, with the field probably meant or else the fields there are."""
    fields = _fields_at(loc[:-1], data)
    hint = did_you_mean(str(loc[-1]), fields)
    if not hint and fields:
        hint = f" (fields here: {', '.join(fields)})"
    return f"unknown field {show_value(loc[-1])}{hint}"


def _fields_at(loc: Loc, data: object) -> list[str]:
    """The field names of the model at a location (none if it is not a model)."""
    model = _type_at(loc, data)
    return list(model.model_fields) if _is_model(model) else []


def _child(data: object, part: str | int) -> object:
    if isinstance(data, dict):
        return data.get(part)
    if isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
        return data[part]
    return None


def _without_tags(loc: Loc, data: object) -> Loc:
    """Drop the `dist` tag pydantic puts in the location of a distribution's fields."""
    kept: list[str | int] = []
    current = data
    for part in loc:
        if (
            isinstance(current, dict)
            and part in DIST_KINDS
            and part not in current
            and current.get("dist") == part
        ):
            continue
        kept.append(part)
        current = _child(current, part)
    return tuple(kept)


def _is_model(annotation: object) -> TypeGuard[type[BaseModel]]:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _is_distribution(annotation: object) -> bool:
    members = _union_members(annotation)
    return bool(members) and all(_is_model(m) and issubclass(m, _Dist) for m in members)


def _union_members(annotation: object) -> tuple[object, ...]:
    if get_origin(annotation) in (Union, types.UnionType):
        return tuple(member for member in get_args(annotation) if member is not type(None))
    return ()


def _unwrap(annotation: object, data: object) -> object:
    """The concrete type behind Annotated and Optional, choosing a distribution by its tag."""
    while True:
        if get_origin(annotation) is Annotated:
            annotation = get_args(annotation)[0]
            continue
        members = _union_members(annotation)
        if len(members) == 1:
            annotation = members[0]
            continue
        if members and _is_distribution(annotation) and isinstance(data, dict):
            tag = data.get("dist")
            for member in members:
                if _is_model(member) and member.model_fields["dist"].default == tag:
                    return member
        return annotation


def _type_at(loc: Loc, data: object) -> Any:
    """The declared type at a location of the scenario, or None where it is not a field."""
    annotation: object = Scenario
    current = data
    for part in loc:
        annotation = _unwrap(annotation, current)
        origin = get_origin(annotation)
        if _is_model(annotation) and isinstance(part, str):
            field = annotation.model_fields.get(part)
            if field is None:
                return None
            annotation = field.annotation
        elif origin is list and isinstance(part, int):
            annotation = get_args(annotation)[0]
        elif origin is dict:
            annotation = get_args(annotation)[1]
        else:
            return None
        current = _child(current, part)
    return _unwrap(annotation, current)
