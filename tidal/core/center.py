"""The Center: the whole contact-center brain as one pure state machine.

`Center.handle(event, now)` returns the commands a runtime must carry out. It reads
no clock, opens no socket and keeps no thread: the simulator and the live server
feed it the same events and differ only in where those events come from.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from tidal.core.agent_state import (
    STAFFED_STATES,
    STATE_INDEX,
    Agent,
    AgentAction,
    AgentState,
    MultitaskAgent,
)
from tidal.core.capacity import Capacity
from tidal.core.commands import (
    Announce,
    CancelTimer,
    Command,
    Connect,
    HangUp,
    OfferToAgent,
    Originate,
    Play,
    RecordAgentSession,
    RecordInteraction,
    SendToVoicemail,
    StartTimer,
    WithdrawOffer,
)
from tidal.core.contact import Contact, ContactAction, ContactState
from tidal.core.errors import (
    CallbackNotPending,
    DuplicateId,
    IllegalTransition,
    NotYourCallback,
    UnknownAgent,
    UnknownCallback,
    UnknownContact,
    UnknownQueue,
    UnsupportedChange,
)
from tidal.core.events import (
    AgentLoggedIn,
    AgentLoggedOut,
    AgentNotReady,
    AgentReady,
    CallbackAnswered,
    CallbackCancelled,
    CallbackFailed,
    CallbackRequested,
    CallbackRescheduled,
    CallbackScheduled,
    CallEnded,
    CallerAbandoned,
    ContactArrived,
    Event,
    OfferAccepted,
    OfferDeclined,
    TimerFired,
    WrapUpDone,
)
from tidal.core.pools import Strategy
from tidal.core.queue import ContactQueue, OverflowKind, QueueSpec
from tidal.core.records import AgentSessionRecord, InteractionRecord
from tidal.core.routing import PoolRouter, Router
from tidal.core.values import AgentId, ContactId, Direction, Outcome

_LOGGED_OUT = STATE_INDEX[AgentState.LOGGED_OUT]
# Weight of the newest handled contact in a queue's running handle-time estimate.
HANDLE_TIME_SMOOTHING = 0.02
_RING_TIMER = "ring:"
_STEP_TIMER = "expand:"
_MAX_WAIT_TIMER = "maxwait:"
_WRAP_TIMER = "wrap:"
_DUE_TIMER = "due:"
_BUSY = (AgentState.RESERVED, AgentState.TALKING, AgentState.WRAP_UP)

AGENT_STATES: tuple[AgentState, ...] = tuple(STATE_INDEX)


class Center:
    """Agents, queues and contacts of one contact center, driven by events."""

    def __init__(
        self,
        queues: Iterable[QueueSpec],
        *,
        router: Router | None = None,
        ring_timeout: float | None = None,
        max_misses: int = 3,
        callback_attempts: int = 3,
        rng: random.Random | None = None,
    ) -> None:
        self.queues: dict[str, ContactQueue] = {}
        for spec in queues:
            if spec.name in self.queues:
                raise DuplicateId(f"queue {spec.name!r} defined twice")
            self.queues[spec.name] = ContactQueue(spec)
        # Queue names by priority, best first, then by name for a stable order.
        self._queue_order = self._by_priority()
        specs = [queue.spec for queue in self.queues.values()]
        # Randomness (the random strategy) comes from a seeded generator, never the clock.
        self._rng = rng if rng is not None else random.Random(0)
        self._own_router = router is None
        self.router: Router = router if router is not None else PoolRouter(specs, rng=self._rng)
        self.ring_timeout = ring_timeout
        # Offers an agent may leave unanswered in a row before being set not ready.
        self.max_misses = max_misses
        # Calls back tried before a callback is given up as failed.
        self.callback_attempts = callback_attempts
        self.agents: dict[AgentId, Agent] = {}
        self.contacts: dict[ContactId, Contact] = {}
        self._logins = 0
        # Callbacks promised for later: contact id -> the event, until it is due.
        self.scheduled: dict[ContactId, CallbackScheduled] = {}
        self.callbacks_revision = 0  # changes whenever `scheduled` does (screens redraw)
        # Caller number -> (agent, when their last call ended), for sticky routing.
        self._last_agent: dict[str, tuple[AgentId, float]] = {}
        self._sticky = any(q.spec.sticky_seconds is not None for q in self.queues.values())
        self._tracks_occupancy = any(
            q.spec.strategy is Strategy.LEAST_OCCUPIED for q in self.queues.values()
        )
        # Agents per state among those who serve each queue (for staffing and EWT).
        self._queue_staffed = {name: [0] for name in self.queues}
        # Running mean handle time (talk + wrap-up) per queue, for EWT.
        self.handle_estimate = {
            name: queue.spec.expected_handle_time for name, queue in self.queues.items()
        }
        # Agents per state, kept as the table moves them: wallboards read it each second.
        self.state_counts = [0] * len(STATE_INDEX)
        self._handlers: dict[type[Any], Callable[[Any, float], list[Command]]] = {
            ContactArrived: self._contact_arrived,
            AgentLoggedIn: self._agent_logged_in,
            AgentLoggedOut: self._agent_logged_out,
            AgentReady: self._agent_ready,
            AgentNotReady: self._agent_not_ready,
            OfferAccepted: self._offer_accepted,
            OfferDeclined: self._offer_declined,
            CallEnded: self._call_ended,
            WrapUpDone: self._wrap_up_done,
            CallerAbandoned: self._caller_abandoned,
            CallbackRequested: self._callback_requested,
            CallbackAnswered: self._callback_answered,
            CallbackFailed: self._callback_failed,
            CallbackScheduled: self._callback_scheduled,
            CallbackRescheduled: self._callback_rescheduled,
            CallbackCancelled: self._callback_cancelled,
            TimerFired: self._timer_fired,
        }

    # -- the one entry point -------------------------------------------------------------

    def handle(self, event: Event, now: float) -> list[Command]:
        """Apply one event at time `now` and return what the runtime must do, in order."""
        return self._handlers[type(event)](event, now)

    def handler(self, kind: type[Event]) -> Callable[[Any, float], list[Command]]:
        """The bound handler of one event type, for runtimes whose hot loop knows it.

        Calling it is exactly `handle` without the dispatch step.
        """
        return self._handlers[kind]

    # -- queries for runtimes and wallboards --------------------------------------------------

    def queue_length(self, queue: str) -> int:
        """Contacts waiting (not yet offered) in a queue."""
        return len(self.queues[queue])

    def staffed(self, queue: str) -> int:
        """Agents logged in, not on a break, who serve `queue` (at any expansion step)."""
        return self._queue_staffed[queue][0]

    def estimated_wait(self, queue: str, ahead: int) -> float:
        """Expected wait of a caller with `ahead` contacts to be served before it.

        All staffed agents busy, each frees up at the queue's handle-time rate: the
        caller is served at the (ahead + 1)-th departure, on average after
        (ahead + 1) * handle time / staffed agents. Exact for Erlang C's M/M/n; it
        ignores abandonment ahead and agents shared with other queues.
        """
        return (ahead + 1) * self.handle_estimate[queue] / max(1, self.staffed(queue))

    def agents_in(self, state: AgentState) -> int:
        """How many agents are in a state right now."""
        return self.state_counts[STATE_INDEX[state]]

    def open_interactions(self, now: float) -> list[InteractionRecord]:
        """Records of contacts still in the center (for a run that stops mid-day)."""
        return [self._record(c, Outcome.IN_PROGRESS, None) for c in self.contacts.values()]

    def open_sessions(self, now: float) -> list[AgentSessionRecord]:
        """Session records of agents still logged in, as if they logged out at `now`."""
        return [self._session(agent, now) for agent in self.agents.values()]

    # -- changes while running (an admin's edits, logged by the runtime) -------------------

    def _by_priority(self) -> list[str]:
        return sorted(self.queues, key=lambda n: (-self.queues[n].spec.priority, n))

    def configure_queue(self, spec: QueueSpec, now: float) -> list[Command]:
        """Add a queue, or replace a queue's definition, while the center runs.

        Contacts waiting keep their place (by priority, then arrival) and those past the
        new definition's last expansion step stay at its widest lane. Every agent's
        queues are worked out again from its skills, and the ready pools are rebuilt:
        a strategy's rotation (round robin, least recent) starts afresh. Agents who may
        now take the queue's waiting contacts are offered them at once.
        """
        if not self._own_router:
            raise UnsupportedChange("queues cannot change under a router given from outside")
        name = spec.name
        old = self.queues.get(name)
        queue = ContactQueue(spec)
        last_lane = spec.lane_count - 1
        for contact in self.contacts.values():
            if contact.queue == name:
                contact.step = min(contact.step, last_lane)
        if old is not None:
            waiting = sorted(old, key=lambda c: (-c.priority, c.arrived_at, c.contact_id))
            for contact in waiting:
                queue.push(contact)
        self.queues[name] = queue
        self._queue_order = self._by_priority()
        self._queue_staffed.setdefault(name, [0])
        self.handle_estimate.setdefault(name, spec.expected_handle_time)
        self._sticky = any(q.spec.sticky_seconds is not None for q in self.queues.values())
        self._tracks_occupancy = any(
            q.spec.strategy is Strategy.LEAST_OCCUPIED for q in self.queues.values()
        )
        self._relane_everyone()
        commands: list[Command] = []
        for contact in sorted(queue, key=lambda c: (-c.priority, c.arrived_at, c.contact_id)):
            agent = self.router.pick_agent(queue, contact.step)
            if agent is None:
                continue
            queue.remove(contact)
            commands += self._offer(contact, agent, now, indexed=True)
        return commands

    def change_agent(
        self, agent_id: AgentId, group: str, skills: dict[str, int], now: float
    ) -> list[Command]:
        """A logged-in agent's group or skills changed: it serves its new queues at once.

        Its current contacts stay with it; a ready agent takes the best contact waiting
        in its new queues. (An agent's multitasking kind is fixed at login.)
        """
        agent = self._agent(agent_id)
        agent.group = group
        agent.skills = dict(skills)
        self._relane_everyone()
        if agent.state is AgentState.READY or (agent.multitask and agent.pooled):
            self.router.agent_left_ready(agent)
            return self._serve_next(agent, now)
        return []

    def _relane_everyone(self) -> None:
        """Work out every agent's queues again and rebuild the ready pools from them."""
        pooled = [
            agent
            for agent in sorted(self.agents.values(), key=lambda a: a.rank)
            if (agent.pooled if agent.multitask else agent.state is AgentState.READY)
        ]
        for counter in self._queue_staffed.values():
            counter[0] = 0
        for agent in self.agents.values():
            agent.lanes = self._lanes_of(agent.group, agent.skills, agent.capacity)
            agent.staffing = tuple(self._queue_staffed[name] for name, _ in agent.lanes)
            agent.tracks_occupancy = self._tracks_occupancy
            agent.pooled = {}
            if agent.state in STAFFED_STATES:
                for counter in agent.staffing:
                    counter[0] += 1
        self.router = PoolRouter([q.spec for q in self.queues.values()], rng=self._rng)
        for agent in pooled:
            self.router.agent_became_ready(agent)

    # -- agents ---------------------------------------------------------------------------

    def _agent(self, agent_id: AgentId) -> Agent:
        agent = self.agents.get(agent_id)
        if agent is None:
            raise UnknownAgent(f"agent {agent_id!r} is not logged in")
        return agent

    def _lanes_of(
        self, group: str, skills: dict[str, int], capacity: Capacity
    ) -> tuple[tuple[str, int], ...]:
        """(queue, first lane admitting the agent) of every queue it serves, best first."""
        lanes = []
        for name in self._queue_order:
            spec = self.queues[name].spec
            entry = spec.entry_lane(group, skills)
            if entry is not None and capacity.limit(spec.channel):
                lanes.append((name, entry))
        return tuple(lanes)

    def _agent_logged_in(self, event: AgentLoggedIn, now: float) -> list[Command]:
        if event.agent_id in self.agents:
            raise DuplicateId(f"agent {event.agent_id!r} is already logged in")
        capacity = Capacity(event.capacity)
        skills = dict(event.skills)
        lanes = self._lanes_of(event.group, skills, capacity)
        channels = [self.queues[name].spec.channel for name, _ in lanes]
        kind = MultitaskAgent if capacity.concurrent(channels) > 1 else Agent
        agent = kind(event.agent_id, event.group, skills, now, capacity=capacity)
        self._logins += 1
        agent.rank = self._logins
        agent.lanes = lanes
        agent.tracks_occupancy = self._tracks_occupancy
        agent.census = self.state_counts
        agent.staffing = tuple(self._queue_staffed[name] for name, _ in lanes)
        self.state_counts[_LOGGED_OUT] += 1
        self.agents[event.agent_id] = agent
        agent.apply(AgentAction.LOG_IN, now)
        agent.reason = "login"
        return []

    def _agent_logged_out(self, event: AgentLoggedOut, now: float) -> list[Command]:
        agent = self._agent(event.agent_id)
        if agent.state in _BUSY:  # after the last contact's wrap-up
            agent.pending_log_out = True
            if agent.multitask:
                self.router.agent_left_ready(agent)  # no new contacts meanwhile
            return []
        return self._log_out(agent, now)

    def _log_out(self, agent: Agent, now: float) -> list[Command]:
        if agent.state is AgentState.READY:
            self.router.agent_left_ready(agent)
        agent.apply(AgentAction.LOG_OUT, now)
        self.state_counts[_LOGGED_OUT] -= 1
        del self.agents[agent.agent_id]
        return [
            RecordAgentSession(self._session(agent, now)),
            *self._leave_if_unstaffed(agent, now),
        ]

    def _agent_ready(self, event: AgentReady, now: float) -> list[Command]:
        agent = self._agent(event.agent_id)
        if agent.state in _BUSY:
            agent.pending_not_ready = None  # cancels a deferred break
            if agent.multitask and not agent.pending_log_out:
                return self._serve_next(agent, now)  # room left: back in the pools
            return []
        if agent.state is AgentState.READY:
            return []
        agent.apply(AgentAction.GO_READY, now)
        agent.reason = None
        return self._serve_next(agent, now)

    def _agent_not_ready(self, event: AgentNotReady, now: float) -> list[Command]:
        agent = self._agent(event.agent_id)
        if agent.state in _BUSY:
            agent.pending_not_ready = event.reason
            if agent.multitask:
                self.router.agent_left_ready(agent)  # no new contacts meanwhile
            return []
        if agent.state is AgentState.READY:
            self.router.agent_left_ready(agent)
        agent.apply(AgentAction.GO_NOT_READY, now)
        agent.reason = event.reason
        return self._leave_if_unstaffed(agent, now)

    def _serve_next(self, agent: Agent, now: float) -> list[Command]:
        """A ready agent takes the best waiting contact, or joins the idle line."""
        if agent.multitask:
            return self._fill(agent, now)
        contact = self.router.pick_contact(agent, self.queues)
        if contact is None:
            self.router.agent_became_ready(agent)
            return []
        self.queues[contact.queue].remove(contact)
        return self._offer(contact, agent, now, indexed=False)

    def _fill(self, agent: Agent, now: float) -> list[Command]:
        """A multitasking agent takes waiting contacts while it has room, then is re-filed.

        When the contact it would be given is a call it cannot take while holding
        others, it drains: no new contacts until its last one is done, then the call.
        Otherwise chats that keep coming would starve a higher-priority voice queue.
        """
        commands: list[Command] = []
        if agent.pending_log_out or agent.pending_not_ready is not None or agent.draining:
            return commands
        while (contact := self.router.pick_contact(agent, self.queues)) is not None:
            if not agent.has_room(contact.channel):
                agent.draining = True
                break
            self.queues[contact.queue].remove(contact)
            commands += self._offer(contact, agent, now, indexed=False)
        self.router.agent_became_ready(agent)
        return commands

    def _offer(self, contact: Contact, agent: Agent, now: float, *, indexed: bool) -> list[Command]:
        if agent.multitask:
            agent.contact_step(contact.contact_id, contact.channel, AgentAction.RESERVE, now)
            if indexed:
                self.router.agent_became_ready(agent)  # re-filed at its new load, or out
        else:
            if indexed:
                self.router.agent_left_ready(agent)
            agent.contact_step(contact.contact_id, contact.channel, AgentAction.RESERVE, now)
        contact.apply(ContactAction.OFFER)
        contact.agent_id = agent.agent_id
        offer = OfferToAgent(contact.contact_id, agent.agent_id, contact.queue)
        if self.ring_timeout is None:
            return [offer]
        return [offer, StartTimer(f"{_RING_TIMER}{contact.contact_id}", self.ring_timeout)]

    # -- contacts -------------------------------------------------------------------------

    def _contact(self, contact_id: ContactId) -> Contact:
        contact = self.contacts.get(contact_id)
        if contact is None:
            raise UnknownContact(f"contact {contact_id!r} is not in the center")
        return contact

    def _contact_arrived(self, event: ContactArrived, now: float) -> list[Command]:
        queue = self.queues.get(event.queue)
        if queue is None:
            raise UnknownQueue(f"queue {event.queue!r} is not configured")
        if event.contact_id in self.contacts:
            raise DuplicateId(f"contact {event.contact_id!r} is already in the center")
        contact = Contact(
            event.contact_id, event.queue, event.caller, now, event.priority, queue.spec.channel
        )
        self.contacts[event.contact_id] = contact
        if event.callback_number is not None:
            contact.callback_number = event.callback_number
            contact.callback_requested_at = now
        if event.data:
            contact.data = event.data
        if event.trunk is not None or event.did is not None:
            contact.trunk, contact.did = event.trunk, event.did
        return self._enter_queue(contact, queue, now)

    def _callback_scheduled(self, event: CallbackScheduled, now: float) -> list[Command]:
        if event.queue not in self.queues:
            raise UnknownQueue(f"queue {event.queue!r} is not configured")
        if event.contact_id in self.contacts or event.contact_id in self.scheduled:
            raise DuplicateId(f"contact {event.contact_id!r} is already in the center")
        self.scheduled[event.contact_id] = event
        self.callbacks_revision += 1
        return [StartTimer(f"{_DUE_TIMER}{event.contact_id}", max(0.0, event.due - now))]

    def _pending_callback(
        self, callback_id: ContactId, agent_id: AgentId | None
    ) -> CallbackScheduled:
        """The scheduled callback an agent (None: a supervisor) may change."""
        booked = self.scheduled.get(callback_id)
        if booked is None:
            if callback_id in self.contacts:
                raise CallbackNotPending(
                    f"callback {callback_id!r} is already due: it waits in queue "
                    f"{self.contacts[callback_id].queue!r} or is being dialled"
                )
            raise UnknownCallback(f"no callback {callback_id!r} is scheduled")
        if agent_id is not None and booked.agent_id != agent_id:
            raise NotYourCallback(
                f"callback {callback_id!r} was booked by "
                f"{booked.agent_id or 'nobody in particular'!r}, not {agent_id!r}"
            )
        return booked

    def _callback_rescheduled(self, event: CallbackRescheduled, now: float) -> list[Command]:
        """A scheduled callback moves: its due timer starts again for the new time."""
        booked = self._pending_callback(event.callback_id, event.agent_id)
        self.scheduled[event.callback_id] = replace(booked, due=event.due)
        self.callbacks_revision += 1
        timer = f"{_DUE_TIMER}{event.callback_id}"
        return [CancelTimer(timer), StartTimer(timer, max(0.0, event.due - now))]

    def _callback_cancelled(self, event: CallbackCancelled, now: float) -> list[Command]:
        """A scheduled callback is called off: it never enters its queue."""
        self._pending_callback(event.callback_id, event.agent_id)
        del self.scheduled[event.callback_id]
        self.callbacks_revision += 1
        return [CancelTimer(f"{_DUE_TIMER}{event.callback_id}")]

    def pending_callbacks(self) -> list[CallbackScheduled]:
        """Callbacks scheduled and not yet due, by due time (for "my callbacks")."""
        return sorted(self.scheduled.values(), key=lambda c: (c.due, c.contact_id))

    def _callback_due(self, contact_id: ContactId, now: float) -> list[Command]:
        """A scheduled callback's time came: it queues like a virtual-hold callback."""
        event = self.scheduled.pop(contact_id, None)
        if event is None:
            return []  # cancelled before its timer ran out
        self.callbacks_revision += 1
        arrived = ContactArrived(contact_id, event.queue, event.number, 0, event.number)
        return self._contact_arrived(arrived, now)

    def _sticky_agent(self, contact: Contact, queue: ContactQueue, now: float) -> Agent | None:
        """The caller's last agent, if the queue wants it, it was recent, and they are free."""
        window = queue.spec.sticky_seconds
        if window is None or not contact.caller:
            return None
        last = self._last_agent.get(contact.caller)
        if last is None or now - last[1] > window:
            return None
        agent = self.agents.get(last[0])
        if agent is None:
            return None
        if agent.multitask:
            free = agent.offer_level(contact.channel) is not None
        else:
            free = agent.state is AgentState.READY
        if not free:
            return None
        name = queue.spec.name
        return agent if any(q == name and entry == 0 for q, entry in agent.lanes) else None

    def _enter_queue(self, contact: Contact, queue: ContactQueue, now: float) -> list[Command]:
        """Offer to a ready agent, or wait in line (announced), or overflow by a rule."""
        agent = self._sticky_agent(contact, queue, now) or self.router.pick_agent(queue)
        if agent is not None:  # most arrivals: straight to an agent
            return self._offer(contact, agent, now, indexed=True)
        return self._wait_in_line(contact, queue, now)

    def _wait_in_line(self, contact: Contact, queue: ContactQueue, now: float) -> list[Command]:
        """No agent free: join the line, hear position and wait, or overflow by a rule."""
        spec = queue.spec
        full = spec.max_queue_length is not None and len(queue) >= spec.max_queue_length
        if full or (not spec.join_when_unstaffed and self.staffed(spec.name) == 0):
            return self._overflow(contact, now, "queue_full" if full else "unstaffed")
        ahead = queue.ahead_of(contact.priority)
        queue.push(contact)
        contact.estimated_wait = self.estimated_wait(queue.spec.name, ahead)
        commands: list[Command] = [
            Announce(contact.contact_id, ahead + 1, contact.estimated_wait),
            Play(contact.contact_id, queue.spec.hold_prompt),
        ]
        delay = spec.step_delay(0)
        if delay is not None:
            commands.append(StartTimer(f"{_STEP_TIMER}{contact.contact_id}", delay))
        if spec.max_wait is not None:
            commands.append(StartTimer(f"{_MAX_WAIT_TIMER}{contact.contact_id}", spec.max_wait))
        return commands

    def _overflow(self, contact: Contact, now: float, reason: str) -> list[Command]:
        """Send a caller out of its queue by the queue's overflow rule; records the leg.

        A contact overflowing on arrival was never in the line; one that waited is
        taken out of it first.
        """
        source = self.queues[contact.queue]
        waiting = contact.state is ContactState.QUEUED and source.holds(contact)
        overflow = source.spec.overflow
        if overflow.kind is OverflowKind.CALLBACK and contact.caller:
            if contact.callback_number is None:
                contact.callback_number = contact.caller
                contact.callback_requested_at = now
            if not waiting:
                source.push(contact)  # takes its place; the caller hangs up
            return [HangUp(contact.contact_id, "callback_booked")]
        if waiting:
            source.remove(contact)
        kind = overflow.kind
        outcome = Outcome.VOICEMAIL if kind is OverflowKind.VOICEMAIL else Outcome.OVERFLOWED
        contact.ended_at = now
        del self.contacts[contact.contact_id]
        commands: list[Command] = [RecordInteraction(self._record(contact, outcome, None))]
        if kind is OverflowKind.QUEUE:
            target = self.queues[overflow.target]
            moved = Contact(
                contact.contact_id,
                target.spec.name,
                contact.caller,
                now,
                contact.priority,
                target.spec.channel,
            )
            moved.callback_number = contact.callback_number
            moved.callback_requested_at = contact.callback_requested_at
            self.contacts[moved.contact_id] = moved
            return commands + self._enter_queue(moved, target, now)
        if kind is OverflowKind.VOICEMAIL:
            return [*commands, SendToVoicemail(contact.contact_id, overflow.target)]
        return [*commands, HangUp(contact.contact_id, reason)]

    def _leave_if_unstaffed(self, agent: Agent, now: float) -> list[Command]:
        """The agent went off the phones: empty the queues that nobody staffs any more."""
        commands: list[Command] = []
        for name, _ in agent.lanes:
            queue = self.queues[name]
            if queue.spec.leave_when_unstaffed and len(queue) and self.staffed(name) == 0:
                for contact in list(queue):
                    if contact.callback_number is None:  # callbacks wait for tomorrow's staff
                        commands += self._overflow(contact, now, "unstaffed")
        return commands

    def _offer_accepted(self, event: OfferAccepted, now: float) -> list[Command]:
        contact = self._contact(event.contact_id)
        agent = self._agent(event.agent_id)
        self._check_offer(contact, agent)
        agent.misses = 0
        commands: list[Command] = []
        if self.ring_timeout is not None:
            commands.append(CancelTimer(f"{_RING_TIMER}{contact.contact_id}"))
        if contact.callback_number is None:
            commands.append(self._connect(contact, agent, now))
            return commands
        # Virtual hold: the agent stays reserved while the customer is dialled.
        contact.apply(ContactAction.DIAL_BACK)
        contact.callback_attempts += 1
        commands.append(Originate(contact.contact_id, contact.callback_number, agent.agent_id))
        return commands

    def _connect(self, contact: Contact, agent: Agent, now: float) -> Connect:
        contact.apply(ContactAction.ACCEPT)
        agent.contact_step(contact.contact_id, contact.channel, AgentAction.ACCEPT, now)
        contact.answered_at = now
        contact.agent_group = agent.group
        return Connect(contact.contact_id, agent.agent_id)

    def _callback_requested(self, event: CallbackRequested, now: float) -> list[Command]:
        contact = self._contact(event.contact_id)
        if contact.state is not ContactState.QUEUED or contact.callback_number is not None:
            raise IllegalTransition("contact", contact.contact_id, contact.state, "callback")
        contact.callback_number = event.number
        contact.callback_requested_at = now
        return [HangUp(contact.contact_id, "callback_booked")]  # keeps its place in line

    def _callback_answered(self, event: CallbackAnswered, now: float) -> list[Command]:
        contact = self._contact(event.contact_id)
        if contact.state is not ContactState.CALLING_BACK:
            raise IllegalTransition("contact", contact.contact_id, contact.state, "answer")
        assert contact.agent_id is not None
        return [self._connect(contact, self.agents[contact.agent_id], now)]

    def _callback_failed(self, event: CallbackFailed, now: float) -> list[Command]:
        """Not answered: the agent is freed; the callback waits its turn again or is given up."""
        contact = self._contact(event.contact_id)
        if contact.state is not ContactState.CALLING_BACK:
            raise IllegalTransition("contact", contact.contact_id, contact.state, "fail")
        assert contact.agent_id is not None
        agent = self.agents[contact.agent_id]
        contact.agent_id = None
        agent.contact_step(contact.contact_id, contact.channel, AgentAction.CANCEL_OFFER, now)
        commands: list[Command] = []
        if contact.callback_attempts >= self.callback_attempts:
            contact.apply(ContactAction.GIVE_UP)
            contact.ended_at = now
            del self.contacts[contact.contact_id]
            commands.append(RecordInteraction(self._record(contact, Outcome.CALLBACK_FAILED, None)))
        else:
            contact.apply(ContactAction.REQUEUE)
            queue = self.queues[contact.queue]
            other = self.router.pick_agent(queue, contact.step)
            if other is not None:  # a ready agent admitted at its step: try again at once
                commands += self._offer(contact, other, now, indexed=True)
            else:
                queue.push(contact)  # to the back: others get a turn first
        commands += self._agent_free(agent, now)
        return commands

    def _check_offer(self, contact: Contact, agent: Agent) -> None:
        if contact.agent_id != agent.agent_id or contact.contact_id not in agent.work:
            raise UnknownContact(
                f"contact {contact.contact_id!r} is not offered to agent {agent.agent_id!r}"
            )
        if contact.state is not ContactState.OFFERED:  # e.g. already being called back
            raise IllegalTransition("contact", contact.contact_id, contact.state, "answer offer")

    def _offer_declined(self, event: OfferDeclined, now: float) -> list[Command]:
        contact = self._contact(event.contact_id)
        agent = self._agent(event.agent_id)
        self._check_offer(contact, agent)
        commands: list[Command] = []
        if self.ring_timeout is not None:
            commands.append(CancelTimer(f"{_RING_TIMER}{contact.contact_id}"))
        return commands + self._requeue(contact, agent, now, "declined")

    def _requeue(self, contact: Contact, agent: Agent, now: float, reason: str) -> list[Command]:
        """An offer was not taken: the contact goes back to the head of its queue.

        The agent goes to the back of the idle line, or not ready after
        `max_misses` offers in a row were not taken (a multitasking agent once its
        other contacts are done; it is offered no more meanwhile).
        """
        contact.apply(ContactAction.REQUEUE)
        contact.agent_id = None
        withdrawn: list[Command] = [WithdrawOffer(contact.contact_id, agent.agent_id, reason)]
        agent.misses += 1
        channel = contact.channel
        if agent.multitask:
            self.router.agent_left_ready(agent)  # not offered the same contact again at once
        if agent.misses >= self.max_misses:
            agent.contact_step(contact.contact_id, channel, AgentAction.DECLINE, now)
            agent.misses = 0
            if agent.work:
                agent.pending_not_ready = reason
            else:
                agent.reason = reason
        else:
            agent.contact_step(contact.contact_id, channel, AgentAction.MISS, now)
        commands = withdrawn if agent.work else withdrawn + self._after_busy(agent, now)
        queue = self.queues[contact.queue]
        other = self.router.pick_agent(queue, contact.step)
        if other is not None:
            commands += self._offer(contact, other, now, indexed=True)
        else:
            queue.push_front(contact)
            commands.append(Play(contact.contact_id, queue.spec.hold_prompt))
        if agent.work:
            commands += self._agent_free(agent, now)
        elif agent.state is AgentState.READY:
            commands += self._serve_next(agent, now)
        elif agent.state is AgentState.NOT_READY:
            commands += self._leave_if_unstaffed(agent, now)
        return commands

    def _call_ended(self, event: CallEnded, now: float) -> list[Command]:
        contact = self._contact(event.contact_id)
        contact.apply(ContactAction.END_CALL)
        contact.ended_at = now
        assert contact.agent_id is not None  # a connected contact always has its agent
        agent = self.agents[contact.agent_id]
        agent.contact_step(contact.contact_id, contact.channel, AgentAction.END_CALL, now)
        limit = self.queues[contact.queue].spec.wrap_up
        if limit is None:
            return []
        return [StartTimer(f"{_WRAP_TIMER}{contact.agent_id}:{contact.contact_id}", limit)]

    def _wrap_up_done(self, event: WrapUpDone, now: float) -> list[Command]:
        if event.callback_at is not None:
            raise UnsupportedChange(
                "a callback time on a wrap-up books a campaign call's callback, and this "
                "center runs no campaign: schedule it with CallbackScheduled"
            )
        agent = self._agent(event.agent_id)
        contact_id = event.contact_id
        if contact_id is None:
            contact_id = self._wrapping_up(agent)
        elif contact_id not in agent.work:
            raise UnknownContact(f"agent {agent.agent_id!r} holds no contact {contact_id!r}")
        contact = self.contacts[contact_id]
        agent.contact_step(contact_id, contact.channel, AgentAction.FINISH_WRAP_UP, now)
        del self.contacts[contact_id]
        contact.apply(ContactAction.FINISH)
        contact.disposition = event.disposition
        agent.contacts_handled += 1
        if self._sticky and contact.caller:
            self._last_agent[contact.caller] = (agent.agent_id, now)
        if contact.answered_at is not None:
            estimate = self.handle_estimate[contact.queue]
            handled = now - contact.answered_at
            self.handle_estimate[contact.queue] = estimate + HANDLE_TIME_SMOOTHING * (
                handled - estimate
            )
        commands: list[Command] = [RecordInteraction(self._record(contact, Outcome.ANSWERED, now))]
        commands += self._agent_free(agent, now)
        return commands

    @staticmethod
    def _wrapping_up(agent: Agent) -> ContactId:
        """The agent's contact in wrap-up, for a WrapUpDone that names none."""
        work = agent.work
        if len(work) == 1:
            return next(iter(work))  # its one contact (the table checks it is wrapping up)
        wrapping = [c for c, state in work.items() if state is AgentState.WRAP_UP]
        if len(wrapping) != 1:
            raise UnknownContact(
                f"agent {agent.agent_id!r} has {len(wrapping)} contacts in wrap-up: "
                "name the one that is done"
            )
        return wrapping[0]

    def _agent_free(self, agent: Agent, now: float) -> list[Command]:
        """An agent's contact is settled: a deferred break or log-out, else the next contact.

        A multitasking agent still holding others has a free slot: it fills it, unless
        a break or log-out waits for the others to be done.
        """
        if agent.work:
            if agent.pending_log_out or agent.pending_not_ready is not None:
                return []
            return self._fill(agent, now)
        commands: list[Command] = []
        if agent.pending_log_out or agent.pending_not_ready is not None:
            commands = self._after_busy(agent, now)
        if agent.state is AgentState.READY:
            commands += self._serve_next(agent, now)
        return commands

    def _after_busy(self, agent: Agent, now: float) -> list[Command]:
        """Apply a break or log-out that the agent asked for while busy."""
        if agent.pending_log_out:
            agent.pending_log_out = False
            if agent.state is AgentState.READY:
                agent.apply(AgentAction.GO_NOT_READY, now)
            return self._log_out(agent, now)
        if agent.pending_not_ready is not None:
            if agent.state is AgentState.READY:
                agent.apply(AgentAction.GO_NOT_READY, now)
            agent.reason = agent.pending_not_ready
            agent.pending_not_ready = None
            return self._leave_if_unstaffed(agent, now)
        return []

    def _caller_abandoned(self, event: CallerAbandoned, now: float) -> list[Command]:
        contact = self._contact(event.contact_id)
        if contact.callback_number is not None:  # the caller already hung up, on purpose
            raise IllegalTransition("contact", contact.contact_id, contact.state, "abandon")
        commands: list[Command] = []
        if contact.state is ContactState.QUEUED:
            self.queues[contact.queue].remove(contact)
            contact.apply(ContactAction.ABANDON)
        elif contact.state is ContactState.OFFERED:
            assert contact.agent_id is not None
            agent = self.agents[contact.agent_id]
            contact.apply(ContactAction.ABANDON)
            contact.agent_id = None
            commands.append(WithdrawOffer(contact.contact_id, agent.agent_id, "abandoned"))
            agent.contact_step(contact.contact_id, contact.channel, AgentAction.CANCEL_OFFER, now)
            if self.ring_timeout is not None:
                commands.append(CancelTimer(f"{_RING_TIMER}{contact.contact_id}"))
            commands += self._agent_free(agent, now)
        else:
            contact.apply(ContactAction.ABANDON)  # raises: a connected caller ends the call
        contact.ended_at = now
        del self.contacts[contact.contact_id]
        commands.append(RecordInteraction(self._record(contact, Outcome.ABANDONED, None)))
        return commands

    def _timer_fired(self, event: TimerFired, now: float) -> list[Command]:
        timer_id = event.timer_id
        if timer_id.startswith(_RING_TIMER):
            contact = self.contacts.get(int(timer_id[len(_RING_TIMER) :]))
            if contact is None or contact.state is not ContactState.OFFERED:
                return []  # the offer was settled before the timer ran out
            assert contact.agent_id is not None
            return self._requeue(contact, self.agents[contact.agent_id], now, "ring_no_answer")
        if timer_id.startswith(_WRAP_TIMER):
            agent_id, _, contact_id = timer_id[len(_WRAP_TIMER) :].rpartition(":")
            agent = self.agents.get(agent_id)
            if agent is None or agent.work.get(int(contact_id)) is not AgentState.WRAP_UP:
                return []  # the agent finished sooner (an older call's timer)
            return self._wrap_up_done(WrapUpDone(agent_id, None, int(contact_id)), now)
        if timer_id.startswith(_MAX_WAIT_TIMER):
            contact = self.contacts.get(int(timer_id[len(_MAX_WAIT_TIMER) :]))
            if contact is None or contact.state is not ContactState.QUEUED:
                return []  # answered, ringing or gone before the limit
            if contact.callback_number is not None:
                return []  # a callback holds its place with nobody on hold
            return self._overflow(contact, now, "max_wait")
        if timer_id.startswith(_DUE_TIMER):
            return self._callback_due(int(timer_id[len(_DUE_TIMER) :]), now)
        if timer_id.startswith(_STEP_TIMER):
            contact = self.contacts.get(int(timer_id[len(_STEP_TIMER) :]))
            if contact is None or contact.state not in (ContactState.QUEUED, ContactState.OFFERED):
                return []  # answered or gone: no more steps
            return self._expand(contact, now)
        raise UnknownContact(f"timer {timer_id!r} is not one the center started")

    def _expand(self, contact: Contact, now: float) -> list[Command]:
        """The contact reached its next skill-expansion step: more agents may take it."""
        queue = self.queues[contact.queue]
        commands: list[Command] = []
        if contact.step + 1 >= queue.spec.lane_count:
            return commands  # the queue was redefined with fewer steps meanwhile
        if contact.state is ContactState.QUEUED:
            queue.advance(contact)
            agent = self.router.pick_agent(queue, contact.step)
            if agent is not None:
                queue.remove(contact)
                commands = self._offer(contact, agent, now, indexed=True)
        else:
            contact.step += 1  # ringing now; if not taken it returns to the wider lane
        delay = queue.spec.step_delay(contact.step)
        if delay is not None:
            commands.append(StartTimer(f"{_STEP_TIMER}{contact.contact_id}", delay))
        return commands

    # -- records --------------------------------------------------------------------------

    def _record(
        self, contact: Contact, outcome: Outcome, wrap_ended_at: float | None
    ) -> InteractionRecord:
        answered_at = contact.answered_at
        return InteractionRecord(  # positional: one record per contact, on the hot path
            contact.contact_id,
            contact.channel,
            Direction.INBOUND,
            contact.queue,
            contact.arrived_at,
            outcome,
            answered_at,
            contact.ended_at,
            wrap_ended_at,
            contact.agent_id if answered_at is not None else None,
            contact.agent_group,
            contact.estimated_wait,
            contact.callback_requested_at,
            contact.caller,
            contact.disposition,
            contact.trunk,
            contact.did,
        )

    def _session(self, agent: Agent, now: float) -> AgentSessionRecord:
        def secs(state: AgentState) -> float:
            return agent.seconds_in(state, now)

        return AgentSessionRecord(
            agent_id=agent.agent_id,
            group=agent.group,
            logged_in_at=agent.logged_in_at,
            logged_out_at=now,
            ready_seconds=secs(AgentState.READY),
            reserved_seconds=secs(AgentState.RESERVED),
            talk_seconds=secs(AgentState.TALKING),
            wrap_seconds=secs(AgentState.WRAP_UP),
            not_ready_seconds=secs(AgentState.NOT_READY),
            contacts_handled=agent.contacts_handled,
        )
