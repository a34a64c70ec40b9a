"""Ready-agent pools: one per queue, each answering "which ready agent is next?" fast.

A pool is the ACD strategy of a queue. Every pool keeps its order as agents come
and go, so choosing is O(1) or O(log n), never a scan of all agents:

- `longest_idle` (default): the agent ready the longest (insertion-ordered dict).
- `round_robin`: the next agent after the one chosen last, in a fixed agent order
  (Asterisk's rrmemory).
- `fewest_calls`: the agent who has handled the fewest contacts this session.
- `least_occupied`: the agent with the lowest occupancy over the recent past: an
  exponentially weighted average of busy time with the center's time constant.
  While agents idle their averages decay at the same rate, so the order fixed when
  they became ready stays right (compared in log space).
- `top_down`: the first ready agent of an ordered list (then everyone else by id).
- `random`: uniformly at random, from the center's seeded generator.
- `most_skilled`: the highest total skill level on the queue's skills; ties go to
  the longest idle.

A queue of a non-exclusive channel (chat, email, sms) wraps its strategy in a
`LeastLoadedPool`: agents holding the fewest contacts of that channel come first,
and the strategy chooses among equals (longest idle among agents with no chat open,
then among those with one...).
"""

from __future__ import annotations

import heapq
import math
import random
from bisect import bisect_right, insort
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import Protocol

from tidal.core.agent_state import OCCUPANCY_WINDOW, Agent
from tidal.core.values import AgentId


class Strategy(StrEnum):
    """How a queue chooses among its ready agents."""

    LONGEST_IDLE = "longest_idle"
    ROUND_ROBIN = "round_robin"
    FEWEST_CALLS = "fewest_calls"
    LEAST_OCCUPIED = "least_occupied"
    TOP_DOWN = "top_down"
    RANDOM = "random"
    MOST_SKILLED = "most_skilled"


class ReadyPool(Protocol):
    """The ready agents of one queue, in the order its strategy serves them."""

    def add(self, agent: Agent, now: float) -> None:
        """An agent who can serve the queue became ready."""

    def remove(self, agent: Agent) -> None:
        """An agent is no longer ready (reserved, on a break, logged out)."""

    def pick(self) -> Agent | None:
        """The agent the strategy would give the next contact to (not removed)."""

    def __len__(self) -> int: ...


class LongestIdlePool:
    """Insertion order is idle order: the first entry has waited longest."""

    __slots__ = ("_line",)

    def __init__(self) -> None:
        self._line: OrderedDict[AgentId, Agent] = OrderedDict()

    def add(self, agent: Agent, now: float) -> None:
        self._line[agent.agent_id] = agent

    def remove(self, agent: Agent) -> None:
        del self._line[agent.agent_id]

    def pick(self) -> Agent | None:
        line = self._line
        return next(iter(line.values())) if line else None

    def __len__(self) -> int:
        return len(self._line)


class HeapPool:
    """A lazy-deletion heap keyed by a strategy's sort key (smallest first).

    The key is computed when the agent becomes ready; what it depends on cannot
    change while the agent stays ready. Ties go to the agent ready longest.
    """

    __slots__ = ("_heap", "_key", "_members", "_ticket")

    def __init__(self, key: Callable[[Agent, float], float]) -> None:
        self._key = key
        self._heap: list[tuple[float, int, Agent]] = []
        self._members: dict[AgentId, int] = {}
        self._ticket = 0

    def add(self, agent: Agent, now: float) -> None:
        self._ticket += 1
        self._members[agent.agent_id] = self._ticket
        heapq.heappush(self._heap, (self._key(agent, now), self._ticket, agent))

    def remove(self, agent: Agent) -> None:
        del self._members[agent.agent_id]

    def pick(self) -> Agent | None:
        heap, members = self._heap, self._members
        while heap:
            _, ticket, agent = heap[0]
            if members.get(agent.agent_id) == ticket:
                return agent
            heapq.heappop(heap)  # left the pool since it was pushed
        return None

    def __len__(self) -> int:
        return len(self._members)


class RoundRobinPool:
    """Ready agents sorted by a fixed rank; the pick continues after the last one chosen."""

    __slots__ = ("_agents", "_last", "_rank", "_ranks")

    def __init__(self, rank: Callable[[Agent], int]) -> None:
        self._rank = rank
        self._ranks: list[int] = []
        self._agents: dict[int, Agent] = {}
        self._last = -1

    def add(self, agent: Agent, now: float) -> None:
        rank = self._rank(agent)
        insort(self._ranks, rank)
        self._agents[rank] = agent

    def remove(self, agent: Agent) -> None:
        rank = self._rank(agent)
        ranks = self._ranks
        del ranks[bisect_right(ranks, rank) - 1]
        del self._agents[rank]

    def pick(self) -> Agent | None:
        ranks = self._ranks
        if not ranks:
            return None
        index = bisect_right(ranks, self._last)
        rank = ranks[index] if index < len(ranks) else ranks[0]
        return self._agents[rank]

    def chosen(self, agent: Agent) -> None:
        """Remember who got the last contact, so the next pick moves on."""
        self._last = self._rank(agent)

    def __len__(self) -> int:
        return len(self._ranks)


class RandomPool:
    """Uniform choice with O(1) add and remove (swap with the last element)."""

    __slots__ = ("_agents", "_index", "_next", "_rng")

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._agents: list[Agent] = []
        self._index: dict[AgentId, int] = {}
        self._next: Agent | None = None

    def add(self, agent: Agent, now: float) -> None:
        self._index[agent.agent_id] = len(self._agents)
        self._agents.append(agent)
        self._next = None

    def remove(self, agent: Agent) -> None:
        index = self._index.pop(agent.agent_id)
        last = self._agents.pop()
        if last is not agent:
            self._agents[index] = last
            self._index[last.agent_id] = index
        self._next = None

    def pick(self) -> Agent | None:
        # The draw is kept until the pool changes, so asking twice gives one answer.
        if self._next is None and self._agents:
            self._next = self._agents[self._rng.randrange(len(self._agents))]
        return self._next

    def __len__(self) -> int:
        return len(self._agents)


class LeastLoadedPool:
    """Multitasking: one inner pool per load level, the least loaded level served first.

    An agent is filed under the contacts of the pool's channel it held when it was
    added; the router re-files it whenever that number changes.
    """

    __slots__ = ("_channel", "_level_of", "_levels", "_make")

    def __init__(self, channel: str, make: Callable[[], ReadyPool]) -> None:
        self._channel = channel
        self._make = make
        self._levels: list[ReadyPool] = []
        self._level_of: dict[AgentId, int] = {}

    def add(self, agent: Agent, now: float) -> None:
        level = agent.load.get(self._channel, 0)
        levels = self._levels
        while len(levels) <= level:
            levels.append(self._make())
        levels[level].add(agent, now)
        self._level_of[agent.agent_id] = level

    def remove(self, agent: Agent) -> None:
        self._levels[self._level_of.pop(agent.agent_id)].remove(agent)

    def pick(self) -> Agent | None:
        for pool in self._levels:
            if len(pool):
                return pool.pick()
        return None

    def chosen(self, agent: Agent) -> None:
        """Tell a round-robin level who got the contact, so its next pick moves on."""
        pool = self._levels[self._level_of[agent.agent_id]]
        if isinstance(pool, RoundRobinPool):
            pool.chosen(agent)

    def __len__(self) -> int:
        return len(self._level_of)


def make_pool(
    strategy: Strategy,
    *,
    queue_skills: Mapping[str, int],
    agent_order: Sequence[AgentId] = (),
    rank: Callable[[Agent], int],
    rng: random.Random,
) -> ReadyPool:
    """The pool that implements a queue's strategy."""
    if strategy is Strategy.LONGEST_IDLE:
        return LongestIdlePool()
    if strategy is Strategy.ROUND_ROBIN:
        return RoundRobinPool(rank)
    if strategy is Strategy.RANDOM:
        return RandomPool(rng)
    if strategy is Strategy.FEWEST_CALLS:
        return HeapPool(lambda agent, now: float(agent.contacts_handled))
    if strategy is Strategy.LEAST_OCCUPIED:
        # log(occupancy at ready time) + t/window orders agents by their occupancy at
        # any later instant, since idle agents' averages all decay as exp(-t/window).
        def occupancy_key(agent: Agent, now: float) -> float:
            level = agent.occupancy_at(now)
            return -math.inf if level <= 0 else math.log(level) + now / OCCUPANCY_WINDOW

        return HeapPool(occupancy_key)
    if strategy is Strategy.TOP_DOWN:
        order = {agent_id: i for i, agent_id in enumerate(agent_order)}
        return HeapPool(
            lambda agent, now: float(order.get(agent.agent_id, len(order) + rank(agent)))
        )
    if strategy is Strategy.MOST_SKILLED:
        return HeapPool(
            lambda agent, now: -float(sum(agent.skills.get(s, 0) for s in queue_skills))
        )
    raise ValueError(f"unknown strategy {strategy!r}")
