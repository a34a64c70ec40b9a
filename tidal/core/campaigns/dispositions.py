"""Dispositions: how a call to a lead ended, and what that means for the lead.

Every campaign starts from the system defaults below and may override or add its own
(a campaign's "sale" may be worded differently, or "no sale" may be retried in a
month). The flags, not the codes, drive the lead's lifecycle: a final disposition
closes the lead, a retry one schedules another attempt after its delay, a callback
one books a callback, and a DNC request writes the internal Do-Not-Call list at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Final

from tidal.core.errors import CoreError

SALE: Final = "sale"
NO_SALE: Final = "no_sale"
CALLBACK: Final = "callback"
DO_NOT_CALL: Final = "dnc"
WRONG_NUMBER: Final = "wrong_number"
ANSWERING_MACHINE: Final = "answering_machine"
BUSY: Final = "busy"
NO_ANSWER: Final = "no_answer"
DROPPED: Final = "dropped"


class UnknownDisposition(CoreError):
    """A disposition code that neither the system nor the campaign defines."""


class BooksNoCallback(CoreError):
    """A callback time came with a campaign disposition that books no callback."""


@dataclass(frozen=True, slots=True)
class Disposition:
    """One disposition code and the flags that decide what happens to the lead."""

    code: str
    final: bool  # True: the lead (or, for wrong_number, the number) is done
    human_contact: bool = False
    sale: bool = False
    dnc_request: bool = False
    callback: bool = False
    retry_after: float | None = None  # seconds before the next attempt, when not final

    def __post_init__(self) -> None:
        if self.final and self.retry_after is not None:
            raise ValueError(f"disposition {self.code!r}: a final disposition has no retry delay")
        if not self.final and not self.callback and self.retry_after is None:
            raise ValueError(f"disposition {self.code!r}: a retry disposition needs retry_after")
        if self.retry_after is not None and self.retry_after < 0:
            raise ValueError(f"disposition {self.code!r}: retry_after must be >= 0")


SYSTEM_DISPOSITIONS: Final[Mapping[str, Disposition]] = {
    d.code: d
    for d in (
        Disposition(SALE, final=True, human_contact=True, sale=True),
        Disposition(NO_SALE, final=True, human_contact=True),
        Disposition(CALLBACK, final=False, human_contact=True, callback=True),
        Disposition(DO_NOT_CALL, final=True, human_contact=True, dnc_request=True),
        Disposition(WRONG_NUMBER, final=True),
        Disposition(ANSWERING_MACHINE, final=False, retry_after=7200.0),
        Disposition(BUSY, final=False, retry_after=600.0),
        Disposition(NO_ANSWER, final=False, retry_after=3600.0),
        Disposition(DROPPED, final=False, human_contact=True, retry_after=3600.0),
    )
}


class Dispositions:
    """A campaign's dispositions: the system defaults with the campaign's overrides."""

    __slots__ = ("_by_code",)

    def __init__(self, overrides: Iterable[Disposition] = ()) -> None:
        self._by_code: dict[str, Disposition] = dict(SYSTEM_DISPOSITIONS)
        for disposition in overrides:
            self._by_code[disposition.code] = disposition

    def __getitem__(self, code: str) -> Disposition:
        found = self._by_code.get(code)
        if found is None:
            known = ", ".join(sorted(self._by_code))
            raise UnknownDisposition(f"unknown disposition {code!r} (known: {known})")
        return found

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[Disposition]:
        return iter(self._by_code.values())

    def with_retry_delays(self, delays: Mapping[str, float]) -> Dispositions:
        """The same set with other retry delays for some retry dispositions."""
        changed = [
            Disposition(
                d.code, d.final, d.human_contact, d.sale, d.dnc_request, d.callback, delays[d.code]
            )
            for d in self._by_code.values()
            if d.code in delays and not d.final and not d.callback
        ]
        result = Dispositions()
        result._by_code = dict(self._by_code)
        for disposition in changed:
            result._by_code[disposition.code] = disposition
        return result
