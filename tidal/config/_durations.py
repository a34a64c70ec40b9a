"""Durations as users write them ("30s", "5m", "8h", "1h30m", "7d" or plain seconds), as seconds."""

from __future__ import annotations

import math
import re
from typing import Annotated

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from tidal.config._errors import show_value

_UNIT_SECONDS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}
_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?"
_DURATION_TEXT = re.compile(
    rf"(?:(?P<d>{_NUMBER})\s*d)?\s*(?:(?P<h>{_NUMBER})\s*h)?\s*(?:(?P<m>{_NUMBER})\s*m)?\s*(?:(?P<s>{_NUMBER})\s*s)?",
    re.IGNORECASE,
)
_PLAIN_SECONDS = re.compile(_NUMBER, re.IGNORECASE)
DURATION_HINT = "use seconds or a string like 30s, 5m, 8h, 7d"


class DurationError(ValueError):
    """A value that cannot be read as a duration; the message says what is accepted."""


def parse_duration(value: object) -> float:
    """Seconds in a duration written as a number or a string such as "90", "30s", "1h30m", "7d"."""
    if isinstance(value, bool):
        raise DurationError(f"{show_value(value)} is not a duration ({DURATION_HINT})")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        seconds = _parse_text(value)
    else:
        raise DurationError(f"{show_value(value)} is not a duration ({DURATION_HINT})")
    if not math.isfinite(seconds):
        raise DurationError(f"{show_value(value)} is not a duration ({DURATION_HINT})")
    if seconds < 0:
        raise DurationError(f"duration must be >= 0 (got {show_value(value)})")
    return seconds


def _parse_text(value: str) -> float:
    text = value.strip()
    if _PLAIN_SECONDS.fullmatch(text):
        return float(text)
    match = _DURATION_TEXT.fullmatch(text)
    if text and match is not None:
        return sum(
            float(amount) * _UNIT_SECONDS[unit]
            for unit, amount in match.groupdict().items()
            if amount is not None
        )
    raise DurationError(f"{show_value(value)} is not a duration ({DURATION_HINT})")


def _validate_duration(value: object) -> float:
    try:
        return parse_duration(value)
    except DurationError as error:
        raise PydanticCustomError("duration", "{reason}", {"reason": str(error)}) from None


Duration = Annotated[float, BeforeValidator(_validate_duration)]
"""Seconds, read from a number or a string like "30s", "5m", "8h" or "1h30m"."""
