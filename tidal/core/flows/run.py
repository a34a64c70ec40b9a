"""One caller's way through a call flow: fed caller events, it returns what the runtime does.

Like the rest of the core it owns no clock and no media: `now` comes in with every event,
and prompts, digit collection and timeouts go out as actions the runtime carries out and
reports back (`prompt_done`, `digits`, `timeout`, `hang_up`). Which events a run takes
depends only on its state, in the table `ACCEPTS`; any other raises IllegalFlowEvent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from tidal.config import (
    DTMF_KEYS,
    BranchNode,
    CallbackNode,
    CollectNode,
    Condition,
    FlowConfig,
    FlowNode,
    HangupNode,
    HoursNode,
    MenuNode,
    PlayNode,
    QueueNode,
    SetNode,
    TransferNode,
    VoicemailNode,
)
from tidal.core.commands import HangUp
from tidal.core.flows.actions import (
    CollectDigits,
    Enqueue,
    FlowAction,
    HangUpReason,
    OfferCallback,
    PlayPrompt,
    ScheduleCallback,
    SetData,
    Transfer,
    Voicemail,
)
from tidal.core.flows.const import MAX_STEPS
from tidal.core.flows.errors import IllegalFlowEvent, InvalidDigits
from tidal.core.flows.hours import OfficeStatus, aware, office_status
from tidal.core.values import ContactId


class FlowState(StrEnum):
    """What a run waits for."""

    NOT_STARTED = "not_started"
    PLAYING = "playing"  # a PlayPrompt or a Voicemail recording: prompt_done
    COLLECTING = "collecting"  # a CollectDigits or an OfferCallback: digits or timeout
    FINISHED = "finished"


class FlowEvent(StrEnum):
    """What a runtime reports to a run."""

    START = "start"
    PROMPT_DONE = "prompt_done"
    DIGITS = "digits"
    TIMEOUT = "timeout"
    HANG_UP = "hang_up"
    OFFER_CALLBACK = "offer_callback"


class FlowOutcome(StrEnum):
    """How a caller left the flow (IVR containment counts the contained ones)."""

    QUEUED = "queued"
    CALLBACK = "callback"
    VOICEMAIL = "voicemail"
    TRANSFER = "transfer"
    HANGUP = "hangup"
    ABANDONED = "abandoned"


S = FlowState
E = FlowEvent

ACCEPTS: Final[Mapping[FlowState, frozenset[FlowEvent]]] = {
    S.NOT_STARTED: frozenset({E.START, E.HANG_UP}),
    S.PLAYING: frozenset({E.PROMPT_DONE, E.HANG_UP}),
    S.COLLECTING: frozenset({E.DIGITS, E.TIMEOUT, E.HANG_UP}),
    S.FINISHED: frozenset({E.OFFER_CALLBACK}),  # only when queued by a node with `callback`
}
CONTAINED: Final = frozenset({FlowOutcome.HANGUP, FlowOutcome.VOICEMAIL, FlowOutcome.ABANDONED})
"""Outcomes of callers the IVR served without a queue, an agent or another number."""


class FlowRun:
    """One caller's progress through a flow: its node, collected data and visited path."""

    def __init__(
        self, flow: FlowConfig, contact_id: ContactId, caller: str, *, max_steps: int = MAX_STEPS
    ) -> None:
        if max_steps < 1:
            raise ValueError(f"max_steps must be at least 1, got {max_steps}")
        self.flow = flow
        self.contact_id = contact_id
        self.caller = caller
        self.max_steps = max_steps
        self.started_at: datetime | None = None
        self.finished_at: datetime | None = None
        self._state = FlowState.NOT_STARTED
        self._node: str | None = None
        self._outcome: FlowOutcome | None = None
        self._kept: FlowOutcome | None = None  # a voicemail left or a callback booked
        self._data: dict[str, str] = {}
        self._path: list[str] = []
        self._misses: dict[str, int] = {}  # wrong or missing answers per menu/collect node
        self._digits = ""  # keys of the current collect so far

    # -- what a runtime and a report read ------------------------------------------------

    @property
    def state(self) -> FlowState:
        """What the run waits for."""
        return self._state

    @property
    def node(self) -> str | None:
        """The node the caller is at (the last one once finished)."""
        return self._node

    @property
    def data(self) -> Mapping[str, str]:
        """Collected digits and set values, by key (a read-only view)."""
        return MappingProxyType(self._data)

    @property
    def path(self) -> tuple[str, ...]:
        """Every node visited, in order, repeats included: the trail IVR reports read."""
        return tuple(self._path)

    @property
    def finished(self) -> bool:
        """Whether the caller has left the flow."""
        return self._state is FlowState.FINISHED

    @property
    def outcome(self) -> FlowOutcome | None:
        """How the caller left the flow; None while in it."""
        return self._outcome

    @property
    def contained(self) -> bool:
        """Whether the flow ended without a queue, an agent or another number."""
        return self._outcome in CONTAINED

    # -- events --------------------------------------------------------------------------

    def start(self, now: datetime) -> list[FlowAction]:
        """The caller is connected: enter the start node."""
        self._accept(FlowEvent.START, now)
        self.started_at = now
        return self._enter(self.flow.start, now)

    def prompt_done(self, now: datetime) -> list[FlowAction]:
        """The last PlayPrompt ended, or the Voicemail recording: go to the node's `next`."""
        node = self._accept(FlowEvent.PROMPT_DONE, now)
        assert isinstance(node, PlayNode | VoicemailNode) and node.next is not None
        return self._enter(node.next, now)

    def digits(self, keys: str, now: datetime) -> list[FlowAction]:
        """DTMF from the caller: one key, or a whole entry with its terminator."""
        if not keys or any(key not in DTMF_KEYS for key in keys):
            raise InvalidDigits(f"{keys!r} is not DTMF (keys are 0-9, * and #)")
        node = self._accept(FlowEvent.DIGITS, now)
        if isinstance(node, MenuNode):
            return self._choose(node, keys[0], now)
        if isinstance(node, CollectNode):
            return self._collect(node, keys, now)
        assert isinstance(node, CallbackNode)
        return self._answer_offer(node, keys[0] == node.callback.accept_key, now)

    def timeout(self, now: datetime) -> list[FlowAction]:
        """The last CollectDigits or OfferCallback got no complete answer in time."""
        node = self._accept(FlowEvent.TIMEOUT, now)
        if isinstance(node, MenuNode):
            return self._menu_miss(node, node.no_input, now)
        if isinstance(node, CollectNode):
            return self._end_entry(node, now)
        assert isinstance(node, CallbackNode)
        return self._answer_offer(node, False, now)

    def hang_up(self, now: datetime) -> list[FlowAction]:
        """The caller hung up in the flow: an abandon, unless a voicemail or callback was left."""
        self._accept(FlowEvent.HANG_UP, now)
        self._finish(FlowOutcome.ABANDONED, now)
        return []

    def offer_callback(self, now: datetime) -> list[FlowAction]:
        """The queue offers its callback to this waiting caller: resume at that node."""
        node = self._accept(FlowEvent.OFFER_CALLBACK, now)
        queued = self._outcome is FlowOutcome.QUEUED
        if not (queued and isinstance(node, QueueNode) and node.callback is not None):
            state = f"{self._state} ({self._outcome}) without a callback offer"
            raise IllegalFlowEvent(self.contact_id, state, FlowEvent.OFFER_CALLBACK, self._node)
        self._outcome = None  # back in the flow until the offer is answered
        self.finished_at = None
        return self._enter(node.callback, now)

    # -- moving between nodes ------------------------------------------------------------

    def _accept(self, event: FlowEvent, now: datetime) -> FlowNode | None:
        """Refuse an event the state table does not allow; the current node otherwise."""
        aware(now)
        if event not in ACCEPTS[self._state]:
            raise IllegalFlowEvent(self.contact_id, self._state, event, self._node)
        return None if self._node is None else self.flow.nodes[self._node]

    def _enter(self, name: str, now: datetime) -> list[FlowAction]:
        """Visit nodes from `name` until one waits for the caller or the flow ends."""
        actions: list[FlowAction] = []
        target: str | None = name
        while target is not None:
            if len(self._path) >= self.max_steps:
                actions.append(HangUp(self.contact_id, HangUpReason.FLOW_LOOP))
                self._finish(FlowOutcome.HANGUP, now)
                break
            self._node = target
            self._path.append(target)
            target = self._visit(self.flow.nodes[target], actions, now)
        return actions

    def _visit(self, node: FlowNode, actions: list[FlowAction], now: datetime) -> str | None:
        """Do a node's part; the node to go on to at once, or None to wait or stop."""
        contact = self.contact_id
        match node:
            case PlayNode():
                actions.append(PlayPrompt(contact, node.play))
                self._state = FlowState.PLAYING
            case MenuNode():
                actions.append(self._menu_prompt(node))
                self._state = FlowState.COLLECTING
            case CollectNode():
                self._digits = ""
                actions.append(self._collect_prompt(node))
                self._state = FlowState.COLLECTING
            case HoursNode():
                status = office_status(node.hours, now)
                if status is OfficeStatus.OPEN:
                    return node.open
                if status is OfficeStatus.HOLIDAY and node.holiday is not None:
                    return node.holiday
                return node.closed
            case BranchNode():
                for rule in node.branch:
                    if self._holds(rule.when):
                        return rule.next
                return node.default
            case SetNode():
                for key, value in node.set.items():
                    self._data[key] = value
                    actions.append(SetData(contact, key, value))
                return node.next
            case QueueNode():
                priority = self._priority() if node.priority is None else node.priority
                actions.append(Enqueue(contact, node.queue, priority, self._snapshot()))
                self._finish(FlowOutcome.QUEUED, now)
            case CallbackNode():
                offer = node.callback
                prompt, key = offer.prompt, offer.accept_key
                actions.append(OfferCallback(contact, offer.queue, prompt, key, offer.timeout))
                self._state = FlowState.COLLECTING
            case VoicemailNode():
                actions.append(Voicemail(contact, node.voicemail.box, node.voicemail.prompt))
                self._kept = FlowOutcome.VOICEMAIL
                if node.next is None:
                    self._finish(FlowOutcome.VOICEMAIL, now)
                else:
                    self._state = FlowState.PLAYING
            case TransferNode():
                actions.append(Transfer(contact, node.transfer))
                self._finish(FlowOutcome.TRANSFER, now)
            case HangupNode():
                actions.append(HangUp(contact, HangUpReason.COMPLETED))
                self._finish(FlowOutcome.HANGUP, now)
        return None

    def _finish(self, outcome: FlowOutcome, now: datetime) -> None:
        """Leave the flow; a voicemail left or a callback booked outlasts the hang-up after it."""
        hung_up = outcome in (FlowOutcome.HANGUP, FlowOutcome.ABANDONED)
        self._outcome = self._kept if hung_up and self._kept is not None else outcome
        self._state = FlowState.FINISHED
        self.finished_at = now

    # -- menus, digit entry and callback offers ------------------------------------------

    def _menu_prompt(self, node: MenuNode) -> CollectDigits:
        spec = node.menu
        return CollectDigits(self.contact_id, spec.prompt, 1, 1, spec.timeout, None)

    def _choose(self, node: MenuNode, key: str, now: datetime) -> list[FlowAction]:
        target = node.options.get(key)
        if target is None:
            return self._menu_miss(node, node.invalid, now)
        self._misses.pop(self._here(), None)
        return self._enter(target, now)

    def _menu_miss(self, node: MenuNode, target: str | None, now: datetime) -> list[FlowAction]:
        """A wrong key or silence uses a retry; after the last one the menu gives up."""
        if self._missed() > node.menu.retries:
            self._misses.pop(self._here(), None)
            return self._enter(node.exhausted, now)
        if target is None:
            return [self._menu_prompt(node)]
        return self._enter(target, now)

    def _collect_prompt(self, node: CollectNode) -> CollectDigits:
        spec = node.collect
        return CollectDigits(
            self.contact_id,
            spec.prompt,
            spec.min_digits,
            spec.max_digits,
            spec.timeout,
            spec.terminator,
        )

    def _collect(self, node: CollectNode, keys: str, now: datetime) -> list[FlowAction]:
        """Take keys until the terminator or max_digits; keys after that are dropped."""
        spec = node.collect
        for key in keys:
            if key == spec.terminator:
                return self._end_entry(node, now)
            self._digits += key
            if len(self._digits) >= spec.max_digits:
                return self._end_entry(node, now)
        return []

    def _end_entry(self, node: CollectNode, now: datetime) -> list[FlowAction]:
        """Check a finished entry: store it and go on, or retry, or give up after the last."""
        spec = node.collect
        entry, self._digits = self._digits, ""
        valid = spec.min_digits <= len(entry) <= spec.max_digits and (
            spec.pattern is None or re.fullmatch(spec.pattern, entry) is not None
        )
        if valid:
            self._misses.pop(self._here(), None)
            self._data[spec.into] = entry
            return [SetData(self.contact_id, spec.into, entry), *self._enter(node.next, now)]
        if self._missed() > spec.retries:
            self._misses.pop(self._here(), None)
            return self._enter(node.failed, now)
        return [self._collect_prompt(node)]

    def _answer_offer(self, node: CallbackNode, accepted: bool, now: datetime) -> list[FlowAction]:
        spec = node.callback
        if not accepted:
            if node.declined is not None:
                return self._enter(node.declined, now)
            enqueue = Enqueue(self.contact_id, spec.queue, self._priority(), self._snapshot())
            self._finish(FlowOutcome.QUEUED, now)
            return [enqueue]
        self._kept = FlowOutcome.CALLBACK
        booked = ScheduleCallback(
            self.contact_id, spec.queue, self.caller, self._priority(), self._snapshot()
        )
        if node.accepted is not None:
            return [booked, *self._enter(node.accepted, now)]
        self._finish(FlowOutcome.CALLBACK, now)
        return [booked, HangUp(self.contact_id, HangUpReason.CALLBACK_BOOKED)]

    # -- helpers -------------------------------------------------------------------------

    def _here(self) -> str:
        assert self._node is not None
        return self._node

    def _missed(self) -> int:
        """Count one more wrong or missing answer at this node; the count so far."""
        misses = self._misses.get(self._here(), 0) + 1
        self._misses[self._here()] = misses
        return misses

    def _holds(self, condition: Condition) -> bool:
        if condition.caller_prefix is not None:
            return self.caller.startswith(condition.caller_prefix)
        assert condition.field is not None
        value = self._data.get(condition.field)
        if condition.one_of is not None:
            return value in condition.one_of
        return value == condition.equals

    def _priority(self) -> int:
        """The contact's `priority` data (set by the flow), else 0."""
        text = self._data.get("priority", "")
        return int(text) if re.fullmatch(r"-?\d+", text) else 0

    def _snapshot(self) -> Mapping[str, str]:
        return MappingProxyType(dict(self._data))
