"""Events of outbound dialing, fed to `Dialer.handle(event, now)` beside the Center's."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tidal.core.values import AgentId, ContactId


class CampaignState(StrEnum):
    """Whether a campaign dials: a supervisor's switch, not the gate's.

    Paused is a short halt (a team meeting, a script fix): it resumes where it was.
    Stopped is off until someone starts it again (the list worked, the day over). Both
    place no new call from the next pacing step on and take back the leads on agents'
    preview cards; calls already ringing or connected finish as they would.
    """

    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class CampaignStateSet:
    """A supervisor started, paused or stopped a campaign."""

    campaign: str
    state: CampaignState


@dataclass(frozen=True, slots=True)
class LeadsRecycled:
    """An admin recycled leads: those of `lead_ids` still new, in callback or done start
    over (the request chose them by state and left out numbers on Do-Not-Call lists)."""

    campaign: str
    lead_ids: tuple[str, ...]


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
