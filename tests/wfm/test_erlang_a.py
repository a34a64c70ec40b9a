"""Erlang A (M/M/n+M) against independent computations and its Erlang C limit.

Published figures: no trustworthy published Erlang A table was found through the search
tool (the 4CallCenters / Zeltyn tables were not reachable), so no published value is
asserted here. The birth–death implementation is instead checked against
  * the closed forms of Garnett, Mandelbaum & Reiman (2002), "Designing a call center with
    impatient customers", MSOM 4(3), for P(wait) and P(abandon), written with the
    incomplete gamma function, and
  * a brute-force continuous-time Markov chain: the stationary law from a dense linear
    solve, the tagged caller's absorption into "answered" by a matrix exponential, and its
    mean wait from the fundamental matrix,
and against Erlang C as theta -> 0.
"""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import linalg, special

from tidal.wfm import ErlangAResult, erlang_a, erlang_b, erlang_c_metrics
from tidal.wfm._erlang_a import _stationary

AHT = 180.0
MU = 1.0 / AHT


def gmr_wait_and_abandon(n: int, lam: float, mu: float, theta: float) -> tuple[float, float]:
    """P(wait) and P(abandon) by Garnett, Mandelbaum & Reiman (2002), section 3.

    A(x, y) = x·e^y / y^x · gamma(x, y) with x = n·mu/theta, y = lam/theta and gamma the
    lower incomplete gamma; E = Erlang B(n, lam/mu); rho = lam/(n·mu):
      P(W > 0)      = A·E / (1 + (A - 1)·E)
      P(Ab | W > 0) = 1/(rho·A) + 1 - 1/rho
    """
    x, y = n * mu / theta, lam / theta
    log_a = math.log(x) + y - x * math.log(y) + special.gammaln(x)
    inv_a = math.exp(-(log_a + math.log(special.gammainc(x, y))))  # 1/A: A overflows
    e = erlang_b(n, lam / mu)
    rho = lam / (n * mu)
    p_wait = e / (inv_a + (1.0 - inv_a) * e)
    return p_wait, p_wait * (inv_a / rho + 1.0 - 1.0 / rho)


def brute_force(n: int, lam: float, mu: float, theta: float, t: float) -> ErlangAResult:
    """Erlang A by dense linear algebra on a truncated CTMC (small n only)."""
    extra = 150 + 3 * math.ceil(max(0.0, (lam - n * mu) / theta))
    size = n + extra + 1
    q = np.zeros((size, size))
    for k in range(size):
        if k + 1 < size:
            q[k, k + 1] = lam
        if k > 0:
            q[k, k - 1] = min(k, n) * mu + max(k - n, 0) * theta
        q[k, k] = -q[k].sum()
    # pi Q = 0, sum(pi) = 1: replace one balance equation by the normalisation.
    lhs = q.T.copy()
    lhs[-1, :] = 1.0
    rhs = np.zeros(size)
    rhs[-1] = 1.0
    pi = np.linalg.solve(lhs, rhs)
    p_free = float(pi[:n].sum())
    queue_seen = pi[n:]  # arrival sees m = 0..extra waiting (PASTA)
    m_count = queue_seen.size

    # Tagged caller: transient states m = callers ahead; 2 absorbing states (answered, gone).
    gen = np.zeros((m_count + 2, m_count + 2))
    answered, gone = m_count, m_count + 1
    for m in range(m_count):
        if m > 0:
            gen[m, m - 1] = n * mu + m * theta
        else:
            gen[m, answered] = n * mu
        gen[m, gone] = theta
        gen[m, m] = -gen[m].sum()
    within = linalg.expm(gen * t)[:m_count, answered]  # P(answered by t | m)
    transient = gen[:m_count, :m_count]
    fundamental = np.linalg.inv(-transient)
    exit_answered = gen[:m_count, answered]
    p_answered_m = fundamental @ exit_answered
    wait_answered_m = fundamental @ p_answered_m  # E[W·1{answered} | m]

    p_answered = p_free + float(queue_seen @ p_answered_m)
    abandon = 1.0 - p_answered
    return ErlangAResult(
        p_wait=float(queue_seen.sum()),
        abandon_rate=abandon,
        service_level=p_free + float(queue_seen @ within),
        asa=float(queue_seen @ wait_answered_m) / p_answered,
        occupancy=lam * (1.0 - abandon) / mu / n,
    )


SMALL_CASES = [
    # n, offered load a, mean patience (s), threshold t (s)
    (1, 0.8, 60.0, 20.0),
    (3, 2.5, 120.0, 20.0),
    (5, 6.0, 90.0, 30.0),  # overloaded: abandonment keeps it stable
    (8, 7.0, 400.0, 0.0),
    (10, 10.0, 60.0, 20.0),
    (14, 10.0, 60.0, 20.0),
    (12, 20.0, 30.0, 10.0),  # heavily overloaded
    (10, 20.0, 3600.0, 20.0),  # long queue: only a window around its mode is kept
]


def test_window_case_really_drops_the_short_queues() -> None:
    assert _stationary(10, 20 * MU, MU, 1 / 3600).m0 > 0
    assert _stationary(14, 10 * MU, MU, 1 / 60).m0 == 0


@pytest.mark.parametrize(("n", "a", "patience", "t"), SMALL_CASES)
def test_matches_garnett_mandelbaum_reiman(n: int, a: float, patience: float, t: float) -> None:
    result = erlang_a(n, a * MU, MU, 1.0 / patience, t)
    p_wait, abandon = gmr_wait_and_abandon(n, a * MU, MU, 1.0 / patience)
    assert result.p_wait == pytest.approx(p_wait, rel=1e-10)
    assert result.abandon_rate == pytest.approx(abandon, rel=1e-10)


@pytest.mark.parametrize(("n", "a", "patience", "t"), SMALL_CASES)
def test_matches_brute_force_markov_chain(n: int, a: float, patience: float, t: float) -> None:
    result = erlang_a(n, a * MU, MU, 1.0 / patience, t)
    expected = brute_force(n, a * MU, MU, 1.0 / patience, t)
    assert result.p_wait == pytest.approx(expected.p_wait, rel=1e-8)
    assert result.abandon_rate == pytest.approx(expected.abandon_rate, rel=1e-8)
    assert result.service_level == pytest.approx(expected.service_level, rel=1e-8)
    assert result.asa == pytest.approx(expected.asa, rel=1e-8)
    assert result.occupancy == pytest.approx(expected.occupancy, rel=1e-8)


def test_example_figures_are_self_consistent() -> None:
    # The published Erlang C example (a = 10, 14 agents) with 60 s mean patience.
    lam, theta = 10 * MU, 1 / 60
    result = erlang_a(14, lam, MU, theta, 20)
    # Little's law on the served: carried load = n·occupancy = a·(1 - P(ab)).
    assert result.occupancy * 14 == pytest.approx(10 * (1 - result.abandon_rate), rel=1e-12)
    # Abandonment helps those who stay but the abandons count against the service level.
    c = erlang_c_metrics(14, 10.0, AHT, 20)
    assert result.p_wait < c.p_wait
    assert result.asa < c.asa
    assert result.service_level <= 1.0 - result.abandon_rate
    # Nobody waits at t = 0, and as t grows the service level tends to P(answered).
    assert erlang_a(14, lam, MU, theta, 0).service_level == pytest.approx(1 - result.p_wait)
    long_t = erlang_a(14, lam, MU, theta, 1e6).service_level
    assert long_t == pytest.approx(1 - result.abandon_rate, rel=1e-12)


# --- the Erlang C limit --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "a", "t"), [(14, 10.0, 20.0), (11, 10.0, 20.0), (3, 1.0, 5.0), (2000, 1900.0, 20.0)]
)
def test_theta_to_zero_is_erlang_c(n: int, a: float, t: float) -> None:
    c = erlang_c_metrics(n, a, AHT, t)
    result = erlang_a(n, a * MU, MU, 1e-9, t)
    # The gap is first order in theta (about theta times a few ASAs), not rounding noise.
    assert result.p_wait == pytest.approx(c.p_wait, abs=1e-5)
    assert result.service_level == pytest.approx(c.service_level, abs=1e-5)
    assert result.asa == pytest.approx(c.asa, rel=1e-5)
    assert result.occupancy == pytest.approx(c.occupancy, abs=1e-6)
    assert result.abandon_rate < 1e-6
    # theta = 0 exactly is Erlang C.
    exact = erlang_a(n, a * MU, MU, 0.0, t)
    assert exact == ErlangAResult(c.p_wait, 0.0, c.service_level, c.asa, c.occupancy)


@pytest.mark.parametrize(("n", "a"), [(14, 10.0), (11, 10.0)])
def test_theta_sequence_converges_linearly_to_erlang_c(n: int, a: float) -> None:
    # Each tenfold cut of theta cuts the gap to Erlang C tenfold, down to theta = 1e-11:
    # the limit is reached smoothly, with no floor of rounding error.
    c = erlang_c_metrics(n, a, AHT, 20)
    thetas = [1e-7, 1e-8, 1e-9, 1e-10, 1e-11]
    results = [erlang_a(n, a * MU, MU, theta, 20) for theta in thetas]
    for name in ("p_wait", "service_level", "asa"):
        gaps = [abs(getattr(r, name) - getattr(c, name)) for r in results]
        for bigger, smaller in itertools.pairwise(gaps):
            assert smaller == pytest.approx(bigger / 10, rel=0.01)


# --- monotonicity ----------------------------------------------------------------------------


def test_abandon_rate_rises_as_patience_falls() -> None:
    patiences = [1e5, 3600.0, 600.0, 180.0, 60.0, 20.0, 5.0, 1.0]
    rates = [erlang_a(14, 10 * MU, MU, 1 / p, 20).abandon_rate for p in patiences]
    assert all(later > earlier for earlier, later in itertools.pairwise(rates))


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=150),
    load=st.floats(min_value=0.05, max_value=2.0),
    patience=st.floats(min_value=1.0, max_value=3600.0),
    t=st.floats(min_value=0.0, max_value=120.0),
)
def test_service_level_monotone_in_n(n: int, load: float, patience: float, t: float) -> None:
    lam, theta = load * n * MU, 1.0 / patience
    here, there = erlang_a(n, lam, MU, theta, t), erlang_a(n + 1, lam, MU, theta, t)
    assert 0.0 <= here.service_level <= there.service_level + 1e-12
    assert there.abandon_rate <= here.abandon_rate + 1e-12
    assert there.p_wait <= here.p_wait + 1e-12


# --- large systems ---------------------------------------------------------------------------


def test_two_thousand_agents_at_95_percent_load() -> None:
    lam = 1900 * MU
    levels = []
    for n in (1900, 1950, 2000, 2050):
        result = erlang_a(n, lam, MU, 1 / 120, 20)
        for value in (result.p_wait, result.abandon_rate, result.service_level, result.occupancy):
            assert math.isfinite(value)
            assert 0.0 <= value <= 1.0
        assert math.isfinite(result.asa) and result.asa >= 0.0
        levels.append(result.service_level)
    assert levels == sorted(levels)
    at_2000 = erlang_a(2000, lam, MU, 1 / 120, 20)
    p_wait, abandon = gmr_wait_and_abandon(2000, lam, MU, 1 / 120)
    assert at_2000.p_wait == pytest.approx(p_wait, rel=1e-8)
    assert at_2000.abandon_rate == pytest.approx(abandon, rel=1e-8)


def test_heavy_overload_with_long_patience_matches_fluid_limit() -> None:
    # n = 1000 agents offered 2000 Erlangs with 10^6 s patience: the queue sits near
    # (lam - n·mu)/theta, half the callers abandon, and an answered caller waits about
    # ln(lam / (n·mu)) / theta (fluid approximation; error O(1/sqrt(lam/theta))).
    theta = 1e-6
    result = erlang_a(1000, 2000 * MU, MU, theta, 20)
    assert result.p_wait == pytest.approx(1.0)
    assert result.abandon_rate == pytest.approx(0.5, rel=1e-3)
    assert result.asa == pytest.approx(math.log(2.0) / theta, rel=1e-3)
    assert result.occupancy == pytest.approx(1.0, rel=1e-3)
    assert result.service_level < 1e-6
    p_wait, abandon = gmr_wait_and_abandon(1000, 2000 * MU, MU, theta)
    assert result.p_wait == pytest.approx(p_wait, rel=1e-12)
    assert result.abandon_rate == pytest.approx(abandon, rel=1e-9)


def test_no_calls() -> None:
    assert erlang_a(5, 0.0, MU, 1 / 60, 20) == ErlangAResult(0.0, 0.0, 1.0, 0.0, 0.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 0}, "n must be an integer >= 1, got 0"),
        ({"lam": -1.0}, "lam must be >= 0 calls per second, got -1"),
        ({"mu": 0.0}, "mu must be > 0 per second, got 0"),
        ({"theta": -0.1}, "theta must be >= 0 per second, got -0.1"),
        ({"t": -2.0}, "t must be >= 0 seconds, got -2"),
    ],
)
def test_invalid_arguments_name_the_parameter(kwargs: dict[str, float], message: str) -> None:
    args: dict[str, float] = {"n": 5, "lam": 0.1, "mu": MU, "theta": 0.01, "t": 20.0}
    args.update(kwargs)
    with pytest.raises(ValueError, match=re.escape(message)):
        erlang_a(int(args["n"]), args["lam"], args["mu"], args["theta"], args["t"])
