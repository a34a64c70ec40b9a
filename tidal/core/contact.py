"""A contact (one caller's call, chat, email or SMS) and its state table."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from tidal.core.errors import IllegalTransition
from tidal.core.values import AgentId, Channel, ContactId


class ContactState(StrEnum):
    """Where a contact is in its life inside the center."""

    QUEUED = "queued"
    OFFERED = "offered"
    CALLING_BACK = "calling_back"
    CONNECTED = "connected"
    WRAP_UP = "wrap_up"
    DONE = "done"
    ABANDONED = "abandoned"
    CALLBACK_FAILED = "callback_failed"


class ContactAction(StrEnum):
    """What can happen to a contact."""

    OFFER = "offer"
    DIAL_BACK = "dial_back"
    ACCEPT = "accept"
    REQUEUE = "requeue"
    ABANDON = "abandon"
    END_CALL = "end_call"
    FINISH = "finish"
    GIVE_UP = "give_up"


C = ContactState
X = ContactAction

CONTACT_TRANSITIONS: Final[dict[tuple[ContactState, ContactAction], ContactState]] = {
    (C.QUEUED, X.OFFER): C.OFFERED,
    (C.QUEUED, X.ABANDON): C.ABANDONED,
    (C.OFFERED, X.ACCEPT): C.CONNECTED,
    (C.OFFERED, X.REQUEUE): C.QUEUED,  # declined or not answered: back to the head
    (C.OFFERED, X.ABANDON): C.ABANDONED,
    (C.OFFERED, X.DIAL_BACK): C.CALLING_BACK,  # a callback: the agent took it, we dial
    (C.CALLING_BACK, X.ACCEPT): C.CONNECTED,
    (C.CALLING_BACK, X.REQUEUE): C.QUEUED,  # not answered: try again later
    (C.CALLING_BACK, X.GIVE_UP): C.CALLBACK_FAILED,
    (C.CONNECTED, X.END_CALL): C.WRAP_UP,
    (C.WRAP_UP, X.FINISH): C.DONE,
}


class Contact:
    """Mutable state of one contact while the center handles it."""

    __slots__ = (
        "agent_group",
        "agent_id",
        "answered_at",
        "arrived_at",
        "callback_attempts",
        "callback_number",
        "callback_requested_at",
        "caller",
        "channel",
        "contact_id",
        "data",
        "did",
        "disposition",
        "ended_at",
        "estimated_wait",
        "priority",
        "queue",
        "state",
        "step",
        "trunk",
    )

    def __init__(
        self,
        contact_id: ContactId,
        queue: str,
        caller: str,
        now: float,
        priority: int = 0,
        channel: Channel = Channel.VOICE,
    ) -> None:
        self.contact_id = contact_id
        self.queue = queue
        self.channel = channel  # the queue's: it decides which capacity the contact takes
        self.caller = caller
        self.priority = priority
        self.step = 0  # skill-expansion step reached while waiting
        self.estimated_wait: float | None = None  # announced when it joined the queue
        self.callback_number: str | None = None  # set: the caller is not on the line
        self.callback_requested_at: float | None = None
        self.callback_attempts = 0
        self.disposition: str | None = None  # the agent's, given at the end of wrap-up
        self.trunk: str | None = None  # a real call's trunk and dialled number
        self.did: str | None = None
        # What the caller told the IVR (account number, menu choices): the screen pop.
        self.data: Mapping[str, str] | None = None
        self.arrived_at = now
        self.state = ContactState.QUEUED
        self.agent_id: AgentId | None = None
        self.agent_group: str | None = None
        self.answered_at: float | None = None
        self.ended_at: float | None = None

    def apply(self, action: ContactAction) -> ContactState:
        """Make one step of the table or raise `IllegalTransition`."""
        new = CONTACT_TRANSITIONS.get((self.state, action))
        if new is None:
            raise IllegalTransition("contact", self.contact_id, self.state, action)
        self.state = new
        return new
