"""Scheduled callbacks: a lead to call again at a time, owned by an agent or the campaign."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field, replace


@dataclass(frozen=True, slots=True, order=True)
class ScheduledCallback:
    """Call `lead_id` at `due` (seconds); an owning agent takes it, else anyone may.

    `callback_id` names it to people who move or cancel it (the id of the call whose
    disposition booked it); `booked_by` is the agent whose "my callbacks" list shows
    it, whether or not the campaign keeps callbacks for their booker (`agent_id`).
    """

    due: float
    lead_id: str = field(compare=False)
    agent_id: str | None = field(default=None, compare=False)
    callback_id: int = field(default=0, compare=False)
    booked_by: str | None = field(default=None, compare=False)
    number: str | None = field(default=None, compare=False)  # the number that was called
    note: str | None = field(default=None, compare=False)


class CallbackBook:
    """Booked callbacks by due time; agent-owned ones wait until their agent is free.

    A callback moved or cancelled leaves its old heap entry behind, skipped when it
    surfaces: the book of pending callbacks by id is the truth, the heap the order.
    """

    __slots__ = ("_heap", "_pending", "_seq", "revision")

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, int]] = []  # (due, seq, callback id)
        self._pending: dict[int, tuple[int, ScheduledCallback]] = {}  # id -> (seq, callback)
        self._seq = 0
        self.revision = 0  # changes whenever the pending callbacks do (screens redraw)

    def __len__(self) -> int:
        return len(self._pending)

    def __contains__(self, callback_id: object) -> bool:
        return callback_id in self._pending

    def book(self, callback: ScheduledCallback) -> None:
        """Add a callback (its id must not be pending already)."""
        if callback.callback_id in self._pending:
            raise ValueError(f"callback {callback.callback_id} is booked already")
        self._push(callback)

    def _push(self, callback: ScheduledCallback) -> None:
        self._seq += 1
        self.revision += 1
        self._pending[callback.callback_id] = (self._seq, callback)
        heapq.heappush(self._heap, (callback.due, self._seq, callback.callback_id))

    def get(self, callback_id: int) -> ScheduledCallback | None:
        """A pending callback by id."""
        entry = self._pending.get(callback_id)
        return None if entry is None else entry[1]

    def pending(self) -> list[ScheduledCallback]:
        """Every pending callback, by due time."""
        return sorted((c for _, c in self._pending.values()), key=lambda c: (c.due, c.callback_id))

    def reschedule(self, callback_id: int, due: float) -> ScheduledCallback:
        """Move a pending callback to `due`; returns it as now booked."""
        _, callback = self._pending.pop(callback_id)
        moved = replace(callback, due=due)
        self._push(moved)
        return moved

    def cancel(self, callback_id: int) -> ScheduledCallback:
        """Take a pending callback out of the book; returns it."""
        _, callback = self._pending.pop(callback_id)
        self.revision += 1
        return callback

    def _live(self, entry: tuple[float, int, int]) -> ScheduledCallback | None:
        held = self._pending.get(entry[2])
        return held[1] if held is not None and held[0] == entry[1] else None

    def due(self, now: float, free_agents: set[str] | None = None) -> list[ScheduledCallback]:
        """Take the callbacks due by `now` that may be dialled now.

        A callback owned by an agent is only taken when that agent is among
        `free_agents` (None: any owner counts as free); the others stay booked.
        """
        taken: list[ScheduledCallback] = []
        kept: list[tuple[float, int, int]] = []
        heap = self._heap
        while heap and heap[0][0] <= now:
            entry = heapq.heappop(heap)
            callback = self._live(entry)
            if callback is None:
                continue  # moved or cancelled since
            owner = callback.agent_id
            if owner is None or free_agents is None or owner in free_agents:
                del self._pending[callback.callback_id]
                taken.append(callback)
            else:
                kept.append(entry)
        for entry in kept:
            heapq.heappush(heap, entry)
        if taken:
            self.revision += 1
        return taken

    def next_due(self) -> float | None:
        """When the earliest callback is due."""
        heap = self._heap
        while heap and self._live(heap[0]) is None:
            heapq.heappop(heap)
        return heap[0][0] if heap else None
