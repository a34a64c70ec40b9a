"""The lead lifecycle: an explicit state table, read top to bottom.

new -> in hopper -> dialing -> connected -> done, with the detours a real list takes:
a failed attempt sends the lead back to new with the time of its next attempt, a
callback disposition parks it in callback until it is due, and a gate refusal takes
it out of the hopper (done for a Do-Not-Call number, new again for a closed window).
A step not in the table raises `IllegalTransition`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from tidal.core.errors import IllegalTransition


class LeadState(StrEnum):
    """Where a lead is; the value is what the store and the API hold."""

    NEW = "new"
    IN_HOPPER = "in_hopper"
    DIALING = "dialing"
    CONNECTED = "connected"
    CALLBACK = "callback"
    DONE = "done"


class LeadAction(StrEnum):
    """What can happen to a lead."""

    LOAD = "load"  # taken into the hopper: due, next to dial
    DIAL = "dial"  # the gate allowed it and the call is placed
    REFUSE = "refuse"  # the gate refused it for now (window): back to new
    BLOCK = "block"  # the gate refused it for good (DNC): done
    CONNECT = "connect"  # a person answered and reached an agent
    RETRY = "retry"  # not reached (or dropped): another attempt later
    BOOK_CALLBACK = "book_callback"
    CALLBACK_DUE = "callback_due"
    CANCEL_CALLBACK = "cancel_callback"  # the agent or a supervisor called it off
    FINISH = "finish"  # a final disposition, or attempts exhausted
    RECYCLE = "recycle"  # an admin gives a worked lead fresh attempts


L = LeadState
A = LeadAction

LEAD_TRANSITIONS: Final[dict[tuple[LeadState, LeadAction], LeadState]] = {
    (L.NEW, A.LOAD): L.IN_HOPPER,
    (L.NEW, A.FINISH): L.DONE,  # recycled past its caps
    (L.NEW, A.BOOK_CALLBACK): L.CALLBACK,  # a customer asked for a call at a time
    (L.IN_HOPPER, A.DIAL): L.DIALING,
    (L.IN_HOPPER, A.REFUSE): L.NEW,
    (L.IN_HOPPER, A.BLOCK): L.DONE,
    (L.IN_HOPPER, A.FINISH): L.DONE,  # every number past its cap
    (L.DIALING, A.CONNECT): L.CONNECTED,
    (L.DIALING, A.RETRY): L.NEW,
    (L.DIALING, A.BOOK_CALLBACK): L.CALLBACK,
    (L.DIALING, A.FINISH): L.DONE,
    (L.CONNECTED, A.RETRY): L.NEW,
    (L.CONNECTED, A.BOOK_CALLBACK): L.CALLBACK,
    (L.CONNECTED, A.FINISH): L.DONE,
    (L.CALLBACK, A.CALLBACK_DUE): L.IN_HOPPER,
    (L.CALLBACK, A.FINISH): L.DONE,  # a DNC request on another channel
    # Called off: the promised call is not made, nor any other (a supervisor may recycle).
    (L.CALLBACK, A.CANCEL_CALLBACK): L.DONE,
    # An admin's recycle: leads nobody is dialling or talking to start over.
    (L.NEW, A.RECYCLE): L.NEW,
    (L.CALLBACK, A.RECYCLE): L.NEW,
    (L.DONE, A.RECYCLE): L.NEW,
}

# The states a recycle may take leads from: none of them has a call in progress.
RECYCLABLE: Final = frozenset(
    state for (state, action) in LEAD_TRANSITIONS if action is LeadAction.RECYCLE
)


@dataclass(slots=True)
class CampaignLead:
    """One lead of a campaign as the dialer works it: numbers, attempts, next dial."""

    lead_id: str
    numbers: tuple[str, ...]  # E.164, in the order to try them
    time_zone: str | None = None
    postal_code: str | None = None
    state: LeadState = LeadState.NEW
    attempts: int = 0
    next_at: float = 0.0  # earliest simulated/real second of the next attempt
    number_index: int = 0  # the number the next attempt uses
    callback_agent: str | None = None  # owner of a booked callback (None: the campaign)
    last_disposition: str | None = None
    # Attempts per number (lifetime) and per (number, day) and per day of the lead.
    number_attempts: dict[str, int] = field(default_factory=dict)
    number_day_attempts: dict[tuple[str, int], int] = field(default_factory=dict)
    day_attempts: dict[int, int] = field(default_factory=dict)
    dead_numbers: set[str] = field(default_factory=set)  # wrong numbers, DNC numbers

    def apply(self, action: LeadAction) -> LeadState:
        """Make one step of the table."""
        new = LEAD_TRANSITIONS.get((self.state, action))
        if new is None:
            raise IllegalTransition("lead", self.lead_id, self.state, action)
        self.state = new
        return new

    @property
    def number(self) -> str:
        """The number the next attempt dials."""
        return self.numbers[self.number_index]

    def count_attempt(self, number: str, day: int) -> None:
        """Book one dial of `number` on `day` (days counted from the campaign's start)."""
        self.attempts += 1
        self.number_attempts[number] = self.number_attempts.get(number, 0) + 1
        key = (number, day)
        self.number_day_attempts[key] = self.number_day_attempts.get(key, 0) + 1
        self.day_attempts[day] = self.day_attempts.get(day, 0) + 1

    def recycle(self, now: float) -> None:
        """Start over: lifetime attempts forgotten, due now. Today's counts (the daily
        caps) and numbers found dead (DNC, wrong) stay: a recycle never reopens them."""
        self.apply(LeadAction.RECYCLE)
        self.attempts = 0
        self.number_attempts.clear()
        self.number_index = 0
        self.next_at = now
        self.callback_agent = None
