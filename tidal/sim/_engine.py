"""The discrete-event runtime: simulated time, synthetic callers and agents.

It builds the same `tidal.core.Center` the live server runs and plays the world
around it: callers arrive, wait with limited patience and talk; agents accept
offers and wrap up. Events sit in one binary heap ordered by (time, sequence), so
runs are deterministic for a seed.
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from tidal.config import (
    NEEDED_TO_SIMULATE,
    MissingWorld,
    Scenario,
    load_calling_rules,
    queue_world,
    require_world,
    simulated_duration,
)
from tidal.core import (
    AgentLoggedIn,
    AgentReady,
    AgentSessionRecord,
    AgentState,
    Announce,
    CallbackAnswered,
    CallbackFailed,
    CallbackRequested,
    CallEnded,
    CallerAbandoned,
    CancelTimer,
    Center,
    Command,
    Connect,
    ContactArrived,
    HangUp,
    InteractionRecord,
    OfferAccepted,
    OfferToAgent,
    Originate,
    Play,
    QueueSpec,
    RecordAgentSession,
    RecordInteraction,
    SendToVoicemail,
    StartTimer,
    TimerFired,
    WrapUpDone,
)
from tidal.core.campaigns import (
    BlendingPolicy,
    Dial,
    DialAnswered,
    Dialer,
    DialResult,
    Pacer,
    PacerError,
    campaign_queue_spec,
    campaign_skill,
)
from tidal.core.campaigns.configured import blending_of, campaign_spec, pacer_of, talk_mean
from tidal.core.compliance import CallingWindows, Compliance, MemoryRegistry
from tidal.core.flows import (
    Enqueue,
    FlowAction,
    FlowOutcome,
    IllegalFlowEvent,
    ScheduleCallback,
)
from tidal.core.plugins import PluginError
from tidal.sim._aftercare import Aftercare
from tidal.sim._arrivals import ArrivalProcess
from tidal.sim._ivr import OFFER_CALLBACK, IvrWorld, load_scenario_flows
from tidal.sim._outbound import (
    CalledParty,
    CampaignWorld,
    Regulator,
    scenario_registry,
)
from tidal.sim._result import Sample, SimulationResult
from tidal.sim._streams import Sampler, sampler

# Heap entry kinds.
(
    _ARRIVAL,
    _ABANDON,
    _CALL_END,
    _WRAP_DONE,
    _TIMER,
    _FLOW,
    _CALLBACK,
    _REPEAT,
    _SAMPLE,
    _DIAL,
) = range(10)
# A skill every inbound-capable agent holds in a scenario with campaigns, and every
# inbound queue requires there: outbound-only agents never take inbound callers.
INBOUND_SKILL = "mode:inbound"

ProgressCallback = Callable[[float], None]

_SAMPLED_STATES = (
    AgentState.READY,
    AgentState.RESERVED,
    AgentState.TALKING,
    AgentState.WRAP_UP,
    AgentState.NOT_READY,
)


class UnsupportedScenario(ValueError):
    """The scenario asks for something this simulator cannot run yet."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


class Simulation:
    """One run of a scenario in simulated time."""

    def __init__(
        self,
        scenario: Scenario,
        *,
        seed: int | None = None,
        sample_interval: float = 60.0,
        progress: ProgressCallback | None = None,
        base_dir: Path | None = None,
        pacers: Mapping[str, Pacer] | None = None,
        blending: BlendingPolicy | None = None,
    ) -> None:
        self.scenario = scenario
        self.seed = scenario.seed if seed is None else seed
        try:
            require_world(scenario)
        except MissingWorld as error:
            raise UnsupportedScenario(error.path, NEEDED_TO_SIMULATE) from None
        self.end = simulated_duration(scenario)
        self.sample_interval = sample_interval
        self.progress = progress
        seed_ = self.seed
        self._pacers = dict(pacers or {})
        self._blending = blending
        self._campaign_worlds = {c.name: CampaignWorld(c, seed_) for c in scenario.campaigns}
        self.center = Center(self._queue_specs())
        for index, campaign in enumerate(scenario.campaigns):  # a bad pacer fails here
            if campaign.name not in self._pacers:
                try:
                    pacer_of(campaign)
                except PacerError as error:
                    raise UnsupportedScenario(f"campaigns[{index}].pacer", str(error)) from error
        if scenario.campaigns:
            try:
                blending_of(scenario.blending)
            except PluginError as error:
                raise UnsupportedScenario("blending.policy", str(error)) from error
        self._queue_names = [q.name for q in scenario.queues]
        worlds = [queue_world(q) for q in scenario.queues]
        self._arrivals = [
            ArrivalProcess(w.arrivals, seed_, q.name)
            for q, w in zip(scenario.queues, worlds, strict=True)
        ]
        self._handle = [
            sampler(w.handle_time, seed_, f"handle_time:{q.name}")
            for q, w in zip(scenario.queues, worlds, strict=True)
        ]
        self._patience: list[Sampler | None] = [
            None if q.patience is None else sampler(q.patience, seed_, f"patience:{q.name}")
            for q in scenario.queues
        ]
        self._wrap_up = {
            g.group: sampler(g.wrap_up, seed_, f"wrap_up:{g.group}") for g in scenario.agents
        }
        # Call flows (relative to the scenario file): callers of a queue with a flow go
        # through it first, and it decides which queue they reach.
        flows = load_scenario_flows(scenario, base_dir or Path("."))
        self.ivr = IvrWorld(flows, seed_, scenario.start)
        self._queue_flow = [q.flow for q in scenario.queues]
        # After-call world: resolved or not, repeat calls, survey answers (per queue).
        self.aftercare = [
            None if q.resolution is None else Aftercare(q.resolution, seed_, q.name)
            for q in scenario.queues
        ]
        # Callers get numbers when something is keyed by them (repeats, sticky agents).
        self._numbered = [
            q.resolution is not None or q.sticky_agent is not None for q in scenario.queues
        ]

    def _queue_specs(self) -> list[QueueSpec]:
        """The Center's queues: the scenario's, plus one per campaign when it has any."""
        specs = [QueueSpec.from_config(q) for q in self.scenario.queues]
        if not self.scenario.campaigns:
            return specs
        inbound = [
            replace(
                spec,
                skills={**spec.skills, INBOUND_SKILL: 1},
                steps=tuple(
                    step
                    if step.skills is None
                    else replace(step, skills={**step.skills, INBOUND_SKILL: 1})
                    for step in spec.steps
                ),
            )
            for spec in specs
        ]
        # A person who answered waits at most 2 s: their queue ranks above every inbound one.
        highest = max((q.priority for q in self.scenario.queues), default=0) + 1
        return inbound + [
            campaign_queue_spec(c.name, priority=highest, handle_time=talk_mean(c))
            for c in self.scenario.campaigns
        ]

    def _agent_skills(self, group_name: str) -> dict[str, int]:
        group = self.scenario.group(group_name)
        skills = dict(group.skills)
        if self.scenario.campaigns:
            if group.inbound:
                skills[INBOUND_SKILL] = 1
            if group.outbound:
                for name in group.campaigns:
                    skills[campaign_skill(name)] = 1
        return skills

    def _dialer(self, regulator: Regulator) -> Dialer | None:
        """The production dialer over this run's Center, with the synthetic lead lists."""
        scenario = self.scenario
        if not scenario.campaigns:
            return None
        leads, registry = scenario_registry(scenario, self.seed)
        regulator.registry = registry
        compliance = Compliance(
            MemoryRegistry(registry, refreshed_at=scenario.start - timedelta(days=1)),
            _calling_windows(),
        )
        blending = self._blending
        if blending is None:
            blending = blending_of(scenario.blending)
        campaigns = []
        for campaign in scenario.campaigns:
            regulator.caps[campaign.name] = campaign.max_abandon_rate
            spec = campaign_spec(campaign, self._pacers.get(campaign.name))
            campaigns.append((spec, leads[campaign.name]))
        targets = {
            q.name: (q.service_level.target, float(q.service_level.threshold))
            for q in scenario.queues
        }
        return Dialer(
            self.center,
            compliance,
            campaigns,
            start=scenario.start,
            blending=blending,
            inbound_targets=targets,
        )

    def run(self) -> SimulationResult:
        """Play the whole scenario and return its records."""
        wall_start = time.perf_counter()
        center = self.center
        regulator = Regulator(self.scenario.start)
        dialer = self._dialer(regulator)
        handle: Callable[[Any, float], list[Any]] = center.handle
        end = self.end
        heap: list[tuple[float, int, int, object]] = []
        push = heapq.heappush
        pop = heapq.heappop
        seq = 0
        events = 0
        talk_time: dict[int, float] = {}  # contact -> talk time drawn when it arrived
        unanswered: set[int] = set()  # contacts whose caller may still abandon
        connected: dict[int, str] = {}  # contact -> agent talking to it
        group_of: dict[str, str] = {}
        cancelled: set[str] = set()
        records: list[InteractionRecord] = []
        sessions: list[AgentSessionRecord] = []
        samples: list[Sample] = []
        next_contact = 1

        ivr = self.ivr
        queue_flow = self._queue_flow
        flow_active: set[int] = set()  # callers in a flow, awaiting their next step
        queue_index = {name: i for i, name in enumerate(self._queue_names)}
        aftercare = self.aftercare
        aftercare_any = any(care is not None for care in aftercare)
        thresholds = [float(q.service_level.threshold) for q in self.scenario.queues]
        numbered = self._numbered
        surveys: dict[int, int] = {}
        resolved_of: dict[int, bool] = {}  # decided when the talk ends, used after wrap-up
        caller_of: dict[int, str] = {}

        # The hot loop calls the Center's handlers directly: `handle` minus one dispatch.
        on_arrival = center.handler(ContactArrived)
        on_accept = center.handler(OfferAccepted)
        on_call_end = center.handler(CallEnded)
        on_wrap_done = center.handler(WrapUpDone)
        on_abandon = center.handler(CallerAbandoned)
        worlds = self._campaign_worlds
        # Dials in progress: call -> (campaign, what it meets); truth of connected calls.
        parties: dict[int, tuple[str, CalledParty]] = {}
        truth_of: dict[int, tuple[str, str]] = {}
        amd_false_machines = dict.fromkeys(worlds, 0)
        if dialer is not None:  # every event goes through the dialer, which wraps the Center
            handle = on_arrival = on_accept = on_call_end = on_wrap_done = on_abandon = (
                dialer.handle
            )

        def execute(commands: list[Any], now: float) -> None:
            nonlocal seq, events
            for command in commands:  # grows while it runs: offers are accepted at once
                kind: type[Any] = type(command)
                if kind is Announce or kind is Play:
                    continue  # nothing changes in the simulated world
                if kind is OfferToAgent:
                    assert isinstance(command, OfferToAgent)
                    events += 1
                    commands.extend(
                        on_accept(OfferAccepted(command.contact_id, command.agent_id), now)
                    )
                elif kind is Connect:
                    assert isinstance(command, Connect)
                    contact_id = command.contact_id
                    if unanswered:
                        unanswered.discard(contact_id)
                    if flow_active:
                        flow_active.discard(contact_id)  # answered hearing a callback offer
                    connected[contact_id] = command.agent_id
                    seq += 1
                    push(heap, (now + talk_time.pop(contact_id), seq, _CALL_END, contact_id))
                elif kind is RecordInteraction:
                    assert isinstance(command, RecordInteraction)
                    record = command.record
                    records.append(record)
                    if record.answered_at is not None and aftercare_any:
                        after_call(record, now)
                elif kind is RecordAgentSession:
                    assert isinstance(command, RecordAgentSession)
                    sessions.append(command.record)
                elif kind is StartTimer:
                    assert isinstance(command, StartTimer)
                    cancelled.discard(command.timer_id)
                    seq += 1
                    push(heap, (now + command.delay, seq, _TIMER, command.timer_id))
                elif kind is CancelTimer:
                    assert isinstance(command, CancelTimer)
                    cancelled.add(command.timer_id)
                elif kind is HangUp or kind is SendToVoicemail:
                    # An overflow rule sent the caller out (or booked them a callback).
                    assert isinstance(command, HangUp | SendToVoicemail)
                    contact_id = command.contact_id
                    unanswered.discard(contact_id)
                    if contact_id not in center.contacts:
                        talk_time.pop(contact_id, None)
                    if truth_of:
                        dropped = truth_of.pop(contact_id, None)
                        if dropped is not None and dropped[1] == "human":
                            regulator.dropped(dropped[0])
                elif kind is Originate:
                    assert isinstance(command, Originate)
                    ring, answered = ivr.callback_result(command.contact_id)
                    seq += 1
                    push(heap, (now + ring, seq, _CALLBACK, (command.contact_id, answered)))
                elif kind is Dial:
                    assert isinstance(command, Dial)
                    party = worlds[command.campaign].dial()
                    regulator.dialled(command.number, now)
                    parties[command.call_id] = (command.campaign, party)
                    seq += 1
                    push(heap, (now + party.after, seq, _DIAL, command.call_id))

        def after_call(record: InteractionRecord, now: float) -> None:
            """Was it resolved? Unresolved callers may call again; some answer a survey."""
            nonlocal seq
            index = queue_index.get(record.queue)
            if index is None:
                return  # an outbound call: no repeat callers
            care = aftercare[index]
            if care is None:
                return
            resolved = resolved_of.pop(record.contact_id, False)
            score = care.survey(resolved, record.wait() > thresholds[index])
            if score is not None:
                surveys[record.contact_id] = score
            if not resolved and record.caller and care.calls_again():
                seq += 1
                push(heap, (now + care.repeat_delay(), seq, _REPEAT, (index, record.caller)))

        def caller_patience(index: int) -> float:
            patience = patience_samplers[index]
            return patience() if patience is not None else math.inf

        def queued(contact_id: int, commands: list[Command], now: float, patience: float) -> None:
            """A caller reached a queue: offered at once, or waiting with their patience."""
            nonlocal seq
            execute(commands, now)  # the offer, or the announcement and the line's timers
            if patience == math.inf or type(commands[0]) is OfferToAgent:
                return
            contact = center.contacts.get(contact_id)
            if contact is not None and contact.callback_number is None:  # not sent out by a rule
                unanswered.add(contact_id)
                seq += 1
                push(heap, (now + patience, seq, _ABANDON, contact_id))

        def in_flow(contact_id: int, actions: list[FlowAction], now: float) -> None:
            """Carry out what a call flow asks: queue the caller, book a callback, wait."""
            nonlocal seq, events
            for action in actions:
                kind = type(action)
                if kind is Enqueue:
                    assert isinstance(action, Enqueue)
                    flow_active.discard(contact_id)
                    if contact_id in center.contacts:
                        continue  # declined a callback offer: still waiting in line
                    index = queue_index[action.queue]
                    talk_time[contact_id] = handle_samplers[index]()
                    events += 1
                    arrival = ContactArrived(
                        contact_id, action.queue, caller_of[contact_id], action.priority
                    )
                    commands = on_arrival(arrival, now)
                    queued(contact_id, commands, now, caller_patience(index))
                    hold = ivr.behaviour(contact_id).virtual_hold_after
                    if hold is not None and contact_id in unanswered:
                        seq += 1
                        offer = (contact_id, OFFER_CALLBACK, "")
                        push(heap, (now + hold, seq, _FLOW, offer))
                elif kind is ScheduleCallback:
                    assert isinstance(action, ScheduleCallback)
                    flow_active.discard(contact_id)
                    events += 1
                    if contact_id in center.contacts:  # virtual hold: keeps the place
                        unanswered.discard(contact_id)
                        execute(handle(CallbackRequested(contact_id, action.number), now), now)
                    else:
                        talk_time[contact_id] = handle_samplers[queue_index[action.queue]]()
                        arrival = ContactArrived(
                            contact_id,
                            action.queue,
                            action.number,
                            action.priority,
                            callback_number=action.number,
                        )
                        execute(on_arrival(arrival, now), now)
                else:
                    step = ivr.plan(contact_id, action)
                    if step is not None:
                        flow_active.add(contact_id)
                        seq += 1
                        ref = (contact_id, step.op, step.keys)
                        push(heap, (now + step.delay, seq, _FLOW, ref))

        # Everyone logs in at the start and goes ready.
        for group in self.scenario.agents:
            capacity = {str(channel): limit for channel, limit in group.capacity.items()}
            for i in range(1, group.count + 1):
                agent_id = f"{group.group}-{i:04d}"
                group_of[agent_id] = group.group
                skills = self._agent_skills(group.group)
                login = AgentLoggedIn(agent_id, group.group, skills, capacity)
                execute(handle(login, 0.0), 0.0)
                execute(handle(AgentReady(agent_id), 0.0), 0.0)
                events += 2
        if dialer is not None:
            execute(dialer.start_dialing(0.0), 0.0)
        for index, process in enumerate(self._arrivals):
            first = process.next_after(0.0, end)
            if first < math.inf:
                seq += 1
                push(heap, (first, seq, _ARRIVAL, index))
        if self.sample_interval > 0:
            seq += 1
            push(heap, (0.0, seq, _SAMPLE, None))

        queue_names = self._queue_names
        arrivals = self._arrivals
        handle_samplers = self._handle
        patience_samplers = self._patience
        wrap_up = self._wrap_up
        progress = self.progress
        while heap:
            entry = pop(heap)
            now, _, kind, ref = entry
            if now > end:
                push(heap, entry)  # the world stops here; what is left stays unfinished
                break
            if kind == _ARRIVAL:
                assert isinstance(ref, int)
                contact_id = next_contact
                next_contact += 1
                # Every caller draws talk time and patience on arrival, whether they wait
                # or not, so the same caller behaves the same under another routing.
                flow = queue_flow[ref]
                if flow is not None:
                    # Talk time and patience come from the queue the flow sends them to.
                    caller = f"+1555{contact_id % 10**7:07d}"
                    caller_of[contact_id] = caller
                    in_flow(contact_id, ivr.start(contact_id, flow, caller, now), now)
                else:
                    talk_time[contact_id] = handle_samplers[ref]()
                    waits = caller_patience(ref)
                    caller = f"+1555{contact_id % 10**7:07d}" if numbered[ref] else ""
                    events += 1
                    commands = on_arrival(ContactArrived(contact_id, queue_names[ref], caller), now)
                    queued(contact_id, commands, now, waits)
                following = arrivals[ref].next_after(now, end)
                if following < math.inf:
                    seq += 1
                    push(heap, (following, seq, _ARRIVAL, ref))
                if progress is not None and not contact_id & 0x3FFF:
                    progress(now / end)
            elif kind == _CALL_END:
                assert isinstance(ref, int)
                agent_id = connected.pop(ref)
                events += 1
                ended = on_call_end(CallEnded(ref), now)  # wrap-up starts (maybe a time limit)
                if ended:
                    execute(ended, now)
                wrap = wrap_up[group_of[agent_id]]()
                disposition = None
                truth = truth_of.pop(ref, None) if truth_of else None
                if truth is not None:  # an outbound conversation: the agent's disposition
                    disposition = worlds[truth[0]].disposition(truth[1])
                elif aftercare_any:  # the world knows now whether the call resolved it
                    care = aftercare[queue_index[center.contacts[ref].queue]]
                    if care is not None:
                        resolved = resolved_of[ref] = care.resolved()
                        disposition = care.disposition(resolved)
                if wrap > 0:
                    seq += 1
                    push(heap, (now + wrap, seq, _WRAP_DONE, (agent_id, ref, disposition)))
                else:
                    events += 1
                    execute(on_wrap_done(WrapUpDone(agent_id, disposition, ref), now), now)
            elif kind == _WRAP_DONE:
                assert isinstance(ref, tuple)
                agent_id, contact_id, disposition = ref
                agent = center.agents.get(agent_id)
                # The queue's wrap-up limit may have ended it first (and the next call too).
                if agent is not None and contact_id in agent.work:
                    events += 1
                    done = WrapUpDone(agent_id, disposition, contact_id)
                    execute(on_wrap_done(done, now), now)
            elif kind == _ABANDON:
                assert isinstance(ref, int)
                if ref in unanswered:
                    unanswered.discard(ref)
                    del talk_time[ref]
                    events += 1
                    execute(on_abandon(CallerAbandoned(ref), now), now)
                    if ref in flow_active:  # hung up while hearing the callback offer
                        flow_active.discard(ref)
                        ivr.run_of(ref).hang_up(ivr.clock(now))
            elif kind == _TIMER:
                assert isinstance(ref, str)
                if ref in cancelled:
                    cancelled.discard(ref)
                else:
                    events += 1
                    execute(handle(TimerFired(ref), now), now)
            elif kind == _FLOW:
                assert isinstance(ref, tuple)
                contact_id, op, keys = ref
                if op == OFFER_CALLBACK:
                    run = ivr.run_of(contact_id)
                    if contact_id in unanswered and run.outcome is FlowOutcome.QUEUED:
                        try:
                            actions = ivr.feed(contact_id, op, keys, now)
                        except IllegalFlowEvent:
                            actions = []  # this queue node offers no callback
                        in_flow(contact_id, actions, now)
                elif contact_id in flow_active:
                    in_flow(contact_id, ivr.feed(contact_id, op, keys, now), now)
            elif kind == _REPEAT:
                assert isinstance(ref, tuple)
                index, caller = ref
                contact_id = next_contact  # the same caller, a new contact
                next_contact += 1
                talk_time[contact_id] = handle_samplers[index]()
                events += 1
                commands = on_arrival(ContactArrived(contact_id, queue_names[index], caller), now)
                queued(contact_id, commands, now, caller_patience(index))
            elif kind == _CALLBACK:
                assert isinstance(ref, tuple)
                contact_id, answered = ref
                events += 1
                outcome = CallbackAnswered(contact_id) if answered else CallbackFailed(contact_id)
                execute(handle(outcome, now), now)
            elif kind == _DIAL:
                assert isinstance(ref, int)
                campaign_name, party = parties.pop(ref)
                if party.truth == "human":
                    regulator.answered(campaign_name)
                    if party.result is DialResult.MACHINE:
                        amd_false_machines[campaign_name] += 1
                if party.result is DialResult.HUMAN:
                    talk_time[ref] = worlds[campaign_name].talk(party.truth)
                    truth_of[ref] = (campaign_name, party.truth)
                events += 1
                execute(handle(DialAnswered(ref, party.result), now), now)
            else:  # _SAMPLE
                samples.append(
                    Sample(
                        now,
                        {name: center.queue_length(name) for name in queue_names},
                        {state: center.agents_in(state) for state in _SAMPLED_STATES},
                    )
                )
                seq += 1
                push(heap, (now + self.sample_interval, seq, _SAMPLE, None))
        if progress is not None:
            progress(1.0)

        result = SimulationResult(
            scenario=self.scenario,
            seed=self.seed,
            start=self.scenario.start,
            simulated_seconds=end,
            events_processed=events,
            wall_seconds=time.perf_counter() - wall_start,
            records=records + center.open_interactions(end),
            sessions=sessions + center.open_sessions(end),
            samples=samples,
            flow_runs=list(ivr.runs.values()),
            surveys=surveys,
        )
        if dialer is not None:
            result.campaign_counts = {
                name: dialer.counts(name) | {"amd_false_machines": amd_false_machines[name]}
                for name in worlds
            }
            result.violations = regulator.as_json()
        return result


@cache
def _calling_windows() -> CallingWindows:
    """The calling-window rules, loaded once per process (their caches are warm)."""
    return CallingWindows(load_calling_rules())


def simulate(
    scenario: Scenario, *, seed: int | None = None, base_dir: Path | None = None
) -> SimulationResult:
    """Run a scenario once with its own (or the given) seed."""
    return Simulation(scenario, seed=seed, base_dir=base_dir).run()
