"""The flow interpreter, node by node: plain calls with `now`, no clock and no sleeps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from tidal.config import FlowConfig, parse_flow
from tidal.core import IllegalTransition
from tidal.core.flows import (
    ACCEPTS,
    CollectDigits,
    Enqueue,
    FlowEvent,
    FlowOutcome,
    FlowRun,
    FlowState,
    HangUp,
    HangUpReason,
    IllegalFlowEvent,
    InvalidDigits,
    OfferCallback,
    PlayPrompt,
    ScheduleCallback,
    SetData,
    Transfer,
    Voicemail,
)

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # a Monday, 10:00 in New York
CALLER = "+13055550100"


def flow(nodes: str, start: str = "a") -> FlowConfig:
    """A flow from the YAML of its nodes (two-space indented under `nodes:`)."""
    return parse_flow(f"name: test\nstart: {start}\nnodes:\n{nodes}")


def run_of(nodes: str, start: str = "a", caller: str = CALLER, max_steps: int = 100) -> FlowRun:
    return FlowRun(flow(nodes, start), 7, caller, max_steps=max_steps)


MENU = """\
  a:
    menu: {prompt: "1 or 2", timeout: 4, retries: 2}
    options: {"1": one, "2": two}
    exhausted: op
  one: {queue: one}
  two: {queue: two}
  op: {queue: operator}
"""

COLLECT = """\
  a:
    collect: {prompt: "Account?", min_digits: 4, max_digits: 6, timeout: 8, retries: 1,
              validate: "^[1-9][0-9]*$", into: account}
    next: q
    failed: op
  q: {queue: billing}
  op: {queue: operator}
"""


# -- play, set, queue, transfer, hangup ------------------------------------------------


def test_play_then_next() -> None:
    run = run_of("  a: {play: Hello, next: b}\n  b: {hangup: true}\n")
    assert (run.state, run.node, run.path, run.outcome) == (FlowState.NOT_STARTED, None, (), None)
    assert run.start(NOW) == [PlayPrompt(7, "Hello")]
    assert run.state is FlowState.PLAYING and run.node == "a"
    assert run.prompt_done(NOW) == [HangUp(7, HangUpReason.COMPLETED)]
    assert run.finished and run.outcome is FlowOutcome.HANGUP and run.contained
    assert run.path == ("a", "b")
    assert (run.started_at, run.finished_at) == (NOW, NOW)


def test_set_then_queue_carries_the_data_and_priority() -> None:
    run = run_of("  a: {set: {language: es, priority: 3}, next: q}\n  q: {queue: spanish}\n")
    actions = run.start(NOW)
    assert actions == [
        SetData(7, "language", "es"),
        SetData(7, "priority", "3"),
        Enqueue(7, "spanish", 3, {"language": "es", "priority": "3"}),
    ]
    assert run.outcome is FlowOutcome.QUEUED and not run.contained
    assert dict(run.data) == {"language": "es", "priority": "3"}


def test_queue_priority_of_the_node_wins_over_the_data() -> None:
    run = run_of("  a: {set: {priority: 3}, next: q}\n  q: {queue: vip, priority: 9}\n")
    assert run.start(NOW)[-1] == Enqueue(7, "vip", 9, {"priority": "3"})


def test_queue_priority_defaults_to_zero() -> None:
    assert run_of("  a: {queue: sales}\n").start(NOW) == [Enqueue(7, "sales", 0, {})]


def test_enqueue_data_is_a_snapshot() -> None:
    run = run_of("  a: {queue: sales}\n")
    (enqueue,) = run.start(NOW)
    assert isinstance(enqueue, Enqueue)
    with pytest.raises(TypeError):
        enqueue.data["x"] = "y"  # type: ignore[index]


def test_transfer() -> None:
    run = run_of('  a: {transfer: "+18005550100"}\n')
    assert run.start(NOW) == [Transfer(7, "+18005550100")]
    assert run.outcome is FlowOutcome.TRANSFER and not run.contained


# -- menu ------------------------------------------------------------------------------


def test_menu_collects_one_key_with_barge_in() -> None:
    run = run_of(MENU)
    assert run.start(NOW) == [CollectDigits(7, "1 or 2", 1, 1, 4.0, None)]
    assert run.state is FlowState.COLLECTING
    assert run.digits("2", NOW) == [Enqueue(7, "two", 0, {})]
    assert run.path == ("a", "two")


def test_menu_takes_the_first_key_of_several() -> None:
    run = run_of(MENU)
    run.start(NOW)
    assert run.digits("12#", NOW) == [Enqueue(7, "one", 0, {})]


def test_menu_wrong_key_and_silence_use_retries_then_give_up() -> None:
    run = run_of(MENU)
    prompt = run.start(NOW)
    assert run.digits("9", NOW) == prompt  # said again in place
    assert run.timeout(NOW) == prompt
    assert run.digits("*", NOW) == [Enqueue(7, "operator", 0, {})]  # retries: 2 -> third miss
    assert run.path == ("a", "op")


def test_menu_invalid_and_no_input_go_to_their_nodes() -> None:
    run = run_of(
        MENU.replace(
            "    exhausted: op\n", "    invalid: sorry\n    no_input: a\n    exhausted: op\n"
        )
        + "  sorry: {play: Sorry, next: a}\n"
    )
    run.start(NOW)
    assert run.digits("5", NOW) == [PlayPrompt(7, "Sorry")]
    assert run.prompt_done(NOW) == [CollectDigits(7, "1 or 2", 1, 1, 4.0, None)]
    run.timeout(NOW)  # second miss: back to the menu through no_input
    assert run.timeout(NOW) == [Enqueue(7, "operator", 0, {})]  # third miss
    assert run.path == ("a", "sorry", "a", "a", "op")


def test_menu_retries_start_afresh_after_a_choice() -> None:
    run = run_of(
        """\
  a:
    menu: {prompt: main, retries: 1}
    options: {"1": info, "2": q}
    exhausted: op
  info: {play: Info, next: a}
  q: {queue: q}
  op: {queue: op}
"""
    )
    run.start(NOW)
    run.digits("7", NOW)  # one miss
    run.digits("1", NOW)  # a valid choice clears it
    run.prompt_done(NOW)
    assert run.digits("7", NOW) == [CollectDigits(7, "main", 1, 1, 5.0, None)]  # one miss again
    assert run.digits("7", NOW) == [Enqueue(7, "op", 0, {})]


# -- collect ---------------------------------------------------------------------------


def test_collect_whole_entry_with_terminator() -> None:
    run = run_of(COLLECT)
    assert run.start(NOW) == [CollectDigits(7, "Account?", 4, 6, 8.0, "#")]
    assert run.digits("12345#", NOW) == [
        SetData(7, "account", "12345"),
        Enqueue(7, "billing", 0, {"account": "12345"}),
    ]
    assert run.data["account"] == "12345"


def test_collect_key_by_key_ends_at_max_digits() -> None:
    run = run_of(COLLECT)
    run.start(NOW)
    for key in "12345":
        assert run.digits(key, NOW) == []
    assert run.digits("6", NOW)[0] == SetData(7, "account", "123456")


def test_collect_keys_after_the_end_are_dropped() -> None:
    run = run_of(COLLECT)
    run.start(NOW)
    assert run.digits("1234567#", NOW)[0] == SetData(7, "account", "123456")


def test_collect_timeout_accepts_enough_digits() -> None:
    run = run_of(COLLECT)
    run.start(NOW)
    run.digits("1234", NOW)
    assert run.timeout(NOW)[0] == SetData(7, "account", "1234")


def test_collect_too_short_or_invalid_is_retried_then_fails() -> None:
    run = run_of(COLLECT)
    prompt = run.start(NOW)
    assert run.digits("12#", NOW) == prompt  # too short: retry (retries: 1)
    assert run.digits("0123#", NOW) == [Enqueue(7, "operator", 0, {})]  # pattern fails
    assert "account" not in run.data
    assert run.path == ("a", "op")


def test_collect_silence_is_a_miss() -> None:
    run = run_of(COLLECT)
    prompt = run.start(NOW)
    assert run.timeout(NOW) == prompt
    assert run.timeout(NOW) == [Enqueue(7, "operator", 0, {})]


def test_collect_without_terminator() -> None:
    run = run_of(COLLECT.replace("into: account}", "into: account, terminator: null}"))
    assert run.start(NOW) == [CollectDigits(7, "Account?", 4, 6, 8.0, None)]
    assert run.digits("1234#", NOW) == []  # '#' is just a key; 5 keys so far
    # '#' is kept as a key, so the pattern rejects the entry: asked again.
    assert run.timeout(NOW) == [CollectDigits(7, "Account?", 4, 6, 8.0, None)]


# -- hours -----------------------------------------------------------------------------

HOURS = """\
  a:
    hours:
      time_zone: America/New_York
      weekly: {mon: ["08:00", "18:00"], sat: null}
      holidays: ["2026-12-28"]
    open: o
    closed: c
    holiday: h
  o: {queue: open}
  c: {queue: closed}
  h: {queue: holiday}
"""


@pytest.mark.parametrize(
    ("now", "queue"),
    [
        (datetime(2026, 11, 23, 15, 0, tzinfo=UTC), "open"),  # Monday 10:00 EST
        (datetime(2026, 11, 23, 12, 59, tzinfo=UTC), "closed"),  # Monday 07:59 EST
        (datetime(2026, 11, 23, 23, 0, tzinfo=UTC), "closed"),  # Monday 18:00 EST: closes
        (datetime(2026, 11, 24, 15, 0, tzinfo=UTC), "closed"),  # Tuesday: not listed
        (datetime(2026, 12, 28, 15, 0, tzinfo=UTC), "holiday"),  # a Monday, but a holiday
    ],
)
def test_hours_branches(now: datetime, queue: str) -> None:
    (enqueue,) = run_of(HOURS).start(now)
    assert isinstance(enqueue, Enqueue) and enqueue.queue == queue


def test_hours_holiday_goes_to_closed_without_a_holiday_branch() -> None:
    run = run_of(HOURS.replace("    holiday: h\n", "").replace("  h: {queue: holiday}\n", ""))
    (enqueue,) = run.start(datetime(2026, 12, 28, 15, 0, tzinfo=UTC))
    assert isinstance(enqueue, Enqueue) and enqueue.queue == "closed"


# -- branch ----------------------------------------------------------------------------

BRANCH = """\
  a: {set: {language: es}, next: b}
  b:
    branch:
      - when: {field: language, in: [fr, de]}
        next: europe
      - when: {caller_prefix: "+1305"}
        next: miami
      - when: {field: language, equals: es}
        next: spanish
    default: general
  europe: {queue: europe}
  miami: {queue: miami}
  spanish: {queue: spanish}
  general: {queue: general}
"""


@pytest.mark.parametrize(
    ("language", "caller", "queue"),
    [
        ("fr", CALLER, "europe"),
        ("es", CALLER, "miami"),  # rules are tried in order
        ("es", "+12125550100", "spanish"),
        ("en", "+12125550100", "general"),
    ],
)
def test_branch_on_data_and_caller(language: str, caller: str, queue: str) -> None:
    run = run_of(BRANCH.replace("language: es}", f"language: {language}}}", 1), caller=caller)
    enqueue = run.start(NOW)[-1]
    assert isinstance(enqueue, Enqueue) and enqueue.queue == queue


def test_branch_on_a_missing_field_takes_the_default() -> None:
    run = run_of(BRANCH.replace("  a: {set: {language: es}, next: b}\n", ""), start="b")
    run_caller = FlowRun(run.flow, 1, "+12125550100")
    assert run_caller.start(NOW) == [Enqueue(1, "general", 0, {})]


# -- callback --------------------------------------------------------------------------

CALLBACK = """\
  a: {callback: {queue: support, prompt: "Press 1", accept_key: "1", timeout: 6}}
"""


def test_callback_accepted_books_and_hangs_up() -> None:
    run = run_of(CALLBACK)
    assert run.start(NOW) == [OfferCallback(7, "support", "Press 1", "1", 6.0)]
    assert run.digits("1", NOW) == [
        ScheduleCallback(7, "support", CALLER, 0, {}),
        HangUp(7, HangUpReason.CALLBACK_BOOKED),
    ]
    assert run.outcome is FlowOutcome.CALLBACK and not run.contained


@pytest.mark.parametrize("answer", ["2", None])
def test_callback_declined_or_unanswered_waits_in_the_queue(answer: str | None) -> None:
    run = run_of(CALLBACK)
    run.start(NOW)
    actions = run.timeout(NOW) if answer is None else run.digits(answer, NOW)
    assert actions == [Enqueue(7, "support", 0, {})]
    assert run.outcome is FlowOutcome.QUEUED


def test_callback_accepted_then_a_goodbye_stays_a_callback() -> None:
    run = run_of(
        CALLBACK.replace("6}}", "6}, accepted: thanks, declined: q}")
        + "  thanks: {play: Thanks, next: bye}\n  bye: {hangup: true}\n  q: {queue: support}\n"
    )
    run.start(NOW)
    assert run.digits("1", NOW)[1] == PlayPrompt(7, "Thanks")
    assert run.outcome is None  # still in the flow
    run.prompt_done(NOW)
    assert run.outcome is FlowOutcome.CALLBACK


def test_queue_can_resume_the_flow_at_its_callback_offer() -> None:
    run = run_of(
        "  a: {queue: support, callback: offer}\n"
        '  offer: {callback: {queue: support, prompt: "Press 1"}, declined: a}\n'
    )
    assert run.start(NOW) == [Enqueue(7, "support", 0, {})]
    assert run.offer_callback(NOW) == [OfferCallback(7, "support", "Press 1", "1", 5.0)]
    assert not run.finished and run.outcome is None
    assert run.digits("9", NOW) == [Enqueue(7, "support", 0, {})]  # declined: back in line
    run.offer_callback(NOW)
    assert run.digits("1", NOW)[0] == ScheduleCallback(7, "support", CALLER, 0, {})
    assert run.path == ("a", "offer", "a", "offer")


def test_offer_callback_needs_a_queue_with_an_offer() -> None:
    run = run_of("  a: {queue: support}\n")
    run.start(NOW)
    with pytest.raises(IllegalFlowEvent):
        run.offer_callback(NOW)


# -- voicemail -------------------------------------------------------------------------


def test_voicemail_without_next_ends_the_flow() -> None:
    run = run_of("  a: {voicemail: {box: sales, prompt: Beep}}\n")
    assert run.start(NOW) == [Voicemail(7, "sales", "Beep")]
    assert run.finished and run.outcome is FlowOutcome.VOICEMAIL and run.contained


def test_voicemail_then_goodbye_stays_a_voicemail() -> None:
    run = run_of("  a: {voicemail: {box: sales}, next: b}\n  b: {hangup: true}\n")
    assert run.start(NOW) == [Voicemail(7, "sales", None)]
    assert run.state is FlowState.PLAYING and run.outcome is None
    assert run.prompt_done(NOW) == [HangUp(7, HangUpReason.COMPLETED)]
    assert run.outcome is FlowOutcome.VOICEMAIL


def test_caller_hanging_up_after_a_voicemail_is_not_an_abandon() -> None:
    run = run_of(
        "  a: {voicemail: {box: sales}, next: b}\n  b: {play: Bye, next: c}\n  c: {hangup: true}\n"
    )
    run.start(NOW)
    run.prompt_done(NOW)
    assert run.hang_up(NOW) == []
    assert run.outcome is FlowOutcome.VOICEMAIL


# -- events that do not fit ------------------------------------------------------------


def test_digits_during_a_play_are_refused() -> None:
    run = run_of("  a: {play: Hello, next: b}\n  b: {hangup: true}\n")
    run.start(NOW)
    with pytest.raises(IllegalFlowEvent) as caught:
        run.digits("1", NOW)
    assert isinstance(caught.value, IllegalTransition)
    assert caught.value.node == "a"
    assert str(caught.value) == (
        "flow of contact 7: 'digits' is not allowed in state 'playing (node a)'"
    )
    with pytest.raises(IllegalFlowEvent):
        run.timeout(NOW)


def test_prompt_done_while_collecting_is_refused() -> None:
    run = run_of(MENU)
    run.start(NOW)
    with pytest.raises(IllegalFlowEvent):
        run.prompt_done(NOW)


def test_nothing_before_start_but_a_hang_up() -> None:
    run = run_of(MENU)
    calls: list[Callable[[], object]] = [
        lambda: run.digits("1", NOW),
        lambda: run.timeout(NOW),
        lambda: run.prompt_done(NOW),
    ]
    for call in calls:
        with pytest.raises(IllegalFlowEvent):
            call()
    assert run.hang_up(NOW) == []
    assert run.outcome is FlowOutcome.ABANDONED and run.contained


def test_nothing_after_the_end() -> None:
    run = run_of("  a: {queue: q}\n")
    run.start(NOW)
    calls: list[Callable[[], object]] = [
        lambda: run.start(NOW),
        lambda: run.digits("1", NOW),
        lambda: run.timeout(NOW),
        lambda: run.prompt_done(NOW),
        lambda: run.hang_up(NOW),
    ]
    for call in calls:
        with pytest.raises(IllegalFlowEvent):
            call()


def test_abandon_in_a_menu() -> None:
    run = run_of(MENU)
    run.start(NOW)
    run.hang_up(NOW)
    assert run.finished and run.outcome is FlowOutcome.ABANDONED


def test_digits_must_be_dtmf() -> None:
    run = run_of(MENU)
    run.start(NOW)
    for keys in ("", "1a", "12 "):
        with pytest.raises(InvalidDigits):
            run.digits(keys, NOW)
    assert run.state is FlowState.COLLECTING  # nothing happened


def test_now_must_be_aware() -> None:
    run = run_of(MENU)
    with pytest.raises(ValueError, match="timezone-aware"):
        run.start(datetime(2026, 11, 23, 10, 0))


def test_state_table_lists_every_state() -> None:
    assert set(ACCEPTS) == set(FlowState)
    assert all(FlowEvent.HANG_UP in ACCEPTS[state] for state in ACCEPTS if state != "finished")


# -- loop guard ------------------------------------------------------------------------


def test_step_guard_ends_a_caller_going_round_in_circles() -> None:
    # Valid: the menu has a way out (key 1), but this caller keeps choosing 2.
    run = run_of(
        """\
  a:
    menu: {prompt: p}
    options: {"1": q, "2": b}
    exhausted: q
  b: {set: {round: again}, next: a}
  q: {queue: q}
""",
        max_steps=10,
    )
    run.start(NOW)
    for _ in range(4):
        assert isinstance(run.digits("2", NOW)[-1], CollectDigits)
    actions = run.digits("2", NOW)
    assert actions[-1] == HangUp(7, HangUpReason.FLOW_LOOP)
    assert run.finished and run.outcome is FlowOutcome.HANGUP
    assert len(run.path) == 10


def test_max_steps_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_steps"):
        run_of(MENU, max_steps=0)
