"""Distributions: each `dist` kind validates its parameters and knows its mean."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from tidal.config import (
    ConstantDist,
    Distribution,
    EmpiricalDist,
    ExponentialDist,
    GammaDist,
    LognormalDist,
    UniformDist,
)

DISTRIBUTION: TypeAdapter[Distribution] = TypeAdapter(Distribution)


@pytest.mark.parametrize(
    ("written", "kind", "mean"),
    [
        ({"dist": "constant", "value": 30}, ConstantDist, 30.0),
        ({"dist": "exponential", "mean": 180}, ExponentialDist, 180.0),
        ({"dist": "lognormal", "mean": 150, "cv": 0.8}, LognormalDist, 150.0),
        ({"dist": "gamma", "mean": 25, "cv": 0.5}, GammaDist, 25.0),
        ({"dist": "uniform", "low": 4, "high": 20}, UniformDist, 12.0),
        ({"dist": "empirical", "values": [10, 20, 60]}, EmpiricalDist, 30.0),
    ],
)
def test_each_kind_and_its_mean(written: dict[str, object], kind: type, mean: float) -> None:
    dist = DISTRIBUTION.validate_python(written)
    assert isinstance(dist, kind)
    assert dist.mean == pytest.approx(mean)


def test_time_parameters_take_duration_syntax() -> None:
    assert DISTRIBUTION.validate_python({"dist": "constant", "value": "30s"}).mean == 30.0
    assert DISTRIBUTION.validate_python({"dist": "exponential", "mean": "3m"}).mean == 180.0
    uniform = DISTRIBUTION.validate_python({"dist": "uniform", "low": "1m", "high": "2m"})
    assert isinstance(uniform, UniformDist)
    assert (uniform.low, uniform.high) == (60.0, 120.0)
    empirical = DISTRIBUTION.validate_python({"dist": "empirical", "values": ["1m", 30]})
    assert isinstance(empirical, EmpiricalDist)
    assert empirical.values == [60.0, 30.0]


@pytest.mark.parametrize(
    "written",
    [
        {"dist": "constant", "value": -1},
        {"dist": "exponential", "mean": 0},
        {"dist": "lognormal", "mean": 100, "cv": -0.1},
        {"dist": "gamma", "mean": 100, "cv": 0},
        {"dist": "uniform", "low": 20, "high": 4},
        {"dist": "uniform", "low": -1, "high": 4},
        {"dist": "empirical", "values": []},
        {"dist": "empirical", "values": [3, -1]},
        {"dist": "exponential", "mean": 10, "cv": 1},
        {"dist": "normal", "mean": 10},
    ],
)
def test_invalid_parameters_are_rejected(written: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        DISTRIBUTION.validate_python(written)


def test_lognormal_cv_zero_is_allowed() -> None:
    assert DISTRIBUTION.validate_python({"dist": "lognormal", "mean": 9, "cv": 0}).mean == 9


def test_built_in_code_without_the_tag() -> None:
    assert ConstantDist(value=0).dist == "constant"
    assert UniformDist(low=1, high=3).mean == 2.0
