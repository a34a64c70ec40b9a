"""Random durations in a scenario (handle, wrap-up, patience, ring, talk), tagged by `dist`."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tidal.config._durations import Duration
from tidal.config._errors import Problem, raise_problems

PositiveDuration = Annotated[Duration, Field(gt=0)]


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ConstantDist(_Dist):
    """Always the same duration: deterministic service, or none (value 0)."""

    dist: Literal["constant"] = "constant"
    value: Duration

    @property
    def mean(self) -> float:
        """The mean, so every distribution can feed Erlang formulas the same way."""
        return self.value


class ExponentialDist(_Dist):
    """Memoryless durations: the classic Erlang assumption for talk time and patience."""

    dist: Literal["exponential"] = "exponential"
    mean: PositiveDuration


class LognormalDist(_Dist):
    """Right-skewed durations with a chosen spread: the usual fit for real handle times."""

    dist: Literal["lognormal"] = "lognormal"
    mean: PositiveDuration
    cv: float = Field(ge=0, description="coefficient of variation (std / mean)")


class GammaDist(_Dist):
    """Skewed durations with a chosen spread and a lighter tail than lognormal."""

    dist: Literal["gamma"] = "gamma"
    mean: PositiveDuration
    cv: float = Field(gt=0, description="coefficient of variation (std / mean)")


class UniformDist(_Dist):
    """Any duration between two bounds equally likely, e.g. time until an answer."""

    dist: Literal["uniform"] = "uniform"
    low: Duration
    high: Duration

    @property
    def mean(self) -> float:
        """The mean, so every distribution can feed Erlang formulas the same way."""
        return (self.low + self.high) / 2

    @model_validator(mode="after")
    def _high_not_below_low(self) -> UniformDist:
        if self.high < self.low:
            message = f"high ({self.high:g}) must be >= low ({self.low:g})"
            raise_problems("UniformDist", [Problem(("high",), message, self.high)])
        return self


class EmpiricalDist(_Dist):
    """Durations resampled from observed values, when no formula fits the data."""

    dist: Literal["empirical"] = "empirical"
    values: list[Duration] = Field(min_length=1)

    @property
    def mean(self) -> float:
        """The mean, so every distribution can feed Erlang formulas the same way."""
        return sum(self.values) / len(self.values)


Distribution = Annotated[
    ConstantDist | ExponentialDist | LognormalDist | GammaDist | UniformDist | EmpiricalDist,
    Field(discriminator="dist"),
]
"""One of the distributions of CONTRACTS section 2, chosen by its `dist` key."""

DIST_KINDS: tuple[str, ...] = (
    "constant",
    "exponential",
    "lognormal",
    "gamma",
    "uniform",
    "empirical",
)
"""The `dist` tags, in the order users are told them."""
