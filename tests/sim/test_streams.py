"""Sampling of the scenario distributions: right mean and spread, reproducible."""

from __future__ import annotations

import statistics

import pytest

from tidal.config import (
    ConstantDist,
    Distribution,
    EmpiricalDist,
    ExponentialDist,
    GammaDist,
    LognormalDist,
    UniformDist,
)
from tidal.sim._streams import BATCH, sampler

N = 50_000  # the standard error of a mean is sd/sqrt(N), about 0.45% of sd here


@pytest.mark.parametrize(
    ("dist", "mean", "sd"),
    [
        (ConstantDist(dist="constant", value=30), 30.0, 0.0),
        (ExponentialDist(dist="exponential", mean=180), 180.0, 180.0),
        (LognormalDist(dist="lognormal", mean=150, cv=0.8), 150.0, 120.0),
        (GammaDist(dist="gamma", mean=200, cv=0.5), 200.0, 100.0),
        (UniformDist(dist="uniform", low=4, high=20), 12.0, 16 / 12**0.5),
        (EmpiricalDist(dist="empirical", values=[10, 20, 60]), 30.0, (1400 / 3) ** 0.5),
    ],
)
def test_samples_have_the_configured_mean_and_spread(
    dist: Distribution, mean: float, sd: float
) -> None:
    draw = sampler(dist, seed=1, name="test")
    values = [draw() for _ in range(N)]
    # 5 standard errors for the mean; the sample sd of a heavy-tailed lognormal
    # converges slowly, so 5% relative there.
    assert statistics.fmean(values) == pytest.approx(mean, abs=5 * sd / N**0.5 + 1e-9)
    assert statistics.pstdev(values) == pytest.approx(sd, rel=0.05, abs=1e-9)
    assert min(values) >= 0


def test_streams_are_reproducible_and_independent_by_name() -> None:
    dist = ExponentialDist(dist="exponential", mean=1)
    first = sampler(dist, seed=5, name="handle_time:billing")
    again = sampler(dist, seed=5, name="handle_time:billing")
    other = sampler(dist, seed=5, name="handle_time:tech")
    a = [first() for _ in range(BATCH + 10)]  # crosses a batch boundary
    assert a == [again() for _ in range(BATCH + 10)]
    assert a[:10] != [other() for _ in range(10)]
