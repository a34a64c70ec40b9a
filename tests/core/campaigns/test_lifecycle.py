"""The lead state table: the allowed path and a refused step."""

from __future__ import annotations

import pytest

from tidal.core.campaigns import CampaignLead, LeadAction, LeadState
from tidal.core.errors import IllegalTransition


def test_a_lead_goes_from_new_to_done_through_a_conversation() -> None:
    lead = CampaignLead("l1", ("+12125550123",))
    for action, state in [
        (LeadAction.LOAD, LeadState.IN_HOPPER),
        (LeadAction.DIAL, LeadState.DIALING),
        (LeadAction.CONNECT, LeadState.CONNECTED),
        (LeadAction.BOOK_CALLBACK, LeadState.CALLBACK),
        (LeadAction.CALLBACK_DUE, LeadState.IN_HOPPER),
        (LeadAction.DIAL, LeadState.DIALING),
        (LeadAction.CONNECT, LeadState.CONNECTED),
        (LeadAction.FINISH, LeadState.DONE),
    ]:
        assert lead.apply(action) is state


def test_a_lead_cannot_be_dialled_twice_at_once() -> None:
    lead = CampaignLead("l1", ("+12125550123",))
    lead.apply(LeadAction.LOAD)
    lead.apply(LeadAction.DIAL)
    with pytest.raises(IllegalTransition, match="'dial' is not allowed in state 'dialing'"):
        lead.apply(LeadAction.DIAL)


def test_attempts_are_counted_per_number_and_day() -> None:
    lead = CampaignLead("l1", ("+12125550123", "+13055550123"))
    lead.count_attempt("+12125550123", 0)
    lead.count_attempt("+12125550123", 1)
    assert lead.attempts == 2
    assert lead.number_attempts == {"+12125550123": 2}
    assert lead.number_day_attempts[("+12125550123", 1)] == 1
