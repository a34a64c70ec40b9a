"""The simulator against queueing theory: Erlang C (M/M/n) and Erlang A (M/M/n+M).

How the run lengths and tolerances were chosen
----------------------------------------------
Near 90% occupancy successive waits are strongly correlated (long busy periods), so
a run's figures spread far more than a binomial count suggests. Measured over 20
seeds of this simulator, one 100-hour run of the 720 calls/h, AHT 240 s, 54-agent
queue (Erlang C: SL 0.8172, ASA 12.05 s) gave SL 0.8179 +- 0.0113 (sd) and ASA
12.08 +- 2.21 s: an 18% standard deviation in ASA, heavy-tailed (the worst seed was
19.6 s). The acceptance bounds are +-0.03 in SL and +-20% in ASA, so the Erlang C
tests run 1,600 simulated hours (1.15 million calls per queue): the standard
deviation falls by 4 to about 0.003 in SL and 4.5% in ASA, putting the bounds at
10 and 4.4 standard deviations. With impatient callers (Erlang A case below) the
queue is far better behaved: over 20 seeds of 100 hours, abandonment 0.0430 +-
0.0016, occupancy 0.9178 +- 0.0022, SL 0.8133 +- 0.0077, ASA 7.30 +- 0.30 s against
theory 0.0430, 0.9187, 0.8133, 7.32 s; 400 hours halve those, so the bounds (15%
relative on abandonment, +-0.01 occupancy, +-0.03 SL, +-20% ASA) sit 8 to 20
standard deviations out. Seeds are fixed, so each test is deterministic; the numbers
say why a pass means something. Runs start empty: the transient lasts minutes
against hundreds of hours.
"""

from __future__ import annotations

import pytest

from tests.sim.conftest import scenario_from
from tidal.sim import simulate
from tidal.wfm import erlang_a, erlang_c_asa, erlang_c_service_level

ERLANG_C_HOURS = 1600
ERLANG_A_HOURS = 400


def _single_queue(rate: float, aht: float, agents: int, hours: int, patience: float | None) -> str:
    patience_line = (
        f"    patience: {{dist: exponential, mean: {patience}}}\n" if patience is not None else ""
    )
    return f"""
name: theory
seed: 11
duration: {hours}h
agents:
  - group: agents
    count: {agents}
    skills: {{general: 1}}
queues:
  - name: general
    skills: {{general: 1}}
    service_level: {{target: 0.8, threshold: 20}}
    arrivals: {{rate_per_hour: {rate}}}
    handle_time: {{dist: exponential, mean: {aht}}}
{patience_line}"""


@pytest.mark.slow
def test_busy_single_queue_matches_erlang_c() -> None:
    # 720 calls/h x 240 s = 48 Erlangs on 54 agents: 89% occupancy.
    result = simulate(scenario_from(_single_queue(720, 240, 54, ERLANG_C_HOURS, None))).as_json()
    queue, agents = result["queues"]["general"], result["agents"]["agents"]
    a = 720 * 240 / 3600
    expected_sl = erlang_c_service_level(54, a, 240, 20)
    expected_asa = erlang_c_asa(54, a, 240)
    assert queue["offered"] > 1_100_000
    assert queue["service_level"] == pytest.approx(expected_sl, abs=0.03)
    assert queue["asa"] == pytest.approx(expected_asa, rel=0.20)
    assert agents["occupancy"] == pytest.approx(a / 54, abs=0.01)
    assert queue["abandoned"] == 0


@pytest.mark.slow
def test_separate_skill_groups_each_match_erlang_c() -> None:
    # Two queues with their own teams: each is its own M/M/n, whatever the other does.
    scenario = scenario_from(
        f"""
name: two-groups
seed: 5
duration: {ERLANG_C_HOURS}h
agents:
  - group: billing-team
    count: 54
    skills: {{billing: 5}}
  - group: tech-team
    count: 28
    skills: {{tech: 5}}
queues:
  - name: billing
    skills: {{billing: 1}}
    arrivals: {{rate_per_hour: 720}}
    handle_time: {{dist: exponential, mean: 240}}
  - name: tech
    skills: {{tech: 1}}
    service_level: {{target: 0.8, threshold: 30}}
    arrivals: {{rate_per_hour: 300}}
    handle_time: {{dist: exponential, mean: 300}}
"""
    )
    result = simulate(scenario).as_json()
    for name, group, n, rate, aht, t in (
        ("billing", "billing-team", 54, 720, 240, 20),
        ("tech", "tech-team", 28, 300, 300, 30),
    ):
        a = rate * aht / 3600
        queue = result["queues"][name]
        assert queue["service_level"] == pytest.approx(
            erlang_c_service_level(n, a, aht, t), abs=0.03
        ), name
        assert queue["asa"] == pytest.approx(erlang_c_asa(n, a, aht), rel=0.20), name
        assert result["agents"][group]["occupancy"] == pytest.approx(a / n, abs=0.01), name


@pytest.mark.slow
def test_impatient_callers_match_erlang_a() -> None:
    # 720 calls/h, AHT 240 s, 50 agents (96% offered load), patience exp(180 s):
    # abandonment carries the queue; Erlang A predicts it.
    rate, aht, n, patience = 720, 240, 50, 180
    result = simulate(
        scenario_from(_single_queue(rate, aht, n, ERLANG_A_HOURS, patience))
    ).as_json()
    queue, agents = result["queues"]["general"], result["agents"]["agents"]
    theory = erlang_a(n, rate / 3600, 1 / aht, 1 / patience, 20)
    assert queue["abandon_rate"] == pytest.approx(theory.abandon_rate, rel=0.15)
    assert agents["occupancy"] == pytest.approx(theory.occupancy, abs=0.01)
    assert queue["service_level"] == pytest.approx(theory.service_level, abs=0.03)
    assert queue["asa"] == pytest.approx(theory.asa, rel=0.20)
