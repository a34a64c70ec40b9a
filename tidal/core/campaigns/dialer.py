"""The dialer: outbound campaigns on the same Center, agents and compliance gate.

`Dialer.handle(event, now)` is the entry point of a center with campaigns: dialing
events (`DialAnswered`, its own timers) it handles itself, every other event it hands
to the `Center` and then reads what the Center decided (a person connected to an
agent, abandoned, disposed). After each event it asks each campaign's pacer how many
calls to place, caps that by the trunk, and sends every dial through the gate.

A person who answers enters the campaign's queue in the Center (agents reach it by
the skill `campaign:NAME`), so inbound and outbound share one routing and one set of
agent states. The campaign queue has a 2-second maximum wait: a person not connected
by then hears the safe-harbour message and the call is an abandonment, written to the
30-day ledger. It ranks above the inbound queues (nobody else waits only 2 s); inbound
still comes first for blended agents because the blending policy decides which ready
blended agents outbound may count, and a blended agent a call is placed for is taken
off inbound (not ready, reason `outbound_reserved`) until that call is answered or
fails, so an inbound caller cannot take the agent the person is due to reach.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from heapq import heappop, heappush
from typing import Any, Final

from tidal.core.agent_state import Agent, AgentState
from tidal.core.campaigns.blending import BlendingPolicy, InboundView, ReservePolicy
from tidal.core.campaigns.callbacks import CallbackBook, ScheduledCallback
from tidal.core.campaigns.commands import Dial, PlayMessage, ReleaseCall
from tidal.core.campaigns.dispositions import (
    ANSWERING_MACHINE,
    BUSY,
    DROPPED,
    NO_ANSWER,
    WRONG_NUMBER,
    BooksNoCallback,
    Disposition,
    Dispositions,
)
from tidal.core.campaigns.events import (
    CampaignState,
    CampaignStateSet,
    DialAnswered,
    DialResult,
    LeadsRecycled,
    PreviewDial,
    PreviewSkipped,
)
from tidal.core.campaigns.lifecycle import RECYCLABLE, CampaignLead, LeadAction, LeadState
from tidal.core.campaigns.pacing import Pacer, PacingView, ProgressivePacer
from tidal.core.campaigns.retry import DAY, RetryRules
from tidal.core.campaigns.stats import CampaignStats
from tidal.core.center import Center
from tidal.core.commands import (
    CancelTimer,
    Command,
    Connect,
    HangUp,
    RecordInteraction,
    StartTimer,
)
from tidal.core.compliance import (
    SAFE_HARBOUR_SECONDS,
    CampaignRules,
    Compliance,
    Decision,
    DialMode,
    Reason,
    nanp_number,
)
from tidal.core.errors import (
    CallbackNotPending,
    NotYourCallback,
    UnknownCampaign,
    UnknownContact,
    UnknownQueue,
    UnsupportedChange,
)
from tidal.core.events import (
    AgentLoggedIn,
    AgentLoggedOut,
    AgentNotReady,
    AgentReady,
    CallbackCancelled,
    CallbackRescheduled,
    CallEnded,
    CallerAbandoned,
    ContactArrived,
    Event,
    OfferAccepted,
    TimerFired,
    WrapUpDone,
)
from tidal.core.queue import QueueSpec
from tidal.core.records import InteractionRecord
from tidal.core.values import ContactId, Direction, Outcome

MIN_RING_SECONDS: Final = 15.0  # TSR: at least 15 seconds or four rings before no answer
TICK_SECONDS: Final = 1.0
# Margin on the people who may answer beyond the free agents (`Dialer._room`): half as
# many again as expected, and at least `LEDGER_Z` standard deviations.
LEDGER_MARGIN: Final = 1.5
LEDGER_Z: Final = 3.5
CAMPAIGN_QUEUE_PREFIX: Final = "campaign:"
CAMPAIGN_SKILL_PREFIX: Final = "campaign:"
_TIMER: Final = "dial:"
_TICK: Final = "dial:tick"
_PREVIEW: Final = "dial:preview:"
PREVIEW_TIMER: Final = _PREVIEW  # + call id: the preview's time is up, dial it
_STICKY_SECONDS: Final = 14 * DAY  # a callback reaches the agent who booked it, if free
_RESULT_DISPOSITION: Final = {
    DialResult.MACHINE: ANSWERING_MACHINE,
    DialResult.NO_ANSWER: NO_ANSWER,
    DialResult.BUSY: BUSY,
    DialResult.INVALID: WRONG_NUMBER,
}
_COUNTER_OF: Final = {
    DialResult.HUMAN: "human_answers",
    DialResult.MACHINE: "machine_answers",
    DialResult.NO_ANSWER: "no_answers",
    DialResult.BUSY: "busy",
    DialResult.INVALID: "invalid",
}
COUNTERS: Final = (
    "dials",
    "human_answers",
    "machine_answers",
    "no_answers",
    "busy",
    "invalid",
    "connects",
    "abandoned",
    "conversions",
    "dnc_blocked",
    "window_blocked",
    "dnc_requests",
    "callbacks_booked",
    "trunk_limited",
    "previews_skipped",
)


# A skipped preview lead comes back after this long (not at once to the next agent).
SKIP_DELAY: Final = 3600.0

# Events after which no agent is freer than before: the next tick paces instead.
_NO_PACING: Final = (OfferAccepted, ContactArrived, CallEnded, CallerAbandoned)
RESERVED_REASON: Final = "outbound_reserved"  # the not-ready reason of a reserved agent


def campaign_queue(name: str) -> str:
    """The Center queue a campaign's answered people wait in (for at most 2 s)."""
    return f"{CAMPAIGN_QUEUE_PREFIX}{name}"


def campaign_skill(name: str) -> str:
    """The skill an agent holds to work a campaign."""
    return f"{CAMPAIGN_SKILL_PREFIX}{name}"


def campaign_queue_spec(name: str, *, priority: int, handle_time: float) -> QueueSpec:
    """The Center queue of a campaign: 2 s to connect, else hung up (give it the top priority)."""
    return QueueSpec(
        name=campaign_queue(name),
        skills={campaign_skill(name): 1},
        priority=priority,
        expected_handle_time=handle_time,
        max_wait=SAFE_HARBOUR_SECONDS,
        sticky_seconds=_STICKY_SECONDS,
    )


class IdleReason(StrEnum):
    """Why a campaign placed no call at its last pacing step (the wallboard says it)."""

    STOPPED = "stopped"  # the gate refuses the campaign itself (caller ID, safe harbour)
    NO_AGENTS = "no_agents"  # nobody on the phones works it (logged out or on a break)
    NO_FREE_AGENTS = "no_free_agents"  # its agents are all busy
    CALLS_IN_FLIGHT = "calls_in_flight"  # the calls ringing already cover the free agents
    ABANDON_ROOM = "abandon_room"  # the 30-day abandonment cap leaves no room
    WINDOW_CLOSED = "window_closed"  # the next leads wait for their calling window
    RETRY_LATER = "retry_later"  # the next leads wait for their retry time
    TRUNK_LIMIT = "trunk_limit"  # lines or calls per second used up
    NO_LEADS = "no_leads"  # nothing left to dial
    PAUSED = "paused"  # a supervisor paused it
    HALTED = "halted"  # a supervisor stopped it


IDLE_WORDS: Final[dict[IdleReason, str]] = {
    IdleReason.STOPPED: "stopped by the compliance gate",
    IdleReason.NO_AGENTS: "no agent ready or busy on it (all logged out or on a break)",
    IdleReason.NO_FREE_AGENTS: "no free agents",
    IdleReason.CALLS_IN_FLIGHT: "calls ringing cover the free agents",
    IdleReason.ABANDON_ROOM: "abandonment room used up (30-day cap)",
    IdleReason.WINDOW_CLOSED: "calling window closed for the next leads",
    IdleReason.RETRY_LATER: "next leads wait for their retry time",
    IdleReason.TRUNK_LIMIT: "trunk lines or call rate used up",
    IdleReason.NO_LEADS: "no leads left",
    IdleReason.PAUSED: "paused by a supervisor",
    IdleReason.HALTED: "stopped by a supervisor",
}
# Why a campaign a supervisor switched off places no call.
_OFF: Final = {CampaignState.PAUSED: IdleReason.PAUSED, CampaignState.STOPPED: IdleReason.HALTED}


class CallState(StrEnum):
    """Where one dial is."""

    PREVIEW = "preview"  # an agent reads the lead before the dial
    RINGING = "ringing"
    WAITING = "waiting"  # a person answered; an agent is due within 2 s
    CONNECTED = "connected"


@dataclass(frozen=True, slots=True)
class CampaignSpec:
    """How the dialer runs one campaign."""

    rules: CampaignRules
    pacer: Pacer = field(default_factory=ProgressivePacer)
    dispositions: Dispositions = field(default_factory=Dispositions)
    retry: RetryRules = field(default_factory=RetryRules)
    ring_timeout: float = 25.0
    max_calls_per_second: float | None = None
    max_lines: int | None = None
    abandon_target: float | None = None  # default: 87% of the cap (2.6% of 3%)
    voicemail_message: str | None = None  # left on machines; None hangs up
    preview_seconds: float = 10.0
    callback_delay: float = 3600.0
    personal_callbacks: bool = True  # a callback belongs to the agent who booked it
    stats: Callable[[], CampaignStats] = CampaignStats

    def __post_init__(self) -> None:
        if self.ring_timeout < MIN_RING_SECONDS:
            raise ValueError(
                f"campaign {self.rules.name!r}: ring_timeout {self.ring_timeout} s is under "
                f"the {MIN_RING_SECONDS:.0f} s (four rings) the TSR requires"
            )
        if self.max_lines is not None and self.max_lines < 1:
            raise ValueError(f"campaign {self.rules.name!r}: max_lines must be >= 1")
        if self.max_calls_per_second is not None and self.max_calls_per_second <= 0:
            raise ValueError(f"campaign {self.rules.name!r}: max_calls_per_second must be > 0")

    @property
    def target(self) -> float:
        """The abandonment rate the pacer aims at."""
        if self.abandon_target is not None:
            return min(self.abandon_target, self.rules.max_abandon_rate)
        return 0.87 * self.rules.max_abandon_rate


@dataclass(slots=True)
class _Call:
    call_id: ContactId
    lead: CampaignLead
    number: str
    dialled_at: float
    state: CallState
    agent_id: str | None = None
    reserved: str | None = None  # a blended agent kept off inbound while this call rings


class _Campaign:
    """One campaign's leads, calls and figures inside the dialer."""

    def __init__(self, spec: CampaignSpec, leads: Iterable[CampaignLead]) -> None:
        self.spec = spec
        self.name = spec.rules.name
        self.queue = campaign_queue(self.name)
        self.leads: dict[str, CampaignLead] = {}
        self.due: list[tuple[float, int, str]] = []  # (next_at, order, lead id) of new leads
        self.order = 0
        for lead in leads:
            if lead.lead_id in self.leads:
                raise ValueError(f"campaign {self.name!r}: lead {lead.lead_id!r} given twice")
            self.leads[lead.lead_id] = lead
            self.push(lead)
        self.callbacks = CallbackBook()
        self.calls: dict[ContactId, _Call] = {}
        self.ringing: dict[ContactId, float] = {}  # includes previews
        self.waiting = 0
        self.connected = 0
        self.recent_dials: deque[float] = deque()
        self.counts = dict.fromkeys(COUNTERS, 0)
        self.stats = spec.stats()
        self.stopped: tuple[Reason, ...] = ()  # the gate refuses the campaign itself
        self.idle: IdleReason | None = IdleReason.NO_AGENTS  # why the last step placed none
        self.window_waits = False  # the last refusal was a calling window
        self.state = CampaignState.RUNNING  # the supervisor's switch

    def push(self, lead: CampaignLead) -> None:
        self.order += 1
        heappush(self.due, (lead.next_at, self.order, lead.lead_id))

    def push_first(self, lead: CampaignLead) -> None:
        """Back in the list ahead of every other lead (a callback due, a card taken back)."""
        self.order += 1
        heappush(self.due, (-1.0, self.order, lead.lead_id))


class Dialer:
    """Outbound campaigns driven by events, around one Center."""

    def __init__(
        self,
        center: Center,
        compliance: Compliance,
        campaigns: Iterable[tuple[CampaignSpec, Iterable[CampaignLead]]],
        *,
        start: datetime,
        blending: BlendingPolicy | None = None,
        inbound_targets: Mapping[str, tuple[float, float]] | None = None,
        first_call_id: ContactId = 10**12,
    ) -> None:
        self.center = center
        self.compliance = compliance
        self.start = start
        self.blending: BlendingPolicy = blending if blending is not None else ReservePolicy()
        # Inbound queue -> (service-level target, threshold), for the blending policy.
        self.inbound_targets = dict(inbound_targets or {})
        self._inbound_level = {name: target for name, (target, _) in self.inbound_targets.items()}
        self.campaigns: dict[str, _Campaign] = {}
        for spec, leads in campaigns:
            run = _Campaign(spec, leads)
            if run.name in self.campaigns:
                raise ValueError(f"campaign {run.name!r} given twice")
            if run.queue not in center.queues:
                raise ValueError(f"the center has no queue {run.queue!r} for campaign {run.name!r}")
            self.campaigns[run.name] = run
        self._next_call = first_call_id
        self._call_campaign: dict[ContactId, _Campaign] = {}
        self._dropped: dict[ContactId, _Campaign] = {}  # abandoned, hang-up still to come
        self._reserved: dict[str, ContactId] = {}  # blended agent -> the call it waits for
        # Every callback id ever booked -> its campaign (one no longer pending came due).
        self._callback_runs: dict[ContactId, _Campaign] = {}
        # Call id -> (due, note) the agent gave at wrap-up, read when the call is disposed.
        self._callback_wishes: dict[ContactId, tuple[float, str | None]] = {}
        local = start.timetz()
        self._day_offset = -float(local.hour * 3600 + local.minute * 60 + local.second)
        self._ticking = False
        # (agent, campaigns it works, whether it also serves inbound), rebuilt at logins.
        self._worker_cache: list[tuple[Agent, tuple[str, ...], bool]] | None = None

    # -- entry points -------------------------------------------------------------------

    def handle(
        self,
        event: Event
        | DialAnswered
        | PreviewDial
        | PreviewSkipped
        | CampaignStateSet
        | LeadsRecycled,
        now: float,
    ) -> list[Command | Any]:
        """Apply one event; returns the Center's commands and the dialer's, in order."""
        if isinstance(event, DialAnswered):
            commands = self._answered(event, now)
        elif isinstance(event, CampaignStateSet):
            commands = self._set_state(event, now)
        elif isinstance(event, LeadsRecycled):
            commands = self._recycle(event, now)
        elif isinstance(event, PreviewDial | PreviewSkipped):
            commands = self._preview_choice(event, now)
        elif (
            isinstance(event, CallbackRescheduled | CallbackCancelled)
            and event.callback_id in self._callback_runs
        ):
            commands = self._change_callback(event, now)
        elif isinstance(event, WrapUpDone) and event.callback_at is not None:
            commands = self._wrap_up_with_callback(event, now)
        elif isinstance(event, TimerFired) and event.timer_id.startswith(_TIMER):
            commands = self._timer(event.timer_id, now)
        else:
            if isinstance(event, AgentLoggedIn | AgentLoggedOut):
                self._worker_cache = None
            commands = self._read(self.center.handle(event, now), now)
            if isinstance(event, _NO_PACING):
                return commands
        commands += self.pace(now)
        return commands

    def handler(self, kind: type[Any]) -> Callable[[Any, float], list[Any]]:
        """A handler for one event type, like `Center.handler`."""
        return self.handle

    def state(self, campaign: str) -> CampaignState:
        """Running, paused or stopped (by a supervisor)."""
        return self.campaigns[campaign].state

    def _set_state(self, event: CampaignStateSet, now: float) -> list[Command | Any]:
        """Start, pause or stop: off, the leads on preview cards go back to the list
        (not an attempt, first in line when it runs again) and their agents are free."""
        run = self.campaigns.get(event.campaign)
        if run is None:
            raise UnknownCampaign(f"no campaign {event.campaign!r} in this center")
        run.state = CampaignState(event.state)
        if run.state is CampaignState.RUNNING:
            return []  # the pacing step after this event dials again
        commands: list[Command | Any] = []
        for call in [c for c in run.calls.values() if c.state is CallState.PREVIEW]:
            self._forget_preview(run, call)
            lead = call.lead
            lead.apply(LeadAction.RETRY)
            lead.next_at = now
            run.push_first(lead)
            commands.append(CancelTimer(f"{_PREVIEW}{call.call_id}"))
            commands += self._release(call, now)
        run.idle = _OFF[run.state]
        return commands

    def _recycle(self, event: LeadsRecycled, now: float) -> list[Command | Any]:
        """Leads an admin recycled go back to new, due now, in the order given; one
        that moved on to a call since the request was made is left as it is."""
        run = self.campaigns.get(event.campaign)
        if run is None:
            raise UnknownCampaign(f"no campaign {event.campaign!r} in this center")
        for lead_id in event.lead_ids:
            lead = run.leads.get(lead_id)
            if lead is None or lead.state not in RECYCLABLE:
                continue
            if lead.state is LeadState.CALLBACK:  # its callback is not made any more
                for callback in run.callbacks.pending():
                    if callback.lead_id == lead_id:
                        run.callbacks.cancel(callback.callback_id)
            lead.recycle(now)
            run.push(lead)
        return []

    def lead_states(self, campaign: str) -> dict[str, LeadState]:
        """Every lead the campaign holds: lead id -> its state now."""
        return {lead_id: lead.state for lead_id, lead in self.campaigns[campaign].leads.items()}

    def start_dialing(self, now: float) -> list[Command | Any]:
        """Begin: place the first calls and start the pacing tick."""
        return self.pace(now)

    # -- figures --------------------------------------------------------------------------

    def counts(self, campaign: str) -> dict[str, int]:
        """The campaign's counters (dials, answers, connects, abandoned, blocked...)."""
        return dict(self.campaigns[campaign].counts)

    def lead(self, campaign: str, lead_id: str) -> CampaignLead:
        """One lead as the dialer holds it."""
        return self.campaigns[campaign].leads[lead_id]

    def in_flight(self, campaign: str) -> dict[ContactId, str]:
        """Calls of the campaign not yet ended: call id -> lead id."""
        return {cid: call.lead.lead_id for cid, call in self.campaigns[campaign].calls.items()}

    # -- time helpers ------------------------------------------------------------------------

    def _clock(self, now: float) -> datetime:
        return self.start + timedelta(seconds=now)

    def _day(self, now: float) -> int:
        return int((now - self._day_offset) // DAY)

    def _hour(self, now: float) -> int:
        return int(((now - self._day_offset) % DAY) // 3600)

    def _seconds(self, moment: datetime) -> float:
        return (moment - self.start).total_seconds()

    # -- reading the Center's decisions ------------------------------------------------------

    def _read(self, commands: list[Command], now: float) -> list[Command | Any]:
        """Watch the Center's commands for campaign calls: connects, drops, dispositions."""
        calls = self._call_campaign
        if not calls and not self._dropped:
            self._inbound_records(commands)
            return list(commands)
        out: list[Command | Any] = []
        for command in commands:
            if isinstance(command, Connect) and command.contact_id in calls:
                self._connected(command.contact_id, command.agent_id)
            elif isinstance(command, HangUp) and command.contact_id in self._dropped:
                # The Center records the drop before it hangs up: the message goes first.
                run = self._dropped.pop(command.contact_id)
                message = run.spec.rules.safe_harbour_message()
                out.append(PlayMessage(command.contact_id, message, "safe_harbour"))
            elif isinstance(command, RecordInteraction):
                if command.record.contact_id in calls:
                    record = command.record._replace(direction=Direction.OUTBOUND)
                    out.append(RecordInteraction(record))
                    out += self._finished(record, now)
                    continue
                self._inbound_record(command.record)
            out.append(command)
        return out

    def _inbound_records(self, commands: list[Command]) -> None:
        for command in commands:
            if isinstance(command, RecordInteraction):
                self._inbound_record(command.record)

    def _inbound_record(self, record: InteractionRecord) -> None:
        """Track each inbound queue's recent service level for the blending policy."""
        target = self.inbound_targets.get(record.queue)
        if target is None or record.outcome is Outcome.IN_PROGRESS:
            return
        met = record.answered_at is not None and record.wait() <= target[1]
        level = self._inbound_level[record.queue]
        self._inbound_level[record.queue] = level + 0.02 * (float(met) - level)

    def _connected(self, call_id: ContactId, agent_id: str) -> None:
        run = self._call_campaign[call_id]
        call = run.calls[call_id]
        call.state = CallState.CONNECTED
        call.agent_id = agent_id
        run.waiting -= 1
        run.connected += 1
        run.counts["connects"] += 1
        call.lead.apply(LeadAction.CONNECT)

    def _finished(self, record: InteractionRecord, now: float) -> list[Any]:
        """The Center closed a campaign call: dropped (no agent in 2 s) or disposed."""
        run = self._call_campaign.pop(record.contact_id)
        call = run.calls.pop(record.contact_id)
        lead = call.lead
        if record.outcome is Outcome.ANSWERED:
            run.connected -= 1
            talk, wrap = record.talk_seconds, record.wrap_seconds
            if talk is not None and wrap is not None:
                run.stats.handled(talk, wrap)
            code = record.disposition or "no_sale"
            return self._dispose(run, lead, call, run.spec.dispositions[code], now, record.agent_id)
        # Not connected within 2 seconds: an abandoned call (TSR), in the 30-day ledger.
        self._dropped[record.contact_id] = run
        run.waiting -= 1
        run.counts["abandoned"] += 1
        self.compliance.ledger.record(run.name, self._clock(now).date(), abandoned=1)
        return self._dispose(run, lead, call, run.spec.dispositions[DROPPED], now, None)

    # -- dial results ------------------------------------------------------------------------

    def _answered(self, event: DialAnswered, now: float) -> list[Command | Any]:
        run = self._call_campaign.get(event.call_id)
        if run is None:
            raise UnknownContact(f"call {event.call_id!r} is not a dial in progress")
        call = run.calls[event.call_id]
        if call.state is not CallState.RINGING:
            raise UnknownContact(f"call {event.call_id!r} is not ringing ({call.state})")
        del run.ringing[event.call_id]
        result = event.result
        run.counts[_COUNTER_OF[result]] += 1
        run.stats.resolved(str(result), now - call.dialled_at, self._hour(now))
        if result is DialResult.HUMAN:
            call.state = CallState.WAITING
            run.waiting += 1
            self.compliance.ledger.record(run.name, self._clock(now).date(), human_answered=1)
            arrival = ContactArrived(event.call_id, run.queue, call.number)
            # The person waits in the campaign queue, which ranks above inbound: the
            # reserved agent, ready again, takes them before any waiting inbound caller.
            answered = self._read(self.center.handle(arrival, now), now)
            return answered + self._release(call, now)
        del run.calls[event.call_id]
        del self._call_campaign[event.call_id]
        commands: list[Command | Any] = self._release(call, now)
        if result is DialResult.MACHINE and run.spec.voicemail_message is not None:
            commands.append(PlayMessage(event.call_id, run.spec.voicemail_message, "voicemail"))
        if result is DialResult.MACHINE:
            commands.append(ReleaseCall(event.call_id, str(result)))
        disposition = run.spec.dispositions[_RESULT_DISPOSITION[result]]
        return commands + self._dispose(run, call.lead, call, disposition, now, None)

    # -- lead lifecycle -------------------------------------------------------------------

    def _dispose(
        self,
        run: _Campaign,
        lead: CampaignLead,
        call: _Call,
        disposition: Disposition,
        now: float,
        agent_id: str | None,
    ) -> list[Any]:
        """Apply a disposition: done, retry later, callback, or a Do-Not-Call request."""
        lead.last_disposition = disposition.code
        if disposition.sale:
            run.counts["conversions"] += 1
        if disposition.dnc_request:
            run.counts["dnc_requests"] += 1
            number = nanp_number(call.number)
            if number is not None:  # at once, company-wide, through the gate's lists
                self.compliance.record_opt_out(
                    number,
                    at=self._clock(now),
                    actor=agent_id or "dialer",
                    channel="voice",
                    campaign=run.name,
                )
            lead.dead_numbers.add(call.number)
        if disposition.code == WRONG_NUMBER:
            lead.dead_numbers.add(call.number)
            if not run.spec.retry.exhausted(lead):  # another number of the lead may be right
                lead.next_at = now
                lead.apply(LeadAction.RETRY)
                run.push(lead)
                return []
        if disposition.callback:
            run.counts["callbacks_booked"] += 1
            owner = agent_id if run.spec.personal_callbacks else None
            lead.callback_agent = owner
            due, note = self._callback_wishes.pop(
                call.call_id, (now + run.spec.callback_delay, None)
            )
            lead.next_at = due
            lead.apply(LeadAction.BOOK_CALLBACK)
            callback = ScheduledCallback(
                due, lead.lead_id, owner, call.call_id, agent_id, call.number, note
            )
            self._book(run, callback)
            return []
        if disposition.final or run.spec.retry.exhausted(lead):
            lead.apply(LeadAction.FINISH)
            return []
        assert disposition.retry_after is not None
        lead.next_at = now + disposition.retry_after
        lead.apply(LeadAction.RETRY)
        run.push(lead)
        return []

    def configure(
        self, spec: CampaignSpec, now: float, *, state: CampaignState = CampaignState.STOPPED
    ) -> list[Command | Any]:
        """Add a campaign (in `state`: a new one waits for a supervisor's start) or
        redefine one while it runs: its leads, calls in progress, counters and the
        pacer's learnt figures stay; rules, pacer, retries and caps apply from now on.
        Its Center queue must exist (the runtime adds it first)."""
        run = self.campaigns.get(spec.rules.name)
        if run is None:
            run = _Campaign(spec, ())
            if run.queue not in self.center.queues:
                raise UnknownQueue(
                    f"the center has no queue {run.queue!r} for campaign {run.name!r}"
                )
            run.state = state
            run.idle = _OFF.get(state, IdleReason.NO_AGENTS)
            self.campaigns[run.name] = run
            self._worker_cache = None  # agents' lanes are read again
        else:
            run.spec = spec
        return self.pace(now)

    def add_leads(self, campaign: str, leads: Iterable[CampaignLead]) -> int:
        """Give a running campaign more leads (a list uploaded later); returns how many.

        A lead id the campaign already holds is skipped, so a list loaded twice is harmless.
        """
        run = self.campaigns[campaign]
        added = 0
        for lead in leads:
            if lead.lead_id in run.leads:
                continue
            run.leads[lead.lead_id] = lead
            run.push(lead)
            added += 1
        return added

    def book_callback(
        self,
        campaign: str,
        lead_id: str,
        due: float,
        agent_id: str | None,
        *,
        callback_id: ContactId | None = None,
    ) -> ContactId:
        """Book a callback for a lead waiting its turn (a customer's wish from elsewhere);
        returns its id (a fresh call id unless given).

        `agent_id` None makes it the campaign's: any agent may take it.
        """
        run = self.campaigns[campaign]
        lead = run.leads[lead_id]
        if callback_id is None:
            callback_id = self._next_call
            self._next_call += 1
        lead.apply(LeadAction.BOOK_CALLBACK)  # raises unless the lead is new
        lead.callback_agent = agent_id
        lead.next_at = due
        callback = ScheduledCallback(due, lead_id, agent_id, callback_id, agent_id, lead.number)
        self._book(run, callback)
        return callback_id

    def _book(self, run: _Campaign, callback: ScheduledCallback) -> None:
        run.callbacks.book(callback)
        self._callback_runs[callback.callback_id] = run

    def pending_callbacks(self) -> list[tuple[str, ScheduledCallback]]:
        """Every campaign's callbacks booked and not yet due: (campaign, callback)."""
        return [(name, c) for name, run in self.campaigns.items() for c in run.callbacks.pending()]

    def callbacks_revision(self) -> int:
        """A number that changes whenever any campaign's pending callbacks do."""
        return sum(run.callbacks.revision for run in self.campaigns.values())

    def _wrap_up_with_callback(self, event: WrapUpDone, now: float) -> list[Command | Any]:
        """End wrap-up; the call's disposition books its callback at the agent's time."""
        plain = self._callback_wish(event)
        try:
            return self._read(self.center.handle(plain, now), now)
        finally:  # read by the disposition, or left by a wrap-up the Center refused
            self._callback_wishes.pop(plain.contact_id or 0, None)

    def _callback_wish(self, event: WrapUpDone) -> WrapUpDone:
        """A wrap-up that names a callback time: the campaign books its one callback then.

        Checked before the Center acts: the contact is one of the dialer's calls and its
        disposition books a callback. The Center gets the wrap-up without the time.
        """
        contact_id = event.contact_id
        if contact_id is None:
            agent = self.center.agents.get(event.agent_id)
            wrapping = [] if agent is None else list(agent.work)
            contact_id = wrapping[0] if len(wrapping) == 1 else None
        run = None if contact_id is None else self._call_campaign.get(contact_id)
        if run is None or contact_id is None:
            raise UnsupportedChange(
                f"contact {contact_id!r} is no campaign call: its callback is a "
                "CallbackScheduled event, not a time on its wrap-up"
            )
        code = event.disposition or "no_sale"
        disposition = run.spec.dispositions[code]  # an unknown code is refused as such
        if not disposition.callback:
            booking = sorted(d.code for d in run.spec.dispositions if d.callback)
            raise BooksNoCallback(
                f"disposition {code!r} of campaign {run.name!r} books no callback "
                f"(those that do: {', '.join(booking) or 'none'})"
            )
        assert event.callback_at is not None
        self._callback_wishes[contact_id] = (event.callback_at, event.note)
        return WrapUpDone(event.agent_id, event.disposition, contact_id)

    def _change_callback(
        self, event: CallbackRescheduled | CallbackCancelled, now: float
    ) -> list[Command | Any]:
        """Move or call off a campaign's callback: only while pending, only the booker's
        (an event without an agent is a supervisor's). Called off, the lead is done."""
        run = self._callback_runs[event.callback_id]
        callback = run.callbacks.get(event.callback_id)
        if callback is None:
            raise CallbackNotPending(
                f"callback {event.callback_id} of campaign {run.name!r} is already due: "
                "dialled or in line to be dialled"
            )
        if event.agent_id is not None and callback.booked_by != event.agent_id:
            raise NotYourCallback(
                f"callback {event.callback_id} was booked by "
                f"{callback.booked_by or 'nobody in particular'!r}, not {event.agent_id!r}"
            )
        lead = run.leads[callback.lead_id]
        if isinstance(event, CallbackRescheduled):
            run.callbacks.reschedule(event.callback_id, event.due)
            lead.next_at = event.due
        else:
            run.callbacks.cancel(event.callback_id)
            lead.apply(LeadAction.CANCEL_CALLBACK)
        return []

    # -- timers ---------------------------------------------------------------------------

    def _timer(self, timer_id: str, now: float) -> list[Command | Any]:
        if timer_id == _TICK:
            self._ticking = False
            return []
        if timer_id.startswith(_PREVIEW):
            call_id = int(timer_id[len(_PREVIEW) :])
            run = self._call_campaign.get(call_id)
            if run is None or run.calls[call_id].state is not CallState.PREVIEW:
                return []  # dialled or skipped by the agent meanwhile
            return self._dial_preview(run, run.calls[call_id], now)
        raise UnknownContact(f"timer {timer_id!r} is not one the dialer started")

    def _dial_preview(self, run: _Campaign, call: _Call, now: float) -> list[Command | Any]:
        """The agent read the lead for a while: the gate is asked again before the dial."""
        decision = self.compliance.may_dial(
            call.lead, call.number, run.spec.rules, self._clock(now), mode=DialMode.PREVIEW
        )
        _forget_refusals(self.compliance)
        if not decision.allowed:
            return self._preview_refused(run, call, decision, now)
        call.state = CallState.RINGING
        run.ringing[call.call_id] = now
        call.dialled_at = now
        return [self._dial_command(run, call, now)]

    def _preview_choice(
        self, event: PreviewDial | PreviewSkipped, now: float
    ) -> list[Command | Any]:
        """Dial or Skip on the agent's preview card: only theirs, only while previewed."""
        run = self._call_campaign.get(event.call_id)
        call = None if run is None else run.calls.get(event.call_id)
        if run is None or call is None or call.state is not CallState.PREVIEW:
            raise UnknownContact(f"call {event.call_id} is not a lead being previewed")
        if call.agent_id != event.agent_id:
            raise UnknownContact(
                f"call {event.call_id} is previewed by another agent, not {event.agent_id!r}"
            )
        cancel = CancelTimer(f"{_PREVIEW}{call.call_id}")
        if isinstance(event, PreviewDial):
            return [cancel, *self._dial_preview(run, call, now)]
        # Skipped: back in the list for later, not an attempt; the agent gets the next one.
        self._forget_preview(run, call)
        run.counts["previews_skipped"] += 1
        lead = call.lead
        lead.apply(LeadAction.RETRY)
        lead.next_at = now + SKIP_DELAY
        run.push(lead)
        return [cancel, *self._release(call, now)]

    def call_lead(self, call_id: ContactId) -> tuple[str, CampaignLead] | None:
        """The campaign and lead of one of the dialer's calls (a screen pop's customer)."""
        run = self._call_campaign.get(call_id)
        call = None if run is None else run.calls.get(call_id)
        if run is None or call is None:
            return None
        return run.name, call.lead

    def _forget_preview(self, run: _Campaign, call: _Call) -> None:
        """A previewed lead's call ends before any dial: skipped, refused or taken back."""
        del run.calls[call.call_id]
        del run.ringing[call.call_id]
        del self._call_campaign[call.call_id]

    def previewer(self, call_id: ContactId) -> str | None:
        """The agent previewing this call, if it is a preview."""
        run = self._call_campaign.get(call_id)
        call = None if run is None else run.calls.get(call_id)
        if call is None or call.state is not CallState.PREVIEW:
            return None
        return call.agent_id

    def preview_of(self, agent_id: str) -> tuple[str, ContactId, CampaignLead, str] | None:
        """The lead this agent is previewing: (campaign, call id, lead, number to dial)."""
        for run in self.campaigns.values():
            for call in run.calls.values():
                if call.state is CallState.PREVIEW and call.agent_id == agent_id:
                    return run.name, call.call_id, call.lead, call.number
        return None

    def _preview_refused(
        self, run: _Campaign, call: _Call, decision: Decision, now: float
    ) -> list[Command | Any]:
        """The window closed (or the number was listed) while the agent read the lead."""
        self._forget_preview(run, call)
        lead = call.lead
        if decision.dnc_blocked:
            run.counts["dnc_blocked"] += 1
            lead.dead_numbers.add(call.number)
        elif decision.window_blocked:
            run.counts["window_blocked"] += 1
        later = decision.next_allowed
        if run.spec.retry.exhausted(lead):
            lead.apply(LeadAction.FINISH)
        else:
            lead.apply(LeadAction.RETRY)
            lead.next_at = (
                self._seconds(later)
                if later is not None
                else run.spec.retry.next_day_start(now, self._day_offset)
            )
            if decision.dnc_blocked:
                lead.next_at = now
            run.push(lead)
        return self._release(call, now)

    # -- pacing -------------------------------------------------------------------------

    def pace(self, now: float) -> list[Command | Any]:
        """Ask every campaign's pacer how many calls to place, and place them."""
        commands: list[Command | Any] = []
        active = False
        free_by_campaign, views, dedicated = self._agents(now)
        for run in self.campaigns.values():
            if run.state is not CampaignState.RUNNING:
                run.idle = _OFF[run.state]
                continue
            if run.stopped:
                run.idle = IdleReason.STOPPED
                continue
            commands += self._pace_one(
                run, now, free_by_campaign.get(run.name, []), views, dedicated.get(run.name, 0)
            )
            if run.calls or run.due or len(run.callbacks):
                active = True
        if active and not self._ticking:
            self._ticking = True
            commands.append(StartTimer(_TICK, TICK_SECONDS))
        return commands

    def _workers(self) -> list[tuple[Agent, tuple[str, ...], bool]]:
        """Agents who work campaigns: (agent, campaigns, also inbound), built at logins."""
        workers = self._worker_cache
        if workers is None:
            workers = []
            for agent in self.center.agents.values():
                worked = tuple(
                    q[len(CAMPAIGN_QUEUE_PREFIX) :]
                    for q, _ in agent.lanes
                    if q.startswith(CAMPAIGN_QUEUE_PREFIX)
                )
                if worked:
                    inbound = any(not q.startswith(CAMPAIGN_QUEUE_PREFIX) for q, _ in agent.lanes)
                    workers.append((agent, worked, inbound))
            self._worker_cache = workers
        return workers

    def _agents(
        self, now: float
    ) -> tuple[
        dict[str, list[str]], dict[str, tuple[int, list[float], list[float]]], dict[str, int]
    ]:
        """Ready agents per campaign (outbound-only first, then those the blending policy
        lends), the busy ones' times, and how many ready ones are outbound-only."""
        free: dict[str, list[str]] = {name: [] for name in self.campaigns}
        staffed = dict.fromkeys(self.campaigns, 0)
        talking: dict[str, list[float]] = {name: [] for name in self.campaigns}
        wrapping: dict[str, list[float]] = {name: [] for name in self.campaigns}
        blended_ready: dict[str, list[str]] = {}
        staffed_blended = 0
        ready_state, wrap_state, talk_state = (
            AgentState.READY,
            AgentState.WRAP_UP,
            AgentState.TALKING,
        )
        off = (AgentState.NOT_READY, AgentState.LOGGED_OUT)
        reserved = self._reserved
        for agent, worked, inbound in self._workers():
            state = agent.state
            if state in off:
                if agent.agent_id in reserved and agent.reason == RESERVED_REASON:
                    for name in worked:  # waiting for their call: free for it, not inbound
                        staffed[name] += 1
                        free[name].append(agent.agent_id)
                continue
            if inbound:
                staffed_blended += 1
            for name in worked:
                staffed[name] += 1
                if state is ready_state:
                    if inbound:
                        blended_ready.setdefault(name, []).append(agent.agent_id)
                    else:
                        free[name].append(agent.agent_id)
                elif state is wrap_state:
                    wrapping[name].append(now - agent.since)
                elif state is talk_state:
                    talking[name].append(now - agent.since)
                else:  # reserved: a call about to start
                    talking[name].append(0.0)
        dedicated = {name: len(agents) for name, agents in free.items()}
        if blended_ready:
            view = self._inbound_view(blended_ready, staffed_blended)
            for name, ready in blended_ready.items():
                view_one = InboundView(
                    len(ready),
                    view.staffed_blended,
                    view.waiting,
                    view.oldest_wait,
                    view.threshold,
                    view.service_level,
                    view.target,
                )
                lent = min(len(ready), self.blending.outbound_agents(view_one))
                free[name].extend(ready[:lent])
        busy = {name: (staffed[name], talking[name], wrapping[name]) for name in self.campaigns}
        return free, busy, dedicated

    def _inbound_view(self, ready: Mapping[str, list[str]], staffed: int) -> InboundView:
        waiting = 0
        for name, queue in self.center.queues.items():
            if not name.startswith(CAMPAIGN_QUEUE_PREFIX):
                waiting += len(queue)
        targets = list(self.inbound_targets.values())
        threshold = min((t for _, t in targets), default=20.0)
        target = max((t for t, _ in targets), default=0.8)
        level = min(self._inbound_level.values(), default=1.0)
        total_ready = len({a for agents in ready.values() for a in agents})
        return InboundView(total_ready, staffed, waiting, 0.0, threshold, level, target)

    def _pace_one(
        self,
        run: _Campaign,
        now: float,
        free: list[str],
        busy: Mapping[str, tuple[int, list[float], list[float]]],
        dedicated: int,
    ) -> list[Command | Any]:
        spec = run.spec
        staffed, talking, wrapping = busy.get(run.name, (0, [], []))
        if staffed == 0:
            run.idle = IdleReason.NO_AGENTS
            return []
        commands: list[Command | Any] = []
        # Callbacks due first: agent-owned ones only while their agent is free.
        for callback in run.callbacks.due(now, set(free)):
            lead = run.leads[callback.lead_id]
            if lead.state is LeadState.CALLBACK:
                lead.next_at = now
                lead.apply(LeadAction.CALLBACK_DUE)
                lead.apply(LeadAction.REFUSE)  # back to new, at the head of the list
                run.push_first(lead)
        day = self._day(now)
        ledger = self.compliance.ledger
        abandoned, answered = run.counts["abandoned"], run.counts["human_answers"]
        view = PacingView(
            now=now,
            hour=self._hour(now),
            free_agents=len(free),
            staffed_agents=staffed,
            talking=tuple(talking),
            wrapping=tuple(wrapping),
            ringing=tuple(now - t for t in run.ringing.values()),
            waiting_humans=run.waiting,
            abandoned=abandoned,
            human_answers=answered,
            headroom=ledger.headroom(
                run.name, self._clock(now).date(), spec.rules.max_abandon_rate
            ),
            cap=spec.rules.max_abandon_rate,
            target=spec.target,
            stats=run.stats,
        )
        mode = spec.rules.dial_mode
        wanted = (
            view.progressive_calls if mode is DialMode.PREVIEW else spec.pacer.calls_to_place(view)
        )
        safe = min(wanted, view.progressive_calls)
        if wanted > safe:  # calls that may abandon: only while the ledger has room
            wanted = min(wanted, safe + self._room(run, view, safe))
        uncapped = wanted
        wanted = self._trunk_cap(run, now, wanted)
        # Agents not yet spoken for by a call: outbound-only (or already reserved) first,
        # then the blended ones the policy lends, each taken off inbound for its call.
        spoken_for = len(view.ringing) + view.waiting_humans
        lendable = free[dedicated:]
        previews = (
            [a for a in free if a not in _preview_agents(run)] if mode is DialMode.PREVIEW else []
        )
        placed = 0
        while placed < wanted:
            # The gate's abandonment check is for calls beyond one per free agent.
            over = placed >= view.progressive_calls
            call = self._next_dial(run, now, day, mode if over else DialMode.PROGRESSIVE)
            if call is None:
                break
            placed += 1
            if placed <= safe and spoken_for >= dedicated and lendable:
                commands += self._reserve(run, call, lendable.pop(), now)
            spoken_for += 1
            if mode is DialMode.PREVIEW:
                call.state = CallState.PREVIEW
                if call.reserved is not None:
                    call.agent_id = call.reserved
                elif previews:
                    call.agent_id = previews.pop(0)
                commands.append(StartTimer(f"{_PREVIEW}{call.call_id}", spec.preview_seconds))
            else:
                commands.append(self._dial_command(run, call, now))
        run.idle = None if placed else self._idle_reason(run, now, view, uncapped, wanted)
        return commands

    def _idle_reason(
        self, run: _Campaign, now: float, view: PacingView, uncapped: int, wanted: int
    ) -> IdleReason:
        """Why this step placed no call, for people: the first cause that applies."""
        if run.stopped:
            return IdleReason.STOPPED
        if uncapped > 0 and wanted == 0:
            return IdleReason.TRUNK_LIMIT
        if wanted > 0:  # calls were wanted: the leads (or the gate) said no
            if not run.due and not len(run.callbacks):
                return IdleReason.NO_LEADS
            if run.due and run.due[0][0] > now:
                return IdleReason.WINDOW_CLOSED if run.window_waits else IdleReason.RETRY_LATER
            return IdleReason.ABANDON_ROOM
        if view.free_agents == 0:
            return IdleReason.NO_FREE_AGENTS
        if view.progressive_calls == 0:
            return IdleReason.CALLS_IN_FLIGHT
        return IdleReason.ABANDON_ROOM

    def idle_reason(self, campaign: str) -> IdleReason | None:
        """Why the campaign's last pacing step placed no call; None when it dialled."""
        return self.campaigns[campaign].idle

    def leads_left(self, campaign: str) -> int:
        """Leads still to be dialled: new (now or later) and callbacks booked."""
        return sum(
            lead.state in (LeadState.NEW, LeadState.CALLBACK)
            for lead in self.campaigns[campaign].leads.values()
        )

    def _reserve(self, run: _Campaign, call: _Call, agent_id: str, now: float) -> list[Any]:
        """Take a lent blended agent off inbound while their call rings (not ready)."""
        call.reserved = agent_id
        self._reserved[agent_id] = call.call_id
        return self._read(self.center.handle(AgentNotReady(agent_id, RESERVED_REASON), now), now)

    def _release(self, call: _Call, now: float) -> list[Any]:
        """Give a reserved agent back: ready again (a waiting person or inbound caller next)."""
        agent_id = call.reserved
        if agent_id is None:
            return []
        call.reserved = None
        del self._reserved[agent_id]
        agent = self.center.agents.get(agent_id)
        if agent is None or agent.state is not AgentState.NOT_READY:
            return []
        if agent.reason != RESERVED_REASON:
            return []  # the agent took a break meanwhile: theirs to end
        return self._read(self.center.handle(AgentReady(agent_id), now), now)

    def _room(self, run: _Campaign, view: PacingView, safe: int) -> int:
        """Extra calls the 30-day ledger has room for, whatever the pacer wants.

        A person is an abandonment only if nobody is free for them within the 2-second
        grace, and each free agent takes one person (not one call). So the people who
        may still answer (those waiting, each ringing call's chance given how long it
        has rung, each new call's), with a margin (`LEDGER_MARGIN` times their expected
        number, and at least `LEDGER_Z` standard deviations above it), less the agents
        free now, must fit in the abandonments the cap still allows, less the one the
        next call may add. Agents about to finish a call are not counted.
        """
        if view.headroom < 1:
            return 0
        stats = run.stats
        p_new = max(stats.human_rate(view.hour), 0.01)
        people = float(view.waiting_humans)
        for q in stats.humans_after(view.ringing, view.hour):
            people += q
        budget = view.headroom - 1 + view.free_agents

        def fits(calls: int) -> bool:
            expected = people + calls * p_new
            margin = max((LEDGER_MARGIN - 1.0) * expected, LEDGER_Z * math.sqrt(expected))
            return expected + margin <= budget

        limit = max(1, 6 * view.staffed_agents)
        if not fits(safe):
            return 0
        if fits(safe + limit):
            return limit
        low, high = 0, limit
        while high - low > 1:
            middle = (low + high) // 2
            if fits(safe + middle):
                low = middle
            else:
                high = middle
        return low

    def _trunk_cap(self, run: _Campaign, now: float, wanted: int) -> int:
        spec = run.spec
        capped = wanted
        if spec.max_lines is not None:
            capped = min(capped, spec.max_lines - len(run.ringing) - run.waiting - run.connected)
        if spec.max_calls_per_second is not None:
            recent = run.recent_dials
            while recent and recent[0] <= now - 1.0:
                recent.popleft()
            capped = min(capped, int(spec.max_calls_per_second) - len(recent))
        capped = max(0, capped)
        if capped < wanted:
            run.counts["trunk_limited"] += 1
        return capped

    def _next_dial(self, run: _Campaign, now: float, day: int, mode: DialMode) -> _Call | None:
        """The next due lead the gate allows, as a call in progress; None if none is."""
        due = run.due
        retry = run.spec.retry
        while due and due[0][0] <= now:
            _, _, lead_id = heappop(due)
            lead = run.leads[lead_id]
            if lead.state is not LeadState.NEW:
                continue  # a stale entry: the lead moved on since it was pushed
            lead.apply(LeadAction.LOAD)
            number = retry.dialable_number(lead, day)
            if number is None:
                if retry.exhausted(lead):
                    lead.apply(LeadAction.FINISH)
                else:  # a daily cap: tomorrow
                    lead.apply(LeadAction.REFUSE)
                    lead.next_at = retry.next_day_start(now, self._day_offset)
                    run.push(lead)
                continue
            decision = self.compliance.may_dial(
                lead, number, run.spec.rules, self._clock(now), mode=mode
            )
            _forget_refusals(self.compliance)  # refusals are counted below, not kept
            if not decision.allowed:
                if decision.dnc_blocked or Reason.INVALID in decision.reasons:
                    run.counts["dnc_blocked"] += decision.dnc_blocked
                    lead.dead_numbers.add(number)
                    if retry.exhausted(lead):
                        lead.apply(LeadAction.BLOCK)
                    else:
                        lead.apply(LeadAction.REFUSE)
                        run.push(lead)
                    continue
                lead.apply(LeadAction.REFUSE)
                if decision.window_blocked:
                    run.counts["window_blocked"] += 1
                    run.window_waits = True
                    later = decision.next_allowed
                    lead.next_at = (
                        self._seconds(later)
                        if later is not None
                        else retry.next_day_start(now, self._day_offset)
                    )
                    run.push(lead)
                    continue
                # The campaign itself (caller ID, safe harbour) or the abandonment cap.
                lead.next_at = now
                run.push(lead)
                if Reason.ABANDON_CAP not in decision.reasons:
                    run.stopped = decision.reasons
                return None
            lead.apply(LeadAction.DIAL)
            run.window_waits = False
            call_id = self._next_call
            self._next_call += 1
            call = _Call(call_id, lead, number, now, CallState.RINGING)
            run.calls[call_id] = call
            run.ringing[call_id] = now
            self._call_campaign[call_id] = run
            return call
        return None

    def _dial_command(self, run: _Campaign, call: _Call, now: float) -> Dial:
        call.lead.count_attempt(call.number, self._day(now))
        run.counts["dials"] += 1
        run.stats.dialled(self._hour(now))
        run.recent_dials.append(now)
        spec = run.spec
        return Dial(
            call.call_id,
            run.name,
            call.lead.lead_id,
            call.number,
            spec.rules.caller_id,
            spec.ring_timeout,
            call.agent_id,
        )


def _forget_refusals(compliance: Compliance) -> None:
    """Drop the gate's dial refusals (counted, not kept); keep list changes (opt-outs)
    for the runtime to persist."""
    audit = compliance.audit
    if audit:
        audit[:] = [entry for entry in audit if entry.action != "dial_refused"]


def _preview_agents(run: _Campaign) -> set[str]:
    return {c.agent_id for c in run.calls.values() if c.agent_id is not None}
