"""Turning the runtime's views and the core's records into JSON-ready dicts."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from enum import Enum
from typing import Any

from tidal.core import InteractionRecord


def as_dict(view: Any) -> dict[str, Any]:
    """A view as a dict, whether the runtime gives a mapping, a dataclass or `as_json()`."""
    if isinstance(view, Mapping):
        return dict(view)
    as_json = getattr(view, "as_json", None)
    if callable(as_json):
        return dict(as_json())
    if dataclasses.is_dataclass(view) and not isinstance(view, type):
        return dataclasses.asdict(view)
    as_named = getattr(view, "_asdict", None)
    if callable(as_named):
        return dict(as_named())
    raise TypeError(f"cannot read a {type(view).__name__} as a view")


def field(view: Any, name: str) -> Any:
    """One field of a view, read by key or attribute; None when it has none."""
    if view is None:
        return None
    if isinstance(view, Mapping):
        return view.get(name)
    return getattr(view, name, None)


def record_json(record: InteractionRecord) -> dict[str, Any]:
    """An interaction record as JSON: the store's fields, enums as their values."""
    return {
        name: value.value if isinstance(value, Enum) else value
        for name, value in record._asdict().items()
    }
