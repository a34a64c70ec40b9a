"""Events of outbound dialing, fed to `Dialer.handle(event, now)` beside the Center's."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tidal.core.values import AgentId, ContactId


class DialResult(StrEnum):
    """How a dial stopped ringing; human and machine are the AMD's verdict."""

    HUMAN = "human"
    MACHINE = "machine"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class DialAnswered:
    """The telephony's report on a dial: a person, a machine, or why nobody answered."""

    call_id: ContactId
    result: DialResult


@dataclass(frozen=True, slots=True)
class PreviewDial:
    """The agent reading a preview lead dials it now (the gate is asked again first)."""

    call_id: ContactId
    agent_id: AgentId


@dataclass(frozen=True, slots=True)
class PreviewSkipped:
    """The agent passes on a preview lead, with a reason; it is not an attempt."""

    call_id: ContactId
    agent_id: AgentId
    reason: str = "skipped"
