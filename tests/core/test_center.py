"""The Center as plain function calls: events in, commands out, no clock, no I/O."""

import pytest

from tidal.core import (
    AgentLoggedIn,
    AgentLoggedOut,
    AgentNotReady,
    AgentReady,
    AgentState,
    Announce,
    CallEnded,
    CallerAbandoned,
    CancelTimer,
    Center,
    Connect,
    ContactArrived,
    IllegalTransition,
    OfferAccepted,
    OfferDeclined,
    OfferToAgent,
    Outcome,
    Play,
    QueueSpec,
    RecordAgentSession,
    RecordInteraction,
    StartTimer,
    TimerFired,
    UnknownAgent,
    UnknownQueue,
    UnsupportedChange,
    WithdrawOffer,
    WrapUpDone,
)


def _center(**options: object) -> Center:
    return Center(
        [
            QueueSpec("billing", {"billing": 1}, priority=1),
            QueueSpec("tech", {"tech": 1}, priority=1),
            QueueSpec("vip", {"billing": 5}, priority=5),
        ],
        **options,  # type: ignore[arg-type]
    )


def _ready(center: Center, agent_id: str, skills: dict[str, int], now: float) -> list[object]:
    center.handle(AgentLoggedIn(agent_id, "g", skills), now)
    return list(center.handle(AgentReady(agent_id), now))


def test_a_contact_is_offered_to_a_ready_agent_then_connected_and_recorded() -> None:
    center = _center()
    _ready(center, "a1", {"billing": 2}, 0.0)
    assert center.handle(ContactArrived(1, "billing"), 10.0) == [OfferToAgent(1, "a1", "billing")]
    assert center.handle(OfferAccepted(1, "a1"), 12.0) == [Connect(1, "a1")]
    assert center.handle(CallEnded(1), 100.0) == []
    assert center.agents["a1"].state is AgentState.WRAP_UP
    [record] = center.handle(WrapUpDone("a1"), 130.0)
    assert isinstance(record, RecordInteraction)
    r = record.record
    assert (r.outcome, r.wait(), r.talk_seconds, r.wrap_seconds) == ("answered", 2.0, 88.0, 30.0)
    assert (r.agent_id, r.agent_group) == ("a1", "g")


def test_without_a_ready_agent_the_contact_waits_and_hears_hold_music() -> None:
    center = _center()
    # Nobody is staffed: the estimate falls back to one agent's handle time.
    assert center.handle(ContactArrived(1, "billing"), 0.0) == [
        Announce(1, position=1, estimated_wait=180.0),
        Play(1, "hold-music"),
    ]
    assert center.queue_length("billing") == 1
    # The agent who becomes ready takes it at once.
    assert _ready(center, "a1", {"billing": 1}, 5.0) == [OfferToAgent(1, "a1", "billing")]
    assert center.queue_length("billing") == 0


def test_longest_idle_agent_gets_the_contact() -> None:
    center = _center()
    _ready(center, "a1", {"billing": 1}, 0.0)
    _ready(center, "a2", {"billing": 1}, 1.0)
    _ready(center, "a3", {"billing": 1}, 2.0)
    assert center.handle(ContactArrived(1, "billing"), 3.0)[0] == OfferToAgent(1, "a1", "billing")
    # a1 works a call and comes back: now last in the idle line.
    center.handle(OfferAccepted(1, "a1"), 3.0)
    center.handle(CallEnded(1), 4.0)
    center.handle(WrapUpDone("a1"), 5.0)
    assert center.handle(ContactArrived(2, "billing"), 6.0)[0].agent_id == "a2"  # type: ignore[union-attr]
    assert center.handle(ContactArrived(3, "billing"), 6.0)[0].agent_id == "a3"  # type: ignore[union-attr]
    assert center.handle(ContactArrived(4, "billing"), 6.0)[0].agent_id == "a1"  # type: ignore[union-attr]


def test_skills_gate_routing() -> None:
    center = _center()
    _ready(center, "tech-only", {"tech": 9}, 0.0)
    assert center.handle(ContactArrived(1, "billing"), 1.0)[-1] == Play(1, "hold-music")
    assert center.agents_in(AgentState.READY) == 1


def test_strict_priority_beats_waiting_time() -> None:
    center = _center()
    center.handle(ContactArrived(1, "billing"), 0.0)
    center.handle(ContactArrived(2, "vip"), 50.0)
    assert _ready(center, "a1", {"billing": 5}, 60.0) == [OfferToAgent(2, "a1", "vip")]


def test_equal_priority_serves_the_oldest_caller_across_queues() -> None:
    center = _center()
    center.handle(ContactArrived(1, "tech"), 10.0)
    center.handle(ContactArrived(2, "billing"), 5.0 + 10.0)
    center.handle(ContactArrived(3, "billing"), 1.0 + 20.0)
    assert _ready(center, "a1", {"billing": 1, "tech": 1}, 30.0) == [OfferToAgent(1, "a1", "tech")]
    center.handle(OfferAccepted(1, "a1"), 30.0)
    center.handle(CallEnded(1), 31.0)
    commands = center.handle(WrapUpDone("a1"), 32.0)
    assert commands[-1] == OfferToAgent(2, "a1", "billing")


def test_abandon_leaves_the_line_and_is_recorded() -> None:
    center = _center()
    center.handle(ContactArrived(1, "billing"), 0.0)
    center.handle(ContactArrived(2, "billing"), 1.0)
    [record] = center.handle(CallerAbandoned(1), 40.0)
    assert isinstance(record, RecordInteraction)
    assert record.record.outcome is Outcome.ABANDONED
    assert record.record.wait() == 40.0
    assert [c.contact_id for c in center.queues["billing"]] == [2]


def test_abandon_while_ringing_frees_the_agent_for_the_next_caller() -> None:
    center = _center()
    _ready(center, "a1", {"billing": 1}, 0.0)
    center.handle(ContactArrived(1, "billing"), 1.0)
    center.handle(ContactArrived(2, "billing"), 2.0)
    commands = center.handle(CallerAbandoned(1), 3.0)
    assert commands[0] == WithdrawOffer(1, "a1", "abandoned")  # the phone stops ringing
    assert commands[1] == OfferToAgent(2, "a1", "billing")
    assert commands[-1].record.outcome is Outcome.ABANDONED  # type: ignore[union-attr]


def test_a_connected_caller_cannot_abandon() -> None:
    center = _center()
    _ready(center, "a1", {"billing": 1}, 0.0)
    center.handle(ContactArrived(1, "billing"), 1.0)
    center.handle(OfferAccepted(1, "a1"), 2.0)
    with pytest.raises(IllegalTransition):
        center.handle(CallerAbandoned(1), 3.0)


def test_decline_returns_the_contact_to_the_head_and_rests_the_agent() -> None:
    center = _center(max_misses=1)
    center.handle(ContactArrived(9, "billing"), 0.0)
    _ready(center, "a1", {"billing": 1}, 1.0)
    center.handle(ContactArrived(10, "billing"), 2.0)
    commands = center.handle(OfferDeclined(9, "a1"), 3.0)
    assert commands == [WithdrawOffer(9, "a1", "declined"), Play(9, "hold-music")]
    assert [c.contact_id for c in center.queues["billing"]] == [9, 10]
    assert center.agents["a1"].state is AgentState.NOT_READY
    assert center.agents["a1"].reason == "declined"
    # Another agent takes the returned contact first.
    assert _ready(center, "a2", {"billing": 1}, 4.0) == [OfferToAgent(9, "a2", "billing")]


def test_ring_timeout_is_a_timer_and_requeues_on_no_answer() -> None:
    center = _center(ring_timeout=15.0, max_misses=1)
    _ready(center, "a1", {"billing": 1}, 0.0)
    commands = center.handle(ContactArrived(1, "billing"), 1.0)
    assert commands == [OfferToAgent(1, "a1", "billing"), StartTimer("ring:1", 15.0)]
    assert center.handle(TimerFired("ring:1"), 16.0) == [
        WithdrawOffer(1, "a1", "ring_no_answer"),
        Play(1, "hold-music"),
    ]
    assert center.agents["a1"].reason == "ring_no_answer"
    # An accepted offer cancels its timer; a late timer is ignored.
    _ready(center, "a2", {"billing": 1}, 17.0)
    assert center.handle(OfferAccepted(1, "a2"), 18.0) == [CancelTimer("ring:1"), Connect(1, "a2")]
    assert center.handle(TimerFired("ring:1"), 31.0) == []


def test_not_ready_and_log_out_while_busy_wait_for_wrap_up() -> None:
    center = _center()
    _ready(center, "a1", {"billing": 1}, 0.0)
    center.handle(ContactArrived(1, "billing"), 0.0)
    center.handle(OfferAccepted(1, "a1"), 0.0)
    center.handle(AgentNotReady("a1", "lunch"), 10.0)
    assert center.agents["a1"].state is AgentState.TALKING
    center.handle(ContactArrived(2, "billing"), 11.0)
    center.handle(CallEnded(1), 20.0)
    commands = center.handle(WrapUpDone("a1"), 30.0)
    assert not any(isinstance(c, OfferToAgent) for c in commands)  # goes to lunch instead
    assert center.agents["a1"].state is AgentState.NOT_READY
    assert center.agents["a1"].reason == "lunch"
    [session] = center.handle(AgentLoggedOut("a1"), 100.0)
    assert isinstance(session, RecordAgentSession)
    s = session.record
    assert (s.logged_in_seconds, s.talk_seconds, s.wrap_seconds, s.not_ready_seconds) == (
        100.0,
        20.0,
        10.0,
        70.0,
    )
    assert s.contacts_handled == 1
    with pytest.raises(UnknownAgent):
        center.handle(AgentReady("a1"), 101.0)


def test_unknown_queue_is_a_named_error() -> None:
    with pytest.raises(UnknownQueue, match="nope"):
        _center().handle(ContactArrived(1, "nope"), 0.0)


def test_open_records_cover_contacts_still_in_the_center() -> None:
    center = _center()
    center.handle(ContactArrived(1, "billing"), 0.0)
    [record] = center.open_interactions(50.0)
    assert record.outcome is Outcome.IN_PROGRESS
    assert record.wait(50.0) == 50.0


def test_an_agent_is_set_not_ready_after_n_offers_missed_in_a_row() -> None:
    center = _center(ring_timeout=15.0, max_misses=2)
    _ready(center, "a1", {"billing": 1}, 0.0)
    center.handle(ContactArrived(1, "billing"), 1.0)
    # First miss: the agent goes ready again and, being the only one, is offered it again.
    commands = center.handle(TimerFired("ring:1"), 16.0)
    assert OfferToAgent(1, "a1", "billing") in commands
    assert center.agents["a1"].state is AgentState.RESERVED
    # Second miss in a row: not ready, the contact waits at the head.
    commands = center.handle(TimerFired("ring:1"), 31.0)
    assert center.agents["a1"].state is AgentState.NOT_READY
    assert center.agents["a1"].reason == "ring_no_answer"
    assert [c.contact_id for c in center.queues["billing"]] == [1]
    # An accepted offer clears the count.
    _ready(center, "a2", {"billing": 1}, 40.0)
    center.handle(OfferAccepted(1, "a2"), 41.0)
    assert center.agents["a2"].misses == 0


def test_skill_expansion_widens_who_may_answer_after_each_step() -> None:
    from tidal.core import ExpansionStep

    spec = QueueSpec(
        "billing",
        {"billing": 5},
        steps=(
            ExpansionStep(30.0, skills={"billing": 2}),
            ExpansionStep(90.0, groups=("overflow",)),
        ),
    )
    center = Center([spec])
    center.handle(AgentLoggedIn("junior", "team", {"billing": 2}), 0.0)
    center.handle(AgentReady("junior"), 0.0)
    center.handle(AgentLoggedIn("helper", "overflow", {}), 0.0)
    center.handle(AgentReady("helper"), 0.0)
    # Nobody meets level 5: the contact waits, with a timer for the first step.
    assert center.handle(ContactArrived(1, "billing"), 10.0)[1:] == [
        Play(1, "hold-music"),
        StartTimer("expand:1", 30.0),
    ]
    # After 30 s level 2 is enough: the junior agent gets it; the last step is still armed.
    assert center.handle(TimerFired("expand:1"), 40.0) == [
        OfferToAgent(1, "junior", "billing"),
        StartTimer("expand:1", 60.0),
    ]
    # A second caller: at 90 s even the overflow group may take it.
    center.handle(ContactArrived(2, "billing"), 50.0)
    center.handle(TimerFired("expand:2"), 80.0)
    assert center.handle(TimerFired("expand:2"), 140.0) == [OfferToAgent(2, "helper", "billing")]
    # A timer for a contact already answered is ignored.
    center.handle(OfferAccepted(1, "junior"), 41.0)
    assert center.handle(TimerFired("expand:1"), 100.0) == []


def test_a_freed_agent_only_takes_contacts_that_reached_its_step() -> None:
    from tidal.core import ExpansionStep

    spec = QueueSpec("billing", {"billing": 5}, steps=(ExpansionStep(30.0, skills={"billing": 2}),))
    center = Center([spec])
    center.handle(AgentLoggedIn("junior", "team", {"billing": 2}), 0.0)
    center.handle(ContactArrived(1, "billing"), 0.0)  # will reach step 1 at 30 s
    center.handle(ContactArrived(2, "billing"), 20.0)
    center.handle(TimerFired("expand:1"), 30.0)  # nobody ready yet
    # At 35 s only contact 1 has waited 30 s: the junior takes it, not contact 2.
    assert center.handle(AgentReady("junior"), 35.0) == [OfferToAgent(1, "junior", "billing")]
    center.handle(OfferAccepted(1, "junior"), 35.0)
    center.handle(CallEnded(1), 40.0)
    assert center.handle(WrapUpDone("junior"), 45.0)[1:] == []  # contact 2 is still at step 0
    assert center.handle(TimerFired("expand:2"), 50.0) == [OfferToAgent(2, "junior", "billing")]


def test_estimated_wait_counts_callers_ahead_and_staffed_agents() -> None:
    center = Center([QueueSpec("q", {"s": 1}, expected_handle_time=300.0)])
    for name in ("a1", "a2", "a3"):
        _ready(center, name, {"s": 1}, 0.0)
    for contact_id in (1, 2, 3):  # everyone busy
        center.handle(ContactArrived(contact_id, "q"), 1.0)
    assert center.staffed("q") == 3
    first = center.handle(ContactArrived(4, "q"), 2.0)[0]
    second = center.handle(ContactArrived(5, "q"), 2.0)[0]
    assert first == Announce(4, position=1, estimated_wait=100.0)  # 1 x 300 s / 3 agents
    assert second == Announce(5, position=2, estimated_wait=200.0)
    # A break takes an agent off the count: the next caller is told a longer wait.
    center.handle(AgentNotReady("a1", "lunch"), 3.0)
    center.handle(OfferAccepted(1, "a1"), 3.0)
    center.handle(CallEnded(1), 303.0)
    center.handle(WrapUpDone("a1"), 303.0)
    assert center.staffed("q") == 2
    # The handle-time estimate moved 2% of the way towards the 300 s just handled.
    assert center.handle_estimate["q"] == pytest.approx(300.0)


def test_virtual_hold_keeps_the_place_then_calls_back_with_the_agent() -> None:
    from tidal.core import CallbackAnswered, CallbackRequested, HangUp, Originate

    center = _center()
    center.handle(ContactArrived(1, "billing", "+13055550100"), 0.0)
    center.handle(ContactArrived(2, "billing"), 5.0)
    assert center.handle(CallbackRequested(1, "+13055550100"), 60.0) == [
        HangUp(1, "callback_booked")
    ]
    with pytest.raises(IllegalTransition):
        center.handle(CallerAbandoned(1), 61.0)  # nobody is on the line to abandon
    # The callback is still first in line: the agent gets it and the customer is dialled.
    assert _ready(center, "a1", {"billing": 1}, 100.0) == [OfferToAgent(1, "a1", "billing")]
    assert center.handle(OfferAccepted(1, "a1"), 101.0) == [Originate(1, "+13055550100", "a1")]
    assert center.agents["a1"].state is AgentState.RESERVED
    assert center.handle(CallbackAnswered(1), 110.0) == [Connect(1, "a1")]
    center.handle(CallEnded(1), 200.0)
    record = center.handle(WrapUpDone("a1"), 210.0)[0].record  # type: ignore[union-attr]
    assert (record.outcome, record.callback_requested_at, record.answered_at) == (
        "answered",
        60.0,
        110.0,
    )


def test_a_scheduled_callback_waits_for_its_time_then_dials_with_an_agent() -> None:
    from tidal.core import CallbackScheduled, Originate, StartTimer, TimerFired
    from tidal.core.errors import DuplicateId, UnknownQueue

    center = _center()
    assert center.handle(CallbackScheduled(9, "billing", "+13055550100", 3600.0), 100.0) == [
        StartTimer("due:9", 3500.0)
    ]
    assert 9 not in center.contacts  # nothing to answer before it is due
    with pytest.raises(DuplicateId):
        center.handle(CallbackScheduled(9, "billing", "+13055550100", 7200.0), 101.0)
    with pytest.raises(UnknownQueue):
        center.handle(CallbackScheduled(10, "nowhere", "+13055550100", 7200.0), 101.0)
    _ready(center, "a1", {"billing": 1}, 200.0)
    assert center.handle(TimerFired("due:9"), 3600.0) == [OfferToAgent(9, "a1", "billing")]
    assert center.handle(OfferAccepted(9, "a1"), 3601.0) == [Originate(9, "+13055550100", "a1")]
    assert center.contacts[9].callback_requested_at == 3600.0


def test_a_scheduled_callback_is_moved_or_called_off_by_its_booker_or_a_supervisor() -> None:
    from tidal.core import (
        CallbackCancelled,
        CallbackNotPending,
        CallbackRescheduled,
        CallbackScheduled,
        NotYourCallback,
        UnknownCallback,
    )

    center = _center()
    center.handle(CallbackScheduled(9, "billing", "+13055550100", 3600.0, "a1", "after 2"), 0.0)
    center.handle(CallbackScheduled(10, "billing", "+13055550101", 1800.0, "a2"), 0.0)
    assert [c.contact_id for c in center.pending_callbacks()] == [10, 9]  # by due time
    assert center.handle(CallbackRescheduled(9, 7200.0, "a1"), 100.0) == [
        CancelTimer("due:9"),
        StartTimer("due:9", 7100.0),
    ]
    [moved] = [c for c in center.pending_callbacks() if c.contact_id == 9]
    assert (moved.due, moved.agent_id, moved.note) == (7200.0, "a1", "after 2")
    with pytest.raises(NotYourCallback, match="booked by 'a2', not 'a1'"):
        center.handle(CallbackCancelled(10, "a1"), 100.0)
    with pytest.raises(UnknownCallback):
        center.handle(CallbackRescheduled(11, 7200.0, "a1"), 100.0)
    # A supervisor (no agent) may change anyone's.
    assert center.handle(CallbackCancelled(10), 100.0) == [CancelTimer("due:10")]
    assert center.handle(TimerFired("due:10"), 1800.0) == []  # a late timer does nothing
    assert 10 not in center.contacts
    # Once due the callback is a contact in its queue: past changing.
    center.handle(TimerFired("due:9"), 7200.0)
    assert center.contacts[9].callback_number == "+13055550100"
    with pytest.raises(CallbackNotPending, match="already due"):
        center.handle(CallbackRescheduled(9, 9000.0, "a1"), 7201.0)
    assert center.pending_callbacks() == []


def test_a_bare_center_refuses_a_callback_time_on_a_wrap_up() -> None:
    center = _center()
    _ready(center, "a1", {"billing": 1}, 0.0)
    center.handle(ContactArrived(1, "billing", "+13055550100"), 1.0)
    center.handle(OfferAccepted(1, "a1"), 2.0)
    center.handle(CallEnded(1), 30.0)
    with pytest.raises(UnsupportedChange, match="CallbackScheduled"):
        center.handle(WrapUpDone("a1", "callback", 1, callback_at=9000.0), 40.0)
    assert center.agents["a1"].state is AgentState.WRAP_UP  # nothing was taken


def test_an_unanswered_callback_is_retried_then_given_up() -> None:
    from tidal.core import CallbackFailed, Originate

    center = _center(callback_attempts=2)
    _ready(center, "a1", {"billing": 1}, 0.0)
    center.handle(AgentNotReady("a1", "break"), 0.0)
    center.handle(ContactArrived(7, "billing", callback_number="+13055550100"), 1.0)
    center.handle(AgentReady("a1"), 2.0)
    center.handle(OfferAccepted(7, "a1"), 2.0)
    # No answer: the agent is free at once and, the callback being next, is offered it again.
    assert center.handle(CallbackFailed(7, "no_answer"), 30.0) == [OfferToAgent(7, "a1", "billing")]
    assert center.handle(OfferAccepted(7, "a1"), 31.0) == [Originate(7, "+13055550100", "a1")]
    [record] = center.handle(CallbackFailed(7, "busy"), 40.0)
    assert record.record.outcome == "callback_failed"  # type: ignore[union-attr]
    assert center.agents["a1"].state is AgentState.READY
    assert 7 not in center.contacts


def test_overflow_rules_full_queue_max_wait_and_unstaffed() -> None:
    from tidal.core import HangUp, Overflow, OverflowKind, SendToVoicemail

    main = QueueSpec(
        "main",
        {"s": 1},
        max_queue_length=1,
        max_wait=60.0,
        overflow=Overflow(OverflowKind.QUEUE, "backup"),
    )
    backup = QueueSpec(
        "backup",
        {"b": 1},
        join_when_unstaffed=False,
        overflow=Overflow(OverflowKind.VOICEMAIL, "general"),
    )
    center = Center([main, backup])
    center.handle(ContactArrived(1, "main", "+13055550101"), 0.0)  # waits
    # The line is full: the second caller goes to backup, which nobody staffs: voicemail.
    commands = center.handle(ContactArrived(2, "main", "+13055550102"), 1.0)
    outcomes = [c.record.outcome for c in commands if isinstance(c, RecordInteraction)]
    assert outcomes == ["overflowed", "voicemail"]
    assert commands[-1] == SendToVoicemail(2, "general")
    # With a backup agent on, the first caller moves there after waiting 60 s.
    _ready(center, "b1", {"b": 1}, 10.0)
    commands = center.handle(TimerFired("maxwait:1"), 60.0)
    assert commands[0].record.outcome == "overflowed"  # type: ignore[union-attr]
    assert commands[1] == OfferToAgent(1, "b1", "backup")
    # A rule that hangs up: polite message, recorded as overflowed.
    solo = Center([QueueSpec("q", {"s": 1}, max_queue_length=0)])
    commands = solo.handle(ContactArrived(9, "q"), 0.0)
    assert commands[-1] == HangUp(9, "queue_full")


def test_leave_when_unstaffed_empties_the_queue_when_the_last_agent_leaves() -> None:
    from tidal.core import HangUp, Overflow, OverflowKind

    spec = QueueSpec("q", {"s": 1}, leave_when_unstaffed=True,
                     overflow=Overflow(OverflowKind.CALLBACK))  # fmt: skip
    center = Center([spec])
    _ready(center, "a1", {"s": 1}, 0.0)
    center.handle(ContactArrived(1, "q", "+13055550101"), 0.0)  # answered by a1
    center.handle(ContactArrived(2, "q", "+13055550102"), 1.0)  # waits
    center.handle(OfferAccepted(1, "a1"), 1.0)
    center.handle(AgentNotReady("a1", "end of shift"), 2.0)  # deferred: still on a call
    center.handle(CallEnded(1), 50.0)
    commands = center.handle(WrapUpDone("a1"), 60.0)
    # Nobody left to answer: the waiting caller is turned into a callback, keeping the place.
    assert commands[-1] == HangUp(2, "callback_booked")
    assert center.contacts[2].callback_number == "+13055550102"


def test_sticky_agent_gets_the_returning_caller_within_the_window() -> None:
    center = Center([QueueSpec("q", {"s": 1}, sticky_seconds=3600.0)])
    for name in ("a1", "a2", "a3"):
        _ready(center, name, {"s": 1}, float(len(name)))
    center.handle(ContactArrived(1, "q", "+13055550100"), 10.0)  # a1, longest idle
    center.handle(OfferAccepted(1, "a1"), 10.0)
    center.handle(CallEnded(1), 100.0)
    center.handle(WrapUpDone("a1"), 110.0)  # a1 is now last in the idle line
    # The same caller comes back: a1 again, not a2 who has been idle longest.
    assert center.handle(ContactArrived(2, "q", "+13055550100"), 200.0)[0].agent_id == "a1"  # type: ignore[union-attr]
    # Another caller gets the strategy's choice; after the window, so does this caller.
    assert center.handle(ContactArrived(3, "q", "+13055550199"), 201.0)[0].agent_id == "a2"  # type: ignore[union-attr]
    center.handle(OfferAccepted(2, "a1"), 201.0)
    center.handle(CallEnded(2), 300.0)
    center.handle(WrapUpDone("a1"), 300.0)
    assert center.handle(ContactArrived(4, "q", "+13055550100"), 300.0 + 3601.0)[0].agent_id == "a3"  # type: ignore[union-attr]


def test_a_queue_wrap_up_limit_ends_after_call_work_unless_the_agent_is_quicker() -> None:
    center = Center([QueueSpec("q", {"s": 1}, wrap_up=30.0)])
    _ready(center, "a1", {"s": 1}, 0.0)
    center.handle(ContactArrived(1, "q"), 0.0)
    center.handle(OfferAccepted(1, "a1"), 0.0)
    assert center.handle(CallEnded(1), 100.0) == [StartTimer("wrap:a1:1", 30.0)]
    [record] = center.handle(TimerFired("wrap:a1:1"), 130.0)
    assert record.record.wrap_seconds == 30.0  # type: ignore[union-attr]
    assert center.agents["a1"].state is AgentState.READY
    # The agent finishes first next time: the late timer changes nothing.
    center.handle(ContactArrived(2, "q"), 200.0)
    center.handle(OfferAccepted(2, "a1"), 200.0)
    center.handle(CallEnded(2), 260.0)
    center.handle(WrapUpDone("a1"), 270.0)
    assert center.handle(TimerFired("wrap:a1:2"), 290.0) == []


def test_the_agents_disposition_is_kept_on_the_record() -> None:
    center = _center()
    _ready(center, "a1", {"billing": 1}, 0.0)
    center.handle(ContactArrived(1, "billing"), 0.0)
    center.handle(OfferAccepted(1, "a1"), 0.0)
    center.handle(CallEnded(1), 60.0)
    [record] = center.handle(WrapUpDone("a1", disposition="resolved"), 70.0)
    assert record.record.disposition == "resolved"  # type: ignore[union-attr]
