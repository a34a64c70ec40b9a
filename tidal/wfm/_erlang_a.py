"""Erlang A: Palm's M/M/n+M queue, where each caller abandons after an exponential patience.

Notation as in Garnett, Mandelbaum & Reiman (2002) and Mandelbaum & Zeltyn (2007): `lam`
arrivals per second, `mu` = 1/aht service rate per agent, `theta` = 1/mean patience, `n`
agents, `t` the service-level threshold in seconds.

The number in system is a birth–death chain with birth rate `lam` and death rate
min(k, n)·mu + max(k - n, 0)·theta. Its stationary distribution is built in log space (no
factorial or power is ever formed) and truncated where the neglected mass is below 1e-16;
when the chain is so overloaded that its mass sits far above n, only a window around the
mode is kept, so patience that is long against the handle time stays cheap.

Tagged caller (PASTA): a caller who finds m >= 0 others waiting is answered after m + 1
departures from the head of the queue; with j callers ahead the next one happens at rate
r_j = n·mu + j·theta, and its own patience is an independent Exp(theta). Writing
y = n·mu/theta, exponential tilting gives

    P(answered | m)             = prod_j r_j / (r_j + theta) = y / (y + m + 1)
    P(answered, W <= t | m)     = y / (y + m + 1) · P(S' <= t)
    E[W · 1{answered} | m]      = y / (y + m + 1) · E[S']

where S' is the sum of independent Exp(r_j + theta) = Exp(theta·(y + 1 + j)), j = 0..m.
Those rates are those of the order statistics of y + 1 + m i.i.d. Exp(theta) clocks, so
P(S' <= t) is the regularised incomplete beta I_u(m + 1, y + 1) with u = 1 - exp(-theta·t)
(exact for real y, evaluated by scipy without the cancelling alternating sum of the
hypoexponential closed form), and E[S'] = sum_j 1 / (n·mu + (j + 1)·theta).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special

from tidal.wfm import _erlang_c, _validate

FloatArray = npt.NDArray[np.float64]

# Neglected probability mass is kept below exp(-_TAIL_LOG) relative to the largest state.
_TAIL_LOG = 40.0
# Refuse state spaces larger than this (only absurd patience against load gets there).
_MAX_STATES = 1 << 23


@dataclass(frozen=True, slots=True)
class ErlangAResult:
    """The Erlang A figures of one staffing level, defined as the simulator measures them.

    `service_level` is P(answered and waited <= t): abandons count against it, even those
    who hang up before t. `asa` is the mean wait of answered callers only. `abandon_rate`
    is P(abandon) = theta·E[queue]/lam. `occupancy` is the carried load per agent.
    """

    p_wait: float
    abandon_rate: float
    service_level: float
    asa: float
    occupancy: float


@dataclass(frozen=True, slots=True)
class _Stationary:
    """Normalised stationary probabilities: `low[k]` for k < n, `queue[i]` for k = n + m0 + i."""

    low: FloatArray
    queue: FloatArray
    m0: int


def erlang_a(n: int, lam: float, mu: float, theta: float, t: float) -> ErlangAResult:
    """Service figures of n agents when callers abandon, which Erlang C ignores."""
    n = _validate.agents("n", n, minimum=1)
    lam = _validate.non_negative("lam", lam, " calls per second")
    mu = _validate.positive("mu", mu, " per second")
    theta = _validate.non_negative("theta", theta, " per second")
    t = _validate.non_negative("t", t, " seconds")
    a = lam / mu
    if lam == 0.0:
        return ErlangAResult(
            p_wait=0.0, abandon_rate=0.0, service_level=1.0, asa=0.0, occupancy=0.0
        )
    if theta == 0.0:
        # Infinite patience: Erlang A is Erlang C.
        c = _erlang_c.erlang_c_metrics(n, a, 1.0 / mu, t)
        return ErlangAResult(
            p_wait=c.p_wait,
            abandon_rate=0.0,
            service_level=c.service_level,
            asa=c.asa,
            occupancy=c.occupancy,
        )
    dist = _stationary(n, lam, mu, theta)
    nmu = n * mu
    m = dist.m0 + np.arange(dist.queue.size, dtype=np.float64)
    rate_after = nmu + (m + 1.0) * theta  # n·mu + (m+1)·theta
    answered_given_m = nmu / rate_after  # y / (y + m + 1)

    p_low = float(dist.low.sum())
    p_wait = float(dist.queue.sum())
    abandon = min(theta * float(np.dot(dist.queue, m)) / lam, 1.0)
    p_answered = p_low + float(np.dot(dist.queue, answered_given_m))

    u = -math.expm1(-theta * t)
    within = special.betainc(m + 1.0, nmu / theta + 1.0, u)
    service_level = p_low + float(np.dot(dist.queue, answered_given_m * within))

    # E[S'] for each m: the stage means 1 / (n·mu + (j + 1)·theta), j = 0..m.
    if dist.m0 > 0:
        y = nmu / theta
        head = float(special.digamma(y + dist.m0 + 1.0) - special.digamma(y + 1.0)) / theta
    else:
        head = 0.0
    mean_stages = head + np.cumsum(1.0 / rate_after)
    wait_answered = float(np.dot(dist.queue, answered_given_m * mean_stages))
    asa = wait_answered / p_answered if p_answered > 0.0 else math.inf

    return ErlangAResult(
        p_wait=min(p_wait, 1.0),
        abandon_rate=abandon,
        service_level=min(max(service_level, 0.0), 1.0),
        asa=asa,
        occupancy=min(a * (1.0 - abandon) / n, 1.0),
    )


def _stationary(n: int, lam: float, mu: float, theta: float) -> _Stationary:
    """Stationary law of the M/M/n+M chain, truncated where the neglected mass is < 1e-16."""
    nmu = n * mu
    log_lam = math.log(lam)
    x = lam / theta
    # Queue lengths m >= 1 grow while lam >= n·mu + m·theta: the mode of the queue part.
    excess = (lam - nmu) / theta
    if excess > _MAX_STATES:
        raise _too_large(n, lam, theta)
    mode = max(0, math.floor(excess))
    m0 = 0
    half_width = 0
    if mode > 0:
        # Left of the mode the weights fall at least like exp(-d²/(2x)) (log(1/(1-z)) >= z),
        # and every state further left is smaller still, so a window of half-width w loses
        # less than (n + mode)·exp(-w²/(2x)) of the mode's weight.
        half_width = math.ceil(math.sqrt(2.0 * x * (_TAIL_LOG + math.log(n + mode + 1.0))))
        m0 = max(0, mode - half_width)

    if m0 == 0:
        k = np.arange(n + 1, dtype=np.float64)
        log_low = k * math.log(lam / mu) - special.gammaln(k + 1.0)  # k·log a - log k!
        start = float(log_low[-1])  # log weight of state n (m = 0)
        log_low = log_low[:-1]
    else:
        log_low = np.empty(0, dtype=np.float64)
        start = 0.0

    # Queue weights, in chunks, until the geometric bound on the rest is negligible.
    pieces = [np.array([start])]
    last_m = m0
    last_log = start
    peak = max(start, float(log_low.max()) if log_low.size else start)
    chunk = min(max(256, mode - m0 + half_width), _MAX_STATES + 1)
    while True:
        j = np.arange(last_m + 1, last_m + chunk + 1, dtype=np.float64)
        logs = last_log + np.cumsum(log_lam - np.log(nmu + j * theta))
        pieces.append(logs)
        last_m += chunk
        last_log = float(logs[-1])
        peak = max(peak, float(logs.max()))
        rho = lam / (nmu + (last_m + 1) * theta)
        if rho < 1.0 and last_log + math.log(rho / (1.0 - rho)) < peak - _TAIL_LOG:
            break
        if last_m - m0 > _MAX_STATES:
            raise _too_large(n, lam, theta)
        chunk *= 2

    log_queue = np.concatenate(pieces)
    # Drop the far tail that the bound above shows to be negligible (state n always stays).
    significant = np.nonzero(log_queue >= peak - 2.0 * _TAIL_LOG)[0]
    log_queue = log_queue[: int(significant[-1]) + 1 if significant.size else 1]
    low = np.exp(log_low - peak)
    queue = np.exp(log_queue - peak)
    total = float(low.sum()) + float(queue.sum())
    return _Stationary(low=low / total, queue=queue / total, m0=m0)


def _too_large(n: int, lam: float, theta: float) -> ValueError:
    """The error for a chain whose stationary mass is spread over too many states."""
    return ValueError(
        f"Erlang A state space too large: patience 1/theta = {1 / theta:g} s is extreme for "
        f"lam = {lam:g}/s and n = {n}; use Erlang C (no patience) instead"
    )
