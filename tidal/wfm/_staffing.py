"""Fewest agents that meet a service-level target: the figure behind `tidal staff`."""

from __future__ import annotations

import math
from dataclasses import dataclass

from tidal.wfm import _erlang_a, _erlang_c, _validate

# Float noise allowance when rounding agents / (1 - shrinkage) up: 14 / 0.7 is 20.000000000000004.
_CEIL_SLACK = 1e-9


@dataclass(frozen=True, slots=True)
class StaffingResult:
    """The staffing answer: agents on the phones, their figures, and heads to schedule."""

    agents: int
    service_level: float
    asa: float
    occupancy: float
    abandon_rate: float
    scheduled: int

    def as_json(self) -> dict[str, float | int]:
        """The object `tidal staff --json` prints, keys in contract order."""
        return {
            "agents": self.agents,
            "service_level": self.service_level,
            "asa": self.asa,
            "occupancy": self.occupancy,
            "abandon_rate": self.abandon_rate,
            "scheduled": self.scheduled,
        }


def staff(
    rate_per_hour: float,
    aht: float,
    target: float,
    threshold: float,
    patience: float | None = None,
    shrinkage: float = 0.0,
) -> StaffingResult:
    """Fewest agents whose service level meets `target`, as planners size each interval.

    Erlang C when `patience` is None (or infinite), Erlang A with theta = 1/patience
    otherwise. With no calls at all no agent is needed and the service level is 1.
    """
    rate_per_hour = _validate.non_negative("rate_per_hour", rate_per_hour, " calls per hour")
    aht = _validate.positive("aht", aht, " seconds")
    target = _validate.real("target", target, "in (0, 1)")
    if not 0.0 < target < 1.0:
        raise ValueError(f"target must be in (0, 1), got {target:g}")
    threshold = _validate.non_negative("threshold", threshold, " seconds")
    if patience is not None:
        patience = _validate.positive("patience", patience, " seconds", finite=False)
    shrinkage = _validate.real("shrinkage", shrinkage, "in [0, 1)")
    if not 0.0 <= shrinkage < 1.0:
        raise ValueError(f"shrinkage must be in [0, 1), got {shrinkage:g}")

    lam = rate_per_hour / 3600.0
    a = lam * aht
    if lam == 0.0:
        return StaffingResult(
            agents=0, service_level=1.0, asa=0.0, occupancy=0.0, abandon_rate=0.0, scheduled=0
        )
    if patience is None or math.isinf(patience):
        n, service_level, asa, occ, abandon = _staff_erlang_c(a, aht, target, threshold)
    else:
        n, service_level, asa, occ, abandon = _staff_erlang_a(
            lam, aht, 1.0 / patience, target, threshold
        )
    return StaffingResult(
        agents=n,
        service_level=service_level,
        asa=asa,
        occupancy=occ,
        abandon_rate=abandon,
        scheduled=math.ceil(n / (1.0 - shrinkage) - _CEIL_SLACK),
    )


def _staff_erlang_c(
    a: float, aht: float, target: float, threshold: float
) -> tuple[int, float, float, float, float]:
    """Step up from the first stable n (> a), carrying Erlang B along one agent at a time."""
    n = math.floor(a) + 1
    b = _erlang_c._erlang_b(n, a)
    while True:
        figures = _erlang_c._metrics_from_b(n, a, aht, threshold, b)
        if figures.service_level >= target:
            return n, figures.service_level, figures.asa, figures.occupancy, 0.0
        n += 1
        b = a * b / (n + a * b)


def _staff_erlang_a(
    lam: float, aht: float, theta: float, target: float, threshold: float
) -> tuple[int, float, float, float, float]:
    """Bisect on n: the Erlang A service level increases with n (Erlang A may need n < a)."""
    mu = 1.0 / aht
    cache: dict[int, _erlang_a.ErlangAResult] = {}

    def at(n: int) -> _erlang_a.ErlangAResult:
        if n not in cache:
            cache[n] = _erlang_a.erlang_a(n, lam, mu, theta, threshold)
        return cache[n]

    lo = 0  # service level at 0 agents is 0 < target
    hi = max(1, math.ceil(lam * aht))
    while at(hi).service_level < target:
        lo, hi = hi, 2 * hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if at(mid).service_level >= target:
            hi = mid
        else:
            lo = mid
    best = at(hi)
    return hi, best.service_level, best.asa, best.occupancy, best.abandon_rate
