"""Arrival processes: Poisson at a constant rate, or a piecewise-constant profile.

A profile is a non-homogeneous Poisson process, sampled by thinning (Lewis &
Shedler 1979): candidates at the peak rate, each kept with probability
rate(t) / peak.
"""

from __future__ import annotations

import math

from tidal.config import Arrivals
from tidal.sim._streams import batched, stream_generator


class ArrivalProcess:
    """Next arrival times of one queue, on the queue's own random streams."""

    __slots__ = ("_arrivals", "_coins", "_constant", "_gaps", "_peak")

    def __init__(self, arrivals: Arrivals, seed: int, queue: str) -> None:
        self._arrivals = arrivals
        self._peak = arrivals.max_rate() / 3600.0
        self._constant = arrivals.profile is None
        gaps_rng = stream_generator(seed, f"arrivals:{queue}")
        coins_rng = stream_generator(seed, f"arrivals-thinning:{queue}")
        mean_gap = 1.0 / self._peak if self._peak > 0 else 0.0
        self._gaps = batched(lambda n: gaps_rng.exponential(mean_gap, n))
        self._coins = batched(lambda n: coins_rng.random(n))

    def next_after(self, t: float, end: float) -> float:
        """Time of the first arrival after `t`, or infinity if none before `end`."""
        if self._peak <= 0:
            return math.inf
        peak = self._peak
        while True:
            t += self._gaps()
            if t >= end:
                return math.inf
            if self._constant:
                return t
            if self._coins() * peak < self._arrivals.rate_at(t) / 3600.0:
                return t
