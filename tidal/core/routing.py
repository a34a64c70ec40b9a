"""Agent and contact selection: which ready agent gets a contact, which contact an agent.

The `Router` protocol is the seam where routing plugs in. `PoolRouter` is the
default: each queue chooses among its ready agents by its strategy (see `pools`),
and a freed agent takes the best waiting contact by strict priority.

A multitasking agent (see `capacity`) stays in the pools of a channel's queues
while it has room on that channel, filed by how many of its contacts it holds;
`agent_became_ready` re-files it after each change and `agent_left_ready` drops it
from every pool.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from typing import Protocol

from tidal.core.agent_state import Agent
from tidal.core.capacity import EXCLUSIVE_CHANNELS
from tidal.core.contact import Contact
from tidal.core.pools import LeastLoadedPool, ReadyPool, RoundRobinPool, make_pool
from tidal.core.queue import ContactQueue, QueueSpec


class Router(Protocol):
    """Keeps the index of ready agents and makes the two routing choices."""

    def agent_became_ready(self, agent: Agent) -> None:
        """Index an agent that can now take contacts (re-file a multitasking one)."""

    def agent_left_ready(self, agent: Agent) -> None:
        """Drop an agent who was reserved, went not ready or logged out (from every pool)."""

    def pick_agent(self, queue: ContactQueue, lane: int = 0) -> Agent | None:
        """The ready agent who should get the next contact of `queue`'s `lane`, if any."""

    def pick_contact(self, agent: Agent, queues: Mapping[str, ContactQueue]) -> Contact | None:
        """The waiting contact this freed agent should take, if any (left in its queue)."""


class PoolRouter:
    """Each queue's ready agents in the pool of its strategy; contacts by strict priority.

    For a freed agent: the highest queue priority first, then the highest contact
    priority, then the contact that has waited longest: deterministic across queues
    (unlike Asterisk, where queues race for a shared member).
    """

    __slots__ = ("_channels", "_lane_counts", "_pools")

    def __init__(self, queues: Iterable[QueueSpec], *, rng: random.Random | None = None) -> None:
        rng = rng if rng is not None else random.Random(0)
        specs = list(queues)
        # One pool per queue and expansion lane; lane i holds every agent admitted at
        # a step <= i, so a contact at step i looks in one pool only.
        self._pools: dict[tuple[str, int], ReadyPool] = {
            (spec.name, lane): _pool(spec, rng) for spec in specs for lane in range(spec.lane_count)
        }
        self._lane_counts = {spec.name: spec.lane_count for spec in specs}
        self._channels = {spec.name: str(spec.channel) for spec in specs}

    def agent_became_ready(self, agent: Agent) -> None:
        """Add the agent to the pools of every queue lane it serves."""
        if agent.multitask:
            self._refile(agent)
            return
        pools = self._pools
        counts = self._lane_counts
        now = agent.since
        for name, entry in agent.lanes:
            for lane in range(entry, counts[name]):
                pools[(name, lane)].add(agent, now)

    def agent_left_ready(self, agent: Agent) -> None:
        """Remove the agent from every pool."""
        if agent.multitask:
            self._refile(agent, leaving=True)
            return
        pools = self._pools
        counts = self._lane_counts
        for name, entry in agent.lanes:
            for lane in range(entry, counts[name]):
                pools[(name, lane)].remove(agent)

    def _refile(self, agent: Agent, *, leaving: bool = False) -> None:
        """Put a multitasking agent in the pools its room per channel allows, at its load."""
        pooled = agent.pooled
        channels = self._channels
        changed: dict[str, tuple[int | None, int | None]] = {}
        for channel in {channels[name] for name, _ in agent.lanes}:
            level = None if leaving else agent.offer_level(channel)
            was = pooled.get(channel)
            if level != was:
                changed[channel] = (was, level)
        if not changed:
            return
        pools = self._pools
        counts = self._lane_counts
        now = agent.since
        for name, entry in agent.lanes:
            move = changed.get(channels[name])
            if move is None:
                continue
            for lane in range(entry, counts[name]):
                pool = pools[(name, lane)]
                if move[0] is not None:
                    pool.remove(agent)
                if move[1] is not None:
                    pool.add(agent, now)
        for channel, (_, level) in changed.items():
            if level is None:
                del pooled[channel]
            else:
                pooled[channel] = level

    def pick_agent(self, queue: ContactQueue, lane: int = 0) -> Agent | None:
        """The queue strategy's choice among the agents admitted at `lane`."""
        pool = self._pools[(queue.spec.name, lane)]
        agent = pool.pick()
        if agent is not None and isinstance(pool, _REMEMBERS_CHOICE):
            pool.chosen(agent)
        return agent

    def pick_contact(self, agent: Agent, queues: Mapping[str, ContactQueue]) -> Contact | None:
        """Best (queue priority, contact priority, earliest arrival) among the agent's queues.

        `agent.lanes` is sorted by queue priority, best first, so the scan stops at
        the first priority level that has anyone waiting. A multitasking agent only
        looks at queues of channels it has room on, and at exclusive ones (voice):
        a call it would be given is returned even while it holds chats, so that it
        can drain (take nothing new) until it is free for it.
        """
        best: Contact | None = None
        best_key = (0, 0.0)
        best_priority = 0
        lanes = agent.lanes
        if agent.multitask:  # filtered once, so single-tasking agents pay nothing per lane
            channels = self._channels
            lanes = tuple(
                (name, entry)
                for name, entry in lanes
                if channels[name] in EXCLUSIVE_CHANNELS or agent.has_room(channels[name])
            )
        for name, entry in lanes:
            queue = queues[name]
            if not queue.size:
                continue
            head = queue.head(entry)
            if head is None:
                continue
            priority = queue.spec.priority
            key = (-head.priority, head.arrived_at)
            if best is not None:
                if priority < best_priority:
                    break
                if key >= best_key:
                    continue
            best, best_key, best_priority = head, key, priority
        return best

    def ready_count(self, queue_name: str, lane: int = 0) -> int:
        """How many ready agents can serve this queue at a lane."""
        return len(self._pools[(queue_name, lane)])


# Pools that must hear who got the contact (a tuple: isinstance on a union is slower).
_REMEMBERS_CHOICE = (RoundRobinPool, LeastLoadedPool)


def _rank(agent: Agent) -> int:
    return agent.rank


def _pool(spec: QueueSpec, rng: random.Random) -> ReadyPool:
    """The queue's strategy; least loaded first on a channel agents can hold several of."""

    def strategy() -> ReadyPool:
        return make_pool(
            spec.strategy,
            queue_skills=spec.skills,
            agent_order=spec.agent_order,
            rank=_rank,
            rng=rng,
        )

    if spec.channel in EXCLUSIVE_CHANNELS:
        return strategy()
    return LeastLoadedPool(spec.channel, strategy)
