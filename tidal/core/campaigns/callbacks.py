"""Scheduled callbacks: a lead to call again at a time, owned by an agent or the campaign."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True, order=True)
class ScheduledCallback:
    """Call `lead_id` at `due` (seconds); an owning agent takes it, else anyone may."""

    due: float
    lead_id: str = field(compare=False)
    agent_id: str | None = field(default=None, compare=False)


class CallbackBook:
    """Booked callbacks by due time; agent-owned ones wait until their agent is free."""

    __slots__ = ("_heap", "_seq")

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, ScheduledCallback]] = []
        self._seq = 0

    def __len__(self) -> int:
        return len(self._heap)

    def book(self, callback: ScheduledCallback) -> None:
        """Add a callback."""
        self._seq += 1
        heapq.heappush(self._heap, (callback.due, self._seq, callback))

    def due(self, now: float, free_agents: set[str] | None = None) -> list[ScheduledCallback]:
        """Take the callbacks due by `now` that may be dialled now.

        A callback owned by an agent is only taken when that agent is among
        `free_agents` (None: any owner counts as free); the others stay booked.
        """
        taken: list[ScheduledCallback] = []
        kept: list[tuple[float, int, ScheduledCallback]] = []
        heap = self._heap
        while heap and heap[0][0] <= now:
            entry = heapq.heappop(heap)
            owner = entry[2].agent_id
            if owner is None or free_agents is None or owner in free_agents:
                taken.append(entry[2])
            else:
                kept.append(entry)
        for entry in kept:
            heapq.heappush(heap, entry)
        return taken

    def next_due(self) -> float | None:
        """When the earliest callback is due."""
        return self._heap[0][0] if self._heap else None
