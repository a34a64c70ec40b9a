"""The dialer's running counters as each hour began, so a report can take a period's.

The dialer keeps only totals since the log began (`Dialer.counts`); the interaction
records hold only the dials a person answered. A campaign report over a period needs
its dials, answers and conversions in that period: the difference of the totals at its
two ends. The history is derived from the event log (replay rebuilds it), never stored.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable, Mapping

Totals = dict[str, dict[str, int]]  # campaign -> counter -> total since the log began

HOUR = 3600.0


class CounterHistory:
    """Campaign counter totals at the start of every hour in which an event came."""

    def __init__(self, step: float = HOUR) -> None:
        self.step = step
        self._starts: list[float] = []  # ascending hour starts
        self._totals: list[Totals] = []
        self._last = -math.inf

    def _floor(self, moment: float) -> float:
        return math.floor(moment / self.step) * self.step

    def observe(self, now: float, totals: Callable[[], Totals]) -> None:
        """Before the event at `now` is decided: the first event of an hour notes the
        totals, which are those as the hour began (no event came in between)."""
        hour = self._floor(now)
        if hour > self._last:
            self._last = hour
            self._starts.append(hour)
            self._totals.append(totals())

    def at(self, moment: float, totals: Callable[[], Totals]) -> Totals:
        """The totals at `moment`, taken at the start of its hour.

        The first note at or after that hour holds them (nothing changed between);
        without one no event came since, so the totals now are those.
        """
        index = bisect_left(self._starts, self._floor(moment))
        return self._totals[index] if index < len(self._starts) else totals()

    def between(self, start: float, end: float, totals: Callable[[], Totals]) -> Totals:
        """Each campaign's counters over [start, end), both ends taken to the hour."""
        first = self.at(start, totals) if start > -math.inf else {}
        last = totals() if end == math.inf else self.at(end, totals)
        return {name: _minus(counts, first.get(name, {})) for name, counts in last.items()}


def _minus(later: Mapping[str, int], earlier: Mapping[str, int]) -> dict[str, int]:
    return {key: value - earlier.get(key, 0) for key, value in later.items()}
