"""What a simulation run produced: records, sessions, samples, and the JSON figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tidal.config import QueueConfig, Scenario
from tidal.core import AgentSessionRecord, AgentState, InteractionRecord
from tidal.core.flows import FlowRun
from tidal.metrics import (
    abandon_split,
    agent_kpis,
    agent_reported_resolution,
    callback_kpis,
    campaign_agent_seconds,
    campaign_kpis,
    csat,
    ewt_accuracy,
    first_contact_resolution,
    ivr_kpis,
    queue_kpis,
    service_level_at,
)

DECIMALS = 6


@dataclass(frozen=True, slots=True)
class Sample:
    """The center's state at one instant: queue lengths and agents per state."""

    at: float
    queue_lengths: dict[str, int]
    agents: dict[AgentState, int]


@dataclass(slots=True)
class SimulationResult:
    """Everything a run produced; the JSON figures are derived, never stored twice."""

    scenario: Scenario
    seed: int
    start: datetime
    simulated_seconds: float
    events_processed: int
    wall_seconds: float
    records: list[InteractionRecord] = field(default_factory=list)
    sessions: list[AgentSessionRecord] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    flow_runs: list[tuple[str, FlowRun]] = field(default_factory=list)  # (flow, run)
    surveys: dict[int, int] = field(default_factory=dict)  # contact -> CSAT score 1-5
    # The dialer's counters per campaign, and the regulator's violations.
    campaign_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    violations: dict[str, int] = field(
        default_factory=lambda: {"dnc": 0, "calling_window": 0, "abandon_cap": 0}
    )

    def records_of(self, queue: str) -> list[InteractionRecord]:
        """The interaction records of one queue."""
        return [r for r in self.records if r.queue == queue]

    def sessions_of(self, group: str) -> list[AgentSessionRecord]:
        """The session records of one agent group."""
        return [s for s in self.sessions if s.group == group]

    def _resolution(self, queue: QueueConfig) -> dict[str, Any]:
        """FCR (over every queue's records: a repeat may come back anywhere) and CSAT."""
        if queue.resolution is None:
            return {"fcr": None, "agent_reported_fcr": None, "repeat_contacts": 0, "csat": None}
        window = float(queue.resolution.window)
        judged = first_contact_resolution(
            self.records, window, self.simulated_seconds, of_queue=queue.name
        )
        contacts = [r.contact_id for r in self.records_of(queue.name)]
        satisfaction = csat(self.surveys, contacts)
        return {
            "fcr": judged.fcr,
            "agent_reported_fcr": agent_reported_resolution(self.records_of(queue.name)),
            "repeat_contacts": judged.repeat_contacts,
            "csat": satisfaction.mean,
        }

    def _campaigns(self, by_group: dict[str, list[AgentSessionRecord]]) -> dict[str, Any]:
        """Campaign figures (CONTRACTS section 3) and extensions (AMD, DNC requests...)."""
        figures: dict[str, Any] = {}
        for campaign in self.scenario.campaigns:
            counts = self.campaign_counts.get(campaign.name)
            if counts is None:
                continue
            groups = {
                g.group for g in self.scenario.agents if g.outbound and campaign.name in g.campaigns
            }
            seconds = campaign_agent_seconds(self.sessions, groups)
            kpis = campaign_kpis(counts, seconds).as_json()
            extras = {
                "amd_false_machines": counts["amd_false_machines"],
                "dnc_requests": counts["dnc_requests"],
                "callbacks_booked": counts["callbacks_booked"],
            }
            figures[campaign.name] = _rounded(kpis | extras)
        return figures

    def as_json(self) -> dict[str, Any]:
        """The object of `tidal simulate --json` (CONTRACTS section 3)."""
        end = self.simulated_seconds
        by_queue: dict[str, list[InteractionRecord]] = {q.name: [] for q in self.scenario.queues}
        for record in self.records:
            records_of_queue = by_queue.get(record.queue)
            if records_of_queue is not None:  # campaign calls are counted per campaign
                records_of_queue.append(record)
        by_group: dict[str, list[AgentSessionRecord]] = {g.group: [] for g in self.scenario.agents}
        for session in self.sessions:
            by_group[session.group].append(session)
        queues = {
            q.name: _rounded(
                queue_kpis(by_queue[q.name], q.service_level.threshold, end).as_json()
                | _queue_extras(q, by_queue[q.name])
                | self._resolution(q)
            )
            for q in self.scenario.queues
        }
        agents = {
            g.group: _rounded(agent_kpis(by_group[g.group]).as_json()) for g in self.scenario.agents
        }
        flows: dict[str, list[FlowRun]] = {}
        for name, run in self.flow_runs:
            flows.setdefault(name, []).append(run)
        figures: dict[str, Any] = {
            "scenario": self.scenario.name,
            "seed": self.seed,
            "simulated_seconds": _round(self.simulated_seconds),
            "events_processed": self.events_processed,
            "wall_seconds": round(self.wall_seconds, 3),
            "queues": queues,
            "campaigns": self._campaigns(by_group),
            "agents": agents,
            # Counted by the world (the regulator), not the brain.
            "violations": dict(self.violations),
        }
        if flows:  # extension: IVR figures per call flow
            figures["flows"] = {
                name: _rounded_any(ivr_kpis(runs).as_json()) for name, runs in sorted(flows.items())
            }
        return figures


def _queue_extras(queue: QueueConfig, records: list[InteractionRecord]) -> dict[str, Any]:
    """Extensions of a queue's figures: SL2, short abandons, EWT accuracy, callbacks."""
    target = queue.service_level
    second = target.second_threshold
    split = abandon_split(records, target.short_abandon)
    callbacks = callback_kpis(records)
    return {
        "service_level_2": None if second is None else service_level_at(records, second),
        "short_abandoned": split.short,
        "abandon_rate_excluding_short": split.long_rate,
        "ewt_mae": ewt_accuracy(records).model_mae,
        "callbacks_requested": callbacks.requested,
        "callback_success_rate": callbacks.success_rate,
    }


def _rounded_any(figures: dict[str, object]) -> dict[str, object]:
    return {k: _round(v) if isinstance(v, float) else v for k, v in figures.items()}


def _round(value: float) -> float:
    return round(value, DECIMALS)


def _rounded(figures: dict[str, Any]) -> dict[str, Any]:
    return {k: _round(v) if isinstance(v, float) else v for k, v in figures.items()}
