"""Live campaign statistics: shrunk answer rates, conditional chances."""

from __future__ import annotations

import pytest

from tidal.core.campaigns import CampaignStats


def test_with_no_calls_the_prior_stands() -> None:
    stats = CampaignStats(prior_human_rate=0.3)
    assert stats.human_rate(9) == pytest.approx(0.3)


def test_the_measured_rate_takes_over_with_calls() -> None:
    stats = CampaignStats(prior_human_rate=0.3)
    for i in range(1000):
        stats.dialled(9)
        stats.resolved("human" if i % 10 == 0 else "busy", 5.0, 9)
    assert stats.human_rate(9) == pytest.approx(0.1, abs=0.01)


def test_a_call_ringing_past_every_human_answer_time_brings_nobody() -> None:
    stats = CampaignStats()
    for i in range(200):
        stats.dialled(9)
        stats.resolved("human" if i % 2 else "no_answer", 8.0 if i % 2 else 25.0, 9)
    assert stats.human_after(10.0, 9) == 0.0
    assert stats.human_after(1.0, 9) > 0.4


def test_talk_done_within_is_conditional_on_elapsed_talk() -> None:
    stats = CampaignStats()
    for value in range(1, 101):
        stats.handled(float(value), 5.0)
    assert stats.talk_done_within(50.0, 25.0) == pytest.approx(0.5)
    assert stats.talks_done_within([50.0], 25.0) == [pytest.approx(0.5)]
    assert stats.talk_done_within(200.0, 1.0) == 1.0
