"""The scenario model: the CONTRACTS example comes through, defaults, arrivals, lookups."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from tidal.config import (
    AgentGroup,
    Arrivals,
    CampaignConfig,
    ConfigError,
    ConstantDist,
    ExponentialDist,
    LognormalDist,
    QueueConfig,
    Scenario,
    UniformDist,
    load_scenario,
    parse_scenario,
)

DATA = Path(__file__).parent / "data"

MINIMAL = """\
name: minimal
duration: 1h
agents:
  - {group: team, count: 3}
queues:
  - name: line
    arrivals: {rate_per_hour: 30}
    handle_time: {dist: exponential, mean: 5m}
"""


@pytest.fixture(scope="module")
def blended_day() -> Scenario:
    return load_scenario(DATA / "blended-day.yaml")


def test_contract_example_top_level(blended_day: Scenario) -> None:
    assert blended_day.name == "blended-day"
    assert blended_day.seed == 7
    assert blended_day.start == datetime.fromisoformat("2026-11-23T08:00:00-05:00")
    assert blended_day.start.utcoffset() == timedelta(hours=-5)
    assert blended_day.duration == 8 * 3600


def test_contract_example_agents(blended_day: Scenario) -> None:
    (support,) = blended_day.agents
    assert support.group == "support"
    assert support.count == 40
    assert support.skills == {"billing": 5, "tech": 3}
    assert support.modes == ["inbound"]
    assert support.campaigns == []
    assert support.wrap_up == ConstantDist(value=30)
    assert support.inbound
    assert not support.outbound


def test_contract_example_queue(blended_day: Scenario) -> None:
    billing = blended_day.queue("billing")
    assert billing.skills == {"billing": 1}
    assert billing.priority == 1
    assert (billing.service_level.target, billing.service_level.threshold) == (0.8, 20.0)
    assert billing.arrivals.rate_per_hour == 600
    assert billing.arrivals.profile is None
    assert isinstance(billing.handle_time, ExponentialDist)
    assert billing.handle_time.mean == 180
    assert isinstance(billing.patience, ExponentialDist)
    assert billing.patience.mean == 120


def test_contract_example_campaign(blended_day: Scenario) -> None:
    renewals = blended_day.campaign("renewals")
    assert renewals.dial_mode == "predictive"
    assert renewals.max_abandon_rate == 0.03
    assert renewals.caller_id == "+12025550100"
    assert renewals.leads.count == 20000
    assert renewals.leads.area_codes == [212, 305, 312, 415, 503, 602, 808]
    assert renewals.leads.dnc_fraction == 0.10
    assert renewals.outcomes == {
        "human": 0.25,
        "machine": 0.15,
        "no_answer": 0.45,
        "busy": 0.10,
        "invalid": 0.05,
    }
    assert isinstance(renewals.time_to_answer, UniformDist)
    assert (renewals.time_to_answer.low, renewals.time_to_answer.high) == (4, 20)
    assert renewals.no_answer_timeout == 25
    assert isinstance(renewals.talk_time, LognormalDist)
    assert (renewals.talk_time.mean, renewals.talk_time.cv) == (150, 0.8)
    assert renewals.conversion == 0.10
    retry = renewals.retry
    assert (retry.busy, retry.no_answer, retry.machine, retry.max_attempts) == (600, 3600, 7200, 3)


def test_defaults() -> None:
    scenario = parse_scenario(MINIMAL)
    assert scenario.seed == 0
    assert scenario.start == datetime.fromisoformat("2026-11-23T08:00:00+00:00")
    assert scenario.campaigns == []
    team = scenario.group("team")
    assert team.skills == {}
    assert team.modes == ["inbound"]
    assert team.campaigns == []
    assert team.wrap_up == ConstantDist(value=0)
    line = scenario.queue("line")
    assert line.skills == {}
    assert line.priority == 0
    assert (line.service_level.target, line.service_level.threshold) == (0.8, 20.0)
    assert line.patience is None
    assert line.handle_time.mean == 300


def test_campaign_defaults_and_partial_outcomes() -> None:
    campaign = CampaignConfig.model_validate(
        {
            "name": "c",
            "caller_id": "+442079460000",
            "leads": {"count": 10, "area_codes": [212]},
            "outcomes": {"human": 0.5, "no_answer": 0.5},
            "time_to_answer": {"dist": "constant", "value": 5},
            "talk_time": {"dist": "constant", "value": "2m"},
        }
    )
    assert campaign.dial_mode == "progressive"
    assert campaign.max_abandon_rate == 0.03
    assert campaign.no_answer_timeout == 25
    assert campaign.conversion == 0
    assert campaign.leads.dnc_fraction == 0
    assert campaign.outcomes == {
        "human": 0.5,
        "machine": 0.0,
        "no_answer": 0.5,
        "busy": 0.0,
        "invalid": 0.0,
    }
    assert campaign.talk_time.mean == 120


def test_lookups_raise_key_error_for_unknown_names() -> None:
    scenario = parse_scenario(MINIMAL)
    with pytest.raises(KeyError):
        scenario.queue("nope")
    with pytest.raises(KeyError):
        scenario.group("nope")
    with pytest.raises(KeyError):
        scenario.campaign("nope")


def test_models_are_frozen() -> None:
    scenario = parse_scenario(MINIMAL)
    with pytest.raises(ValidationError):
        scenario.seed = 3


def test_constant_rate_arrivals() -> None:
    arrivals = Arrivals(rate_per_hour=120)
    assert arrivals.rate_at(0) == 120
    assert arrivals.rate_at(10_000) == 120
    assert arrivals.max_rate() == 120


def test_profile_is_piecewise_constant_and_last_rate_holds() -> None:
    arrivals = Arrivals.model_validate({"profile": [[0, 90], [60, 160], [150, 40]]})
    assert arrivals.rate_per_hour is None
    assert arrivals.profile == [(0, 90), (60, 160), (150, 40)]
    assert arrivals.rate_at(0) == 90
    assert arrivals.rate_at(59 * 60 + 59.9) == 90
    assert arrivals.rate_at(60 * 60) == 160
    assert arrivals.rate_at(149 * 60) == 160
    assert arrivals.rate_at(150 * 60) == 40
    assert arrivals.rate_at(48 * 3600) == 40
    assert arrivals.max_rate() == 160


@pytest.mark.parametrize(
    "written",
    [
        {},
        {"rate_per_hour": 10, "profile": [[0, 10]]},
        {"rate_per_hour": -1},
        {"profile": []},
        {"profile": [[1, 10]]},
        {"profile": [[0, 10], [5, -1]]},
        {"profile": [[0, 10], [0, 20]]},
        {"profile": [[0, 10, 3]]},
    ],
)
def test_bad_arrivals(written: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Arrivals.model_validate(written)


def test_programmatic_construction_validates_cross_references() -> None:
    queue = QueueConfig(
        name="sales",
        skills={"spanish": 4},
        arrivals=Arrivals(rate_per_hour=10),
        handle_time=ExponentialDist(mean=60),
    )
    english = AgentGroup(group="english", count=2, skills={"english": 9})
    with pytest.raises(ValidationError, match="no inbound agent group has spanish>=4"):
        Scenario(name="s", duration=3600, agents=[english], queues=[queue])
    bilingual = AgentGroup(group="bilingual", count=1, skills={"english": 9, "spanish": 5})
    scenario = Scenario(name="s", duration=3600, agents=[english, bilingual], queues=[queue])
    assert scenario.queue("sales") is queue


def test_meets_compares_minimum_levels() -> None:
    group = AgentGroup(group="g", count=1, skills={"billing": 5})
    assert group.meets({"billing": 5})
    assert group.meets({})
    assert not group.meets({"billing": 6})
    assert not group.meets({"tech": 1})


def _campaign(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "name": "c",
        "caller_id": "+12025550100",
        "leads": {"count": 10, "area_codes": [212]},
        "outcomes": {"human": 1.0},
        "time_to_answer": {"dist": "constant", "value": 5},
        "talk_time": {"dist": "constant", "value": 60},
    }
    return base | changes


def test_a_ring_time_under_four_rings_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError, match=r"no_answer_timeout[\s\S]*under the 15 s"):
        CampaignConfig.model_validate(_campaign(no_answer_timeout=10))


@pytest.mark.parametrize("pacer", ["model", "adapt", "power", "progressive", "mypkg.pace:Mine"])
def test_a_pacer_is_a_builtin_name_or_module_and_class(pacer: str) -> None:
    assert CampaignConfig.model_validate(_campaign(pacer=pacer)).pacer == pacer


def test_a_malformed_pacer_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"pacer[\s\S]*nor of the form module:Class"):
        CampaignConfig.model_validate(_campaign(pacer="predictive-ish"))


def test_campaign_extensions_have_safe_defaults() -> None:
    campaign = CampaignConfig.model_validate(_campaign())
    assert campaign.pacer is None and campaign.amd.enabled
    assert campaign.amd.detection_time == 2.5
    assert campaign.trunk.max_lines is None
    assert campaign.retry.max_attempts_per_day is None


def test_a_campaign_may_override_a_disposition() -> None:
    recycle = {"code": "no_sale", "final": False, "human_contact": True, "retry_after": "720h"}
    campaign = CampaignConfig.model_validate(_campaign(dispositions=[recycle]))
    assert campaign.dispositions[0].retry_after == 30 * 86400


def test_a_retry_disposition_without_its_delay_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"dispositions\.0[\s\S]*needs retry_after"):
        CampaignConfig.model_validate(_campaign(dispositions=[{"code": "x", "final": False}]))


def test_a_call_script_is_bounded_free_text_with_line_breaks() -> None:
    script = "Hello {name},\nthis is Acme.\n\tThanks!"
    assert CampaignConfig.model_validate(_campaign(script=script)).script == script
    assert CampaignConfig.model_validate(_campaign()).script is None
    with pytest.raises(ValidationError, match=r"script[\s\S]*U\+0000"):
        CampaignConfig.model_validate(_campaign(script="Hello\x00{name}"))
    with pytest.raises(ValidationError, match=r"script[\s\S]*at most 20000 characters"):
        CampaignConfig.model_validate(_campaign(script="x" * 20_001))


def test_campaign_costs_are_optional_non_negative_money() -> None:
    assert CampaignConfig.model_validate(_campaign()).costs is None
    costs = {"agent_hour": 24.5, "telephony_minute": 0.012}
    campaign = CampaignConfig.model_validate(_campaign(costs=costs))
    assert campaign.costs is not None
    assert (campaign.costs.agent_hour, campaign.costs.telephony_minute) == (24.5, 0.012)


@pytest.mark.parametrize(
    ("costs", "where"),
    [
        (
            {"agent_hour": -1, "telephony_minute": 0.01},
            r"costs\.agent_hour[\s\S]*greater than or equal to 0",
        ),
        ({"agent_hour": 20, "telephony_minute": "cheap"}, r"costs\.telephony_minute"),
        ({"agent_hour": 20, "telephony_minute": float("inf")}, r"costs\.telephony_minute"),
        ({"agent_hour": 20}, r"costs\.telephony_minute[\s\S]*required"),
        ({"agent_hour": 20, "telephony_minute": 0, "setup": 5}, r"costs\.setup"),
    ],
)
def test_bad_campaign_costs_name_the_field(costs: dict[str, object], where: str) -> None:
    with pytest.raises(ValidationError, match=where):
        CampaignConfig.model_validate(_campaign(costs=costs))


def test_campaign_costs_in_a_scenario_file_name_the_line() -> None:
    text = MINIMAL + (
        "campaigns:\n"
        "  - name: renewals\n"
        '    caller_id: "+12025550100"\n'
        "    costs: {agent_hour: 30, telephony_minute: -0.5}\n"
    )
    with pytest.raises(
        ConfigError, match=r":12 campaigns\[0\]\.costs\.telephony_minute: must be >= 0"
    ):
        parse_scenario(text)
