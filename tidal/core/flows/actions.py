"""What a call flow asks its runtime to do; the runtime reports back with flow events."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from tidal.core.commands import HangUp
from tidal.core.values import ContactId


class HangUpReason(StrEnum):
    """Why a flow released the call (the `reason` of its HangUp)."""

    COMPLETED = "completed"  # a hangup node
    CALLBACK_BOOKED = "callback_booked"  # a callback was accepted and nothing else follows
    FLOW_LOOP = "flow_loop"  # the step guard stopped a caller going round in circles


@dataclass(frozen=True, slots=True)
class PlayPrompt:
    """Play a prompt (id or TTS text) without barge-in; report `prompt_done` when it ends."""

    contact_id: ContactId
    prompt: str


@dataclass(frozen=True, slots=True)
class CollectDigits:
    """Play a prompt with barge-in and collect DTMF; report the digits, or a timeout."""

    contact_id: ContactId
    prompt: str
    min_digits: int
    max_digits: int
    timeout: float
    terminator: str | None


@dataclass(frozen=True, slots=True)
class SetData:
    """Attach a value to the contact (language, priority, account) for routing and agents."""

    contact_id: ContactId
    key: str
    value: str


@dataclass(frozen=True, slots=True)
class Enqueue:
    """Put the contact in an ACD queue: the flow is over (a repeat Enqueue keeps its place)."""

    contact_id: ContactId
    queue: str
    priority: int
    data: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class OfferCallback:
    """Offer a callback keeping the place in `queue`: accept_key accepts, other keys decline."""

    contact_id: ContactId
    queue: str
    prompt: str
    accept_key: str
    timeout: float


@dataclass(frozen=True, slots=True)
class ScheduleCallback:
    """Book a callback to `number` that keeps the contact's place in `queue`."""

    contact_id: ContactId
    queue: str
    number: str
    priority: int
    data: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Voicemail:
    """Record a message into `box`; report prompt_done after it unless the flow ended here."""

    contact_id: ContactId
    box: str
    prompt: str | None


@dataclass(frozen=True, slots=True)
class Transfer:
    """Send the call to an outside number; the flow is over."""

    contact_id: ContactId
    number: str


FlowAction = (
    PlayPrompt
    | CollectDigits
    | SetData
    | Enqueue
    | OfferCallback
    | ScheduleCallback
    | Voicemail
    | Transfer
    | HangUp
)
"""Everything a flow may ask for; HangUp is the core's own command."""
