"""Campaign KPIs as CONTRACTS section 4 defines them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidal.core import AgentSessionRecord, Channel, Direction, InteractionRecord, Outcome
from tidal.metrics import campaign_agent_seconds, campaign_kpis, campaign_spend, telephony_seconds

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


def test_conversions_per_hour_are_over_the_hours_its_agents_logged_in() -> None:
    assert campaign_kpis(COUNTS, agent_seconds=7 * 3600).conversions_per_hour == 7.0
    assert "conversions_per_hour" not in campaign_kpis(COUNTS, 3600).as_json()  # section 3


def test_agent_seconds_are_the_sessions_of_the_groups_working_it() -> None:
    sessions = [
        AgentSessionRecord("a", "sales", 0, 3600, 0, 0, 0, 0, 0, 0),
        AgentSessionRecord("b", "sales", 0, 1800, 0, 0, 0, 0, 0, 0),
        AgentSessionRecord("c", "support", 0, 7200, 0, 0, 0, 0, 0, 0),
    ]
    assert campaign_agent_seconds(sessions, {"sales"}) == 5400
    assert campaign_agent_seconds(sessions, set()) == 0
    assert campaign_agent_seconds(sessions, {"sales"}, {"c"}) == 5400 + 7200  # c has its skill


def test_telephony_seconds_run_from_the_answer_to_the_hang_up_of_outbound_calls() -> None:
    def call(cid: int, direction: Direction, ended: float | None) -> InteractionRecord:
        return InteractionRecord(
            cid, Channel.VOICE, direction, "renewals", 100.0, Outcome.ANSWERED,
            answered_at=101.0, ended_at=ended,
        )  # fmt: skip

    records = [
        call(1, Direction.OUTBOUND, 190.0),
        call(2, Direction.OUTBOUND, None),  # still talking: not billed yet
        call(3, Direction.INBOUND, 400.0),  # not a dial
        call(4, Direction.OUTBOUND, 130.0),
    ]
    assert telephony_seconds(records) == 120.0


def test_spend_and_cost_per_acquisition() -> None:
    spend = campaign_spend(10 * 3600, 600 * 60, 8, agent_hour=20.0, telephony_minute=0.01)
    assert (spend.agent_hours, spend.telephony_minutes) == (10.0, 600.0)
    assert spend.spend == pytest.approx(10 * 20.0 + 600 * 0.01)
    assert spend.cost_per_acquisition == pytest.approx(206.0 / 8)
    nothing_sold = campaign_spend(3600, 60, 0, agent_hour=20.0, telephony_minute=0.01)
    assert nothing_sold.cost_per_acquisition is None and nothing_sold.spend == 20.01
    with pytest.raises(ValueError, match="conversions=-1"):
        campaign_spend(0, 0, -1, agent_hour=1, telephony_minute=1)


money = st.floats(min_value=0, max_value=1e6)
seconds = st.floats(min_value=0, max_value=1e8)


@given(seconds, seconds, st.integers(0, 10**6), money, money)
def test_spend_is_never_negative_and_each_conversion_carries_its_share(
    agent: float, line: float, conversions: int, agent_hour: float, minute: float
) -> None:
    spend = campaign_spend(agent, line, conversions, agent_hour=agent_hour, telephony_minute=minute)
    assert spend.spend >= 0
    if conversions:
        assert spend.cost_per_acquisition == pytest.approx(spend.spend / conversions)
    else:
        assert spend.cost_per_acquisition is None
