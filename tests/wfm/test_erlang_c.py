"""Erlang B and Erlang C against published values and an exact rational computation."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from tidal.wfm import (
    ErlangCResult,
    erlang_b,
    erlang_c_asa,
    erlang_c_metrics,
    erlang_c_service_level,
    erlang_c_wait_probability,
    occupancy,
)


def exact_b(n: int, a: Fraction) -> Fraction:
    """Erlang B by the textbook formula (a^n/n!) / sum_k a^k/k!, in exact rationals."""
    terms = [a**k / math.factorial(k) for k in range(n + 1)]
    return terms[-1] / sum(terms)


def exact_c(n: int, a: Fraction) -> Fraction:
    """Erlang C by the textbook formula, in exact rationals (requires a < n)."""
    queue = a**n / math.factorial(n) * Fraction(n) / (n - a)
    return queue / (sum(a**k / math.factorial(k) for k in range(n)) + queue)


# --- Erlang B ---------------------------------------------------------------------------


def test_erlang_b_table_values() -> None:
    # Erlang B table values (e.g. any teletraffic Erlang B table: 10 lines offered 5 E block
    # 1.838 %, 5 lines offered 2 E block 3.670 %), confirmed by the exact formula below.
    assert erlang_b(10, 5) == pytest.approx(0.01838, abs=5e-6)
    assert erlang_b(5, 2) == pytest.approx(0.03670, abs=5e-6)
    assert float(exact_b(10, Fraction(5))) == pytest.approx(0.01838, abs=5e-6)
    assert float(exact_b(5, Fraction(2))) == pytest.approx(0.03670, abs=5e-6)
    # B(5, 2) is exactly (32/120) / (1 + 2 + 2 + 4/3 + 2/3 + 4/15) = 4/109.
    assert exact_b(5, Fraction(2)) == Fraction(4, 109)
    assert erlang_b(5, 2) == pytest.approx(4 / 109, rel=1e-14)


@pytest.mark.parametrize("n", [0, 1, 2, 7, 15, 30])
@pytest.mark.parametrize("a", [Fraction(0), Fraction(1, 3), Fraction(5), Fraction(47, 2)])
def test_erlang_b_matches_exact_formula(n: int, a: Fraction) -> None:
    assert erlang_b(n, float(a)) == pytest.approx(float(exact_b(n, a)), rel=1e-12, abs=1e-300)


def test_erlang_b_large_n_matches_poisson_ratio() -> None:
    # B(n, a) = P(Poisson(a) = n) / P(Poisson(a) <= n), evaluated by scipy in log space.
    for n, a in [(2000, 1900.0), (2000, 2100.0), (500, 20.0)]:
        expected = stats.poisson.pmf(n, a) / stats.poisson.cdf(n, a)
        assert erlang_b(n, a) == pytest.approx(expected, rel=1e-9)


# --- Erlang C: the published worked example ----------------------------------------------


def test_published_worked_example_14_agents() -> None:
    # The widely reproduced worked example of callcentrehelper.com, "Erlang C Formula - Made
    # Simple" (also the pyworkforce documentation example): 100 calls in 30 minutes, AHT
    # 180 s -> a = 10 Erlangs; 80 % in 20 s needs 14 agents, where P(wait) = 17.41 %,
    # service level = 88.84 % and ASA = 7.84 s; 11 agents give a service level of 38.96 %.
    a = 100 / 1800 * 180
    assert a == pytest.approx(10.0)
    assert erlang_c_wait_probability(14, a) == pytest.approx(0.1741, abs=5e-5)
    assert erlang_c_service_level(14, a, 180, 20) == pytest.approx(0.8884, abs=5e-5)
    assert erlang_c_asa(14, a, 180) == pytest.approx(7.84, abs=5e-3)
    assert occupancy(14, a) == pytest.approx(10 / 14)
    assert erlang_c_service_level(11, a, 180, 20) == pytest.approx(0.3896, abs=5e-5)
    assert erlang_c_service_level(13, a, 180, 20) < 0.8 <= erlang_c_service_level(14, a, 180, 20)


def test_metrics_bundle_matches_single_functions() -> None:
    result = erlang_c_metrics(14, 10.0, 180, 20)
    assert isinstance(result, ErlangCResult)
    assert result.p_wait == erlang_c_wait_probability(14, 10.0)
    assert result.service_level == erlang_c_service_level(14, 10.0, 180, 20)
    assert result.asa == erlang_c_asa(14, 10.0, 180)
    assert result.occupancy == occupancy(14, 10.0)


STABLE_CASES = [
    (n, a)
    for n in (1, 2, 5, 11, 14, 25)
    for a in (Fraction(1, 2), Fraction(3, 4), Fraction(10))
    if a < n
]


@pytest.mark.parametrize(("n", "a"), STABLE_CASES)
def test_erlang_c_matches_exact_formula(n: int, a: Fraction) -> None:
    c = exact_c(n, a)
    assert erlang_c_wait_probability(n, float(a)) == pytest.approx(float(c), rel=1e-12)
    asa = float(c * 180 / (n - a))
    assert erlang_c_asa(n, float(a), 180) == pytest.approx(asa, rel=1e-12)
    sl = 1 - float(c) * math.exp(-float(n - a) * 20 / 180)
    assert erlang_c_service_level(n, float(a), 180, 20) == pytest.approx(sl, rel=1e-12)


def test_unstable_and_empty_conventions() -> None:
    assert erlang_c_wait_probability(10, 10.0) == 1.0
    assert erlang_c_wait_probability(10, 12.5) == 1.0
    assert erlang_c_service_level(10, 12.5, 180, 20) == 0.0
    assert erlang_c_asa(10, 10.0, 180) == math.inf
    assert occupancy(10, 12.5) == 1.0
    assert erlang_c_wait_probability(0, 0.0) == 1.0
    assert occupancy(0, 0.0) == 0.0
    assert erlang_c_wait_probability(3, 0.0) == 0.0
    assert erlang_c_service_level(3, 0.0, 180, 20) == 1.0
    assert erlang_c_asa(3, 0.0, 180) == 0.0
    # Threshold 0: the service level is the share answered without waiting.
    assert erlang_c_service_level(14, 10.0, 180, 0) == pytest.approx(1 - 0.17413193, abs=1e-8)


# --- stability at 2,000 agents --------------------------------------------------------------


def test_two_thousand_agents_are_finite_and_sane() -> None:
    result = erlang_c_metrics(2000, 1900.0, 180, 20)
    for value in (result.p_wait, result.service_level, result.occupancy):
        assert math.isfinite(value)
        assert 0.0 <= value <= 1.0
    assert math.isfinite(result.asa) and result.asa >= 0.0
    assert result.occupancy == pytest.approx(0.95)
    # C by scipy's log-space Poisson terms: C = n·B / (n - a(1 - B)).
    b = stats.poisson.pmf(2000, 1900.0) / stats.poisson.cdf(2000, 1900.0)
    assert result.p_wait == pytest.approx(2000 * b / (2000 - 1900 * (1 - b)), rel=1e-9)


def test_service_level_monotone_in_n_near_two_thousand() -> None:
    levels = [erlang_c_service_level(n, 1900.0, 180, 20) for n in range(1895, 2101)]
    assert levels[:6] == [0.0] * 6  # n <= a
    assert all(later >= earlier for earlier, later in itertools.pairwise(levels))
    assert levels[-1] == pytest.approx(1.0, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=300),
    load=st.floats(min_value=0.01, max_value=0.999),
    aht=st.floats(min_value=10.0, max_value=1200.0),
    t=st.floats(min_value=0.0, max_value=120.0),
)
def test_more_agents_never_hurt(n: int, load: float, aht: float, t: float) -> None:
    a = load * n
    assert erlang_c_wait_probability(n + 1, a) <= erlang_c_wait_probability(n, a) + 1e-15
    sl, sl_next = erlang_c_service_level(n, a, aht, t), erlang_c_service_level(n + 1, a, aht, t)
    assert 0.0 <= sl <= sl_next + 1e-15 <= 1.0 + 1e-15
    assert erlang_c_asa(n + 1, a, aht) <= erlang_c_asa(n, a, aht) * (1 + 1e-12)


# --- argument checks -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: erlang_b(-1, 1.0), "n must be an integer >= 0, got -1"),
        (lambda: erlang_b(2.5, 1.0), "n must be an integer >= 0, got 2.5"),  # type: ignore[arg-type]
        (lambda: erlang_b(True, 1.0), "n must be an integer"),
        (lambda: erlang_b(3, -1.0), "a must be >= 0 Erlangs, got -1"),
        (lambda: erlang_b(3, math.nan), "a must be >= 0 Erlangs, got nan"),
        (lambda: erlang_c_wait_probability(3, math.inf), "a must be >= 0 Erlangs, got inf"),
        (lambda: erlang_c_service_level(3, 1.0, 0, 20), "aht must be > 0 seconds, got 0"),
        (lambda: erlang_c_service_level(3, 1.0, 180, -1), "t must be >= 0 seconds, got -1"),
        (lambda: erlang_c_asa(3, 1.0, -5.0), "aht must be > 0 seconds, got -5"),
        (lambda: erlang_c_metrics(3, 1.0, 180, math.nan), "t must be >= 0 seconds, got nan"),
        (lambda: occupancy(-2, 1.0), "n must be an integer >= 0, got -2"),
    ],
)
def test_invalid_arguments_name_the_parameter(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        call()
