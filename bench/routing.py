"""Routing decisions per second at 10,000 agents, 500 queues and 20 skills, vs a naive scan.

Two decisions are timed, each with `time.perf_counter_ns()` around one call:

- agent for a contact: `Center.handle(ContactArrived)` to a queue that has ready agents
  who can take it; the center picks the agent and returns `OfferToAgent`.
- contact for an agent: `Center.handle(WrapUpDone)` for an agent whose queues have
  callers waiting; the center picks the best contact across the agent's queues
  (queue priority, then contact priority, then the longest wait) and offers it.

Each decision is then settled outside the timed region (accept, end, wrap up; a new
caller replaces the one taken) so the center stays in the same busy state throughout:
most agents reserved, talking or in wrap-up, about 5% ready, about 2,000 callers
waiting in the queues whose skills are short of agents.

The naive baseline answers the same questions on the same states the way one would
without indexes: scan all agents (the ready one with the right skills who has waited
longest), or all queues' waiting contacts (the best one the agent can serve). It is
run on a second, identical center, timed the same way, and must pick exactly what the
center picks. Both sides are timed on the choice alone (the center's router, which
`handle` calls); the whole `handle` call (state changes, the record of the contact
that ended, the offer) is reported beside it as `ours_whole_event`.

Prints one JSON object on stdout. Usage: python bench/routing.py [--samples N] [--seed S]
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import platform
import random
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from tidal.core.agent_state import Agent, AgentState
from tidal.core.center import Center
from tidal.core.commands import Command, OfferToAgent
from tidal.core.contact import Contact
from tidal.core.events import (
    AgentLoggedIn,
    AgentNotReady,
    AgentReady,
    CallEnded,
    ContactArrived,
    OfferAccepted,
    WrapUpDone,
)
from tidal.core.pools import Strategy
from tidal.core.queue import ContactQueue, QueueSpec
from tidal.core.routing import PoolRouter

AGENTS = 10_000
QUEUES = 500
SKILLS = 20
WAITING = 2_000  # callers waiting in the center
READY_SHARE = 0.05
NOT_READY_SHARE = 0.02  # on a break
# Busy agents split between ringing, talking and wrap-up.
RESERVED_SHARE = 0.05
WRAP_SHARE = 0.25
# Skills short of agents: every queue needing one of them has callers waiting and
# no ready agent (the ready agents are among those without these skills).
SHORT_SKILLS = 4
URGENT_SHARE = 0.1  # callers with contact priority 1 (set by a call flow)

TARGET_P99_US = 100.0
TARGET_SPEEDUP = 20.0

SKILL_NAMES = [f"skill{i:02d}" for i in range(SKILLS)]


def log(message: str) -> None:
    print(f"[bench/routing] {message}", file=sys.stderr, flush=True)


# -- the synthetic center -------------------------------------------------------------------


class Clock:
    """Strictly increasing time: every event gets its own instant, so no ties."""

    def __init__(self) -> None:
        self.now = 0.0

    def tick(self) -> float:
        self.now += 0.001
        return self.now


@dataclass
class Bench:
    """A center in a busy steady state and what the two decision loops draw from."""

    center: Center
    clock: Clock
    # Queues that have ready agents who can take a contact (for decision a).
    open_queues: list[str]
    # Agents in wrap-up whose queues have callers waiting (for decision b).
    wrapping: list[str]
    sizes: dict[str, Any]
    next_contact: int = 0

    def contact_id(self) -> int:
        self.next_contact += 1
        return self.next_contact

    def send(self, event: Any) -> list[Command]:
        return self.center.handle(event, self.clock.tick())


def offer_of(commands: list[Command]) -> OfferToAgent | None:
    for command in commands:
        if isinstance(command, OfferToAgent):
            return command
    return None


def build(seed: int) -> Bench:
    """10,000 agents, 500 queues and 20 skills, brought to a busy state by real events."""
    rng = random.Random(seed)
    short = set(SKILL_NAMES[:SHORT_SKILLS])
    specs = []
    for q in range(QUEUES):
        needed = rng.sample(SKILL_NAMES, rng.choice((1, 2)))
        specs.append(
            QueueSpec(
                name=f"q{q:03d}",
                skills={skill: rng.randint(1, 5) for skill in needed},
                priority=rng.randint(0, 2),
                strategy=Strategy.LONGEST_IDLE,
            )
        )
    short_queues = [spec.name for spec in specs if short & set(spec.skills)]
    center = Center(specs, rng=random.Random(seed))
    bench = Bench(center, Clock(), [], [], {})

    for a in range(AGENTS):
        skills = {s: rng.randint(1, 10) for s in rng.sample(SKILL_NAMES, rng.randint(3, 6))}
        bench.send(AgentLoggedIn(f"a{a:05d}", f"team{a % 25:02d}", skills))
    agents = list(center.agents.values())

    # The ready agents have none of the short skills, so none serves a queue that has
    # callers waiting: that is what lets both coexist in a real center.
    candidates = [a for a in agents if a.lanes and not short & set(a.skills)]
    ready = rng.sample(candidates, round(READY_SHARE * AGENTS))
    chosen = {a.agent_id for a in ready}
    rest = [a for a in agents if a.agent_id not in chosen]
    rng.shuffle(rest)
    breaks = round(NOT_READY_SHARE * AGENTS)
    on_break = rest[:breaks] + [a for a in rest[breaks:] if not a.lanes]
    busy = [a for a in rest[breaks:] if a.lanes]

    # Busy agents: one caller each, arriving while no one is ready, then taken.
    for agent in busy:
        name, _ = rng.choice(agent.lanes)
        contact_id = bench.contact_id()
        bench.send(ContactArrived(contact_id, name, caller=f"+1555{contact_id:07d}"))
        offer = offer_of(bench.send(AgentReady(agent.agent_id)))
        assert offer is not None and offer.contact_id == contact_id, "setup: offer expected"
        roll = rng.random()
        if roll < RESERVED_SHARE:
            continue  # still ringing
        bench.send(OfferAccepted(contact_id, agent.agent_id))
        if roll < RESERVED_SHARE + WRAP_SHARE:
            bench.send(CallEnded(contact_id))

    # Callers waiting in the short-skill queues: each of them gets some, then at random.
    targets = short_queues + [rng.choice(short_queues) for _ in range(WAITING - len(short_queues))]
    for name in targets:
        contact_id = bench.contact_id()
        priority = 1 if rng.random() < URGENT_SHARE else 0
        commands = bench.send(ContactArrived(contact_id, name, f"+1555{contact_id:07d}", priority))
        assert offer_of(commands) is None, "setup: no agent should be free for these"

    for agent in ready:
        assert not bench.send(AgentReady(agent.agent_id)), "setup: nothing waits for these"
    for agent in on_break:
        bench.send(AgentNotReady(agent.agent_id, "break"))

    router = center.router
    assert isinstance(router, PoolRouter)
    bench.open_queues = [name for name in center.queues if router.ready_count(name) > 0]
    bench.wrapping = [
        a.agent_id
        for a in agents
        if a.state is AgentState.WRAP_UP and any(len(center.queues[n]) for n, _ in a.lanes)
    ]
    states = {state.value: center.agents_in(state) for state in AgentState}
    bench.sizes = {
        "agents": len(center.agents),
        "queues": len(center.queues),
        "skills": SKILLS,
        "skills_per_agent": "3-6 at levels 1-10",
        "skills_per_queue": "1-2 at minimum levels 1-5, queue priority 0-2",
        "strategy": "longest_idle",
        "agent_states": states,
        "waiting_contacts": sum(len(q) for q in center.queues.values()),
        "queues_with_waiting_contacts": sum(1 for q in center.queues.values() if len(q)),
        "queues_with_ready_agents": len(bench.open_queues),
        "queues_per_agent_mean": round(sum(len(a.lanes) for a in agents) / len(agents), 1),
        "wrap_up_agents_with_waiting_contacts": len(bench.wrapping),
    }
    return bench


# -- the naive scans ------------------------------------------------------------------------


def can_serve(skills: Mapping[str, int], required: Mapping[str, int]) -> bool:
    """`QueueSpec.admits` as a plain loop: quicker than `all()` over a generator, so the
    baseline is as fast as a scan can be."""
    for skill, level in required.items():  # noqa: SIM110
        if skills.get(skill, 0) < level:
            return False
    return True


def naive_agent_for(agents: Mapping[str, Agent], queue: ContactQueue) -> Agent | None:
    """Every agent: the ready one with the queue's skills who has been ready longest."""
    required = queue.spec.skills
    best: Agent | None = None
    for agent in agents.values():
        if agent.state is not AgentState.READY:
            continue
        if not can_serve(agent.skills, required):
            continue
        if best is None or agent.since < best.since:
            best = agent
    return best


def naive_contact_for(agent: Agent, queues: Mapping[str, ContactQueue]) -> Contact | None:
    """Every queue's waiting contacts: the best one of a queue the agent can serve."""
    best: Contact | None = None
    best_key: tuple[int, int, float] | None = None
    for queue in queues.values():
        spec = queue.spec
        if not can_serve(agent.skills, spec.skills):
            continue
        for contact in queue:
            key = (-spec.priority, -contact.priority, contact.arrived_at)
            if best_key is None or key < best_key:
                best, best_key = contact, key
    return best


# -- the two decision loops -----------------------------------------------------------------


@dataclass
class Decision:
    """One decision's event, the naive answer to the same question, and how to settle it."""

    event: Any
    naive: Callable[[], Any]
    settle: Callable[[OfferToAgent], None]
    choose: Callable[[], Any]  # the center's router making the same choice, no side effects


def agent_decisions(bench: Bench, rng: random.Random) -> Iterator[Decision]:
    """A caller arrives at a queue with ready agents; the agent is offered, then wraps up."""
    center = bench.center
    queues = bench.open_queues

    def settle(offer: OfferToAgent) -> None:
        bench.send(OfferAccepted(offer.contact_id, offer.agent_id))
        bench.send(CallEnded(offer.contact_id))
        # Back to ready; none of its queues has callers waiting, so it joins the idle line.
        assert offer_of(bench.send(WrapUpDone(offer.agent_id))) is None

    while True:
        queue = center.queues[rng.choice(queues)]
        contact_id = bench.contact_id()
        event = ContactArrived(contact_id, queue.spec.name, f"+1555{contact_id:07d}")
        yield Decision(
            event,
            partial(naive_agent_for, center.agents, queue),
            settle,
            partial(center.router.pick_agent, queue),
        )


def contact_decisions(bench: Bench, rng: random.Random) -> Iterator[Decision]:
    """An agent ends wrap-up and takes a waiting caller; a new caller takes its place."""
    center = bench.center
    agents = bench.wrapping

    def settle(offer: OfferToAgent) -> None:
        taken = center.contacts[offer.contact_id]
        contact_id = bench.contact_id()
        arrival = ContactArrived(contact_id, taken.queue, f"+1555{contact_id:07d}", taken.priority)
        assert offer_of(bench.send(arrival)) is None
        bench.send(OfferAccepted(offer.contact_id, offer.agent_id))
        bench.send(CallEnded(offer.contact_id))  # in wrap-up again

    while True:
        agent = center.agents[rng.choice(agents)]
        event = WrapUpDone(agent.agent_id)
        yield Decision(
            event,
            partial(naive_contact_for, agent, center.queues),
            settle,
            partial(center.router.pick_contact, agent, center.queues),
        )


def run_ours(
    bench: Bench, decisions: Iterator[Decision], warmup: int, samples: int
) -> tuple[list[int], list[int]]:
    """Nanoseconds of each choice alone (the router), and of the whole `handle` call.

    The choice is what the naive scan is compared with; the whole call adds the
    state changes, the record of the contact that ended and the offer.
    """
    handle = bench.center.handle
    clock = bench.clock
    timer = time.perf_counter_ns
    choices: list[int] = []
    handles: list[int] = []
    for i in range(warmup + samples):
        decision = next(decisions)
        now = clock.tick()
        started = timer()
        decision.choose()
        chosen = timer() - started
        started = timer()
        commands = handle(decision.event, now)
        elapsed = timer() - started
        offer = offer_of(commands)
        assert offer is not None, "the decision must offer a contact to an agent"
        decision.settle(offer)
        if i >= warmup:
            choices.append(chosen)
            handles.append(elapsed)
    return choices, handles


def run_naive(
    bench: Bench, decisions: Iterator[Decision], warmup: int, samples: int
) -> tuple[list[int], int]:
    """Nanoseconds of each naive choice, made just before the center makes its own.

    Every choice, warm-up included, is compared with the center's; returns the times
    of the timed ones and how many choices differ from the center's.
    """
    handle = bench.center.handle
    clock = bench.clock
    timer = time.perf_counter_ns
    times: list[int] = []
    mismatches = 0
    for i in range(warmup + samples):
        decision = next(decisions)
        started = timer()
        choice = decision.naive()
        elapsed = timer() - started
        offer = offer_of(handle(decision.event, clock.tick()))
        assert offer is not None, "the decision must offer a contact to an agent"
        if isinstance(choice, Agent):
            same = choice.agent_id == offer.agent_id
        else:
            same = choice is not None and choice.contact_id == offer.contact_id
        mismatches += not same
        decision.settle(offer)
        if i >= warmup:
            times.append(elapsed)
    return times, mismatches


def summary(times_ns: list[int]) -> dict[str, float]:
    ordered = sorted(times_ns)
    n = len(ordered)

    def pct(p: float) -> float:
        return ordered[min(n - 1, int(p * n))] / 1000

    mean = sum(ordered) / n
    return {
        "samples": n,
        "p50_us": round(pct(0.50), 2),
        "p90_us": round(pct(0.90), 2),
        "p99_us": round(pct(0.99), 2),
        "max_us": round(ordered[-1] / 1000, 2),
        "mean_us": round(mean / 1000, 2),
        "per_second": round(1e9 / mean),
    }


def measure(
    kind: str,
    make: Callable[[Bench, random.Random], Iterator[Decision]],
    seed: int,
    warmup: int,
    samples: int,
    naive_samples: int,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Ours and naive on two identical centers fed the same decision stream.

    The naive scan runs on a copy of the freshly built center (a pickle round trip),
    the center's own timing on the original.
    """
    log(f"{kind}: building the center")
    bench = build(seed)
    sizes = bench.sizes
    copy = pickle.loads(pickle.dumps(bench, protocol=pickle.HIGHEST_PROTOCOL))
    log(f"{kind}: {naive_samples} naive decisions (each checked against the center)")
    naive_times, mismatches = run_naive(
        copy, make(copy, random.Random(seed + 1)), warmup, naive_samples
    )
    del copy
    gc.collect()
    log(f"{kind}: {samples} timed decisions")
    choice_times, handle_times = run_ours(
        bench, make(bench, random.Random(seed + 1)), warmup, samples
    )
    ours = summary(choice_times)
    naive = summary(naive_times)
    result = {
        "ours": ours,
        "ours_whole_event": summary(handle_times),
        "naive": naive,
        "speedup_p50": round(naive["p50_us"] / ours["p50_us"], 1),
        "speedup_p99": round(naive["p99_us"] / ours["p99_us"], 1),
        "agreement": {"checked": warmup + naive_samples, "mismatches": mismatches},
    }
    return result, sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=20_000, help="timed decisions per kind")
    parser.add_argument("--naive-samples", type=int, default=2_000, help="naive decisions")
    parser.add_argument("--warmup", type=int, default=2_000, help="untimed decisions first")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    started = time.perf_counter()
    agent_for_contact, sizes = measure(
        "agent for a contact",
        agent_decisions,
        args.seed,
        args.warmup,
        args.samples,
        args.naive_samples,
    )
    contact_for_agent, _ = measure(
        "contact for an agent",
        contact_decisions,
        args.seed,
        args.warmup,
        args.samples,
        args.naive_samples,
    )
    kinds = (agent_for_contact, contact_for_agent)
    mismatches = sum(k["agreement"]["mismatches"] for k in kinds)
    met = all(
        k["ours"]["p99_us"] <= TARGET_P99_US and k["speedup_p50"] >= TARGET_SPEEDUP for k in kinds
    )
    print(
        json.dumps(
            {
                "benchmark": "routing",
                "python": platform.python_version(),
                "machine": platform.machine(),
                "seed": args.seed,
                "sizes": sizes,
                "agent_for_contact": agent_for_contact,
                "contact_for_agent": contact_for_agent,
                "agreement": {
                    "checked": sum(k["agreement"]["checked"] for k in kinds),
                    "mismatches": mismatches,
                },
                "target": {
                    "p99_us": TARGET_P99_US,
                    "speedup": TARGET_SPEEDUP,
                    "speedup_basis": "p50",
                    "met": met and mismatches == 0,
                },
                "wall_seconds": round(time.perf_counter() - started, 1),
            }
        )
    )
    # The naive scans define the expected choice: any disagreement is a routing bug.
    assert mismatches == 0, f"{mismatches} decisions differ from the naive scan"


if __name__ == "__main__":
    main()
