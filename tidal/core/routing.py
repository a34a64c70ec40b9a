"""Agent and contact selection: which ready agent gets a contact, which contact an agent.

The `Router` protocol is the seam where the full ACD (strategies, skill expansion,
sticky agents) plugs in. `LongestIdleRouter` is the default: among ready agents who
meet the queue's skills, the one idle longest; for a freed agent, the highest-priority
queue, and across queues of equal priority the contact that has waited longest.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import Protocol

from tidal.core.agent_state import Agent
from tidal.core.queue import ContactQueue
from tidal.core.values import AgentId


class Router(Protocol):
    """Keeps the index of ready agents and makes the two routing choices."""

    def agent_became_ready(self, agent: Agent) -> None:
        """Index an agent that can now take contacts."""

    def agent_left_ready(self, agent: Agent) -> None:
        """Drop an agent who was reserved, went not ready or logged out."""

    def pick_agent(self, queue: ContactQueue) -> Agent | None:
        """The ready agent who should get the next contact of `queue`, if any."""

    def pick_queue(self, agent: Agent, queues: Mapping[str, ContactQueue]) -> ContactQueue | None:
        """The queue whose head contact this freed agent should take, if any."""


class LongestIdleRouter:
    """Longest-idle agent; strict queue priority; oldest contact across equal priorities.

    Ready agents are kept per queue in insertion order (the order they became
    ready), so the longest-idle eligible agent is the first entry: O(1), no scan.
    """

    __slots__ = ("_ready",)

    def __init__(self) -> None:
        self._ready: dict[str, OrderedDict[AgentId, Agent]] = {}

    def agent_became_ready(self, agent: Agent) -> None:
        """Append the agent to the idle line of every queue it serves."""
        ready = self._ready
        for name in agent.queues:
            line = ready.get(name)
            if line is None:
                line = ready[name] = OrderedDict()
            line[agent.agent_id] = agent

    def agent_left_ready(self, agent: Agent) -> None:
        """Remove the agent from every idle line."""
        ready = self._ready
        agent_id = agent.agent_id
        for name in agent.queues:
            del ready[name][agent_id]

    def pick_agent(self, queue: ContactQueue) -> Agent | None:
        """First in the queue's idle line."""
        line = self._ready.get(queue.spec.name)
        if not line:
            return None
        return next(iter(line.values()))

    def pick_queue(self, agent: Agent, queues: Mapping[str, ContactQueue]) -> ContactQueue | None:
        """Highest priority first; ties go to the contact that arrived earliest.

        `agent.queues` is sorted by priority, best first, so the scan stops at the
        first priority level that has anyone waiting.
        """
        best: ContactQueue | None = None
        best_arrival = 0.0
        best_priority = 0
        for name in agent.queues:
            queue = queues[name]
            head = queue.head()
            if head is None:
                continue
            priority = queue.spec.priority
            if best is not None:
                if priority < best_priority:
                    break
                if head.arrived_at >= best_arrival:
                    continue
            best, best_arrival, best_priority = queue, head.arrived_at, priority
        return best

    def ready_count(self, queue_name: str) -> int:
        """How many ready agents can serve this queue."""
        line = self._ready.get(queue_name)
        return len(line) if line else 0
