"""Seeded random streams: one generator per named stream, sampled in batches.

Each stream (a queue's arrivals, its handle times, its callers' patience, a group's
wrap-up) has its own generator seeded from (scenario seed, stream name), so adding
a queue or changing one distribution leaves every other stream's numbers as they
were: runs stay comparable call for call (common random numbers).
"""

from __future__ import annotations

import functools
import itertools
import math
import zlib
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from tidal.config import (
    ConstantDist,
    Distribution,
    EmpiricalDist,
    ExponentialDist,
    GammaDist,
    LognormalDist,
    UniformDist,
)

BATCH = 4096

Draw = Callable[[int], npt.NDArray[np.float64]]


def stream_generator(seed: int, name: str) -> np.random.Generator:
    """The generator of one named stream of a run."""
    sequence = np.random.SeedSequence([seed & 0xFFFF_FFFF_FFFF_FFFF, zlib.crc32(name.encode())])
    return np.random.Generator(np.random.PCG64(sequence))


def draw_function(dist: Distribution, rng: np.random.Generator) -> Draw:
    """Vectorised sampler of a scenario distribution (all of CONTRACTS section 2)."""
    if isinstance(dist, ConstantDist):
        value = float(dist.value)
        return lambda n: np.full(n, value)
    if isinstance(dist, ExponentialDist):
        mean = float(dist.mean)
        return lambda n: rng.exponential(mean, n)
    if isinstance(dist, LognormalDist):
        if dist.cv == 0:
            value = float(dist.mean)
            return lambda n: np.full(n, value)
        sigma2 = math.log1p(dist.cv**2)
        mu = math.log(dist.mean) - sigma2 / 2
        sigma = math.sqrt(sigma2)
        return lambda n: rng.lognormal(mu, sigma, n)
    if isinstance(dist, GammaDist):
        shape = 1.0 / dist.cv**2
        scale = float(dist.mean) / shape
        return lambda n: rng.gamma(shape, scale, n)
    if isinstance(dist, UniformDist):
        low, high = float(dist.low), float(dist.high)
        return lambda n: rng.uniform(low, high, n)
    if isinstance(dist, EmpiricalDist):
        values = np.asarray(dist.values, dtype=np.float64)
        return lambda n: rng.choice(values, n)
    raise TypeError(f"unsupported distribution {dist!r}")


Sampler = Callable[[], float]


def batched(draw: Draw) -> Sampler:
    """One float at a time from batches: numpy speed, scalar interface.

    The result is `functools.partial(next, iterator)` over a chain of batches, so a
    draw is a C-level call: it runs several hundred thousand times a simulated day.
    """
    batches = (draw(BATCH).tolist() for _ in itertools.count())
    return functools.partial(next, itertools.chain.from_iterable(batches))


def sampler(dist: Distribution, seed: int, name: str) -> Sampler:
    """A sampler of `dist` on its own named stream."""
    return batched(draw_function(dist, stream_generator(seed, name)))
