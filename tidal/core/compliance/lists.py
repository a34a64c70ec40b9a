"""Internal Do-Not-Call lists, opt-outs, consent and established business relationships.

The rules (16 CFR 310.4(b)(1)(iii), 47 CFR 64.1200(c)(2), (f)(5)):
- An opt-out ("don't call me again"), however it is taken, puts the number on the
  seller's internal list at once; it overrides any consent or business relationship.
- Express written consent makes a registry number callable until it is revoked.
- An established business relationship does too: for 18 months after the last
  purchase or transaction, for 3 months after an inquiry or application.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final


class ConsentKind(StrEnum):
    """Why a number may be called although it is on the national registry."""

    WRITTEN = "written"  # express written consent: until revoked
    PURCHASE = "purchase"  # EBR after a purchase or transaction: 18 months
    INQUIRY = "inquiry"  # EBR after an inquiry or application: 3 months


EBR_MONTHS: Final[dict[ConsentKind, int]] = {ConsentKind.PURCHASE: 18, ConsentKind.INQUIRY: 3}


def add_months(moment: datetime, months: int) -> datetime:
    """Same day and time `months` later, clamped to the month's end (Aug 31 + 6 -> Feb 28)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


@dataclass(frozen=True, slots=True)
class Consent:
    """A reason on file to call a number: written consent or a business relationship."""

    number: int
    kind: ConsentKind
    source: str
    granted_at: datetime

    def expires_at(self) -> datetime | None:
        """When the ground lapses; None for written consent (until revoked)."""
        months = EBR_MONTHS.get(self.kind)
        return None if months is None else add_months(self.granted_at, months)

    def valid_at(self, now: datetime) -> bool:
        """Whether the ground holds at `now` (it starts when it was granted)."""
        if now < self.granted_at:
            return False
        expiry = self.expires_at()
        return expiry is None or now < expiry

    @property
    def ground(self) -> str:
        """The word the gate gives: `consent` or `ebr`."""
        return "consent" if self.kind is ConsentKind.WRITTEN else "ebr"


@dataclass(frozen=True, slots=True)
class DncEntry:
    """A number on an internal list: company-wide (campaign None) or one campaign's."""

    number: int
    campaign: str | None
    source: str
    added_at: datetime


class ComplianceLists:
    """The seller's own lists, in memory; a runtime loads them from its store."""

    __slots__ = ("_consents", "_internal")

    def __init__(self) -> None:
        self._internal: dict[tuple[int, str | None], DncEntry] = {}
        self._consents: dict[int, list[Consent]] = {}

    # -- internal DNC ------------------------------------------------------------------

    def add_internal(self, entry: DncEntry) -> None:
        """Put a number on the company-wide or a campaign's internal list."""
        self._internal[(entry.number, entry.campaign)] = entry

    def remove_internal(self, number: int, campaign: str | None) -> bool:
        """Take a number off a list; False if it was not there."""
        return self._internal.pop((number, campaign), None) is not None

    def internal_entry(self, number: int, campaign: str | None) -> DncEntry | None:
        """The entry that blocks `number` for `campaign` (company-wide first), if any."""
        entry = self._internal.get((number, None))
        if entry is None and campaign is not None:
            entry = self._internal.get((number, campaign))
        return entry

    def internal_numbers(self, campaign: str | None = None) -> list[int]:
        """Numbers blocked company-wide, plus those of `campaign`'s list."""
        return sorted({n for (n, c) in self._internal if c is None or c == campaign})

    def internal_entries(self) -> list[DncEntry]:
        """Every internal-list entry, by number then campaign (company-wide first)."""
        return sorted(self._internal.values(), key=lambda e: (e.number, e.campaign or ""))

    # -- consent and EBR ---------------------------------------------------------------

    def grant(self, consent: Consent) -> None:
        """Record written consent or a business relationship."""
        self._consents.setdefault(consent.number, []).append(consent)

    def revoke(self, number: int) -> int:
        """Revoke every consent and relationship of a number; returns how many."""
        return len(self._consents.pop(number, []))

    def grounds(self, number: int, now: datetime) -> tuple[str, ...]:
        """Why a registry number may be called at `now`: `consent`, `ebr`, or nothing."""
        consents = self._consents.get(number)
        if not consents:
            return ()
        found = {c.ground for c in consents if c.valid_at(now)}
        return tuple(g for g in ("consent", "ebr") if g in found)

    def consents(self) -> list[Consent]:
        """Every consent and relationship on file, by number then when it was given."""
        return sorted(
            (c for cs in self._consents.values() for c in cs),
            key=lambda c: (c.number, c.granted_at),
        )

    def exempt_numbers(self, now: datetime) -> list[int]:
        """Numbers with a valid consent or relationship at `now` (for batch scrubbing)."""
        return sorted(n for n, cs in self._consents.items() if any(c.valid_at(now) for c in cs))
