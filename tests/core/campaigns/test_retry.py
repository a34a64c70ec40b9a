"""Retry rules: lifetime and daily caps of leads and numbers."""

from __future__ import annotations

import pytest

from tidal.core.campaigns import CampaignLead, RetryRules

HOME, MOBILE = "+12125550123", "+13055550123"


def test_max_attempts_exhausts_the_lead() -> None:
    rules = RetryRules(max_attempts=2)
    lead = CampaignLead("l", (HOME,))
    lead.count_attempt(HOME, 0)
    assert rules.dialable_number(lead, 0) == HOME
    lead.count_attempt(HOME, 0)
    assert rules.exhausted(lead) and rules.dialable_number(lead, 0) is None


def test_a_daily_lead_cap_waits_for_tomorrow() -> None:
    rules = RetryRules(max_attempts=5, max_attempts_per_day=1)
    lead = CampaignLead("l", (HOME,))
    lead.count_attempt(HOME, 0)
    assert rules.dialable_number(lead, 0) is None
    assert not rules.exhausted(lead)
    assert rules.dialable_number(lead, 1) == HOME


def test_a_number_at_its_daily_cap_gives_way_to_the_next_number() -> None:
    rules = RetryRules(max_attempts=5, number_daily_cap=1)
    lead = CampaignLead("l", (HOME, MOBILE))
    lead.count_attempt(HOME, 0)
    assert rules.dialable_number(lead, 0) == MOBILE
    assert lead.number == MOBILE


def test_numbers_past_their_lifetime_cap_exhaust_the_lead() -> None:
    rules = RetryRules(max_attempts=9, number_lifetime_cap=1)
    lead = CampaignLead("l", (HOME, MOBILE))
    lead.count_attempt(HOME, 0)
    lead.count_attempt(MOBILE, 1)
    assert rules.exhausted(lead)


def test_a_wrong_number_is_never_dialled_again() -> None:
    rules = RetryRules(max_attempts=9)
    lead = CampaignLead("l", (HOME, MOBILE))
    lead.dead_numbers.add(HOME)
    assert rules.dialable_number(lead, 0) == MOBILE


def test_next_day_start_respects_the_offset_of_the_first_day() -> None:
    rules = RetryRules()
    # Day 0 starts 8 hours before second 0 (a run starting at 08:00).
    assert rules.next_day_start(100.0, -8 * 3600.0) == 16 * 3600.0


def test_caps_must_be_positive() -> None:
    with pytest.raises(ValueError, match="number_daily_cap must be >= 1"):
        RetryRules(number_daily_cap=0)
