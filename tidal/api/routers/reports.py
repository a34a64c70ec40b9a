"""`/api/v1/reports/{queues|agents|campaigns}`: KPIs over a period, as JSON or CSV.

Every figure comes from `tidal.metrics` (CONTRACTS section 4), over the records the
store holds for the period plus what the center has open right now (a caller still
waiting counts as offered, with the wait so far).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from starlette.concurrency import run_in_threadpool

from tidal.api._auth import Supervisor
from tidal.api._common import Period, PeriodDep, RuntimeDep
from tidal.api._export import csv_text
from tidal.api._runtime import Runtime
from tidal.api.const import API_PREFIX, REPORT_BATCH
from tidal.core import AgentSessionRecord, Direction, InteractionRecord
from tidal.core.campaigns.dialer import CAMPAIGN_QUEUE_PREFIX
from tidal.metrics import agent_kpis, inbound_by_queue, queue_kpis
from tidal.store import Store, every_page

router = APIRouter(prefix=f"{API_PREFIX}/reports", tags=["reports"])

DEFAULT_THRESHOLD = 20.0


class ReportFormat(StrEnum):
    """How a report is answered."""

    JSON = "json"
    CSV = "csv"


FormatQuery = Annotated[ReportFormat, Query(alias="format")]


def _in(period: Period, at: float) -> bool:
    return period.start <= at < period.end


def _until(period: Period) -> float | None:
    return None if period.end == float("inf") else period.end


def stored_records(store: Store, period: Period) -> list[InteractionRecord]:
    """Every stored interaction that arrived in the period, read in batches."""
    until = _until(period)
    return list(
        every_page(
            lambda limit, offset: store.interactions.list(
                since=period.start, until=until, limit=limit, offset=offset
            ),
            REPORT_BATCH,
        )
    )


def stored_sessions(store: Store, period: Period) -> list[AgentSessionRecord]:
    """Every stored agent session that began in the period, read in batches."""
    until = _until(period)
    return list(
        every_page(
            lambda limit, offset: store.sessions.list(
                since=period.start, until=until, limit=limit, offset=offset
            ),
            REPORT_BATCH,
        )
    )


def _answer(kind: str, period: Period, rows: list[dict[str, Any]], fmt: ReportFormat) -> Any:
    """The report as JSON `{from, to, items}`, or as a CSV download of the items."""
    start = datetime.fromtimestamp(period.start, UTC).isoformat()
    end = None if period.end == float("inf") else datetime.fromtimestamp(period.end, UTC)
    if fmt is ReportFormat.JSON:
        return {"from": start, "to": None if end is None else end.isoformat(), "items": rows}
    # Campaigns differ in their outcome columns: the header is every key, in first-seen order.
    text = csv_text(rows, list(dict.fromkeys(key for row in rows for key in row))) if rows else ""
    filename = f"tidal-{kind}-{start[:10]}.csv"
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _threshold(runtime: Runtime, queue: str) -> float:
    found = runtime.center.queues.get(queue)
    return DEFAULT_THRESHOLD if found is None else found.spec.service_level_threshold


def queue_rows(
    runtime: Runtime, records: Sequence[InteractionRecord], now: float, period: Period
) -> list[dict[str, Any]]:
    """One row per queue: `queue_kpis` over its inbound records of the period."""
    by_queue: dict[str, list[InteractionRecord]] = {
        name: []
        for name in runtime.center.queues
        if not name.startswith(CAMPAIGN_QUEUE_PREFIX)  # a campaign's own queue: not inbound
    }
    by_queue.update(inbound_by_queue(records, period.start, period.end))
    return [
        {"queue": name, **queue_kpis(by_queue[name], _threshold(runtime, name), now).as_json()}
        for name in sorted(by_queue)
    ]


@router.get("/queues", response_model=None)
async def queues_report(
    _: Supervisor, runtime: RuntimeDep, period: PeriodDep, fmt: FormatQuery = ReportFormat.JSON
) -> Any:
    """Per queue: offered, answered, abandoned, service level, ASA, abandon rate, AHT."""
    now = runtime.now()
    open_records = runtime.center.open_interactions(now)
    records = await run_in_threadpool(stored_records, runtime.store, period)
    return _answer("queues", period, queue_rows(runtime, records + open_records, now, period), fmt)


@router.get("/agents", response_model=None)
async def agents_report(
    _: Supervisor, runtime: RuntimeDep, period: PeriodDep, fmt: FormatQuery = ReportFormat.JSON
) -> Any:
    """Per agent group: logged-in, talk, wrap and idle time, occupancy, talk fraction."""
    now = runtime.now()
    open_sessions = [s for s in runtime.center.open_sessions(now) if _in(period, s.logged_in_at)]
    sessions = await run_in_threadpool(stored_sessions, runtime.store, period)
    by_group: dict[str, list[AgentSessionRecord]] = defaultdict(list)
    for session in sessions + open_sessions:
        by_group[session.group].append(session)
    rows = [{"group": g, **agent_kpis(by_group[g]).as_json()} for g in sorted(by_group)]
    return _answer("agents", period, rows, fmt)


def campaign_rows(store: Store, records: Sequence[InteractionRecord]) -> list[dict[str, Any]]:
    """One row per campaign: leads held, dials in the period and their outcomes."""
    outcomes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for record in records:
        if record.direction is Direction.OUTBOUND:
            outcomes[record.queue][record.outcome.value] += 1
    names = sorted({c.name for c in store.campaigns.list(limit=1000)} | set(outcomes))
    return [
        {
            "campaign": name,
            "leads": store.leads.count(name),
            "dials": sum(outcomes[name].values()),
            **{f"outcome_{k}": v for k, v in sorted(outcomes[name].items())},
        }
        for name in names
    ]


@router.get("/campaigns", response_model=None)
async def campaigns_report(
    _: Supervisor, runtime: RuntimeDep, period: PeriodDep, fmt: FormatQuery = ReportFormat.JSON
) -> Any:
    """Per campaign: leads and the period's dials by outcome.

    The outbound KPIs of CONTRACTS section 4 (abandon rate, contact and conversion
    rates) join this report when `tidal.metrics` defines them.
    """
    records = await run_in_threadpool(stored_records, runtime.store, period)
    rows = await run_in_threadpool(campaign_rows, runtime.store, records)
    return _answer("campaigns", period, rows, fmt)
