"""Argument checks shared by the formulas, with messages that name the parameter."""

from __future__ import annotations

import math
import operator


def agents(name: str, value: int, minimum: int = 0) -> int:
    """Return `value` as an int, or raise ValueError if it is not a whole count >= `minimum`."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    try:
        count = operator.index(value)
    except TypeError:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}") from None
    if count < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {count}")
    return count


def real(name: str, value: float, rule: str) -> float:
    """Return `value` as a float, or raise ValueError (quoting `rule`) if it is not a number."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be {rule}, got {value!r}")
    try:
        result = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be {rule}, got {value!r}") from None
    if math.isnan(result):
        raise ValueError(f"{name} must be {rule}, got nan")
    return result


def non_negative(name: str, value: float, unit: str = "", finite: bool = True) -> float:
    """Return `value` as a float, or raise ValueError unless it is >= 0 (and finite if asked)."""
    result = real(name, value, f">= 0{unit}")
    if result < 0 or (finite and math.isinf(result)):
        raise ValueError(f"{name} must be >= 0{unit}, got {result:g}")
    return result


def positive(name: str, value: float, unit: str = "", finite: bool = True) -> float:
    """Return `value` as a float, or raise ValueError unless it is > 0 (and finite if asked)."""
    result = real(name, value, f"> 0{unit}")
    if result <= 0 or (finite and math.isinf(result)):
        raise ValueError(f"{name} must be > 0{unit}, got {result:g}")
    return result
