"""Events: what happened, fed by a runtime into `Center.handle(event, now)`.

Events carry no timestamp: time is the `now` argument, so the same event log can be
replayed in simulated or real time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tidal.core.values import AgentId, ContactId, SkillLevels


@dataclass(frozen=True, slots=True)
class ContactArrived:
    """A caller reached a queue (after any IVR) and waits for an agent."""

    contact_id: ContactId
    queue: str
    caller: str = ""
    priority: int = 0  # higher is served first within the queue (set by a call flow)
    callback_number: str | None = None  # arrives as a callback request (IVR, web form)
    data: Mapping[str, str] | None = None  # what the caller told the IVR, for the screen pop
    trunk: str | None = None  # a real call: the carrier's trunk and the number dialled
    did: str | None = None


@dataclass(frozen=True, slots=True)
class AgentLoggedIn:
    """An agent signed in with a skill profile; they start not ready."""

    agent_id: AgentId
    group: str
    skills: SkillLevels = field(default_factory=dict)
    # Contacts per channel held at once, e.g. {"voice": 1, "chat": 3}; unnamed channels 1.
    capacity: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AgentLoggedOut:
    """An agent signs out; applied after the current contact if they are busy."""

    agent_id: AgentId


@dataclass(frozen=True, slots=True)
class AgentReady:
    """An agent is available for contacts."""

    agent_id: AgentId


@dataclass(frozen=True, slots=True)
class AgentNotReady:
    """An agent takes a break with a reason code; deferred to after wrap-up if busy."""

    agent_id: AgentId
    reason: str = "break"


@dataclass(frozen=True, slots=True)
class OfferAccepted:
    """The agent answered the offered contact; talk starts."""

    contact_id: ContactId
    agent_id: AgentId


@dataclass(frozen=True, slots=True)
class OfferDeclined:
    """The agent refused the offer; the contact goes back to the head of its queue."""

    contact_id: ContactId
    agent_id: AgentId


@dataclass(frozen=True, slots=True)
class CallEnded:
    """The conversation ended (either side hung up); the agent enters wrap-up."""

    contact_id: ContactId


@dataclass(frozen=True, slots=True)
class WrapUpDone:
    """The agent finished after-call work, with their disposition of the contact."""

    agent_id: AgentId
    disposition: str | None = None  # e.g. "resolved", "unresolved", "escalated"
    contact_id: ContactId | None = None  # which one; may be left out with one in wrap-up
    # When the customer agreed to be called back, for a campaign call whose disposition
    # books a callback: the campaign's dialer books it for then (its one callback). The
    # Center alone refuses it: an inbound contact's callback is a `CallbackScheduled`.
    callback_at: float | None = None
    note: str | None = None  # the agent's note, kept with that callback


@dataclass(frozen=True, slots=True)
class CallerAbandoned:
    """The caller hung up before an agent answered."""

    contact_id: ContactId


@dataclass(frozen=True, slots=True)
class CallbackRequested:
    """A queued caller chose to be called back: they hang up and keep their place."""

    contact_id: ContactId
    number: str


@dataclass(frozen=True, slots=True)
class CallbackAnswered:
    """The customer answered the call back; the agent is connected."""

    contact_id: ContactId


@dataclass(frozen=True, slots=True)
class CallbackFailed:
    """The call back was not answered (no answer, busy, voicemail)."""

    contact_id: ContactId
    reason: str = "no_answer"


@dataclass(frozen=True, slots=True)
class CallbackScheduled:
    """Someone promised to call the customer back at `due` (on the core's clock).

    At `due` the callback enters `queue` as a contact with `callback_number`: an agent
    takes it and the customer is dialled, as for a caller who chose virtual hold.
    """

    contact_id: ContactId
    queue: str
    number: str
    due: float
    agent_id: AgentId | None = None  # who booked it: their "my callbacks" list shows it
    note: str | None = None


@dataclass(frozen=True, slots=True)
class CallbackRescheduled:
    """A pending callback moves to `due`: the Center's (by contact id) or a campaign's
    (by the id of the call that booked it).

    `agent_id` is the agent asking, who may move only the callbacks they booked; None
    is a supervisor's change, allowed on anyone's.
    """

    callback_id: ContactId
    due: float
    agent_id: AgentId | None = None


@dataclass(frozen=True, slots=True)
class CallbackCancelled:
    """A pending callback will not be made (its owner or a supervisor called it off)."""

    callback_id: ContactId
    agent_id: AgentId | None = None


@dataclass(frozen=True, slots=True)
class TimerFired:
    """A timer the core started with `StartTimer` ran out."""

    timer_id: str


Event = (
    ContactArrived
    | AgentLoggedIn
    | AgentLoggedOut
    | AgentReady
    | AgentNotReady
    | OfferAccepted
    | OfferDeclined
    | CallEnded
    | WrapUpDone
    | CallerAbandoned
    | CallbackRequested
    | CallbackAnswered
    | CallbackFailed
    | CallbackScheduled
    | CallbackRescheduled
    | CallbackCancelled
    | TimerFired
)
