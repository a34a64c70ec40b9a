"""Queues: what a queue requires of agents, and the line of contacts waiting in it."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Final

from tidal.core.pools import Strategy
from tidal.core.values import Channel, ContactId

# The wait model's handle time for a queue whose center file gives none (a live center):
# three minutes until the queue's own calls are counted.
DEFAULT_HANDLE_SECONDS: Final = 180.0

if TYPE_CHECKING:
    from tidal.config import QueueConfig
    from tidal.core.contact import Contact


@dataclass(frozen=True, slots=True)
class ExpansionStep:
    """After a contact waits `after` seconds, more agents may take it.

    `skills` replaces the queue's minimum levels (usually lower ones); `groups`
    admits whole agent groups whatever their skills (an overflow team). Steps only
    widen: an agent admitted at one step stays admitted at every later one.
    """

    after: float
    skills: Mapping[str, int] | None = None
    groups: tuple[str, ...] = ()


class OverflowKind(StrEnum):
    """Where a caller goes when a queue rule sends them out."""

    QUEUE = "queue"
    VOICEMAIL = "voicemail"
    CALLBACK = "callback"
    HANGUP = "hangup"


@dataclass(frozen=True, slots=True)
class Overflow:
    """An overflow target: another queue, a voicemail box, a callback, or a polite hang-up."""

    kind: OverflowKind
    target: str = ""  # queue name or voicemail box


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
    steps: tuple[ExpansionStep, ...] = ()  # skill expansion, by increasing `after`
    expected_handle_time: float = 180.0  # talk + wrap-up, seeds the EWT estimate
    max_queue_length: int | None = None  # callers beyond it overflow on arrival
    max_wait: float | None = None  # callers waiting longer overflow
    join_when_unstaffed: bool = True  # False: nobody to serve it, overflow at once
    leave_when_unstaffed: bool = False  # True: the last agent leaving empties the queue
    overflow: Overflow = Overflow(OverflowKind.HANGUP)
    sticky_seconds: float | None = None  # prefer the caller's last agent within this time
    wrap_up: float | None = None  # the ACD ends after-call work after this (agents may sooner)
    channel: Channel = Channel.VOICE  # the medium of its contacts: which capacity they take

    def admits(self, skills: Mapping[str, int]) -> bool:
        """Whether an agent with these skill levels meets every minimum of the queue."""
        return all(skills.get(skill, 0) >= level for skill, level in self.skills.items())

    @property
    def lane_count(self) -> int:
        """Lanes of the queue: the base requirement plus one per expansion step."""
        return 1 + len(self.steps)

    def entry_lane(self, group: str, skills: Mapping[str, int]) -> int | None:
        """The first lane (0 = base) at which an agent may take this queue's contacts."""
        if self.admits(skills):
            return 0
        for lane, step in enumerate(self.steps, start=1):
            if group in step.groups:
                return lane
            if step.skills is not None and all(
                skills.get(skill, 0) >= level for skill, level in step.skills.items()
            ):
                return lane
        return None

    def step_delay(self, lane: int) -> float | None:
        """Seconds from entering `lane` until the contact moves to the next, if any."""
        if lane >= len(self.steps):
            return None
        previous = self.steps[lane - 1].after if lane else 0.0
        return self.steps[lane].after - previous

    @classmethod
    def from_config(cls, queue: QueueConfig) -> QueueSpec:
        """Take the routing part of a scenario's queue."""
        return cls(
            name=queue.name,
            skills=dict(queue.skills),
            priority=queue.priority,
            service_level_threshold=float(queue.service_level.threshold),
            strategy=Strategy(queue.strategy),
            expected_handle_time=(
                DEFAULT_HANDLE_SECONDS
                if queue.handle_time is None
                else float(queue.handle_time.mean)
            ),
            max_queue_length=queue.max_queue_length,
            max_wait=None if queue.max_wait is None else float(queue.max_wait),
            join_when_unstaffed=queue.join_when_unstaffed,
            leave_when_unstaffed=queue.leave_when_unstaffed,
            overflow=Overflow(OverflowKind(queue.overflow.kind), queue.overflow.target),
            sticky_seconds=None if queue.sticky_agent is None else float(queue.sticky_agent),
            wrap_up=None if queue.wrap_up is None else float(queue.wrap_up),
            channel=Channel(queue.channel),
            agent_order=tuple(queue.agent_order),
            steps=tuple(
                ExpansionStep(
                    float(step.after),
                    None if step.skills is None else dict(step.skills),
                    tuple(step.groups),
                )
                for step in queue.steps
            ),
        )


class _Lane:
    """Contacts at one expansion step: one first-come line per contact priority."""

    __slots__ = ("levels", "lines", "size")

    def __init__(self) -> None:
        self.lines: dict[int, OrderedDict[ContactId, Contact]] = {}
        self.levels: list[int] = []  # priorities seen, highest first
        self.size = 0

    def line(self, priority: int) -> OrderedDict[ContactId, Contact]:
        line = self.lines.get(priority)
        if line is None:
            line = self.lines[priority] = OrderedDict()
            self.levels = sorted(self.lines, reverse=True)
        return line

    def head(self) -> Contact | None:
        if not self.size:
            return None
        for level in self.levels:
            line = self.lines[level]
            if line:
                return next(iter(line.values()))
        raise AssertionError("a lane with a size has a non-empty line")


class ContactQueue:
    """Waiting contacts: higher contact priority first, then first come.

    Abandons leave from the middle and declined offers return to the head, so a
    plain deque will not do: OrderedDicts keep both O(1). A queue with skill
    expansion keeps one lane per step; a contact moves up a lane when its step
    timer fires, and an agent admitted from lane i may take contacts of lanes >= i.
    """

    __slots__ = ("_lanes", "size", "spec")

    def __init__(self, spec: QueueSpec) -> None:
        self.spec = spec
        self._lanes = [_Lane() for _ in range(spec.lane_count)]
        self.size = 0  # contacts waiting; read it directly on hot paths

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[Contact]:
        """Waiting contacts, longest-expanded lane first."""
        for lane in reversed(self._lanes):
            for level in lane.levels:
                yield from lane.lines[level].values()

    def ahead_of(self, priority: int) -> int:
        """Contacts a newcomer of `priority` would wait behind (same or higher priority)."""
        lanes = self._lanes
        if len(lanes) == 1 and len(lanes[0].levels) <= 1:  # the common case: one line
            levels = lanes[0].levels
            return self.size if not levels or levels[0] >= priority else 0
        return sum(
            len(line)
            for lane in self._lanes
            for level, line in lane.lines.items()
            if level >= priority
        )

    def push(self, contact: Contact) -> None:
        """Join at the back of the contact's lane and priority level."""
        lane = self._lanes[contact.step]
        lane.line(contact.priority)[contact.contact_id] = contact
        lane.size += 1
        self.size += 1

    def push_front(self, contact: Contact) -> None:
        """Return to the head of its level (an offer that was not taken)."""
        lane = self._lanes[contact.step]
        line = lane.line(contact.priority)
        line[contact.contact_id] = contact
        line.move_to_end(contact.contact_id, last=False)
        lane.size += 1
        self.size += 1

    def head(self, from_lane: int = 0) -> Contact | None:
        """The contact an agent admitted from `from_lane` would be given, if any."""
        if not self.size:
            return None
        lanes = self._lanes
        if len(lanes) == 1:
            return lanes[0].head()
        best: Contact | None = None
        for lane in lanes[from_lane:]:
            head = lane.head()
            if head is not None and (
                best is None
                or (-head.priority, head.arrived_at) < (-best.priority, best.arrived_at)
            ):
                best = head
        return best

    def pop_head(self, from_lane: int = 0) -> Contact:
        """Take the contact an agent admitted from `from_lane` is given."""
        contact = self.head(from_lane)
        if contact is None:
            raise IndexError("no contact for this lane")
        self.remove(contact)
        return contact

    def remove(self, contact: Contact) -> None:
        """Leave the line (abandon, offer, or moving up a lane)."""
        lane = self._lanes[contact.step]
        del lane.lines[contact.priority][contact.contact_id]
        lane.size -= 1
        self.size -= 1

    def holds(self, contact: Contact) -> bool:
        """Whether the contact is waiting in this queue's line."""
        line = self._lanes[contact.step].lines.get(contact.priority)
        return line is not None and contact.contact_id in line

    def advance(self, contact: Contact) -> None:
        """Move a waiting contact to the next expansion step's lane (at its back)."""
        self.remove(contact)
        contact.step += 1
        self.push(contact)
