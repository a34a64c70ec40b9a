"""Commands of outbound dialing, returned by `Dialer.handle` beside the Center's."""

from __future__ import annotations

from dataclasses import dataclass

from tidal.core.values import AgentId, ContactId


@dataclass(frozen=True, slots=True)
class Dial:
    """Originate a call to a lead's number (the gate has allowed it)."""

    call_id: ContactId
    campaign: str
    lead_id: str
    number: str  # E.164
    caller_id: str
    ring_timeout: float  # report no_answer after this many seconds of ringing
    agent_id: AgentId | None = None  # preview: the agent already on the line


@dataclass(frozen=True, slots=True)
class PlayMessage:
    """Play a recorded message to the called party (safe harbour, voicemail)."""

    call_id: ContactId
    message: str
    kind: str  # "safe_harbour" or "voicemail"


@dataclass(frozen=True, slots=True)
class ReleaseCall:
    """Hang up a dial that reaches no agent (machine, no answer, busy, invalid)."""

    call_id: ContactId
    reason: str
