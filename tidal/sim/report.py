"""The HTML report of a simulation run: one self-contained file with interactive charts.

Plotly draws the charts; its JavaScript is embedded once so the file opens offline.
Every figure comes from `tidal.metrics`, the same definitions as `--json`.
"""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from tidal.config import open_private
from tidal.core import AgentState
from tidal.metrics import ewt_accuracy, interval_kpis
from tidal.sim._result import SimulationResult
from tidal.sim.summary import AGENT_HEADERS, QUEUE_HEADERS, agent_rows, queue_rows

INTERVAL = 1800.0  # the usual half-hour reporting interval
STATE_COLOURS = {
    AgentState.TALKING: "#2a9d8f",
    AgentState.WRAP_UP: "#8ab17d",
    AgentState.RESERVED: "#e9c46a",
    AgentState.READY: "#a8dadc",
    AgentState.NOT_READY: "#e76f51",
}


PALETTE = (
    "#636efa", "#ef553b", "#00cc96", "#ab63fa", "#ffa15a",
    "#19d3f3", "#ff6692", "#b6e880", "#ff97ff", "#fecb52",
)  # fmt: skip


def _colour(index: int) -> str:
    """One colour per queue, the same in every chart."""
    return PALETTE[index % len(PALETTE)]


def _clock(result: SimulationResult, seconds: float) -> datetime:
    return result.start + timedelta(seconds=seconds)


def _interval(result: SimulationResult) -> float:
    """Half-hours for a day; coarser for long runs so charts stay readable."""
    return max(INTERVAL, result.simulated_seconds / 96)


def service_level_figure(result: SimulationResult) -> go.Figure:
    """Service level per interval for each queue, with its target."""
    figure = go.Figure()
    interval = _interval(result)
    for index, queue in enumerate(result.scenario.queues):
        threshold = queue.service_level.threshold
        rows = interval_kpis(
            result.records_of(queue.name), threshold, 0.0, result.simulated_seconds, interval
        )
        figure.add_trace(
            go.Scatter(
                x=[_clock(result, r.start) for r in rows],
                y=[r.kpis.service_level if r.kpis.offered else None for r in rows],
                mode="lines+markers",
                line_shape="hv",
                line={"color": _colour(index)},
                name=f"{queue.name} ({threshold:g} s)",
            )
        )
    targets: dict[float, list[str]] = {}
    for queue in result.scenario.queues:
        targets.setdefault(queue.service_level.target, []).append(queue.name)
    for target, names in targets.items():
        figure.add_hline(
            y=target, line_dash="dot", annotation_text=f"target {target:.0%} ({', '.join(names)})"
        )
    figure.update_layout(
        title=f"Service level per {interval / 60:g} minutes",
        yaxis={"tickformat": ".0%", "range": [0, 1.05]},
    )
    return figure


def queue_length_figure(result: SimulationResult) -> go.Figure:
    """Contacts waiting in each queue over time."""
    figure = go.Figure()
    times = [_clock(result, s.at) for s in result.samples]
    for index, queue in enumerate(result.scenario.queues):
        figure.add_trace(
            go.Scatter(
                x=times,
                y=[s.queue_lengths[queue.name] for s in result.samples],
                mode="lines",
                line_shape="hv",
                line={"color": _colour(index)},
                name=queue.name,
            )
        )
    figure.update_layout(title="Contacts waiting", yaxis_title="contacts")
    return figure


def agent_state_figure(result: SimulationResult) -> go.Figure:
    """How many agents are in each state over time (stacked)."""
    figure = go.Figure()
    times = [_clock(result, s.at) for s in result.samples]
    for state, colour in STATE_COLOURS.items():
        figure.add_trace(
            go.Scatter(
                x=times,
                y=[s.agents[state] for s in result.samples],
                mode="lines",
                line={"width": 0.5, "color": colour},
                stackgroup="agents",
                name=state.value.replace("_", " "),
            )
        )
    figure.update_layout(title="Agents by state", yaxis_title="agents")
    return figure


def wait_figure(result: SimulationResult) -> go.Figure:
    """Share of each queue's callers answered within t seconds, for every t.

    The curve's height at a queue's threshold is its service level, so a planner
    reads off what a different threshold would give. Abandons and callers still
    waiting never reach the curve's top, which therefore ends at 1 - abandon rate.
    """
    figure = go.Figure()
    for index, queue in enumerate(result.scenario.queues):
        records = result.records_of(queue.name)
        waits = np.sort([r.wait() for r in records if r.answered_at is not None])
        if not len(records) or not len(waits):
            continue
        grid = np.linspace(0.0, float(waits[-1]), 400)
        share = np.searchsorted(waits, grid, side="right") / len(records)
        figure.add_trace(
            go.Scatter(
                x=grid,
                y=share,
                mode="lines",
                line_shape="hv",
                line={"color": _colour(index)},
                name=queue.name,
            )
        )
        threshold = queue.service_level.threshold
        figure.add_trace(
            go.Scatter(
                x=[threshold],
                y=[np.searchsorted(waits, threshold, side="right") / len(records)],
                mode="markers",
                marker={"size": 9, "color": _colour(index)},
                name=f"{queue.name} at {threshold:g} s",
            )
        )
    figure.update_layout(
        title="Wait time distribution: share of callers answered within t",
        xaxis_title="t, seconds waited",
        yaxis={"tickformat": ".0%", "range": [0, 1.05]},
    )
    return figure


def ewt_rows(result: SimulationResult) -> list[list[str]]:
    """Announced-wait accuracy per queue: our model against a running average."""
    rows = []
    for queue in result.scenario.queues:
        accuracy = ewt_accuracy(result.records_of(queue.name))
        rows.append(
            [
                queue.name,
                str(accuracy.announced),
                f"{accuracy.model_mae:.1f}",
                f"{accuracy.running_average_mae:.1f}",
            ]
        )
    return rows


def flow_rows(figures: dict[str, Any]) -> list[list[str]]:
    """IVR figures per call flow (from the JSON extension)."""
    return [
        [
            name,
            str(flow["callers"]),
            f"{flow['containment']:.1%}",
            f"{flow['mean_ivr_seconds']:.0f}",
            ", ".join(f"{k} {v}" for k, v in flow["outcomes"].items()),
        ]
        for name, flow in figures.get("flows", {}).items()
    ]


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def after_call_rows(figures: dict[str, Any]) -> list[list[str]]:
    """Callbacks, SL2, short abandons, FCR and CSAT per queue (the JSON extensions)."""
    rows = []
    for name, q in figures["queues"].items():
        csat = q["csat"]
        rows.append(
            [
                name,
                _share(q["service_level_2"]),
                str(q["short_abandoned"]),
                str(q["callbacks_requested"]),
                _share(q["callback_success_rate"] if q["callbacks_requested"] else None),
                _share(q["fcr"]),
                _share(q["agent_reported_fcr"]),
                "-" if csat is None else f"{csat:.2f}",
            ]
        )
    return rows


MAX_AGENT_ROWS = 200


def agent_rows_each(result: SimulationResult) -> list[list[str]]:
    """Per-agent figures: contacts handled, AHT, occupancy (the first 200 agents)."""
    handled: dict[str, list[float]] = {}
    for record in result.records:
        talk, wrap = record.talk_seconds, record.wrap_seconds
        if record.agent_id is not None and talk is not None and wrap is not None:
            handled.setdefault(record.agent_id, []).append(talk + wrap)
    rows = []
    for session in sorted(result.sessions, key=lambda s: s.agent_id)[:MAX_AGENT_ROWS]:
        times = handled.get(session.agent_id, [])
        busy = session.talk_seconds + session.wrap_seconds
        logged = session.logged_in_seconds
        rows.append(
            [
                session.agent_id,
                session.group,
                str(session.contacts_handled),
                f"{sum(times) / len(times):.0f}" if times else "-",
                f"{busy / logged:.1%}" if logged else "-",
                f"{session.not_ready_seconds / 60:.0f}",
            ]
        )
    return rows


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_report(result: SimulationResult) -> str:
    """The report as one HTML document."""
    figures = result.as_json()
    charts = "".join(
        f'<section class="chart">{fig.to_html(full_html=False, include_plotlyjs=False)}</section>'
        for fig in (
            service_level_figure(result),
            queue_length_figure(result),
            agent_state_figure(result),
            wait_figure(result),
        )
    )
    title = html.escape(f"Tidal simulation: {result.scenario.name}")
    start = result.start.isoformat()
    hours = result.simulated_seconds / 3600
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<script>{get_plotlyjs()}</script>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }}
table {{ border-collapse: collapse; margin: 1rem 0 2rem; }}
th, td {{ border-bottom: 1px solid #ddd; padding: .35rem .8rem; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
.meta {{ color: #555; }}
</style></head><body>
<h1>{title}</h1>
<p class="meta">seed {result.seed} · starts {html.escape(start)} · {hours:.1f} simulated hours ·
{figures["events_processed"]:,} events in {figures["wall_seconds"]:.2f} s</p>
<h2>Queues</h2>
{_table(QUEUE_HEADERS, queue_rows(figures))}
<h2>Call flows and after the call</h2>
{_table(["flow", "callers", "containment", "IVR time s", "outcomes"], flow_rows(figures))}
{
        _table(
            [
                "queue",
                "SL2",
                "short abandons",
                "callbacks",
                "callback success",
                "FCR",
                "agent-reported FCR",
                "CSAT",
            ],
            after_call_rows(figures),
        )
    }
<h2>Estimated wait announcements</h2>
<p class="meta">Mean absolute error of the wait announced to each queued caller: the
queue model (callers ahead, staffed agents, handle time) against the running average
of recent waits that Asterisk announces.</p>
{_table(["queue", "announced", "model error s", "running-average error s"], ewt_rows(result))}
<h2>Agents</h2>
{_table(AGENT_HEADERS, agent_rows(figures))}
{charts}
<h2>Each agent</h2>
{
        _table(
            ["agent", "group", "contacts", "AHT s", "occupancy", "not ready min"],
            agent_rows_each(result),
        )
    }
</body></html>
"""


def write_report(result: SimulationResult, path: Path) -> None:
    """Write the report file (parent folders are created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open_private(path, "w", encoding="utf-8") as handle:
        handle.write(render_report(result))
