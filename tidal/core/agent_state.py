"""The agent state machine: an explicit transition table, read top to bottom.

A step that is not in the table raises `IllegalTransition`; nothing is ignored.
Requests that cannot apply while an agent is busy (not ready, log out) are kept
as *pending* by the `Center` and applied when wrap-up ends.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Final

from tidal.core.errors import IllegalTransition
from tidal.core.values import AgentId, ContactId


class AgentState(StrEnum):
    """Where an agent is; the value is what JSON, YAML and the store hold."""

    LOGGED_OUT = "logged_out"
    READY = "ready"
    RESERVED = "reserved"
    TALKING = "talking"
    WRAP_UP = "wrap_up"
    NOT_READY = "not_ready"


class AgentAction(StrEnum):
    """What can happen to an agent."""

    LOG_IN = "log_in"
    LOG_OUT = "log_out"
    GO_READY = "go_ready"
    GO_NOT_READY = "go_not_ready"
    RESERVE = "reserve"
    ACCEPT = "accept"
    DECLINE = "decline"
    MISS = "miss"
    CANCEL_OFFER = "cancel_offer"
    END_CALL = "end_call"
    FINISH_WRAP_UP = "finish_wrap_up"


S = AgentState
A = AgentAction

TRANSITIONS: Final[dict[tuple[AgentState, AgentAction], AgentState]] = {
    (S.LOGGED_OUT, A.LOG_IN): S.NOT_READY,
    (S.NOT_READY, A.GO_READY): S.READY,
    (S.NOT_READY, A.GO_NOT_READY): S.NOT_READY,  # a new reason code
    (S.NOT_READY, A.LOG_OUT): S.LOGGED_OUT,
    (S.READY, A.GO_READY): S.READY,  # idempotent: keeps the place in the idle line
    (S.READY, A.GO_NOT_READY): S.NOT_READY,
    (S.READY, A.LOG_OUT): S.LOGGED_OUT,
    (S.READY, A.RESERVE): S.RESERVED,
    (S.RESERVED, A.ACCEPT): S.TALKING,
    (S.RESERVED, A.MISS): S.READY,  # ring-no-answer or decline: back of the idle line
    (S.RESERVED, A.DECLINE): S.NOT_READY,  # too many misses in a row: taken off the phones
    (S.RESERVED, A.CANCEL_OFFER): S.READY,  # the caller hung up while it rang
    (S.TALKING, A.END_CALL): S.WRAP_UP,
    (S.WRAP_UP, A.FINISH_WRAP_UP): S.READY,
}

BUSY_STATES: Final = frozenset({AgentState.RESERVED, AgentState.TALKING, AgentState.WRAP_UP})
STAFFED_STATES: Final = BUSY_STATES | {AgentState.READY}  # on the phones
# Time constant of the least-occupied measure: about the last 15 minutes count.
OCCUPANCY_WINDOW: Final = 900.0

# Seconds accumulate per state; this orders them in `Agent.seconds`.
STATE_INDEX: Final[dict[AgentState, int]] = {state: i for i, state in enumerate(AgentState)}


# The table with what each step needs precomputed: (new state, index of the old and of
# the new state, whether busy-ness changes). `apply` runs on every event: one lookup.
_STEPS: Final[dict[tuple[AgentState, AgentAction], tuple[AgentState, int, int, bool, int]]] = {
    (old, action): (
        new,
        STATE_INDEX[old],
        STATE_INDEX[new],
        (old in BUSY_STATES) is not (new in BUSY_STATES),
        (new in STAFFED_STATES) - (old in STAFFED_STATES),
    )
    for (old, action), new in TRANSITIONS.items()
}


class Agent:
    """One logged-in (or once logged-in) agent and the time it spent in each state."""

    __slots__ = (
        "agent_id",
        "busy_level",
        "busy_level_at",
        "census",
        "contact_id",
        "contacts_handled",
        "group",
        "lanes",
        "logged_in_at",
        "misses",
        "pending_log_out",
        "pending_not_ready",
        "rank",
        "reason",
        "seconds",
        "since",
        "skills",
        "staffing",
        "state",
        "tracks_occupancy",
    )

    def __init__(
        self,
        agent_id: AgentId,
        group: str,
        skills: dict[str, int],
        now: float,
        census: list[int] | None = None,
    ) -> None:
        self.agent_id = agent_id
        # Agents per state (indexed by STATE_INDEX), shared by a Center's agents.
        self.census = census if census is not None else [0] * len(STATE_INDEX)
        # One counter per queue this agent serves: agents on the phones for it (not on a
        # break, not logged out). It only moves when the agent goes on or off the phones.
        self.staffing: tuple[list[int], ...] = ()
        self.group = group
        self.skills = skills
        self.state = AgentState.LOGGED_OUT
        self.since = now
        self.logged_in_at = now
        self.reason: str | None = None
        self.contact_id: ContactId | None = None
        self.pending_not_ready: str | None = None
        self.pending_log_out = False
        self.contacts_handled = 0
        self.misses = 0  # offers not taken in a row
        self.seconds = [0.0] * len(STATE_INDEX)
        # Exponentially weighted busy share, for least-occupied routing (see occupancy_at).
        self.busy_level = 0.0
        self.busy_level_at = now
        # Stable position among the center's agents (login order), for round robin.
        self.rank = 0
        # Whether any queue routes by least occupancy (the measure costs an exp per step).
        self.tracks_occupancy = True
        # (queue, first expansion lane admitting this agent), best queue priority first;
        # set by the Center at login.
        self.lanes: tuple[tuple[str, int], ...] = ()

    def apply(self, action: AgentAction, now: float) -> AgentState:
        """Make one step of the table, booking the time spent in the state it leaves."""
        step = _STEPS.get((self.state, action))
        if step is None:
            raise IllegalTransition("agent", self.agent_id, self.state, action)
        new, old_index, new_index, busy_changes, staffing_delta = step
        self.seconds[old_index] += now - self.since
        if busy_changes and self.tracks_occupancy:
            self.busy_level = self.occupancy_at(now)  # settle the level before the switch
            self.busy_level_at = now
        census = self.census
        census[old_index] -= 1
        census[new_index] += 1
        if staffing_delta:
            for counter in self.staffing:
                counter[0] += staffing_delta
        self.state = new
        self.since = now
        return new

    def occupancy_at(self, now: float) -> float:
        """Busy share over the recent past: exponentially weighted over OCCUPANCY_WINDOW.

        Busy means reserved, talking or in wrap-up. The level relaxes towards 1 while
        busy and towards 0 otherwise, so what happened a window ago weighs 1/e.
        """
        decay = math.exp(-(now - self.busy_level_at) / OCCUPANCY_WINDOW)
        target = 1.0 if self.state in BUSY_STATES else 0.0
        return target + (self.busy_level - target) * decay

    def seconds_in(self, state: AgentState, now: float) -> float:
        """Total time in `state`, including the current stretch."""
        total = self.seconds[STATE_INDEX[state]]
        if self.state is state:
            total += now - self.since
        return total
