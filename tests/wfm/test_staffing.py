"""`staff`: the fewest agents meeting a service-level target, as `tidal staff` reports it."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tidal.wfm import StaffingResult, erlang_a, erlang_c_metrics, staff

JSON_KEYS = ["agents", "service_level", "asa", "occupancy", "abandon_rate", "scheduled"]


def test_published_worked_example() -> None:
    # callcentrehelper.com, "Erlang C Formula - Made Simple" (the pyworkforce docs example):
    # 100 calls per 30 minutes = 200 per hour, AHT 180 s, 80 % answered within 20 s
    # -> 14 agents, service level 88.84 %, ASA 7.84 s, occupancy 71.43 %.
    result = staff(200, 180, 0.8, 20)
    assert result.agents == 14
    assert result.service_level == pytest.approx(0.8884, abs=5e-5)
    assert result.asa == pytest.approx(7.84, abs=5e-3)
    assert result.occupancy == pytest.approx(0.7143, abs=5e-5)
    assert result.abandon_rate == 0.0
    assert result.scheduled == 14


def test_shrinkage_rounds_scheduled_up_without_float_noise() -> None:
    # 14 / (1 - 0.3) is 20.000000000000004 in floating point; the answer is 20 heads.
    assert staff(200, 180, 0.8, 20, shrinkage=0.3).scheduled == 20
    assert staff(200, 180, 0.8, 20, shrinkage=0.25).scheduled == 19  # 18.67 -> 19
    assert staff(200, 180, 0.8, 20, shrinkage=0.0).scheduled == 14


def test_as_json_has_exactly_the_contract_keys() -> None:
    result = staff(200, 180, 0.8, 20, patience=120, shrinkage=0.3)
    payload = result.as_json()
    assert list(payload) == JSON_KEYS
    assert isinstance(payload["agents"], int) and isinstance(payload["scheduled"], int)
    assert payload["agents"] == result.agents
    assert payload["abandon_rate"] == result.abandon_rate > 0.0
    with pytest.raises(AttributeError):
        result.agents = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("rate", "aht", "target", "threshold"),
    [(200, 180, 0.8, 20), (200, 180, 0.95, 10), (37, 300, 0.9, 30), (1200, 240, 0.8, 0)],
)
def test_erlang_c_answer_is_the_fewest(
    rate: float, aht: float, target: float, threshold: float
) -> None:
    result = staff(rate, aht, target, threshold)
    a = rate / 3600 * aht
    assert result.agents > a
    assert erlang_c_metrics(result.agents, a, aht, threshold).service_level == result.service_level
    assert result.service_level >= target
    if result.agents - 1 > a:
        assert erlang_c_metrics(result.agents - 1, a, aht, threshold).service_level < target


@pytest.mark.parametrize(
    ("rate", "aht", "target", "threshold", "patience"),
    [
        (200, 180, 0.8, 20, 60),
        (200, 180, 0.8, 20, 600),
        (200, 180, 0.9, 20, 5),
        (20000, 180, 0.8, 20, 120),  # large and overloaded: the target is met below a
    ],
)
def test_erlang_a_answer_is_the_fewest(
    rate: float, aht: float, target: float, threshold: float, patience: float
) -> None:
    result = staff(rate, aht, target, threshold, patience=patience)
    lam, mu, theta = rate / 3600, 1 / aht, 1 / patience
    at_n = erlang_a(result.agents, lam, mu, theta, threshold)
    assert result.service_level == at_n.service_level >= target
    assert result.asa == at_n.asa
    assert result.abandon_rate == at_n.abandon_rate
    assert result.occupancy == at_n.occupancy
    assert erlang_a(result.agents - 1, lam, mu, theta, threshold).service_level < target


def test_patience_matters_both_ways() -> None:
    # Abandons thin the queue, so moderate patience needs no more agents than Erlang C...
    assert staff(200, 180, 0.8, 20, patience=60).agents <= staff(200, 180, 0.8, 20).agents
    # ...but with a long threshold, callers who hang up within seconds count against a target
    # that Erlang C meets by queueing them, so they need more agents (15 against 13).
    assert staff(200, 180, 0.95, 120, patience=2).agents > staff(200, 180, 0.95, 120).agents


def test_infinite_or_very_long_patience_is_erlang_c() -> None:
    erlang_c = staff(200, 180, 0.8, 20)
    assert staff(200, 180, 0.8, 20, patience=math.inf) == erlang_c
    long = staff(200, 180, 0.8, 20, patience=1e9)
    assert long.agents == erlang_c.agents
    assert long.service_level == pytest.approx(erlang_c.service_level, abs=1e-6)
    assert long.abandon_rate < 1e-7


def test_two_thousand_agent_loads() -> None:
    # 38,000 calls per hour at 180 s is 1,900 Erlangs.
    result = staff(38000, 180, 0.8, 20)
    assert 1900 < result.agents < 2000
    assert 0.8 <= result.service_level <= 1.0
    assert erlang_c_metrics(result.agents - 1, 1900.0, 180, 20).service_level < 0.8
    with_patience = staff(38000, 180, 0.8, 20, patience=300, shrinkage=0.35)
    assert 1800 < with_patience.agents <= result.agents
    assert with_patience.scheduled == math.ceil(with_patience.agents / 0.65 - 1e-9)
    for value in with_patience.as_json().values():
        assert math.isfinite(value)


def test_no_calls_need_no_agents() -> None:
    expected = StaffingResult(
        agents=0, service_level=1.0, asa=0.0, occupancy=0.0, abandon_rate=0.0, scheduled=0
    )
    assert staff(0, 180, 0.8, 20) == expected
    assert staff(0, 180, 0.8, 20, patience=60, shrinkage=0.3) == expected


@settings(max_examples=40, deadline=None)
@given(
    rate=st.floats(min_value=1.0, max_value=5000.0),
    aht=st.floats(min_value=30.0, max_value=900.0),
    target=st.floats(min_value=0.5, max_value=0.98),
    threshold=st.floats(min_value=0.0, max_value=60.0),
    patience=st.one_of(st.none(), st.floats(min_value=5.0, max_value=1800.0)),
)
def test_meets_target_and_more_target_never_needs_fewer(
    rate: float, aht: float, target: float, threshold: float, patience: float | None
) -> None:
    result = staff(rate, aht, target, threshold, patience=patience)
    assert result.service_level >= target
    assert 0.0 <= result.occupancy <= 1.0
    assert 0.0 <= result.abandon_rate <= 1.0
    assert result.asa >= 0.0 and math.isfinite(result.asa)
    stricter = staff(rate, aht, min(0.99, target + 0.01), threshold, patience=patience)
    assert stricter.agents >= result.agents


BASE: dict[str, Any] = {"rate_per_hour": 200, "aht": 180, "target": 0.8, "threshold": 20}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rate_per_hour": -1}, "rate_per_hour must be >= 0 calls per hour, got -1"),
        ({"aht": 0}, "aht must be > 0 seconds, got 0"),
        ({"aht": -3.5}, "aht must be > 0 seconds, got -3.5"),
        ({"target": 0}, "target must be in (0, 1), got 0"),
        ({"target": 1}, "target must be in (0, 1), got 1"),
        ({"target": math.nan}, "target must be in (0, 1), got nan"),
        ({"threshold": -1}, "threshold must be >= 0 seconds, got -1"),
        ({"patience": 0}, "patience must be > 0 seconds, got 0"),
        ({"patience": -60}, "patience must be > 0 seconds, got -60"),
        ({"shrinkage": 1.0}, "shrinkage must be in [0, 1), got 1"),
        ({"shrinkage": -0.1}, "shrinkage must be in [0, 1), got -0.1"),
    ],
)
def test_invalid_arguments_name_the_parameter(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        staff(**{**BASE, **changes})
