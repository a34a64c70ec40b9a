"""Inbound KPIs per queue, as CONTRACTS section 4 defines them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tidal.core import Direction, InteractionRecord, Outcome


@dataclass(frozen=True, slots=True)
class QueueKPIs:
    """Figures of one queue over the contacts that entered it."""

    offered: int
    answered: int
    abandoned: int
    answered_within_threshold: int
    service_level: float
    asa: float
    abandon_rate: float
    aht: float
    max_wait: float
    handled: int = 0  # answered contacts whose wrap-up is done (what `aht` is over)

    def as_json(self) -> dict[str, int | float]:
        """The queue object of `tidal simulate --json`, keys in contract order."""
        return {
            "offered": self.offered,
            "answered": self.answered,
            "abandoned": self.abandoned,
            "answered_within_threshold": self.answered_within_threshold,
            "service_level": self.service_level,
            "asa": self.asa,
            "abandon_rate": self.abandon_rate,
            "aht": self.aht,
            "max_wait": self.max_wait,
        }


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def inbound_by_queue(
    records: Iterable[InteractionRecord], start: float, end: float = float("inf")
) -> dict[str, list[InteractionRecord]]:
    """The inbound contacts that arrived in [start, end), per queue: what a queue's figures
    for a period are computed over, live (wallboard) and in reports alike.

    `records` holds the ended contacts and those still in the center (waiting, ringing,
    talking or in wrap-up, as `Center.open_interactions` gives them): a caller on hold
    counts as offered with the wait so far, one talking as answered (CONTRACTS §4).
    """
    by_queue: dict[str, list[InteractionRecord]] = {}
    for record in records:
        if record.direction is Direction.INBOUND and start <= record.arrived_at < end:
            by_queue.setdefault(record.queue, []).append(record)
    return by_queue


def queue_kpis(records: Iterable[InteractionRecord], threshold: float, now: float) -> QueueKPIs:
    """Service level, ASA, abandonment and AHT over one queue's records.

    `service_level` = answered within `threshold` / offered: abandons and contacts
    still waiting count against it. A contact still waiting at `now` counts in
    `offered` and in `max_wait` with the wait it has so far. `aht` is over answered
    contacts whose wrap-up is done.
    """
    offered = answered = abandoned = within = handled = 0
    total_wait = total_handle = max_wait = 0.0
    for record in records:
        offered += 1
        wait = record.wait(now)
        if wait > max_wait:
            max_wait = wait
        if record.answered_at is not None:
            answered += 1
            total_wait += wait
            if wait <= threshold:
                within += 1
            talk, wrap = record.talk_seconds, record.wrap_seconds
            if talk is not None and wrap is not None:
                handled += 1
                total_handle += talk + wrap
        elif record.outcome is Outcome.ABANDONED:
            abandoned += 1
    return QueueKPIs(
        offered=offered,
        answered=answered,
        abandoned=abandoned,
        answered_within_threshold=within,
        service_level=_ratio(within, offered),
        asa=_ratio(total_wait, answered),
        abandon_rate=_ratio(abandoned, offered),
        aht=_ratio(total_handle, handled),
        max_wait=max_wait,
        handled=handled,
    )


@dataclass(frozen=True, slots=True)
class AbandonSplit:
    """Abandons split at a short threshold: quick hang-ups (often misdials) and the rest."""

    short: int
    long: int
    long_rate: float  # long abandons / offered contacts that were not short abandons


def abandon_split(records: Iterable[InteractionRecord], short: float) -> AbandonSplit:
    """Count abandons shorter than `short` seconds apart from the others."""
    offered = quick = slow = 0
    for record in records:
        offered += 1
        if record.outcome is Outcome.ABANDONED:
            if record.wait() < short:
                quick += 1
            else:
                slow += 1
    return AbandonSplit(quick, slow, _ratio(slow, offered - quick))


def service_level_at(records: Iterable[InteractionRecord], threshold: float) -> float:
    """Answered within `threshold` / offered: the same definition at another threshold."""
    offered = within = 0
    for record in records:
        offered += 1
        if record.answered_at is not None and record.wait() <= threshold:
            within += 1
    return _ratio(within, offered)
