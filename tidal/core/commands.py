"""Commands: what the core asks its runtime to do. Runtimes execute them in order."""

from __future__ import annotations

from dataclasses import dataclass

from tidal.core.records import AgentSessionRecord, InteractionRecord
from tidal.core.values import AgentId, ContactId


@dataclass(frozen=True, slots=True)
class OfferToAgent:
    """Ring the agent's desktop/phone with this contact; they accept or decline."""

    contact_id: ContactId
    agent_id: AgentId
    queue: str


@dataclass(frozen=True, slots=True)
class WithdrawOffer:
    """Stop ringing the agent: the offer ended untaken (`ring_no_answer`, `declined`,
    `abandoned`); a phone still ringing is cancelled."""

    contact_id: ContactId
    agent_id: AgentId
    reason: str


@dataclass(frozen=True, slots=True)
class Connect:
    """Bridge the contact's media with the agent's."""

    contact_id: ContactId
    agent_id: AgentId


@dataclass(frozen=True, slots=True)
class Originate:
    """Call the customer back with the reserved agent on the line."""

    contact_id: ContactId
    number: str
    agent_id: AgentId


@dataclass(frozen=True, slots=True)
class Play:
    """Play a prompt (or hold music) to the contact."""

    contact_id: ContactId
    prompt: str


@dataclass(frozen=True, slots=True)
class Announce:
    """Tell a queued caller their position and estimated wait (EWT) in seconds."""

    contact_id: ContactId
    position: int
    estimated_wait: float


@dataclass(frozen=True, slots=True)
class SendToVoicemail:
    """Connect the caller to a voicemail box."""

    contact_id: ContactId
    box: str


@dataclass(frozen=True, slots=True)
class HangUp:
    """Release the contact's call leg."""

    contact_id: ContactId
    reason: str


@dataclass(frozen=True, slots=True)
class StartTimer:
    """Fire `TimerFired(timer_id)` after `delay` seconds unless cancelled."""

    timer_id: str
    delay: float


@dataclass(frozen=True, slots=True)
class CancelTimer:
    """Forget a timer started earlier; firing it late is harmless but wasteful."""

    timer_id: str


@dataclass(frozen=True, slots=True)
class RecordInteraction:
    """Persist a finished interaction record (the source of every KPI)."""

    record: InteractionRecord


@dataclass(frozen=True, slots=True)
class RecordAgentSession:
    """Persist an agent's finished login session with its time per state."""

    record: AgentSessionRecord


Command = (
    OfferToAgent
    | WithdrawOffer
    | Connect
    | Originate
    | Play
    | Announce
    | SendToVoicemail
    | HangUp
    | StartTimer
    | CancelTimer
    | RecordInteraction
    | RecordAgentSession
)
