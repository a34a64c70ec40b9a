"""Durations: what users may write for a time, and the messages for what they may not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidal.config import DurationError, parse_duration

UNIT_SECONDS = {"s": 1.0, "m": 60.0, "h": 3600.0}


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        (0, 0.0),
        (90, 90.0),
        (2.5, 2.5),
        ("90", 90.0),
        ("30s", 30.0),
        ("5m", 300.0),
        ("8h", 28800.0),
        ("2.5h", 9000.0),
        ("1h30m", 5400.0),
        ("7d", 604800.0),
        ("1d12h", 129600.0),
        ("1h 30m 15s", 5415.0),
        (" 45s ", 45.0),
    ],
)
def test_accepted_forms(written: object, seconds: float) -> None:
    assert parse_duration(written) == seconds


@pytest.mark.parametrize(
    "written", ["8 hours", "", "h", "1h30", "30m1h", "1h2d", "-5", "inf", "1e400"]
)
def test_rejected_text_says_what_is_accepted(written: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(written)
    assert str(caught.value) == (
        f"{written!r} is not a duration (use seconds or a string like 30s, 5m, 8h, 7d)"
    )


@pytest.mark.parametrize("written", [True, None, [30], float("nan"), float("inf")])
def test_rejected_values(written: object) -> None:
    with pytest.raises(DurationError, match="is not a duration"):
        parse_duration(written)


def test_negative_number_is_rejected() -> None:
    with pytest.raises(DurationError, match=r"must be >= 0 \(got -1\)"):
        parse_duration(-1)


def test_duration_error_is_a_value_error() -> None:
    assert issubclass(DurationError, ValueError)


finite_seconds = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)


@given(finite_seconds)
def test_numbers_round_trip(seconds: float) -> None:
    assert parse_duration(seconds) == seconds
    assert parse_duration(repr(seconds)) == seconds


@given(st.integers(min_value=0, max_value=10**9))
def test_integers_round_trip(seconds: int) -> None:
    assert parse_duration(seconds) == seconds
    assert parse_duration(str(seconds)) == seconds


@given(finite_seconds, st.sampled_from(sorted(UNIT_SECONDS)))
def test_unit_strings_round_trip(amount: float, unit: str) -> None:
    assert parse_duration(f"{amount!r}{unit}") == amount * UNIT_SECONDS[unit]


@given(
    st.integers(min_value=0, max_value=1000),
    st.integers(min_value=0, max_value=59),
    st.integers(min_value=0, max_value=59),
)
def test_compound_strings_add_up(hours: int, minutes: int, seconds: int) -> None:
    assert parse_duration(f"{hours}h{minutes}m{seconds}s") == hours * 3600 + minutes * 60 + seconds
