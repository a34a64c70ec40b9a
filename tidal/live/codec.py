"""Events to and from the event log: the class name as the kind, the fields as JSON.

Every core event is a flat frozen dataclass of JSON-friendly values (ids, names,
numbers, a skills mapping), so the generic encoding is exact and needs no schema.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

from tidal.core import events as core_events
from tidal.core.events import Event

EVENT_TYPES: dict[str, type[Any]] = {
    kind.__name__: kind for kind in typing.get_args(core_events.Event)
}


class UnknownEventKind(ValueError):
    """The log holds an event kind this version does not know (a newer writer?)."""


def encode(event: Event) -> tuple[str, dict[str, Any]]:
    """The (kind, payload) pair the event log stores."""
    return type(event).__name__, dataclasses.asdict(event)


def decode(kind: str, payload: dict[str, Any]) -> Event:
    """The event of a logged (kind, payload) pair."""
    try:
        event_type = EVENT_TYPES[kind]
    except KeyError:
        raise UnknownEventKind(f"unknown event kind {kind!r} in the event log") from None
    event: Event = event_type(**payload)
    return event
