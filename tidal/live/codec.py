"""Events to and from the event log: the class name as the kind, the fields as JSON.

Every core event is a flat frozen dataclass of JSON-friendly values (ids, names,
numbers, a skills mapping), so the generic encoding is exact and needs no schema.
The dialer's events (`DialAnswered`, whose result is a string enum) and the live
runtime's own (`LeadsLoaded`) are encoded the same way.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

from tidal.core import events as core_events
from tidal.core.campaigns import DialAnswered, DialResult
from tidal.core.events import Event
from tidal.live.outbound import LeadsLoaded

# What the live runtime feeds its core and logs.
LiveEvent = Event | DialAnswered | LeadsLoaded

EVENT_TYPES: dict[str, type[Any]] = {
    kind.__name__: kind for kind in (*typing.get_args(core_events.Event), DialAnswered, LeadsLoaded)
}


class UnknownEventKind(ValueError):
    """The log holds an event kind this version does not know (a newer writer?)."""


def encode(event: LiveEvent) -> tuple[str, dict[str, Any]]:
    """The (kind, payload) pair the event log stores."""
    payload = dataclasses.asdict(event)
    if isinstance(event, DialAnswered):
        payload["result"] = str(event.result)
    return type(event).__name__, payload


def decode(kind: str, payload: dict[str, Any]) -> LiveEvent:
    """The event of a logged (kind, payload) pair."""
    try:
        event_type = EVENT_TYPES[kind]
    except KeyError:
        raise UnknownEventKind(f"unknown event kind {kind!r} in the event log") from None
    if event_type is DialAnswered:
        return DialAnswered(int(payload["call_id"]), DialResult(payload["result"]))
    event: LiveEvent = event_type(**payload)
    return event
