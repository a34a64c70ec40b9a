"""The dialer around a Center: gate, answers, abandonment, dispositions, trunks, modes."""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidal.config import load_calling_rules
from tidal.core import (
    AgentLoggedIn,
    AgentReady,
    CallbackCancelled,
    CallbackNotPending,
    CallbackRescheduled,
    CallEnded,
    NotYourCallback,
    OfferAccepted,
    TimerFired,
    UnknownCallback,
    WrapUpDone,
)
from tidal.core.campaigns import (
    IDLE_WORDS,
    BooksNoCallback,
    CampaignLead,
    CampaignSpec,
    Dial,
    DialAnswered,
    Dialer,
    DialResult,
    IdleReason,
    LeadsRecycled,
    LeadState,
    ModelPacer,
    Pacer,
    PlayMessage,
    PowerPacer,
    PreviewDial,
    PreviewSkipped,
    ProgressivePacer,
    ReleaseCall,
    RetryRules,
    campaign_queue_spec,
    campaign_skill,
)
from tidal.core.commands import (
    CancelTimer,
    Connect,
    HangUp,
    OfferToAgent,
    RecordInteraction,
    StartTimer,
)
from tidal.core.compliance import (
    CallingWindows,
    CampaignRules,
    Compliance,
    DialMode,
    MemoryRegistry,
    nanp_number,
)
from tidal.core.errors import UnknownContact
from tidal.core.values import Direction
from tidal.sim._outbound import Regulator

NY = ZoneInfo("America/New_York")
START = datetime(2026, 11, 24, 10, 0, tzinfo=NY)  # a Tuesday, inside the window
WINDOWS = CallingWindows(load_calling_rules())


def number(i: int) -> str:
    return f"+1212555{i:04d}"


def leads(count: int, numbers_per_lead: int = 1) -> list[CampaignLead]:
    return [
        CampaignLead(f"l{i}", tuple(number(i * 10 + k) for k in range(numbers_per_lead)))
        for i in range(count)
    ]


@dataclass
class Harness:
    """A Center, a compliance gate and a dialer with one campaign `c`."""

    dialer: Dialer
    compliance: Compliance
    dials: list[Dial] = field(default_factory=list)
    out: list[Any] = field(default_factory=list)

    def feed(self, event: Any, now: float) -> list[Any]:
        commands = self.dialer.handle(event, now)
        for command in commands:
            if isinstance(command, Dial):
                self.dials.append(command)
        self.out += commands
        return commands

    def connect_offers(self, commands: list[Any], now: float) -> list[Any]:
        """Agents accept whatever they are offered, at once."""
        more: list[Any] = []
        for command in commands:
            if isinstance(command, OfferToAgent):
                more += self.feed(OfferAccepted(command.contact_id, command.agent_id), now)
        return more


def harness(
    lead_list: list[CampaignLead],
    *,
    mode: DialMode = DialMode.PROGRESSIVE,
    pacer: Pacer | None = None,
    registry: tuple[int, ...] = (),
    agents: int = 1,
    start: datetime = START,
    history: int = 0,
    **spec: Any,
) -> Harness:
    from tidal.core import Center

    center = Center([campaign_queue_spec("c", priority=0, handle_time=60.0)])
    compliance = Compliance(
        MemoryRegistry(registry, refreshed_at=start - timedelta(days=1)), WINDOWS
    )
    rules = CampaignRules(
        "c",
        caller_id="+12025550100",
        dial_mode=mode,
        seller_name="Acme",
        callback_number="+18005550199",
    )
    campaign = CampaignSpec(rules, pacer=pacer or ProgressivePacer(), **spec)
    h = Harness(Dialer(center, compliance, [(campaign, lead_list)], start=start), compliance)
    if history:  # earlier days' people who answered: the 30-day ledger has room
        compliance.ledger.record("c", (start - timedelta(days=1)).date(), human_answered=history)
    for i in range(agents):
        h.feed(AgentLoggedIn(f"a{i}", "sales", {campaign_skill("c"): 1}), 0.0)
    for i in range(agents):
        h.feed(AgentReady(f"a{i}"), 0.0)
    return h


def test_progressive_dials_one_lead_per_ready_agent_through_the_gate() -> None:
    h = harness(leads(5), agents=2)
    assert [d.lead_id for d in h.dials] == ["l0", "l1"]
    assert h.dials[0].number == number(0) and h.dials[0].caller_id == "+12025550100"
    assert h.dials[0].ring_timeout == 25.0
    assert h.dialer.counts("c")["dials"] == 2


def test_a_registry_number_is_blocked_counted_and_the_lead_closed() -> None:
    registered = nanp_number(number(0))
    assert registered is not None
    h = harness(leads(2), registry=(registered,))
    assert [d.lead_id for d in h.dials] == ["l1"]
    assert h.dialer.counts("c")["dnc_blocked"] == 1
    assert h.dialer.lead("c", "l0").state is LeadState.DONE


def test_outside_the_window_the_lead_waits_for_it_to_open() -> None:
    early = datetime(2026, 11, 24, 7, 0, tzinfo=NY)
    h = harness(leads(1), start=early)
    assert h.dials == []
    assert h.dialer.counts("c")["window_blocked"] == 1
    lead = h.dialer.lead("c", "l0")
    assert lead.state is LeadState.NEW and lead.next_at == pytest.approx(3600.0)
    h.feed(TimerFired("dial:tick"), 3600.0)
    assert [d.lead_id for d in h.dials] == ["l0"]


def test_the_dialer_says_why_it_is_not_dialling() -> None:
    h = harness(leads(1), agents=0)
    assert h.dialer.idle_reason("c") is IdleReason.NO_AGENTS
    h.feed(AgentLoggedIn("a0", "sales", {campaign_skill("c"): 1}), 0.0)
    assert h.dialer.idle_reason("c") is IdleReason.NO_AGENTS  # logged in, not ready
    h.feed(AgentReady("a0"), 0.0)
    assert h.dialer.idle_reason("c") is None and len(h.dials) == 1
    assert h.dialer.leads_left("c") == 0
    h.feed(TimerFired("dial:tick"), 1.0)  # the call still rings for the only agent
    assert h.dialer.idle_reason("c") is IdleReason.CALLS_IN_FLIGHT
    early = harness(leads(2), start=datetime(2026, 11, 24, 7, 0, tzinfo=NY))
    assert early.dialer.idle_reason("c") is IdleReason.WINDOW_CLOSED
    assert early.dialer.leads_left("c") == 2
    assert IDLE_WORDS[IdleReason.WINDOW_CLOSED] == "calling window closed for the next leads"
    empty = harness([])
    assert empty.dialer.idle_reason("c") is IdleReason.NO_LEADS


def test_a_person_reaches_the_agent_and_a_sale_closes_the_lead() -> None:
    h = harness(leads(3))
    call = h.dials[0].call_id
    commands = h.feed(DialAnswered(call, DialResult.HUMAN), 10.0)
    commands += h.connect_offers(commands, 10.0)
    assert any(isinstance(c, Connect) and c.contact_id == call for c in commands)
    h.feed(CallEnded(call), 100.0)
    commands = h.feed(WrapUpDone("a0", "sale"), 110.0)
    [record] = [c.record for c in commands if isinstance(c, RecordInteraction)]
    assert record.direction is Direction.OUTBOUND and record.disposition == "sale"
    counts = h.dialer.counts("c")
    assert (counts["human_answers"], counts["connects"], counts["conversions"]) == (1, 1, 1)
    assert h.dialer.lead("c", "l0").state is LeadState.DONE
    assert h.dials[-1].lead_id == "l1"  # the agent is free again: the next lead


def test_nobody_free_within_two_seconds_is_an_abandonment_with_the_safe_harbour() -> None:
    h = harness(leads(5), mode=DialMode.POWER, pacer=PowerPacer(2.0), history=1000)
    first, second = h.dials[0].call_id, h.dials[1].call_id
    commands = h.feed(DialAnswered(first, DialResult.HUMAN), 8.0)
    h.connect_offers(commands, 8.0)
    commands = h.feed(DialAnswered(second, DialResult.HUMAN), 9.0)
    [timer] = [c for c in commands if isinstance(c, StartTimer) and str(second) in c.timer_id]
    assert timer.delay == 2.0
    commands = h.feed(TimerFired(timer.timer_id), 11.0)
    kinds = [type(c) for c in commands if isinstance(c, PlayMessage | HangUp)]
    assert kinds == [PlayMessage, HangUp]  # the message first, then the hang-up
    [message] = [c for c in commands if isinstance(c, PlayMessage)]
    assert message.kind == "safe_harbour" and "+18005550199" in message.message
    assert h.dialer.counts("c")["abandoned"] == 1
    assert h.compliance.ledger.totals("c", START.date()) == (1, 1002)  # with history
    assert h.dialer.lead("c", h.dials[1].lead_id).last_disposition == "dropped"


def test_a_machine_is_released_and_retried_after_its_delay() -> None:
    h = harness(leads(1))
    commands = h.feed(DialAnswered(h.dials[0].call_id, DialResult.MACHINE), 12.0)
    assert any(isinstance(c, ReleaseCall) for c in commands)
    lead = h.dialer.lead("c", "l0")
    assert lead.state is LeadState.NEW and lead.next_at == pytest.approx(12.0 + 7200.0)
    h.feed(TimerFired("dial:tick"), 13.0)
    assert len(h.dials) == 1  # not before its retry time
    h.feed(TimerFired("dial:tick"), 7300.0)
    assert len(h.dials) == 2 and h.dials[1].lead_id == "l0"


def test_attempts_stop_at_the_maximum() -> None:
    h = harness(leads(1), retry=RetryRules(max_attempts=2))
    now = 0.0
    for _ in range(2):
        now += 4000.0
        h.feed(DialAnswered(h.dials[-1].call_id, DialResult.NO_ANSWER), now)
        h.feed(TimerFired("dial:tick"), now + 3700.0)
    assert len(h.dials) == 2
    assert h.dialer.lead("c", "l0").state is LeadState.DONE


def test_a_dnc_request_writes_the_internal_list_at_once() -> None:
    h = harness(leads(2))
    call = h.dials[0].call_id
    h.connect_offers(h.feed(DialAnswered(call, DialResult.HUMAN), 10.0), 10.0)
    h.feed(CallEnded(call), 60.0)
    h.feed(WrapUpDone("a0", "dnc"), 65.0)
    decision = h.compliance.check_number(number(0), START + timedelta(seconds=66))
    assert not decision.allowed and decision.dnc_blocked
    assert h.dialer.counts("c")["dnc_requests"] == 1


def test_a_callback_is_dialled_when_due_for_its_agent() -> None:
    h = harness(leads(2), callback_delay=600.0)
    call = h.dials[0].call_id
    h.connect_offers(h.feed(DialAnswered(call, DialResult.HUMAN), 10.0), 10.0)
    h.feed(CallEnded(call), 60.0)
    h.feed(WrapUpDone("a0", "callback"), 65.0)
    assert h.dialer.lead("c", "l0").state is LeadState.CALLBACK
    h.feed(DialAnswered(h.dials[-1].call_id, DialResult.BUSY), 70.0)  # l1, busy
    h.feed(TimerFired("dial:tick"), 700.0)
    assert h.dials[-1].lead_id == "l0"


def test_a_wrong_number_moves_to_the_lead_s_next_number() -> None:
    h = harness(leads(1, numbers_per_lead=2))
    h.feed(DialAnswered(h.dials[0].call_id, DialResult.INVALID), 2.0)
    assert h.dials[-1].number == number(1)


def test_the_trunk_caps_lines_and_calls_per_second() -> None:
    lines = harness(
        leads(20), mode=DialMode.POWER, pacer=PowerPacer(5.0), max_lines=2, history=10_000
    )
    assert len(lines.dials) == 2
    rate = harness(leads(20), agents=3, max_calls_per_second=1.0)
    assert len(rate.dials) == 1
    rate.feed(TimerFired("dial:tick"), 1.5)
    assert len(rate.dials) == 2


def test_a_ring_time_under_fifteen_seconds_is_refused() -> None:
    with pytest.raises(ValueError, match=r"ring_timeout 10\.0 s is under the 15 s"):
        harness(leads(1), ring_timeout=10.0)


def test_preview_shows_the_lead_to_an_agent_before_dialling() -> None:
    h = harness(leads(2), mode=DialMode.PREVIEW, preview_seconds=8.0)
    assert h.dials == []
    [timer] = [c for c in h.out if isinstance(c, StartTimer) and c.timer_id.startswith("dial:pre")]
    assert timer.delay == 8.0
    h.feed(TimerFired(timer.timer_id), 8.0)
    assert [(d.lead_id, d.agent_id) for d in h.dials] == [("l0", "a0")]


def test_the_agent_dials_a_preview_now_and_the_gate_is_asked_again() -> None:
    h = harness(leads(2), mode=DialMode.PREVIEW, preview_seconds=30.0)
    preview = h.dialer.preview_of("a0")
    assert preview is not None
    campaign, call_id, lead, dialled = preview
    assert (campaign, lead.lead_id, dialled) == ("c", "l0", number(0))
    with pytest.raises(UnknownContact):
        h.feed(PreviewDial(call_id, "someone-else"), 3.0)
    commands = h.feed(PreviewDial(call_id, "a0"), 3.0)
    assert CancelTimer(f"dial:preview:{call_id}") in commands
    assert [(d.lead_id, d.agent_id) for d in h.dials] == [("l0", "a0")]
    assert h.dialer.preview_of("a0") is None
    with pytest.raises(UnknownContact):  # no longer a preview
        h.feed(PreviewDial(call_id, "a0"), 4.0)
    assert h.feed(TimerFired(f"dial:preview:{call_id}"), 30.0) == []  # a stale timer


def test_a_preview_dialled_after_the_window_closed_is_refused_by_the_gate() -> None:
    late = datetime(2026, 11, 24, 20, 59, 50, tzinfo=NY)  # 10 s before 21:00
    h = harness(leads(1), mode=DialMode.PREVIEW, start=late)
    preview = h.dialer.preview_of("a0")
    assert preview is not None
    h.feed(PreviewDial(preview[1], "a0"), 20.0)  # 21:00:10: the window has closed
    assert h.dials == []
    assert h.dialer.counts("c")["window_blocked"] == 1
    assert h.dialer.lead("c", "l0").state is LeadState.NEW


def test_a_skipped_preview_is_not_an_attempt_and_the_next_lead_comes() -> None:
    h = harness(leads(2), mode=DialMode.PREVIEW, preview_seconds=30.0)
    preview = h.dialer.preview_of("a0")
    assert preview is not None
    commands = h.feed(PreviewSkipped(preview[1], "a0", "wrong person"), 5.0)
    assert CancelTimer(f"dial:preview:{preview[1]}") in commands
    skipped = h.dialer.lead("c", "l0")
    assert skipped.state is LeadState.NEW and skipped.next_at == 5.0 + 3600.0
    assert h.dialer.counts("c")["previews_skipped"] == 1
    assert h.dialer.counts("c")["dials"] == 0
    following = h.dialer.preview_of("a0")
    assert following is not None and following[2].lead_id == "l1"


# -- properties over random small campaigns --------------------------------------------


def run_world(
    h: Harness, rng: random.Random, horizon: float, human: float, machine: float
) -> list[tuple[float, Dial]]:
    """Answer, talk and dispose at random until `horizon`; returns every dial with its time."""
    heap: list[tuple[float, int, str, Any]] = []
    seq = 0
    cancelled: set[str] = set()
    placed: list[tuple[float, Dial]] = []
    lead_of: dict[int, str] = {}
    busy_leads: set[str] = set()  # leads with a call in progress

    def push(when: float, kind: str, ref: Any) -> None:
        nonlocal seq
        seq += 1
        heapq.heappush(heap, (when, seq, kind, ref))

    def execute(commands: list[Any], now: float) -> None:
        for command in commands:
            if isinstance(command, Dial):
                assert command.lead_id not in busy_leads, "a lead was dialled twice at once"
                busy_leads.add(command.lead_id)
                lead_of[command.call_id] = command.lead_id
                placed.append((now, command))
                draw = rng.random()
                if draw < human:
                    push(now + rng.uniform(5, 20), "answer", (command.call_id, DialResult.HUMAN))
                elif draw < human + machine:
                    push(now + rng.uniform(5, 20), "answer", (command.call_id, DialResult.MACHINE))
                else:
                    result = rng.choice([DialResult.NO_ANSWER, DialResult.BUSY])
                    push(now + command.ring_timeout, "answer", (command.call_id, result))
            elif isinstance(command, OfferToAgent):
                execute(h.feed(OfferAccepted(command.contact_id, command.agent_id), now), now)
            elif isinstance(command, Connect):
                push(now + rng.uniform(20, 120), "end", (command.contact_id, command.agent_id))
            elif isinstance(command, StartTimer):
                cancelled.discard(command.timer_id)
                push(now + command.delay, "timer", command.timer_id)
            elif isinstance(command, CancelTimer):
                cancelled.add(command.timer_id)
            elif isinstance(command, RecordInteraction):  # connected call over, or dropped
                busy_leads.discard(lead_of.pop(command.record.contact_id))

    def ended_ringing(call_id: int, result: DialResult) -> None:
        if result is not DialResult.HUMAN:
            busy_leads.discard(lead_of.pop(call_id))

    execute(list(h.out), 0.0)
    while heap:
        now, _, kind, ref = heapq.heappop(heap)
        if now > horizon:
            break
        if kind == "answer":
            ended_ringing(*ref)
            execute(h.feed(DialAnswered(*ref), now), now)
        elif kind == "end":
            execute(h.feed(CallEnded(ref[0]), now), now)
            code = rng.choice(["sale", "no_sale", "dnc", "callback", "no_sale"])
            push(now + 5.0, "wrap", (ref[1], code))
        elif kind == "wrap":
            execute(h.feed(WrapUpDone(*ref), now), now)
        elif ref in cancelled:
            cancelled.discard(ref)
        else:
            execute(h.feed(TimerFired(ref), now), now)
    return placed


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    lead_count=st.integers(1, 25),
    agents=st.integers(1, 4),
    pacer_kind=st.sampled_from(["progressive", "power", "model"]),
    on_registry=st.sets(st.integers(0, 24), max_size=6),
    start_hour=st.sampled_from([6, 8, 12, 20]),
    max_attempts=st.integers(1, 3),
    number_daily_cap=st.none() | st.integers(1, 2),
    human=st.floats(0.1, 0.8),
)
def test_random_campaigns_break_no_rule(
    seed: int,
    lead_count: int,
    agents: int,
    pacer_kind: str,
    on_registry: set[int],
    start_hour: int,
    max_attempts: int,
    number_daily_cap: int | None,
    human: float,
) -> None:
    rng = random.Random(seed)
    start = datetime(2026, 11, 24, start_hour, 30, tzinfo=NY)
    registry = tuple(n for i in on_registry if (n := nanp_number(number(i * 10))) is not None)
    pacer: Pacer = {
        "progressive": ProgressivePacer(),
        "power": PowerPacer(3.0),
        "model": ModelPacer(),
    }[pacer_kind]
    mode = DialMode.PROGRESSIVE if pacer_kind == "progressive" else DialMode.PREDICTIVE
    h = harness(
        leads(lead_count),
        mode=mode,
        pacer=pacer,
        registry=registry,
        agents=agents,
        start=start,
        retry=RetryRules(max_attempts=max_attempts, number_daily_cap=number_daily_cap),
    )
    placed = run_world(h, rng, 4 * 3600.0, human, (1 - human) / 3)
    regulator = Regulator(start, registry=set(registry), caps={"c": 0.03})
    attempts: dict[str, int] = {}
    for now, dial in placed:
        regulator.dialled(dial.number, now)
        attempts[dial.lead_id] = attempts.get(dial.lead_id, 0) + 1
    assert regulator.dnc == 0, "a registry number was dialled"
    assert regulator.calling_window == 0, "a phone rang outside 08:00-21:00"
    assert all(count <= max_attempts for count in attempts.values())
    if number_daily_cap is not None:  # the run stays within one day
        assert all(count <= number_daily_cap for count in attempts.values())
    abandoned, answered = h.compliance.ledger.totals("c", start.date())
    assert abandoned <= 0.03 * answered


def test_the_gate_is_asked_again_when_the_preview_ends() -> None:
    late = datetime(2026, 11, 24, 20, 59, 55, tzinfo=NY)
    h = harness(leads(1), mode=DialMode.PREVIEW, preview_seconds=10.0, start=late)
    [timer] = [c for c in h.out if isinstance(c, StartTimer) and c.timer_id.startswith("dial:pre")]
    h.feed(TimerFired(timer.timer_id), 10.0)  # 21:00:05: the window has closed
    assert h.dials == []
    assert h.dialer.counts("c")["window_blocked"] == 1
    lead = h.dialer.lead("c", "l0")
    assert lead.state is LeadState.NEW and lead.attempts == 0
    assert lead.next_at == pytest.approx(11 * 3600 + 5.0)  # 08:00 the next morning


def test_a_campaign_callback_booked_for_a_waiting_lead_comes_first_when_due() -> None:
    h = harness(leads(3))
    h.dialer.book_callback("c", "l2", 500.0, None)
    assert h.dialer.lead("c", "l2").state is LeadState.CALLBACK
    h.feed(DialAnswered(h.dials[0].call_id, DialResult.BUSY), 5.0)
    assert h.dials[-1].lead_id == "l1"  # l2 waits for its time
    h.feed(DialAnswered(h.dials[-1].call_id, DialResult.BUSY), 600.0)
    assert h.dials[-1].lead_id == "l2"


def test_calls_that_may_abandon_fit_in_the_ledger_room_each_free_agent_taking_a_person() -> None:
    # 100 people answered earlier: 3 more abandonments allowed. Two agents free, a power
    # pacer asking for 20 lines: the people expected (20% of dials before any data)
    # with their margin must fit in 3 - 1 abandonments plus the 2 free agents.
    h = harness(leads(30), mode=DialMode.POWER, pacer=PowerPacer(10.0), agents=2, history=100)
    assert len(h.dials) == 4  # 4 x 20% = 0.8 people, + 3.5 sd = 3.93 <= 4; 5 would not fit
    empty = harness(leads(30), mode=DialMode.POWER, pacer=PowerPacer(10.0), agents=2)
    assert len(empty.dials) == 2  # no room: one call per free agent


def _in_wrap_up(h: Harness, now: float = 10.0) -> int:
    """The first dial answered by a person, connected to a0, hung up: a0 wraps up."""
    call = h.dials[0].call_id
    h.connect_offers(h.feed(DialAnswered(call, DialResult.HUMAN), now), now)
    h.feed(CallEnded(call), now + 50.0)
    return call


def test_a_callback_time_given_at_wrap_up_books_the_campaigns_one_callback_then() -> None:
    h = harness(leads(2), callback_delay=600.0)
    call = _in_wrap_up(h)
    h.feed(WrapUpDone("a0", "callback", call, callback_at=5000.0, note="after lunch"), 65.0)
    lead = h.dialer.lead("c", "l0")
    assert lead.state is LeadState.CALLBACK and lead.next_at == 5000.0
    [(campaign, callback)] = h.dialer.pending_callbacks()
    assert (campaign, callback.callback_id, callback.due) == ("c", call, 5000.0)
    assert (callback.booked_by, callback.agent_id, callback.note) == ("a0", "a0", "after lunch")
    assert callback.number == number(0)
    assert h.dialer.center.pending_callbacks() == []  # none in the Center besides it
    h.feed(DialAnswered(h.dials[-1].call_id, DialResult.BUSY), 70.0)  # l1
    h.feed(TimerFired("dial:tick"), 700.0)  # the default delay would be due: not this one
    assert h.dials[-1].lead_id == "l1"  # its busy retry
    h.feed(DialAnswered(h.dials[-1].call_id, DialResult.BUSY), 710.0)
    h.feed(TimerFired("dial:tick"), 5000.0)
    assert h.dials[-1].lead_id == "l0"
    assert h.dialer.pending_callbacks() == []


def test_a_callback_time_needs_a_disposition_that_books_one() -> None:
    h = harness(leads(2))
    call = _in_wrap_up(h)
    with pytest.raises(BooksNoCallback, match=r"books no callback .*callback"):
        h.feed(WrapUpDone("a0", "no_sale", call, callback_at=5000.0), 65.0)
    assert h.dialer.center.agents["a0"].state.value == "wrap_up"  # nothing was taken
    assert h.dialer.pending_callbacks() == []
    h.feed(WrapUpDone("a0", "no_sale", call), 66.0)  # without the time it is fine
    assert h.dialer.lead("c", "l0").state is not LeadState.CALLBACK


def test_a_campaign_callback_is_moved_or_cancelled_only_by_its_booker_while_pending() -> None:
    h = harness(leads(3), agents=2, callback_delay=600.0)
    call = _in_wrap_up(h)
    h.feed(WrapUpDone("a0", "callback", call, callback_at=5000.0), 65.0)
    with pytest.raises(NotYourCallback, match="booked by 'a0', not 'a1'"):
        h.feed(CallbackRescheduled(call, 9000.0, "a1"), 70.0)
    h.feed(CallbackRescheduled(call, 9000.0, "a0"), 70.0)
    assert h.dialer.lead("c", "l0").next_at == 9000.0
    [(_, callback)] = h.dialer.pending_callbacks()
    assert callback.due == 9000.0
    with pytest.raises(NotYourCallback):
        h.feed(CallbackCancelled(call, "a1"), 71.0)
    h.feed(CallbackCancelled(call), 72.0)  # a supervisor's
    assert h.dialer.pending_callbacks() == []
    assert h.dialer.lead("c", "l0").state is LeadState.DONE  # nobody calls them now
    h.feed(TimerFired("dial:tick"), 9000.0)
    assert "l0" not in [d.lead_id for d in h.dials[1:]]


def test_a_campaign_callback_already_due_is_past_changing() -> None:
    h = harness(leads(1), callback_delay=600.0)
    call = _in_wrap_up(h)
    h.feed(WrapUpDone("a0", "callback", call), 65.0)  # the campaign's delay: at 665
    [(_, callback)] = h.dialer.pending_callbacks()
    assert callback.due == 665.0 and callback.booked_by == "a0"
    h.feed(TimerFired("dial:tick"), 700.0)
    assert h.dials[-1].lead_id == "l0"  # being dialled
    with pytest.raises(CallbackNotPending, match="already due"):
        h.feed(CallbackRescheduled(call, 9000.0, "a0"), 701.0)
    with pytest.raises(UnknownCallback):  # neither the dialer's nor the Center's
        h.feed(CallbackCancelled(424242, "a0"), 701.0)


def test_a_recycled_callback_lead_leaves_the_callback_book() -> None:
    h = harness(leads(2))
    callback_id = h.dialer.book_callback("c", "l1", 5000.0, "a0")
    assert [c.callback_id for _, c in h.dialer.pending_callbacks()] == [callback_id]
    h.feed(LeadsRecycled("c", ("l1",)), 10.0)
    assert h.dialer.pending_callbacks() == []
    assert h.dialer.lead("c", "l1").state is not LeadState.CALLBACK
