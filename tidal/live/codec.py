"""Events to and from the event log: the class name as the kind, the fields as JSON.

Every core event is a flat frozen dataclass of JSON-friendly values (ids, names,
numbers, a skills mapping), so the generic encoding is exact and needs no schema.
The dialer's events (`DialAnswered` and `CampaignStateSet`, each with a string enum,
`LeadsRecycled` with a tuple)
and the live runtime's own (`LeadsLoaded`, an admin's `QueueConfigured`,
`CampaignConfigured`, `AgentChanged` and `PauseReasonsConfigured`) are encoded the same way.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Final

from tidal.core import events as core_events
from tidal.core.campaigns import (
    CampaignState,
    CampaignStateSet,
    DialAnswered,
    DialResult,
    LeadsRecycled,
    PreviewDial,
    PreviewSkipped,
)
from tidal.core.compliance import Decision, Reason
from tidal.core.events import Event
from tidal.live.changes import (
    AgentChanged,
    CampaignConfigured,
    PauseReasonsConfigured,
    QueueConfigured,
)
from tidal.live.outbound import LeadsLoaded

# What the live runtime feeds its core and logs.
LiveEvent = (
    Event
    | DialAnswered
    | PreviewDial
    | PreviewSkipped
    | CampaignStateSet
    | LeadsRecycled
    | LeadsLoaded
    | QueueConfigured
    | CampaignConfigured
    | AgentChanged
    | PauseReasonsConfigured
)

EVENT_TYPES: dict[str, type[Any]] = {
    kind.__name__: kind
    for kind in (
        *typing.get_args(core_events.Event),
        DialAnswered,
        PreviewDial,
        PreviewSkipped,
        CampaignStateSet,
        LeadsRecycled,
        LeadsLoaded,
        QueueConfigured,
        CampaignConfigured,
        AgentChanged,
        PauseReasonsConfigured,
    )
}


# The payload key under which the gate's answers to an event are logged beside it.
GATE_KEY: Final = "_gate"


class UnknownEventKind(ValueError):
    """The log holds an event kind this version does not know (a newer writer?)."""


def encode(event: LiveEvent) -> tuple[str, dict[str, Any]]:
    """The (kind, payload) pair the event log stores."""
    payload = dataclasses.asdict(event)
    if isinstance(event, DialAnswered):
        payload["result"] = str(event.result)
    elif isinstance(event, CampaignStateSet):
        payload["state"] = str(event.state)
    return type(event).__name__, payload


def decode(kind: str, payload: dict[str, Any]) -> LiveEvent:
    """The event of a logged (kind, payload) pair."""
    try:
        event_type = EVENT_TYPES[kind]
    except KeyError:
        raise UnknownEventKind(f"unknown event kind {kind!r} in the event log") from None
    fields = {key: value for key, value in payload.items() if not key.startswith("_")}
    if event_type is DialAnswered:
        return DialAnswered(int(fields["call_id"]), DialResult(fields["result"]))
    if event_type is CampaignStateSet:
        return CampaignStateSet(str(fields["campaign"]), CampaignState(fields["state"]))
    if event_type is LeadsRecycled:  # JSON holds the tuple as a list
        return LeadsRecycled(str(fields["campaign"]), tuple(map(str, fields["lead_ids"])))
    if event_type is PauseReasonsConfigured:
        return PauseReasonsConfigured(tuple(fields["reasons"]))
    event: LiveEvent = event_type(**fields)
    return event


def encode_decisions(decisions: Iterable[Decision]) -> list[dict[str, Any]]:
    """The gate's answers as JSON, to log with the event that asked."""
    return [
        {
            "allowed": d.allowed,
            "number": d.number,
            "reasons": [str(r) for r in d.reasons],
            "grounds": list(d.grounds),
            "next_allowed": None if d.next_allowed is None else d.next_allowed.isoformat(),
        }
        for d in decisions
    ]


def decode_decisions(logged: Iterable[dict[str, Any]]) -> list[Decision]:
    """The gate's logged answers, for replay to hand back."""
    return [
        Decision(
            bool(d["allowed"]),
            None if d["number"] is None else int(d["number"]),
            tuple(Reason(r) for r in d["reasons"]),
            tuple(d["grounds"]),
            None if d["next_allowed"] is None else datetime.fromisoformat(d["next_allowed"]),
        )
        for d in logged
    ]
