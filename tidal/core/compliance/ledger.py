"""The abandonment ledger: abandoned and human-answered calls per campaign per day.

The TSR safe harbour (16 CFR 310.4(b)(4)(i)) caps abandoned calls at 3% of calls
answered by a person, measured per campaign over a 30-day period. The ledger keeps
daily counts so the rolling rate is exact, and tells the pacer when one more
abandonment would break the cap: then only modes that cannot abandon may dial.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Final

WINDOW_DAYS: Final = 30


class AbandonLedger:
    """Daily abandoned / human-answered counts per campaign."""

    __slots__ = ("_days",)

    def __init__(self) -> None:
        self._days: dict[str, dict[date, list[int]]] = defaultdict(dict)

    def record(
        self, campaign: str, day: date, *, human_answered: int = 0, abandoned: int = 0
    ) -> None:
        """Count calls of one day. An abandoned call was also answered by a person."""
        if human_answered < 0 or abandoned < 0:
            raise ValueError("counts must be >= 0")
        counts = self._days[campaign].setdefault(day, [0, 0])
        counts[0] += abandoned
        counts[1] += human_answered

    def totals(self, campaign: str, today: date) -> tuple[int, int]:
        """(abandoned, human answered) over the 30 days ending with `today`."""
        days = self._days.get(campaign, {})
        first = today - timedelta(days=WINDOW_DAYS - 1)
        abandoned = answered = 0
        for day, (a, h) in days.items():
            if first <= day <= today:
                abandoned += a
                answered += h
        return abandoned, answered

    def rate(self, campaign: str, today: date) -> float:
        """Rolling 30-day abandonment rate: abandoned / human answered (0 with no calls)."""
        abandoned, answered = self.totals(campaign, today)
        return abandoned / answered if answered else 0.0

    def headroom(self, campaign: str, today: date, cap: float) -> int:
        """How many more abandonments the cap allows, if every one is a new answered call."""
        abandoned, answered = self.totals(campaign, today)
        # largest k with (abandoned + k) / (answered + k) <= cap
        if cap >= 1.0:
            return 10**9
        k = (cap * answered - abandoned) / (1.0 - cap)
        return max(0, int(k + 1e-9))

    def would_exceed(self, campaign: str, today: date, cap: float) -> bool:
        """Whether one more abandoned call would put the 30-day rate over `cap`."""
        return self.headroom(campaign, today, cap) < 1
