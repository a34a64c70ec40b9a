"""Campaigns in the simulator: contract figures, the regulator, modes and blending."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.sim.conftest import scenario_from
from tidal.config import load_scenario
from tidal.core.values import Direction
from tidal.sim import Simulation
from tidal.sim._outbound import Regulator, synthetic_leads

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "outbound-day.yaml"
CAMPAIGN_KEYS = [
    "dials",
    "human_answers",
    "machine_answers",
    "no_answers",
    "busy",
    "invalid",
    "connects",
    "abandoned",
    "abandon_rate",
    "contact_rate",
    "conversions",
    "conversion_rate",
    "connects_per_agent_hour",
    "dnc_blocked",
    "window_blocked",
]

SMALL = """
name: small-outbound
seed: 5
start: "2026-11-24T09:00:00-05:00"
duration: 1h
agents:
  - group: sales
    count: 6
    modes: [outbound]
    campaigns: [c]
    wrap_up: {dist: constant, value: 15}
  - group: support
    count: 4
    modes: [inbound]
    wrap_up: {dist: constant, value: 15}
queues:
  - name: help
    arrivals: {rate_per_hour: 40}
    handle_time: {dist: exponential, mean: 120}
campaigns:
  - name: c
    dial_mode: predictive
    caller_id: "+12025550100"
    leads: {count: 3000, area_codes: [212, 415, 808], dnc_fraction: 0.2}
    outcomes: {human: 0.3, machine: 0.15, no_answer: 0.4, busy: 0.1, invalid: 0.05}
    time_to_answer: {dist: uniform, low: 4, high: 20}
    talk_time: {dist: lognormal, mean: 120, cv: 1.0}
    conversion: 0.2
"""


def test_a_campaign_day_fills_the_contract_figures_with_no_violation() -> None:
    figures = Simulation(scenario_from(SMALL)).run().as_json()
    campaign = figures["campaigns"]["c"]
    assert list(campaign)[: len(CAMPAIGN_KEYS)] == CAMPAIGN_KEYS
    assert figures["violations"] == {"dnc": 0, "calling_window": 0, "abandon_cap": 0}
    assert campaign["dials"] > 100 and campaign["connects"] > 20
    assert campaign["dnc_blocked"] > 0  # a fifth of the list is on the registry
    assert campaign["window_blocked"] > 0  # 415 and 808 are closed at 09:00 Eastern
    assert campaign["abandon_rate"] <= 0.03
    assert campaign["contact_rate"] == round(campaign["human_answers"] / campaign["dials"], 6)
    assert 0 < figures["agents"]["sales"]["talk_fraction"] < 1


def test_the_same_seed_gives_the_same_campaign_figures() -> None:
    first = Simulation(scenario_from(SMALL)).run().as_json()
    second = Simulation(scenario_from(SMALL)).run().as_json()
    assert first["campaigns"] == second["campaigns"]


def test_outbound_only_agents_never_take_inbound_callers() -> None:
    result = Simulation(scenario_from(SMALL)).run()
    inbound = [r for r in result.records if r.queue == "help" and r.agent_group is not None]
    assert inbound and all(r.agent_group == "support" for r in inbound)
    outbound = [r for r in result.records if r.direction is Direction.OUTBOUND]
    assert outbound and all(r.agent_group in (None, "sales") for r in outbound)
    assert result.as_json()["queues"]["help"]["offered"] == len(result.records_of("help"))


def test_the_regulator_counts_what_really_rang() -> None:
    start = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("America/New_York"))
    regulator = Regulator(start, registry={2125550123}, caps={"c": 0.03})
    regulator.dialled("+12125550123", 0.0)  # on the registry
    regulator.dialled("+12125550124", 0.0)  # fine
    regulator.dialled("+18085550124", 0.0)  # 04:00 in Hawaii
    regulator.dialled("+12125550125", 13 * 3600.0)  # 22:00 in New York
    assert (regulator.dnc, regulator.calling_window) == (1, 2)
    for _ in range(100):
        regulator.answered("c")
    for _ in range(5):
        regulator.dropped("c")
    assert regulator.abandon_cap() == 2  # 3 of 100 allowed


def test_synthetic_leads_are_distinct_and_flag_the_registry_share() -> None:
    scenario = scenario_from(SMALL)
    leads, registry = synthetic_leads(scenario.campaigns[0], 1)
    numbers = [lead.numbers[0] for lead in leads]
    assert len(set(numbers)) == len(numbers) == 3000
    assert 450 < len(registry) < 750


def test_the_outbound_example_runs_blended_within_the_rules() -> None:
    scenario = load_scenario(EXAMPLE)
    short = scenario.model_copy(update={"duration": 2 * 3600.0})
    figures = Simulation(short, base_dir=EXAMPLE.parent).run().as_json()
    assert figures["violations"] == {"dnc": 0, "calling_window": 0, "abandon_cap": 0}
    assert figures["campaigns"]["renewals"]["connects"] > 0
    assert figures["agents"]["blended"]["talk_fraction"] > 0


def test_amd_mistakes_are_counted_and_without_amd_machines_reach_agents() -> None:
    careless = SMALL.replace(
        "conversion: 0.2", "conversion: 0.2\n    amd: {human_accuracy: 0.5, machine_accuracy: 1.0}"
    )
    figures = Simulation(scenario_from(careless)).run().as_json()["campaigns"]["c"]
    assert figures["amd_false_machines"] > 0
    off = SMALL.replace("conversion: 0.2", "conversion: 0.2\n    amd: {enabled: false}")
    figures = Simulation(scenario_from(off)).run().as_json()["campaigns"]["c"]
    assert figures["machine_answers"] == 0  # every answer is passed on as a person


BLENDED = """
name: blended
seed: 2
start: "2026-11-24T09:00:00-05:00"
duration: 30m
agents:
  - group: both
    count: 5
    modes: [inbound, outbound]
    campaigns: [c]
    wrap_up: {dist: constant, value: 10}
queues:
  - name: help
    arrivals: {rate_per_hour: 20}
    handle_time: {dist: exponential, mean: 120}
campaigns:
  - name: c
    caller_id: "+12025550100"
    leads: {count: 500, area_codes: [212]}
    outcomes: {human: 0.5, no_answer: 0.5}
    time_to_answer: {dist: uniform, low: 4, high: 10}
    talk_time: {dist: constant, value: 60}
"""


def test_the_blending_reserve_keeps_blended_agents_for_inbound() -> None:
    hoarded = BLENDED + "blending: {policy: reserve, reserve: 5}\n"
    assert Simulation(scenario_from(hoarded)).run().as_json()["campaigns"]["c"]["dials"] == 0
    lent = BLENDED + "blending: {policy: none}\n"
    assert Simulation(scenario_from(lent)).run().as_json()["campaigns"]["c"]["dials"] > 0


def test_agents_lent_to_outbound_and_taken_by_inbound_never_break_the_cap() -> None:
    busy_inbound = BLENDED.replace("rate_per_hour: 20", "rate_per_hour: 90").replace(
        "duration: 30m", "duration: 3h"
    )
    figures = Simulation(scenario_from(busy_inbound + "blending: {policy: none}\n")).run()
    result = figures.as_json()
    assert result["campaigns"]["c"]["dials"] > 0
    assert result["violations"] == {"dnc": 0, "calling_window": 0, "abandon_cap": 0}
    assert result["campaigns"]["c"]["abandon_rate"] <= 0.03
