"""The agent state machine: an explicit transition table, read top to bottom.

A step that is not in the table raises `IllegalTransition`; nothing is ignored.
Requests that cannot apply while an agent is busy (not ready, log out) are kept
as *pending* by the `Center` and applied when wrap-up ends.

Contacts move an agent through the same table one contact at a time: each contact
the agent holds has its own place in it (reserved, talking, wrap-up), so wrap-up,
ring-no-answer and decline apply per contact. An agent who may hold several
contacts at once (`Agent.multitask`, see `capacity`) is in the state of its most
engaged contact: talking if any is connected, else reserved if any rings, else
wrap-up; ready or not ready once it holds none. Time is booked to that one state,
so concurrent chats are never counted twice: `talk` is the time with at least one
contact connected, and talk + reserved + wrap-up is the time with at least one
contact (busy time).
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Final

from tidal.core.capacity import Capacity
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
# A multitasking agent is in the state of its most engaged contact: the highest here.
ENGAGEMENT: Final[dict[AgentState, int]] = {
    AgentState.WRAP_UP: 1,
    AgentState.RESERVED: 2,
    AgentState.TALKING: 3,
}
_READY = AgentState.READY
_RESERVE = AgentAction.RESERVE


# The table with what each step needs precomputed: (new state, index of the old and of
# the new state, whether busy-ness changes, change in staffing, whether a contact step
# lets its contact go). `apply` runs on every event: one lookup.
_STEPS: Final[
    dict[tuple[AgentState, AgentAction], tuple[AgentState, int, int, bool, int, bool]]
] = {
    (old, action): (
        new,
        STATE_INDEX[old],
        STATE_INDEX[new],
        (old in BUSY_STATES) is not (new in BUSY_STATES),
        (new in STAFFED_STATES) - (old in STAFFED_STATES),
        old in BUSY_STATES and new not in BUSY_STATES,
    )
    for (old, action), new in TRANSITIONS.items()
}


class Agent:
    """One logged-in (or once logged-in) agent and the time it spent in each state."""

    __slots__ = (
        "agent_id",
        "busy_level",
        "busy_level_at",
        "capacity",
        "census",
        "contacts_handled",
        "draining",
        "group",
        "lanes",
        "load",
        "logged_in_at",
        "misses",
        "multitask",
        "pending_log_out",
        "pending_not_ready",
        "pooled",
        "rank",
        "reason",
        "seconds",
        "since",
        "skills",
        "staffing",
        "state",
        "tracks_occupancy",
        "work",
    )

    def __init__(
        self,
        agent_id: AgentId,
        group: str,
        skills: dict[str, int],
        now: float,
        census: list[int] | None = None,
        capacity: Capacity | None = None,
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
        # The contacts the agent holds, in offer order, each at its own place in the table.
        self.work: dict[ContactId, AgentState] = {}
        # Contacts per channel the agent may hold at once; `multitask` when more than one
        # (a MultitaskAgent, chosen by the Center at login from the queues it serves).
        self.capacity = capacity if capacity is not None else Capacity()
        self.multitask = False
        # Multitasking agents only: contacts held per channel, and the load level at which
        # the router has the agent in each channel's ready pools.
        self.load: dict[str, int] = {}
        self.pooled: dict[str, int] = {}
        # A call waits for this multitasking agent: it takes nothing new until it holds none.
        self.draining = False
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
        new, old_index, new_index, busy_changes, staffing_delta, _ = step
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

    def contact_step(
        self, contact_id: ContactId, channel: str, action: AgentAction, now: float
    ) -> AgentState:
        """Move one of the agent's contacts through the table; returns where it went.

        `RESERVE` takes a new contact; the Center passes only contacts it linked to
        this agent. A contact that leaves the busy states (ready, or not ready after
        too many misses) is let go. One contact at a time, the agent's state is its
        contact's: this is `apply` written out, as every voice call makes four steps.
        """
        step = _STEPS.get((self.state, action))
        if step is None:
            raise IllegalTransition("agent", self.agent_id, self.state, action)
        new, old_index, new_index, busy_changes, staffing_delta, releases = step
        self.seconds[old_index] += now - self.since
        if busy_changes and self.tracks_occupancy:
            self.busy_level = self.occupancy_at(now)
            self.busy_level_at = now
        if releases:
            del self.work[contact_id]
        else:
            self.work[contact_id] = new
        census = self.census
        census[old_index] -= 1
        census[new_index] += 1
        if staffing_delta:
            for counter in self.staffing:
                counter[0] += staffing_delta
        self.state = new
        self.since = now
        return new

    def has_room(self, channel: str) -> bool:
        """Whether the agent's capacity allows one more contact of `channel` now."""
        if not self.multitask:
            return not self.work
        return self.capacity.has_room(channel, self.load, len(self.work))

    def offer_level(self, channel: str) -> int | None:
        """Contacts of `channel` held, if the agent may be offered one more; else None.

        A multitasking agent takes more contacts while it has room, asked for no
        break or log-out and is not draining for a call; its ready pools serve the
        least loaded first.
        """
        if (
            self.pending_log_out
            or self.draining
            or self.pending_not_ready is not None
            or not (self.state is _READY or self.state in BUSY_STATES)
            or not self.has_room(channel)
        ):
            return None
        return self.load.get(channel, 0)

    def _move(self, new: AgentState, now: float) -> None:
        """Go to `new` (a multitasking agent's contacts decided it), booking the time."""
        old = self.state
        old_index, new_index = STATE_INDEX[old], STATE_INDEX[new]
        self.seconds[old_index] += now - self.since
        if self.tracks_occupancy and (old in BUSY_STATES) is not (new in BUSY_STATES):
            self.busy_level = self.occupancy_at(now)
            self.busy_level_at = now
        census = self.census
        census[old_index] -= 1
        census[new_index] += 1
        staffing_delta = (new in STAFFED_STATES) - (old in STAFFED_STATES)
        if staffing_delta:
            for counter in self.staffing:
                counter[0] += staffing_delta
        self.state = new
        self.since = now

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


class MultitaskAgent(Agent):
    """An agent whose capacity lets it hold several contacts at once (e.g. three chats).

    Each contact has its own place in the table; the agent is in the state of its
    most engaged contact (see the module docstring) and holds at most its capacity.
    """

    __slots__ = ()

    def __init__(
        self,
        agent_id: AgentId,
        group: str,
        skills: dict[str, int],
        now: float,
        census: list[int] | None = None,
        capacity: Capacity | None = None,
    ) -> None:
        super().__init__(agent_id, group, skills, now, census, capacity)
        self.multitask = True

    def contact_step(
        self, contact_id: ContactId, channel: str, action: AgentAction, now: float
    ) -> AgentState:
        """Move one contact through the table; the agent follows its most engaged contact.

        `RESERVE` takes a new contact: the agent must be ready or busy and have room
        on the channel; every other action needs a contact the agent holds.
        """
        work = self.work
        old = work.get(contact_id)
        if old is None:
            if action is not _RESERVE:
                raise IllegalTransition("agent", self.agent_id, _READY, action)
            if (not work and self.state is not _READY) or not self.has_room(channel):
                raise IllegalTransition("agent", self.agent_id, self.state, action)
            old = _READY
        moved = TRANSITIONS.get((old, action))
        if moved is None:
            raise IllegalTransition("agent", self.agent_id, old, action)
        new = moved
        load = self.load
        if new in BUSY_STATES:
            work[contact_id] = new
            if old is _READY:
                load[channel] = load.get(channel, 0) + 1
        else:
            del work[contact_id]
            load[channel] -= 1
            if not work:
                self.draining = False
        target = max(work.values(), key=ENGAGEMENT.__getitem__) if work else new
        if target is not self.state:
            self._move(target, now)
        return new
