"""The lead browser's work: leads by their state in the running dialer, searched by
number, and a recycle that leaves numbers on Do-Not-Call lists out.

The store keeps each lead as uploaded (state `new`); where a lead is now in its life
(dialing, callback, done) only the running dialer knows, so its state is read there.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from tidal.api._common import unprocessable
from tidal.core.compliance import Compliance, Reason
from tidal.store import Lead, Store, every_page

PAGE = 1000
# A number on a list blocks a recycle; a stale registry does not (the dial gate waits
# for the refresh, and the lead is recycled for then).
LISTED: frozenset[Reason] = frozenset({Reason.INTERNAL, Reason.REGISTRY, Reason.INVALID})


@dataclass(frozen=True, slots=True)
class Found:
    """A stored lead and its state now."""

    lead: Lead
    state: str


def digits(text: str) -> str:
    """The digits of a number as typed ("(212) 555-01" -> "21255501")."""
    return "".join(ch for ch in text if ch.isdigit())


def search_digits(search: str | None) -> str:
    """The digits a `?number=` search holds ("" for none given); 422 naming `number`
    when it was given but holds no digit."""
    if search is None or not search.strip():
        return ""
    found = digits(search)
    if not found:
        raise unprocessable(["query", "number"], f"{search!r} holds no digit to search for")
    return found


def leads_now(store: Store, campaign: str, states: Mapping[int, str] | None) -> Iterator[Found]:
    """Every stored lead of the campaign in upload order, with its state in the dialer
    (a lead the dialer does not hold yet is new)."""
    known = states or {}
    for lead in every_page(
        lambda limit, offset: store.leads.list(campaign, limit=limit, offset=offset), PAGE
    ):
        yield Found(lead, known.get(lead.id, lead.state))


def matches(found: Found, states: Collection[str], number: str) -> bool:
    """Whether a lead is in one of `states` (any when empty) and holds `number`'s digits."""
    if states and found.state not in states:
        return False
    return not number or any(number in digits(n) for n in found.lead.numbers)


def on_a_list(gate: Compliance, lead: Lead, campaign: str, now: datetime) -> bool:
    """Every number of the lead is on a Do-Not-Call list (or no number at all)."""
    for number in lead.numbers:
        decision = gate.check_number(number, now, campaign)
        if not LISTED.intersection(decision.reasons):
            return False
    return True
