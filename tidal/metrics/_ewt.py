"""How good were the estimated waits announced to callers?

The model's estimate is stored on each record when the caller was queued. The
baseline is what Asterisk's app_queue announces: a running average of answered
callers' waits, each new wait weighing one quarter (`announce-holdtime`). Both are
scored by mean absolute error against the wait the caller then had.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tidal.core import InteractionRecord

RUNNING_AVERAGE_WEIGHT = 0.25


@dataclass(frozen=True, slots=True)
class EwtAccuracy:
    """Mean absolute error of announced waits, ours and the running-average baseline."""

    announced: int
    model_mae: float
    running_average_mae: float


def ewt_accuracy(records: Iterable[InteractionRecord]) -> EwtAccuracy:
    """Score the announced EWT of answered callers who waited in queue."""
    events: list[tuple[float, int, InteractionRecord]] = []
    for record in records:
        if record.answered_at is None:
            continue
        events.append((record.answered_at, 0, record))  # an answer updates the average
        if record.estimated_wait is not None:
            events.append((record.arrived_at, 1, record))  # an arrival is told a wait
    events.sort(key=lambda e: (e[0], e[1]))
    average = 0.0
    announced = 0
    model_error = baseline_error = 0.0
    for _, kind, record in events:
        wait = record.wait()
        if kind == 0:
            average += RUNNING_AVERAGE_WEIGHT * (wait - average)
            continue
        assert record.estimated_wait is not None
        announced += 1
        model_error += abs(record.estimated_wait - wait)
        baseline_error += abs(average - wait)
    if not announced:
        return EwtAccuracy(0, 0.0, 0.0)
    return EwtAccuracy(announced, model_error / announced, baseline_error / announced)
