"""Queues: what a queue requires of agents, and the line of contacts waiting in it."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tidal.core.pools import Strategy
from tidal.core.values import ContactId

if TYPE_CHECKING:
    from tidal.config import QueueConfig
    from tidal.core.contact import Contact


@dataclass(frozen=True, slots=True)
class QueueSpec:
    """The routing-relevant definition of a queue."""

    name: str
    skills: Mapping[str, int] = field(default_factory=dict)
    priority: int = 0
    service_level_threshold: float = 20.0
    hold_prompt: str = "hold-music"
    strategy: Strategy = Strategy.LONGEST_IDLE
    agent_order: tuple[str, ...] = ()  # for the top_down strategy

    def admits(self, skills: Mapping[str, int]) -> bool:
        """Whether an agent with these skill levels meets every minimum of the queue."""
        return all(skills.get(skill, 0) >= level for skill, level in self.skills.items())

    @classmethod
    def from_config(cls, queue: QueueConfig) -> QueueSpec:
        """Take the routing part of a scenario's queue."""
        return cls(
            name=queue.name,
            skills=dict(queue.skills),
            priority=queue.priority,
            service_level_threshold=float(queue.service_level.threshold),
            strategy=Strategy(queue.strategy),
            agent_order=tuple(queue.agent_order),
        )


class ContactQueue:
    """The line of waiting contacts: higher contact priority first, then first come.

    Abandons leave from the middle and declined offers return to the head, so a
    plain deque will not do: one OrderedDict per priority level keeps both O(1).
    """

    __slots__ = ("_levels", "_lines", "_size", "spec")

    def __init__(self, spec: QueueSpec) -> None:
        self.spec = spec
        self._lines: dict[int, OrderedDict[ContactId, Contact]] = {}
        self._levels: list[int] = []  # priorities seen, highest first
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[Contact]:
        for level in self._levels:
            yield from self._lines[level].values()

    def _line(self, priority: int) -> OrderedDict[ContactId, Contact]:
        line = self._lines.get(priority)
        if line is None:
            line = self._lines[priority] = OrderedDict()
            self._levels = sorted(self._lines, reverse=True)
        return line

    def push(self, contact: Contact) -> None:
        """Join at the back of the contact's priority level."""
        self._line(contact.priority)[contact.contact_id] = contact
        self._size += 1

    def push_front(self, contact: Contact) -> None:
        """Return to the head of its level (an offer that was not taken)."""
        line = self._line(contact.priority)
        line[contact.contact_id] = contact
        line.move_to_end(contact.contact_id, last=False)
        self._size += 1

    def head(self) -> Contact | None:
        """The contact that would be served next, if any."""
        if not self._size:
            return None
        for level in self._levels:
            line = self._lines[level]
            if line:
                return next(iter(line.values()))
        raise AssertionError("a queue with a size has a non-empty line")

    def pop_head(self) -> Contact:
        """Take the contact that is served next."""
        contact = self.head()
        if contact is None:
            raise IndexError("pop from an empty queue")
        del self._lines[contact.priority][contact.contact_id]
        self._size -= 1
        return contact

    def remove(self, contact: Contact) -> None:
        """Leave the line (abandon)."""
        del self._lines[contact.priority][contact.contact_id]
        self._size -= 1
