"""KPIs per time interval: what a wallboard chart or a report plots over the day."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tidal.core import InteractionRecord
from tidal.metrics._inbound import QueueKPIs, queue_kpis


@dataclass(frozen=True, slots=True)
class IntervalKPIs:
    """A queue's KPIs over the contacts that arrived in [start, end)."""

    start: float
    end: float
    kpis: QueueKPIs


def interval_kpis(
    records: Iterable[InteractionRecord],
    threshold: float,
    start: float,
    end: float,
    interval: float,
    now: float | None = None,
) -> list[IntervalKPIs]:
    """Split records by arrival time into fixed intervals (e.g. the usual 15 or 30 min).

    `now` (default `end`) is when a contact still waiting has waited until.
    """
    if interval <= 0:
        raise ValueError(f"interval must be > 0 seconds, got {interval}")
    count = max(1, int((end - start) // interval + (1 if (end - start) % interval else 0)))
    buckets: list[list[InteractionRecord]] = [[] for _ in range(count)]
    for record in records:
        index = int((record.arrived_at - start) // interval)
        if 0 <= index < count:
            buckets[index].append(record)
    return [
        IntervalKPIs(
            start + i * interval,
            min(end, start + (i + 1) * interval),
            queue_kpis(bucket, threshold, end if now is None else now),
        )
        for i, bucket in enumerate(buckets)
    ]
