"""Queues: what a queue requires of agents, and the line of contacts waiting in it."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

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
        )


class ContactQueue:
    """First-come first-served line of waiting contacts with O(1) removal from anywhere.

    Abandons leave from the middle and declined offers return to the head, so a
    plain deque will not do; an OrderedDict keeps both O(1).
    """

    __slots__ = ("_line", "spec")

    def __init__(self, spec: QueueSpec) -> None:
        self.spec = spec
        self._line: OrderedDict[ContactId, Contact] = OrderedDict()

    def __len__(self) -> int:
        return len(self._line)

    def __iter__(self) -> Iterator[Contact]:
        return iter(self._line.values())

    def push(self, contact: Contact) -> None:
        """Join at the back."""
        self._line[contact.contact_id] = contact

    def push_front(self, contact: Contact) -> None:
        """Return to the head (an offer that was not taken)."""
        self._line[contact.contact_id] = contact
        self._line.move_to_end(contact.contact_id, last=False)

    def head(self) -> Contact | None:
        """The contact that would be served next, if any."""
        if not self._line:
            return None
        return next(iter(self._line.values()))

    def pop_head(self) -> Contact:
        """Take the contact that is served next."""
        return self._line.popitem(last=False)[1]

    def remove(self, contact_id: ContactId) -> None:
        """Leave the line (abandon)."""
        del self._line[contact_id]
