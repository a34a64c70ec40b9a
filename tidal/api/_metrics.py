"""`GET /metrics`: the center's live figures and counters in Prometheus text format."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from fastapi import APIRouter, Response
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.registry import Collector
from starlette.concurrency import run_in_threadpool

from tidal.api._common import RuntimeDep
from tidal.api._views import field
from tidal.core.agent_state import AgentState
from tidal.core.values import Direction, Outcome

router = APIRouter(tags=["metrics"])


class Snapshot(Collector):
    """Metric families computed once per scrape, handed to the exposition format."""

    def __init__(self, families: Sequence[Metric]) -> None:
        self._families = families

    def collect(self) -> Iterator[Metric]:
        """The families, as they were when the scrape began."""
        yield from self._families


def families(
    queues: Iterable[Any],
    agents: Iterable[Any],
    counts: Iterable[tuple[str, str, str, int]],
    dials_placed: int | None = None,
) -> list[Metric]:
    """The metric families of docs/live.md from queue views, agent views and record counts."""
    waiting = GaugeMetricFamily("tidal_queue_waiting", "Contacts waiting", labels=["queue"])
    longest = GaugeMetricFamily(
        "tidal_queue_longest_wait_seconds", "Wait of the longest-waiting contact", labels=["queue"]
    )
    for queue in queues:
        name = str(field(queue, "name"))
        waiting.add_metric([name], float(field(queue, "waiting") or 0))
        longest.add_metric([name], float(field(queue, "longest_wait") or 0.0))
    states = Counter(str(field(agent, "state")) for agent in agents)
    by_state = GaugeMetricFamily("tidal_agents", "Agents by state", labels=["state"])
    for state in AgentState:
        by_state.add_metric([state.value], float(states.get(state.value, 0)))
    contacts = CounterMetricFamily(
        "tidal_contacts", "Finished inbound contacts", labels=["queue", "outcome"]
    )
    dials = abandons = 0
    for direction, queue_name, outcome, count in counts:
        if direction == Direction.OUTBOUND.value:
            dials += count
        else:
            contacts.add_metric([queue_name, outcome], float(count))
        if outcome == Outcome.ABANDONED.value:
            abandons += count
    return [
        waiting,
        longest,
        by_state,
        contacts,
        CounterMetricFamily(
            "tidal_dials",
            "Outbound dials",
            value=float(dials if dials_placed is None else max(dials, dials_placed)),
        ),
        CounterMetricFamily("tidal_abandons", "Abandoned contacts", value=float(abandons)),
    ]


def integrity(health: Mapping[str, Any]) -> list[Metric]:
    """Whether the log was whole on replay and the store takes events (alert on these)."""
    return [
        CounterMetricFamily(
            "tidal_replay_refused_events",
            "Logged events the core refused on replay (the log is not whole)",
            value=float(health.get("replay_refused", 0)),
        ),
        CounterMetricFamily(
            "tidal_event_commit_failures",
            "Events that could not be committed (the center was rebuilt from the log)",
            value=float(health.get("commit_failures", 0)),
        ),
        GaugeMetricFamily(
            "tidal_degraded",
            "1 while /healthz says degraded",
            value=0.0 if health.get("status") == "ok" else 1.0,
        ),
    ]


@router.get("/metrics", response_class=Response)
async def metrics(runtime: RuntimeDep) -> Response:
    """Prometheus text: queue sizes, agents by state, contacts, dials and abandons."""
    queues, agents = list(runtime.queues_view()), list(runtime.agents_view())
    counts = await run_in_threadpool(runtime.store.interactions.outcome_counts)
    registry = CollectorRegistry(auto_describe=False)
    # Every dial the dialer placed (since the log began), answered or not; a runtime
    # without campaigns counts the outbound records.
    totals = getattr(runtime, "dial_totals", None)
    placed = totals().get("dials") if callable(totals) else None
    registry.register(
        Snapshot([*families(queues, agents, counts, placed), *integrity(runtime.health())])
    )
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_PLAIN_0_0_4)
