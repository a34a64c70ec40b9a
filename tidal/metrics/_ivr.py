"""IVR and callback figures: how many callers a flow served itself, how callbacks went."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from tidal.core import InteractionRecord, Outcome
from tidal.core.flows import FlowRun


@dataclass(frozen=True, slots=True)
class IvrKPIs:
    """One flow's callers: containment (served without an agent) and time in the IVR."""

    callers: int
    contained: int
    containment: float
    mean_ivr_seconds: float
    outcomes: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        """The flow object of `tidal simulate --json` (an extension of CONTRACTS section 3)."""
        return {
            "callers": self.callers,
            "contained": self.contained,
            "containment": self.containment,
            "mean_ivr_seconds": self.mean_ivr_seconds,
            "outcomes": dict(sorted(self.outcomes.items())),
        }


def ivr_kpis(runs: Iterable[FlowRun]) -> IvrKPIs:
    """Containment = callers whose flow ended without a queue, agent or transfer / callers.

    IVR time runs from the start of the flow to the moment the caller left it (queued,
    transferred, hung up); runs still in the flow when the day ends count as callers
    but not in the time.
    """
    callers = contained = timed = 0
    seconds = 0.0
    outcomes: Counter[str] = Counter()
    for run in runs:
        callers += 1
        if run.outcome is not None:
            outcomes[str(run.outcome)] += 1
            contained += run.contained
        if run.started_at is not None and run.finished_at is not None:
            timed += 1
            seconds += (run.finished_at - run.started_at).total_seconds()
    return IvrKPIs(
        callers=callers,
        contained=contained,
        containment=contained / callers if callers else 0.0,
        mean_ivr_seconds=seconds / timed if timed else 0.0,
        outcomes=dict(outcomes),
    )


@dataclass(frozen=True, slots=True)
class CallbackKPIs:
    """Callbacks of one queue: asked for, reached by an agent, given up."""

    requested: int
    answered: int
    failed: int
    success_rate: float  # answered / (answered + failed): callbacks that were settled


def callback_kpis(records: Iterable[InteractionRecord]) -> CallbackKPIs:
    """Success rate of calls back over the callbacks that ended (answered or given up)."""
    requested = answered = failed = 0
    for record in records:
        if record.callback_requested_at is None:
            continue
        requested += 1
        if record.answered_at is not None:
            answered += 1
        elif record.outcome is Outcome.CALLBACK_FAILED:
            failed += 1
    settled = answered + failed
    return CallbackKPIs(requested, answered, failed, answered / settled if settled else 0.0)
