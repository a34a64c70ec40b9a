"""A supervisor's start, pause and stop: no dial while a campaign is off, ever."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.campaigns.test_dialer import harness, leads
from tidal.core import AgentNotReady, AgentReady, CallEnded, TimerFired, WrapUpDone
from tidal.core.campaigns import (
    IDLE_WORDS,
    CampaignState,
    CampaignStateSet,
    Dial,
    DialAnswered,
    DialResult,
    IdleReason,
    LeadState,
    PreviewDial,
)
from tidal.core.commands import CancelTimer, OfferToAgent
from tidal.core.compliance import DialMode
from tidal.core.errors import CoreError, UnknownCampaign, UnknownContact

RUNNING, PAUSED, STOPPED = CampaignState.RUNNING, CampaignState.PAUSED, CampaignState.STOPPED


def test_a_paused_campaign_places_no_call_and_says_why() -> None:
    h = harness(leads(4), agents=2)
    assert len(h.dials) == 2
    assert h.dialer.state("c") is RUNNING
    h.feed(CampaignStateSet("c", PAUSED), 1.0)
    assert h.dialer.state("c") is PAUSED
    first = h.dials[0].call_id
    h.feed(DialAnswered(first, DialResult.NO_ANSWER), 5.0)  # an agent is free again
    h.feed(TimerFired("dial:tick"), 6.0)
    assert len(h.dials) == 2
    assert h.dialer.idle_reason("c") is IdleReason.PAUSED
    assert IDLE_WORDS[IdleReason.PAUSED] == "paused by a supervisor"
    h.feed(CampaignStateSet("c", RUNNING), 7.0)  # the step after the switch dials again
    assert len(h.dials) == 3 and h.dials[-1].lead_id == "l2"


def test_calls_in_progress_finish_after_a_stop() -> None:
    h = harness(leads(3))
    call = h.dials[0].call_id
    h.feed(CampaignStateSet("c", STOPPED), 1.0)
    commands = h.feed(DialAnswered(call, DialResult.HUMAN), 5.0)
    assert any(isinstance(c, OfferToAgent) and c.contact_id == call for c in commands)
    commands = h.connect_offers(commands, 5.0)
    h.feed(CallEnded(call), 60.0)
    h.feed(WrapUpDone("a0", "sale"), 70.0)
    assert h.dialer.counts("c")["conversions"] == 1
    assert len(h.dials) == 1  # the free agent gets no next lead
    assert h.dialer.idle_reason("c") is IdleReason.HALTED
    assert h.dialer.leads_left("c") == 2


def test_a_pause_takes_back_the_leads_on_preview_cards() -> None:
    h = harness(leads(2), mode=DialMode.PREVIEW, preview_seconds=30.0)
    preview = h.dialer.preview_of("a0")
    assert preview is not None
    call_id = preview[1]
    commands = h.feed(CampaignStateSet("c", PAUSED), 4.0)
    assert CancelTimer(f"dial:preview:{call_id}") in commands
    assert h.dialer.preview_of("a0") is None
    lead = h.dialer.lead("c", "l0")
    assert lead.state is LeadState.NEW and lead.attempts == 0
    with pytest.raises(UnknownContact):
        h.feed(PreviewDial(call_id, "a0"), 5.0)
    assert h.feed(TimerFired(f"dial:preview:{call_id}"), 30.0) == []  # a stale timer
    assert h.dials == []
    h.feed(CampaignStateSet("c", RUNNING), 40.0)
    again = h.dialer.preview_of("a0")
    assert again is not None and again[2].lead_id == "l0"  # first in line again


def test_an_unknown_campaign_is_refused() -> None:
    h = harness(leads(1))
    with pytest.raises(UnknownCampaign):
        h.feed(CampaignStateSet("nope", PAUSED), 1.0)
    assert issubclass(UnknownCampaign, CoreError)


# Steps a random day takes: (kind, argument).
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("state"), st.sampled_from(list(CampaignState))),
        st.tuples(st.just("answer"), st.sampled_from(list(DialResult))),
        st.tuples(st.just("end"), st.integers(0, 2)),
        st.tuples(st.just("ready"), st.integers(0, 2)),
        st.tuples(st.just("break"), st.integers(0, 2)),
        st.tuples(st.just("tick"), st.none()),
    ),
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(steps=STEPS, mode=st.sampled_from([DialMode.PROGRESSIVE, DialMode.PREVIEW]))
def test_no_call_is_placed_while_a_campaign_is_off(
    steps: list[tuple[str, object]], mode: DialMode
) -> None:
    """Whatever happens (answers, hang-ups, breaks, ticks, switches), every Dial and every
    preview card comes from an event handled while the campaign was running."""
    h = harness(leads(30), mode=mode, agents=3, preview_seconds=5.0)
    now = 0.0
    ringing: list[int] = [d.call_id for d in h.dials]
    for kind, arg in steps:
        now += 7.0
        state = h.dialer.state("c")
        try:
            if kind == "state":
                assert isinstance(arg, CampaignState)
                commands = h.feed(CampaignStateSet("c", arg), now)
                state = arg
            elif kind == "answer" and ringing:
                assert isinstance(arg, DialResult)
                commands = h.feed(DialAnswered(ringing.pop(0), arg), now)
                commands += h.connect_offers(commands, now)
            elif kind == "end":
                agent = h.dialer.center.agents.get(f"a{arg}")
                if agent is None or not agent.work:
                    continue
                commands = h.feed(CallEnded(next(iter(agent.work))), now)
                commands += h.feed(WrapUpDone(f"a{arg}", "no_sale"), now + 1.0)
            elif kind == "ready":
                commands = h.feed(AgentReady(f"a{arg}"), now)
            elif kind == "break":
                commands = h.feed(AgentNotReady(f"a{arg}", "lunch"), now)
            else:
                commands = h.feed(TimerFired("dial:tick"), now)
                cards = {
                    c.timer_id for c in h.out if getattr(c, "timer_id", "").startswith("dial:pre")
                }
                for timer_id in sorted(cards):  # every preview card ends (most are stale)
                    commands += h.feed(TimerFired(timer_id), now)
        except CoreError:
            continue  # a step the state does not allow (a break mid-call): refused, no harm
        placed = [c for c in commands if isinstance(c, Dial)]
        ringing += [d.call_id for d in placed]
        if state is not RUNNING:
            assert placed == [], f"dialled while {state}"
            assert all(h.dialer.preview_of(f"a{i}") is None for i in range(3))
            assert h.dialer.idle_reason("c") in (IdleReason.PAUSED, IdleReason.HALTED)


def test_a_campaign_redefined_while_running_keeps_its_leads_and_dials_by_the_new_rules() -> None:
    from dataclasses import replace

    h = harness(leads(4), agents=1)
    assert h.dials[0].caller_id == "+12025550100"
    run = h.dialer.campaigns["c"]
    new_rules = replace(run.spec.rules, caller_id="+12025550199")
    h.feed(CampaignStateSet("c", PAUSED), 1.0)
    h.dialer.configure(replace(run.spec, rules=new_rules), 2.0)
    assert h.dialer.state("c") is PAUSED  # a redefinition keeps the switch
    h.feed(DialAnswered(h.dials[0].call_id, DialResult.NO_ANSWER), 3.0)
    h.feed(CampaignStateSet("c", RUNNING), 4.0)
    assert [d.lead_id for d in h.dials] == ["l0", "l1"]
    assert h.dials[-1].caller_id == "+12025550199"
    assert h.dialer.counts("c")["dials"] == 2  # counters carried over


def test_a_campaign_added_to_a_running_dialer_waits_stopped_for_its_start() -> None:
    from dataclasses import replace

    from tidal.core import AgentLoggedIn
    from tidal.core.campaigns import campaign_queue_spec, campaign_skill
    from tidal.core.errors import UnknownQueue

    h = harness(leads(1), agents=0)
    spec = h.dialer.campaigns["c"].spec
    added = replace(spec, rules=replace(spec.rules, name="d"))
    with pytest.raises(UnknownQueue):  # its Center queue comes first
        h.dialer.configure(added, 1.0)
    h.dialer.center.configure_queue(campaign_queue_spec("d", priority=1, handle_time=60.0), 1.0)
    assert not [c for c in h.dialer.configure(added, 1.0) if isinstance(c, Dial)]
    assert h.dialer.state("d") is STOPPED
    assert h.dialer.idle_reason("d") is IdleReason.HALTED
    h.dialer.add_leads("d", [replace(lead, lead_id=f"d{i}") for i, lead in enumerate(leads(2))])
    h.feed(AgentLoggedIn("x", "sales", {campaign_skill("d"): 1}), 2.0)
    h.feed(AgentReady("x"), 2.0)
    assert h.dials == []
    h.feed(CampaignStateSet("d", RUNNING), 3.0)
    assert [(d.campaign, d.lead_id) for d in h.dials] == [("d", "d0")]
