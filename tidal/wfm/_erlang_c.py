"""Erlang B and Erlang C (M/M/n, callers never abandon).

Symbols as in the literature: `n` agents, `a` offered load in Erlangs (arrival rate times
mean handle time), `aht` mean handle time in seconds, `t` the service-level threshold in
seconds. Erlang C is computed from Erlang B, whose recursion only ever divides numbers in
[0, 1] by numbers >= 1, so it neither overflows nor loses precision at thousands of agents.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tidal.wfm import _validate


def erlang_b(n: int, a: float) -> float:
    """Blocking probability of an M/M/n/n loss system, the stable base of Erlang C."""
    n = _validate.agents("n", n)
    a = _validate.non_negative("a", a, " Erlangs")
    return _erlang_b(n, a)


def _erlang_b(n: int, a: float) -> float:
    """B(n, a) by B(0) = 1, B(k) = a·B(k-1) / (k + a·B(k-1)); arguments already checked."""
    b = 1.0
    for k in range(1, n + 1):
        ab = a * b
        b = ab / (k + ab)
    return b


def _wait_probability_from_b(n: int, a: float, b: float) -> float:
    """Erlang C from Erlang B: C = n·B / (n - a·(1 - B)), and 1 when the queue is unstable."""
    if a >= n:
        return 1.0
    return n * b / (n - a * (1.0 - b))


def _service_level_from_c(n: int, a: float, aht: float, t: float, c: float) -> float:
    """SL = 1 - C·exp(-(n - a)·t / aht), and 0 when the queue is unstable."""
    if a >= n:
        return 0.0
    return 1.0 - c * math.exp(-(n - a) * t / aht)


def _asa_from_c(n: int, a: float, aht: float, c: float) -> float:
    """ASA = C·aht / (n - a), and infinity when the queue is unstable."""
    if a >= n:
        return math.inf
    return c * aht / (n - a)


def _occupancy(n: int, a: float) -> float:
    """Offered load per agent, capped at 1."""
    if n == 0:
        return 1.0 if a > 0 else 0.0
    return min(a / n, 1.0)


def erlang_c_wait_probability(n: int, a: float) -> float:
    """Probability that a caller has to queue in M/M/n: the 'C' every staffing table starts from."""
    n = _validate.agents("n", n)
    a = _validate.non_negative("a", a, " Erlangs")
    return _wait_probability_from_b(n, a, _erlang_b(n, a))


def erlang_c_service_level(n: int, a: float, aht: float, t: float) -> float:
    """Share of callers answered within `t` seconds in M/M/n, the usual staffing target."""
    n = _validate.agents("n", n)
    a = _validate.non_negative("a", a, " Erlangs")
    aht = _validate.positive("aht", aht, " seconds")
    t = _validate.non_negative("t", t, " seconds")
    c = _wait_probability_from_b(n, a, _erlang_b(n, a))
    return _service_level_from_c(n, a, aht, t, c)


def erlang_c_asa(n: int, a: float, aht: float) -> float:
    """Average speed of answer in seconds in M/M/n, the mean wait over all callers."""
    n = _validate.agents("n", n)
    a = _validate.non_negative("a", a, " Erlangs")
    aht = _validate.positive("aht", aht, " seconds")
    return _asa_from_c(n, a, aht, _wait_probability_from_b(n, a, _erlang_b(n, a)))


def occupancy(n: int, a: float) -> float:
    """Share of agent time spent handling calls when no caller abandons: a / n, at most 1."""
    n = _validate.agents("n", n)
    a = _validate.non_negative("a", a, " Erlangs")
    return _occupancy(n, a)


@dataclass(frozen=True, slots=True)
class ErlangCResult:
    """The Erlang C figures of one staffing level."""

    p_wait: float
    service_level: float
    asa: float
    occupancy: float


def _metrics_from_b(n: int, a: float, aht: float, t: float, b: float) -> ErlangCResult:
    """All Erlang C figures from an already computed Erlang B value."""
    c = _wait_probability_from_b(n, a, b)
    return ErlangCResult(
        p_wait=c,
        service_level=_service_level_from_c(n, a, aht, t, c),
        asa=_asa_from_c(n, a, aht, c),
        occupancy=_occupancy(n, a),
    )


def erlang_c_metrics(n: int, a: float, aht: float, t: float) -> ErlangCResult:
    """All Erlang C figures of `n` agents from one Erlang B pass instead of one per figure."""
    n = _validate.agents("n", n)
    a = _validate.non_negative("a", a, " Erlangs")
    aht = _validate.positive("aht", aht, " seconds")
    t = _validate.non_negative("t", t, " seconds")
    return _metrics_from_b(n, a, aht, t, _erlang_b(n, a))
