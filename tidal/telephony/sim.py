"""Simulated telephony in real time: the simulator's callers and agents, on the wall clock.

Callers arrive by the center file's arrival processes, talk for its handle times and
hang up after its patience; the simulated agents of each group (`count`) log in,
answer offers after a short ring, and finish wrap-up after the group's `wrap_up`. A
`speed` above 1 plays the day faster (for demos and load tests). Human agents use
the same center through the API: simulated callers talk to them the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from tidal.config import MissingWorld, QueueWorld, Scenario, queue_world
from tidal.core.agent_state import AgentState
from tidal.core.campaigns import Dial, DialAnswered, DialResult
from tidal.core.campaigns.dialer import CAMPAIGN_QUEUE_PREFIX, CallState
from tidal.core.commands import Command, Connect, HangUp, OfferToAgent, Originate, SendToVoicemail
from tidal.core.contact import ContactState
from tidal.core.events import (
    AgentLoggedIn,
    AgentReady,
    CallbackAnswered,
    CallbackFailed,
    CallbackRequested,
    CallEnded,
    CallerAbandoned,
    ContactArrived,
    OfferAccepted,
    WrapUpDone,
)
from tidal.core.flows import Enqueue, FlowAction, FlowOutcome, IllegalFlowEvent, ScheduleCallback
from tidal.sim import (
    OFFER_CALLBACK,
    ArrivalProcess,
    CampaignWorld,
    IvrWorld,
    Regulator,
    Sampler,
    load_scenario_flows,
    sampler,
    stream_generator,
)
from tidal.telephony._protocol import Host

log = logging.getLogger(__name__)

# Fictional numbers (NANP reserves 555-0100..0199 for fiction) across some area codes.
CALLER_AREA_CODES = (202, 212, 305, 312, 415, 503, 602, 713)
# Seconds a simulated agent lets an offer ring before answering.
BOT_ANSWER_SECONDS = (1.0, 3.0)
CALLBACK_ANSWER_SHARE = 0.8
CALLBACK_RING_SECONDS = 12.0
BOT_DISPOSITIONS = (("resolved", 0.85), ("unresolved", 0.15))
# Flows see wall-clock time: seconds since the epoch are seconds after this moment.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Arrival profiles of a center file without a simulated `duration` repeat daily.
DAY_SECONDS = 86_400.0


def bot_ids(config: Scenario) -> dict[str, tuple[str, dict[str, int]]]:
    """Simulated agents: `count` per group, named GROUP-01, GROUP-02, ..."""
    bots: dict[str, tuple[str, dict[str, int]]] = {}
    for group in config.agents:
        for i in range(group.count):
            bots[f"{group.group}-{i + 1:02d}"] = (group.group, dict(group.skills))
    return bots


class SimTelephony:
    """Callers and simulated agents driven by the center file's distributions."""

    def __init__(
        self,
        config: Scenario,
        *,
        seed: int | None = None,
        speed: float = 1.0,
        bots: bool = True,
        base_dir: Path | None = None,
    ) -> None:
        if speed <= 0:
            raise ValueError(f"speed must be positive, got {speed}")
        self.config = config
        self.speed = speed
        self.seed = seed if seed is not None else (config.seed ^ int(time.time()))
        self.bots = bot_ids(config) if bots else {}
        self._runtime: Host | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._handles: dict[tuple[str, int | str], asyncio.TimerHandle] = {}
        seed_ = self.seed
        # Queues whose center file says nothing of their callers (made in the admin, say)
        # get no simulated callers; human agents still take what else arrives.
        self._worlds_of: dict[str, QueueWorld] = {}
        for queue in config.queues:
            try:
                self._worlds_of[queue.name] = queue_world(queue, f"queue {queue.name!r}")
            except MissingWorld as missing:
                log.warning("no simulated callers for %s (%s)", queue.name, missing)
        self._handle_time = {
            name: sampler(w.handle_time, seed_, f"handle_time:{name}")
            for name, w in self._worlds_of.items()
        }
        self._patience: dict[str, Sampler | None] = {
            q.name: None if q.patience is None else sampler(q.patience, seed_, f"patience:{q.name}")
            for q in config.queues
        }
        self._wrap_up = {
            g.group: sampler(g.wrap_up, seed_, f"wrap_up:{g.group}") for g in config.agents
        }
        self._capacity = {
            g.group: {str(channel): limit for channel, limit in g.capacity.items()}
            for g in config.agents
        }
        self._rng = stream_generator(seed_, "live-telephony")
        self.calls_started = 0
        # Call flows (relative to the center file): their callers press keys in real time.
        flows = load_scenario_flows(config, base_dir or Path(".")) if config.flows else {}
        self.ivr = IvrWorld(flows, seed_, EPOCH)
        self._queue_flow = {q.name: q.flow for q in config.queues}
        self._callers: dict[int, str] = {}
        # Outbound: the simulator's world answers the dialer's calls (outcomes, AMD, talk),
        # and its regulator counts what really rang outside 08:00-21:00 local time.
        self._worlds: dict[str, CampaignWorld] = {}
        for campaign in config.campaigns:
            try:
                self._worlds[campaign.name] = CampaignWorld(campaign, seed_)
            except MissingWorld as missing:  # its dials ring out unanswered
                log.warning("no simulated public for campaign %s (%s)", campaign.name, missing)
        self._outbound: dict[int, tuple[str, str, float]] = {}  # call -> campaign, truth, talk
        self.regulator = Regulator(EPOCH)
        self.dialled: list[tuple[float, str]] = []  # (when, number) of the latest dials
        self.dials = 0

    @property
    def runtime(self) -> Host:
        if self._runtime is None:
            raise RuntimeError("telephony is not attached to a runtime")
        return self._runtime

    def attach(self, runtime: Host) -> None:
        """Learn the runtime to feed events into."""
        self._runtime = runtime

    # -- scheduling in real time ------------------------------------------------------------

    def _later(
        self, key: tuple[str, int | str], seconds: float, action: Callable[[], None]
    ) -> None:
        """Run `action` after `seconds` of simulated time, replacing any same-key step."""
        self._cancel(key)
        loop = asyncio.get_running_loop()

        def run() -> None:
            self._handles.pop(key, None)
            action()

        self._handles[key] = loop.call_later(max(0.0, seconds) / self.speed, run)

    def _cancel(self, key: tuple[str, int | str]) -> None:
        handle = self._handles.pop(key, None)
        if handle is not None:
            handle.cancel()

    # -- callers ------------------------------------------------------------------------------

    def caller_number(self) -> str:
        """A fictional caller; a few numbers call often, so history and sticky routing show."""
        rng = self._rng
        area = CALLER_AREA_CODES[int(rng.integers(len(CALLER_AREA_CODES)))]
        line = min(99, int(rng.zipf(1.6)) - 1)
        return f"+1{area}55501{line:02d}"

    async def _arrivals(self, queue: str, process: ArrivalProcess, duration: float) -> None:
        """Callers of one queue, forever; a profile repeats every `duration` seconds."""
        t = 0.0
        while True:
            nxt = process.next_after(t % duration, duration)
            if nxt == math.inf:  # the profile's end: start the day again
                await asyncio.sleep((duration - t % duration) / self.speed)
                t += duration - t % duration
                continue
            gap = nxt - t % duration
            await asyncio.sleep(gap / self.speed)
            t += gap
            self.call(queue)

    def call(self, queue: str, caller: str | None = None) -> int:
        """A caller dials the number of `queue` now (its flow first, if it has one)."""
        runtime = self.runtime
        contact_id = runtime.new_contact_id()
        number = caller or self.caller_number()
        self.calls_started += 1
        flow = self._queue_flow.get(queue)
        if flow is not None:
            self._callers[contact_id] = number
            self._in_flow(contact_id, self.ivr.start(contact_id, flow, number, runtime.now()))
            return contact_id
        runtime.try_submit(ContactArrived(contact_id, queue, number))
        self._wait(contact_id, queue)
        return contact_id

    # -- callers in call flows ----------------------------------------------------------------

    def _in_flow(self, contact_id: int, actions: list[FlowAction]) -> None:
        """Carry out what the flow asks: queue the caller (with what they keyed in), book a
        callback, or let the caller listen and answer after their delay."""
        runtime = self.runtime
        for action in actions:
            if isinstance(action, Enqueue):
                if contact_id in runtime.center.contacts:
                    continue  # declined a callback offer: still waiting in line
                number = self._callers.get(contact_id, "")
                arrival = ContactArrived(
                    contact_id, action.queue, number, action.priority, data=dict(action.data)
                )
                if runtime.try_submit(arrival) is not None:
                    self._wait(contact_id, action.queue)
                    hold = self.ivr.behaviour(contact_id).virtual_hold_after
                    if hold is not None:
                        self._later(
                            ("flow", contact_id), float(hold), lambda: self._offer_hold(contact_id)
                        )
            elif isinstance(action, ScheduleCallback):
                self._cancel(("abandon", contact_id))
                if contact_id in runtime.center.contacts:  # virtual hold: keeps the place
                    runtime.try_submit(CallbackRequested(contact_id, action.number))
                else:
                    runtime.try_submit(
                        ContactArrived(
                            contact_id,
                            action.queue,
                            action.number,
                            action.priority,
                            callback_number=action.number,
                            data=dict(action.data),
                        )
                    )
            else:
                step = self.ivr.plan(contact_id, action)
                if step is not None:
                    op, keys = step.op, step.keys

                    def feed(op: str = op, keys: str = keys) -> None:
                        at = self.runtime.now()
                        self._in_flow(contact_id, self.ivr.feed(contact_id, op, keys, at))

                    self._later(("flow", contact_id), step.delay, feed)

    def _offer_hold(self, contact_id: int) -> None:
        """A caller still waiting hears the queue's callback offer (virtual hold)."""
        contact = self.runtime.center.contacts.get(contact_id)
        run = self.ivr.run_of(contact_id)
        if contact is None or contact.state is not ContactState.QUEUED:
            return
        if run.outcome is not FlowOutcome.QUEUED:
            return
        try:
            actions = self.ivr.feed(contact_id, OFFER_CALLBACK, "", self.runtime.now())
        except IllegalFlowEvent:
            return  # this queue node offers no callback
        self._in_flow(contact_id, actions)

    def _wait(self, contact_id: int, queue: str) -> None:
        """A waiting caller hangs up after their patience unless answered first."""
        contact = self.runtime.center.contacts.get(contact_id)
        patience = self._patience.get(queue)
        if contact is None or patience is None or contact.state is ContactState.CONNECTED:
            return
        if contact.callback_number is not None:
            return  # nobody is on the line: the center calls them back

        def abandon() -> None:
            current = self.runtime.center.contacts.get(contact_id)
            if current is not None and current.state in (ContactState.QUEUED, ContactState.OFFERED):
                self.runtime.try_submit(CallerAbandoned(contact_id))

        self._later(("abandon", contact_id), patience(), abandon)

    def _talk(self, contact_id: int, queue: str) -> None:
        """A connected caller hangs up after their talk time (the agent may end it first)."""
        self._cancel(("abandon", contact_id))

        def hang_up() -> None:
            contact = self.runtime.center.contacts.get(contact_id)
            if contact is None or contact.state is not ContactState.CONNECTED:
                return
            agent_id = contact.agent_id
            self.runtime.try_submit(CallEnded(contact_id))
            if agent_id is not None:
                self._after_call(agent_id, contact_id)

        self._later(("talk", contact_id), self._talk_time(contact_id, queue), hang_up)

    def _talk_time(self, contact_id: int, queue: str) -> float:
        outbound = self._outbound.get(contact_id)
        if outbound is not None:
            return outbound[2]
        sample = self._handle_time.get(queue)
        if sample is not None:
            return sample()
        world = self._worlds.get(queue.removeprefix(CAMPAIGN_QUEUE_PREFIX))
        return world.talk("human") if world is not None else 60.0

    # -- simulated agents ---------------------------------------------------------------------

    def _after_call(self, agent_id: str, contact_id: int) -> None:
        """A simulated agent finishes a contact's wrap-up after their group's wrap-up time."""
        if agent_id not in self.bots:
            return
        agent = self.runtime.center.agents.get(agent_id)
        if agent is None or agent.work.get(contact_id) is not AgentState.WRAP_UP:
            return
        group = self.bots[agent_id][0]
        disposition = self._disposition_of(contact_id)

        def done() -> None:
            current = self.runtime.center.agents.get(agent_id)
            if current is not None and current.work.get(contact_id) is AgentState.WRAP_UP:
                self.runtime.try_submit(WrapUpDone(agent_id, disposition, contact_id))

        self._later(("wrap", contact_id), self._wrap_up[group](), done)

    def _disposition_of(self, contact_id: int | None) -> str:
        """An outbound call: the campaign world's disposition; inbound: resolved or not."""
        contact = None if contact_id is None else self.runtime.center.contacts.get(contact_id)
        if contact_id is not None and contact is not None:
            name = contact.queue.removeprefix(CAMPAIGN_QUEUE_PREFIX)
            if contact.queue.startswith(CAMPAIGN_QUEUE_PREFIX) and name in self._worlds:
                outbound = self._outbound.pop(contact_id, None)
                truth = outbound[1] if outbound is not None else "human"
                return self._worlds[name].disposition(truth)
        return self._disposition()

    def _disposition(self) -> str:
        roll = float(self._rng.random())
        for name, share in BOT_DISPOSITIONS:
            if roll < share:
                return name
            roll -= share
        return BOT_DISPOSITIONS[-1][0]

    def _answer(self, agent_id: str, contact_id: int) -> None:
        low, high = BOT_ANSWER_SECONDS

        def accept() -> None:
            agent = self.runtime.center.agents.get(agent_id)
            if agent is not None and agent.work.get(contact_id) is AgentState.RESERVED:
                self.runtime.try_submit(OfferAccepted(contact_id, agent_id))

        self._later(("answer", contact_id), float(self._rng.uniform(low, high)), accept)

    def _log_in_bots(self) -> None:
        center = self.runtime.center
        for agent_id, (group, skills) in self.bots.items():
            agent = center.agents.get(agent_id)
            if agent is None or agent.state is AgentState.LOGGED_OUT:
                capacity = self._capacity[group]
                self.runtime.try_submit(AgentLoggedIn(agent_id, group, skills, capacity))
                self.runtime.try_submit(AgentReady(agent_id))
            elif agent.state is AgentState.NOT_READY:
                self.runtime.try_submit(AgentReady(agent_id))

    # -- the Telephony protocol -----------------------------------------------------------------

    def resume(self) -> None:
        """Pick up what the recovered center holds: callers on hold or talking, bots' steps."""
        center = self.runtime.center
        for contact in list(center.contacts.values()):
            if contact.state is ContactState.CONNECTED:
                self._talk(contact.contact_id, contact.queue)
            elif contact.state in (ContactState.QUEUED, ContactState.OFFERED):
                self._wait(contact.contact_id, contact.queue)
        for agent_id in self.bots:
            agent = center.agents.get(agent_id)
            if agent is None:
                continue
            for contact_id, where in list(agent.work.items()):
                if where is AgentState.RESERVED:
                    self._answer(agent_id, contact_id)
                elif where is AgentState.WRAP_UP:
                    self._after_call(agent_id, contact_id)
        dialer = self.runtime.dialer
        if dialer is not None:  # calls still ringing: their numbers answer (or not) anew
            for run in dialer.campaigns.values():
                for call in list(run.calls.values()):
                    if call.state is CallState.RINGING:
                        self._ring(run.name, call.call_id, call.number)

    async def start(self) -> None:
        """Log the simulated agents in and let callers arrive."""
        self._log_in_bots()
        duration = float(self.config.duration or DAY_SECONDS)
        for queue in self.config.queues:
            world = self._worlds_of.get(queue.name)
            if world is None:
                continue
            process = ArrivalProcess(world.arrivals, self.seed, queue.name)
            task = asyncio.create_task(
                self._arrivals(queue.name, process, duration), name=f"arrivals:{queue.name}"
            )
            self._tasks.append(task)

    def _ring(self, campaign: str, call_id: int, number: str) -> None:
        """A dialled number answers (a person or a machine), rings out, is busy or invalid."""
        world = self._worlds.get(campaign)
        if world is None:
            return
        party = world.dial()
        self.dials += 1
        now = self.runtime.now()
        self.regulator.dialled(number, now)
        self.dialled.append((now, number))
        if len(self.dialled) > 10_000:
            del self.dialled[:5_000]
        if party.truth == "human":
            self.regulator.answered(campaign)
        if party.result is DialResult.HUMAN:
            self._outbound[call_id] = (campaign, party.truth, world.talk(party.truth))
        result = party.result

        def answered() -> None:
            if self.runtime.try_submit(DialAnswered(call_id, result)) is None:
                self._outbound.pop(call_id, None)

        self._later(("dial", call_id), party.after, answered)

    def execute(self, command: Command | Dial, now: float) -> None:
        """React to the center: bots answer offers, connected callers talk, and so on."""
        if isinstance(command, Dial):
            self._ring(command.campaign, command.call_id, command.number)
        elif isinstance(command, OfferToAgent):
            if command.agent_id in self.bots:
                self._answer(command.agent_id, command.contact_id)
        elif isinstance(command, Connect):
            contact = self.runtime.center.contacts.get(command.contact_id)
            if contact is not None:
                self._talk(command.contact_id, contact.queue)
        elif isinstance(command, HangUp | SendToVoicemail):
            self._cancel(("abandon", command.contact_id))
            dropped = self._outbound.pop(command.contact_id, None)  # nobody in 2 s
            if dropped is not None and dropped[1] == "human":
                self.regulator.dropped(dropped[0])
        elif isinstance(command, Originate):
            answered = float(self._rng.random()) < CALLBACK_ANSWER_SHARE
            contact_id = command.contact_id

            def outcome() -> None:
                if answered:
                    self.runtime.try_submit(CallbackAnswered(contact_id))
                else:
                    self.runtime.try_submit(CallbackFailed(contact_id, "no_answer"))

            self._later(("callback", contact_id), CALLBACK_RING_SECONDS, outcome)

    async def stop(self) -> None:
        """Stop callers arriving and forget every pending step."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        for handle in self._handles.values():
            handle.cancel()
        self._handles.clear()
