"""An admin's recycle: worked leads start over, calls in progress are never touched."""

from __future__ import annotations

import pytest

from tests.core.campaigns.test_dialer import harness, leads
from tidal.core import TimerFired
from tidal.core.campaigns import (
    RECYCLABLE,
    DialAnswered,
    DialResult,
    LeadAction,
    LeadsRecycled,
    LeadState,
    RetryRules,
)
from tidal.core.errors import IllegalTransition, UnknownCampaign


def test_only_leads_without_a_call_may_be_recycled() -> None:
    assert {LeadState.NEW, LeadState.CALLBACK, LeadState.DONE} == RECYCLABLE


def test_a_done_lead_is_dialled_again_with_fresh_attempts() -> None:
    h = harness(leads(1), retry=RetryRules(max_attempts=1))
    h.feed(DialAnswered(h.dials[0].call_id, DialResult.NO_ANSWER), 30.0)
    lead = h.dialer.lead("c", "l0")
    assert lead.state is LeadState.DONE and lead.attempts == 1
    h.feed(LeadsRecycled("c", ("l0",)), 40.0)
    assert len(h.dials) == 2 and h.dials[1].lead_id == "l0"  # the pacing step after it
    assert lead.state is LeadState.DIALING and lead.attempts == 1


def test_a_lead_being_dialled_is_left_alone() -> None:
    h = harness(leads(2))
    assert h.dialer.lead("c", "l0").state is LeadState.DIALING
    h.feed(LeadsRecycled("c", ("l0", "l1", "unknown")), 5.0)
    assert h.dialer.lead("c", "l0").state is LeadState.DIALING
    assert h.dialer.lead("c", "l0").attempts == 1
    assert len(h.dials) == 1  # one agent, one call: nothing more was placed


def test_a_dnc_number_stays_dead_after_a_recycle() -> None:
    h = harness(leads(1, numbers_per_lead=2), retry=RetryRules(max_attempts=1))
    lead = h.dialer.lead("c", "l0")
    lead.dead_numbers.add(lead.numbers[1])
    h.feed(DialAnswered(h.dials[0].call_id, DialResult.BUSY), 30.0)
    h.feed(LeadsRecycled("c", ("l0",)), 40.0)
    h.feed(DialAnswered(h.dials[-1].call_id, DialResult.BUSY), 60.0)
    h.feed(LeadsRecycled("c", ("l0",)), 70.0)
    h.feed(TimerFired("dial:tick"), 80.0)
    assert {d.number for d in h.dials} == {lead.numbers[0]}


def test_an_unknown_campaign_is_refused_and_the_table_holds() -> None:
    h = harness(leads(1))
    with pytest.raises(UnknownCampaign):
        h.feed(LeadsRecycled("nope", ("l0",)), 1.0)
    lead = h.dialer.lead("c", "l0")
    with pytest.raises(IllegalTransition):
        lead.apply(LeadAction.RECYCLE)  # dialing
