"""Campaign KPIs as CONTRACTS section 4 defines them."""

from __future__ import annotations

import pytest

from tidal.metrics import campaign_kpis

COUNTS = {
    "dials": 1000,
    "human_answers": 250,
    "machine_answers": 100,
    "no_answers": 500,
    "busy": 100,
    "invalid": 50,
    "connects": 245,
    "abandoned": 5,
    "conversions": 49,
    "dnc_blocked": 7,
    "window_blocked": 3,
}


def test_rates_follow_the_contract() -> None:
    kpis = campaign_kpis(COUNTS, agent_seconds=10 * 3600)
    assert kpis.abandon_rate == pytest.approx(5 / 250)  # over human answers (TSR)
    assert kpis.contact_rate == pytest.approx(250 / 1000)
    assert kpis.conversion_rate == pytest.approx(49 / 245)
    assert kpis.connects_per_agent_hour == pytest.approx(24.5)
    assert list(kpis.as_json())[-2:] == ["dnc_blocked", "window_blocked"]


def test_no_calls_give_zero_rates() -> None:
    kpis = campaign_kpis(dict.fromkeys(COUNTS, 0), agent_seconds=0.0)
    assert (kpis.abandon_rate, kpis.contact_rate, kpis.connects_per_agent_hour) == (0.0, 0.0, 0.0)
