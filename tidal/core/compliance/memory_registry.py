"""A registry held in a Python set: for the simulator's synthetic leads and for tests.

The production registry is `tidal.dnc.Registry` (memory-mapped bitmaps); both answer
the gate's two questions the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from tidal.core.compliance.numbers import area_code


class MemoryRegistry:
    """Registered numbers and per-area-code refresh times, in memory."""

    __slots__ = ("_numbers", "_refreshed", "_refreshed_all")

    def __init__(
        self,
        numbers: Iterable[int] = (),
        *,
        refreshed_at: datetime | Mapping[int, datetime] | None = None,
    ) -> None:
        self._numbers = set(numbers)
        self._refreshed: dict[int, datetime] = {}
        self._refreshed_all: datetime | None = None
        if isinstance(refreshed_at, datetime):
            self._refreshed_all = refreshed_at
        elif refreshed_at is not None:
            self._refreshed = dict(refreshed_at)

    def contains(self, number: int) -> bool:
        """Whether the number is registered."""
        return number in self._numbers

    def refreshed_at(self, area_code: int) -> datetime | None:
        """When the area code was last loaded in full."""
        return self._refreshed.get(area_code, self._refreshed_all)

    def add(self, number: int) -> None:
        """Register a number (a change list's add)."""
        self._numbers.add(number)

    def area_codes(self) -> list[int]:
        """Area codes with at least one registered number."""
        return sorted({area_code(n) for n in self._numbers})
