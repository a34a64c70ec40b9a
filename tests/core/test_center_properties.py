"""Invariants of the Center under random but physically possible worlds (hypothesis).

A small world driver plays callers and agents: each step picks one thing that could
really happen next (a caller arrives or hangs up, an agent accepts, declines, ends a
call, takes a break...). After every step the invariants are checked.
"""

import random
from collections import Counter
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidal.core import (
    AGENT_STATES,
    AgentLoggedIn,
    AgentLoggedOut,
    AgentNotReady,
    AgentReady,
    AgentState,
    CallbackAnswered,
    CallbackFailed,
    CallbackRequested,
    CallEnded,
    CallerAbandoned,
    Center,
    Channel,
    Command,
    ContactArrived,
    ContactState,
    ExpansionStep,
    OfferAccepted,
    OfferDeclined,
    OfferToAgent,
    Outcome,
    Overflow,
    OverflowKind,
    QueueSpec,
    RecordInteraction,
    Strategy,
    TimerFired,
    WrapUpDone,
)

QUEUES = [
    QueueSpec(
        "billing",
        {"billing": 2},
        priority=1,
        steps=(ExpansionStep(30.0, skills={"billing": 1}), ExpansionStep(60.0, groups=("g2",))),
    ),
    QueueSpec(
        "tech",
        {"tech": 1},
        priority=1,
        max_wait=60.0,
        max_queue_length=3,
        overflow=Overflow(OverflowKind.VOICEMAIL, "tech-box"),
        sticky_seconds=600.0,
        wrap_up=30.0,
    ),
    QueueSpec("vip", {"billing": 4}, priority=3),
    QueueSpec("chat", {}, priority=1, channel=Channel.CHAT, sticky_seconds=600.0),
    QueueSpec("email", {"billing": 1}, channel=Channel.EMAIL, wrap_up=30.0),
]
# Contacts per channel: single-tasking, three chats, chats and emails but no voice...
CAPACITIES = [{}, {"chat": 3}, {"voice": 0, "chat": 2, "email": 2}, {"chat": 0, "email": 3}]
# The agent state a held contact puts the agent in (the contact's own view of it).
AGENT_VIEW = {
    ContactState.OFFERED: AgentState.RESERVED,
    ContactState.CALLING_BACK: AgentState.RESERVED,
    ContactState.CONNECTED: AgentState.TALKING,
    ContactState.WRAP_UP: AgentState.WRAP_UP,
}
SKILLS = st.dictionaries(st.sampled_from(["billing", "tech"]), st.integers(1, 5), max_size=2)
ACTIONS = [
    "arrive",
    "log_in",
    "ready",
    "not_ready",
    "log_out",
    "accept",
    "decline",
    "end_call",
    "wrap_done",
    "abandon",
    "ring_timeout",
    "expand",
    "callback_request",
    "max_wait",
    "wrap_limit",
    "callback_answer",
    "callback_fail",
    "configure_queue",
    "change_agent",
]
# An admin's edits while the center runs: a queue redefined (anyone may take it, no
# expansion steps, a new priority) or added.
QUEUE_CHANGES = [
    lambda spec: replace(spec, skills={}),
    lambda spec: replace(spec, steps=()),
    lambda spec: replace(spec, priority=4),
    lambda spec: spec,
]
NEW_QUEUE = QueueSpec("late", {"tech": 2}, priority=2, sticky_seconds=60.0)


class World:
    """Callers and agents around a Center; it also checks what the Center promises."""

    def __init__(self, ring_timeout: float | None, strategy: Strategy) -> None:
        queues = [replace(spec, strategy=strategy, agent_order=("a2", "a1")) for spec in QUEUES]
        self.strategy = strategy
        self.queue_names = [spec.name for spec in queues]
        self.center = Center(queues, ring_timeout=ring_timeout, rng=random.Random(7))
        self.now = 0.0
        self.next_contact = 1
        self.next_agent = 1
        self.arrived: set[int] = set()
        self.recorded: Counter[int] = Counter()
        self.offers: list[OfferToAgent] = []

    def feed(self, event: object) -> None:
        self.feed_commands(self.center.handle(event, self.now))  # type: ignore[arg-type]

    def feed_commands(self, commands: list[Command]) -> None:
        for command in commands:
            if isinstance(command, RecordInteraction):
                self.recorded[command.record.contact_id] += 1
                record = command.record
                assert record.arrived_at <= (record.answered_at or record.ended_at or self.now)
                if record.answered_at is not None:
                    assert record.ended_at is not None and record.answered_at <= record.ended_at
            if isinstance(command, OfferToAgent):
                self.offers.append(command)
                agent = self.center.agents[command.agent_id]
                spec = self.center.queues[command.queue].spec
                step = self.center.contacts[command.contact_id].step
                entry = spec.entry_lane(agent.group, agent.skills)
                assert entry is not None and entry <= step, "offered before the agent's step"

    def check(self) -> None:
        center = self.center
        # A contact is never with two agents; an agent holds no more than its capacity.
        holders = [c for a in center.agents.values() for c in a.work]
        assert len(holders) == len(set(holders))
        for agent in center.agents.values():
            busy = agent.state in (AgentState.RESERVED, AgentState.TALKING, AgentState.WRAP_UP)
            assert busy == bool(agent.work)
            held = [center.contacts[c] for c in agent.work]
            for contact in held:
                assert contact.agent_id == agent.agent_id
                assert agent.work[contact.contact_id] is AGENT_VIEW[contact.state]
            load = Counter(contact.channel for contact in held)
            for channel, count in load.items():
                assert count <= agent.capacity.limit(channel), "over capacity"
            if load[Channel.VOICE]:
                assert len(held) == 1, "a voice call and something else"
            if agent.multitask:
                assert load == Counter({c: n for c, n in agent.load.items() if n})
            if held:  # the agent is in the state of its most engaged contact
                order = [AgentState.TALKING, AgentState.RESERVED, AgentState.WRAP_UP]
                assert agent.state is min(agent.work.values(), key=order.index)
        # Every contact is recorded once (answered or abandoned) or still in the center.
        assert all(n == 1 for n in self.recorded.values())
        for contact_id in self.arrived:
            assert (contact_id in self.recorded) != (contact_id in center.contacts)
        # No agent with room idles while a contact they could take is waiting.
        for agent in center.agents.values():
            if agent.state is AgentState.READY or (agent.multitask and agent.work):
                for name, entry in agent.lanes:
                    queue = center.queues[name]
                    if agent.offer_level(queue.spec.channel) is not None:
                        assert queue.head(entry) is None
        # Each queue's staffed count agrees with the agents on the phones for it.
        for name in center.queues:
            on_phones = [
                a
                for a in center.agents.values()
                if a.state in (AgentState.READY, *AGENT_VIEW.values())
                and any(lane_name == name for lane_name, _ in a.lanes)
            ]
            assert center.staffed(name) == len(on_phones), name
        # The per-state counters agree with the agents.
        actual = Counter(a.state for a in center.agents.values())
        for state in AGENT_STATES:
            if state is not AgentState.LOGGED_OUT:
                assert center.agents_in(state) == actual[state]

    def step(self, data: st.DataObject) -> None:
        center = self.center
        self.now += data.draw(st.sampled_from([0.0, 0.5, 3.0, 40.0]))
        action = data.draw(st.sampled_from(ACTIONS))
        agents = sorted(center.agents.values(), key=lambda a: a.agent_id)
        contacts = sorted(center.contacts.values(), key=lambda c: c.contact_id)

        def agents_in(*states: AgentState) -> list[str]:
            return [a.agent_id for a in agents if a.state in states]

        def pick(options: list[str]) -> str:
            return data.draw(st.sampled_from(options))

        if action == "arrive":
            contact_id = self.next_contact
            self.next_contact += 1
            self.arrived.add(contact_id)
            queue = data.draw(st.sampled_from(self.queue_names))
            caller = data.draw(st.sampled_from(["", "+13055550100", "+13055550101"]))
            priority = data.draw(st.integers(0, 2))
            self.feed(ContactArrived(contact_id, queue, caller, priority))
        elif action == "log_in" and len(agents) < 6:
            agent_id = f"a{self.next_agent}"
            self.next_agent += 1
            group = data.draw(st.sampled_from(["g", "g2"]))
            capacity = data.draw(st.sampled_from(CAPACITIES))
            self.feed(AgentLoggedIn(agent_id, group, data.draw(SKILLS), capacity))
        elif action == "ready" and agents:
            self.feed(AgentReady(pick([a.agent_id for a in agents])))
        elif action == "not_ready" and agents:
            self.feed(AgentNotReady(pick([a.agent_id for a in agents]), "break"))
        elif action == "log_out" and agents:
            self.feed(AgentLoggedOut(pick([a.agent_id for a in agents])))
        elif action in ("accept", "decline") and (
            ringing := [c for c in contacts if c.state is ContactState.OFFERED]
        ):
            contact = data.draw(st.sampled_from(ringing))
            assert contact.agent_id is not None
            kind = OfferAccepted if action == "accept" else OfferDeclined
            self.feed(kind(contact.contact_id, contact.agent_id))
        elif action == "end_call" and (
            talking := [c for c in contacts if c.state is ContactState.CONNECTED]
        ):
            self.feed(CallEnded(data.draw(st.sampled_from(talking)).contact_id))
        elif action == "wrap_done" and (
            wrapping := [c for c in contacts if c.state is ContactState.WRAP_UP]
        ):
            contact = data.draw(st.sampled_from(wrapping))
            assert contact.agent_id is not None
            agent = center.agents[contact.agent_id]
            alone = list(agent.work.values()).count(AgentState.WRAP_UP) == 1
            named = not alone or data.draw(st.booleans())  # one in wrap-up: may go unnamed
            self.feed(WrapUpDone(agent.agent_id, None, contact.contact_id if named else None))
        elif action == "abandon":
            waiting = [
                c.contact_id
                for c in contacts
                if c.state in (ContactState.QUEUED, ContactState.OFFERED)
                and c.callback_number is None
            ]
            if waiting:
                self.feed(CallerAbandoned(data.draw(st.sampled_from(waiting))))
        elif action == "ring_timeout" and center.ring_timeout is not None:
            offered = [c.contact_id for c in contacts if c.state is ContactState.OFFERED]
            if offered:
                self.feed(TimerFired(f"ring:{data.draw(st.sampled_from(offered))}"))
        elif action == "expand":
            waiting = [
                c for c in contacts if c.state in (ContactState.QUEUED, ContactState.OFFERED)
            ]
            if waiting:
                contact = data.draw(st.sampled_from(waiting))
                if contact.step < len(center.queues[contact.queue].spec.steps) or data.draw(
                    st.booleans()  # a step timer of steps a queue change took away
                ):
                    self.feed(TimerFired(f"expand:{contact.contact_id}"))
        elif action == "max_wait":
            queued = [c.contact_id for c in contacts if c.state is ContactState.QUEUED]
            if queued:
                self.feed(TimerFired(f"maxwait:{data.draw(st.sampled_from(queued))}"))
        elif action == "wrap_limit" and (
            wrapping := [c for c in contacts if c.state is ContactState.WRAP_UP]
        ):
            contact = data.draw(st.sampled_from(wrapping))
            self.feed(TimerFired(f"wrap:{contact.agent_id}:{contact.contact_id}"))
        elif action == "callback_request":
            queued = [c.contact_id for c in contacts
                      if c.state is ContactState.QUEUED and c.callback_number is None]  # fmt: skip
            if queued:
                self.feed(CallbackRequested(data.draw(st.sampled_from(queued)), "+13055550100"))
        elif action in ("callback_answer", "callback_fail"):
            dialling = [c.contact_id for c in contacts if c.state is ContactState.CALLING_BACK]
            if dialling:
                contact_id = data.draw(st.sampled_from(dialling))
                kind = CallbackAnswered if action == "callback_answer" else CallbackFailed
                self.feed(kind(contact_id))
        elif action == "configure_queue":
            spec = data.draw(st.sampled_from([*QUEUES, NEW_QUEUE]))
            change = data.draw(st.sampled_from(QUEUE_CHANGES))
            spec = replace(change(spec), strategy=self.strategy, agent_order=("a2", "a1"))
            self.feed_commands(center.configure_queue(spec, self.now))
            if spec.name not in self.queue_names:
                self.queue_names.append(spec.name)
        elif action == "change_agent" and agents:
            agent_id = pick([a.agent_id for a in agents])
            group = data.draw(st.sampled_from(["g", "g2"]))
            self.feed_commands(center.change_agent(agent_id, group, data.draw(SKILLS), self.now))
        self.check()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    ring_timeout=st.sampled_from([None, 20.0]),
    strategy=st.sampled_from(list(Strategy)),
)
def test_center_keeps_its_promises_in_any_world(
    data: st.DataObject, ring_timeout: float | None, strategy: Strategy
) -> None:
    world = World(ring_timeout, strategy)
    for _ in range(data.draw(st.integers(1, 80))):
        world.step(data)
    # At the end every contact is answered, abandoned or still in the center.
    still_open = {r.contact_id: r for r in world.center.open_interactions(world.now)}
    for contact_id in world.arrived:
        assert (contact_id in still_open) != (contact_id in world.recorded)
    assert all(r.outcome is Outcome.IN_PROGRESS for r in still_open.values())
