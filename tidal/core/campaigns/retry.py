"""Retry and recycle rules: when a lead is dialled again, on which number, and when never.

A retry disposition schedules the next attempt after its delay; the caps then decide
whether one may be made at all: attempts of the lead (lifetime and per day) and of each
number (lifetime and per day). A lead past a daily cap waits for the next day; past a
lifetime cap on every number it is done.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from tidal.core.campaigns.lifecycle import CampaignLead

DAY: Final = 86400.0


@dataclass(frozen=True, slots=True)
class RetryRules:
    """The caps of a campaign; the delays per outcome live on its dispositions."""

    max_attempts: int = 3  # per lead, lifetime
    max_attempts_per_day: int | None = None  # per lead
    number_daily_cap: int | None = None  # dials of one number per day
    number_lifetime_cap: int | None = None  # dials of one number ever

    def __post_init__(self) -> None:
        for name in ("max_attempts", "max_attempts_per_day", "number_daily_cap"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"RetryRules.{name} must be >= 1 (got {value})")
        if self.number_lifetime_cap is not None and self.number_lifetime_cap < 1:
            raise ValueError(
                f"RetryRules.number_lifetime_cap must be >= 1 (got {self.number_lifetime_cap})"
            )

    def exhausted(self, lead: CampaignLead) -> bool:
        """No attempt may ever be made again: lead attempts used up, or no number left."""
        if lead.attempts >= self.max_attempts:
            return True
        return all(not self._number_usable_ever(lead, n) for n in lead.numbers)

    def _number_usable_ever(self, lead: CampaignLead, number: str) -> bool:
        if number in lead.dead_numbers:
            return False
        cap = self.number_lifetime_cap
        return cap is None or lead.number_attempts.get(number, 0) < cap

    def dialable_number(self, lead: CampaignLead, day: int) -> str | None:
        """The number an attempt on `day` may use (the lead's current one first), or None."""
        if self.exhausted(lead):
            return None
        per_day = self.max_attempts_per_day
        if per_day is not None and lead.day_attempts.get(day, 0) >= per_day:
            return None
        count = len(lead.numbers)
        for offset in range(count):
            index = (lead.number_index + offset) % count
            number = lead.numbers[index]
            if not self._number_usable_ever(lead, number):
                continue
            daily = self.number_daily_cap
            if daily is not None and lead.number_day_attempts.get((number, day), 0) >= daily:
                continue
            lead.number_index = index
            return number
        return None

    def next_day_start(self, now: float, day_offset: float = 0.0) -> float:
        """The first second of the day after the one holding `now`.

        `day_offset` is where day 0 starts relative to second 0 (a run starting at 08:00
        has its first midnight 16 hours in: offset -8 h).
        """
        return ((now - day_offset) // DAY + 1) * DAY + day_offset
