"""`/api/v1/reports/{queues|agents|campaigns|intervals}`: KPIs over a period, JSON or CSV.

Every figure comes from `tidal.metrics` (CONTRACTS section 4, docs/reports.md), over
the records the store holds for the period plus what the center has open right now (a
caller still waiting counts as offered, with the wait so far).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import IntEnum, StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from tidal.api._auth import Supervisor
from tidal.api._common import Period, PeriodDep, RuntimeDep, bad_query
from tidal.api._export import csv_text
from tidal.api._runtime import Runtime
from tidal.api.const import API_PREFIX, REPORT_BATCH
from tidal.config import CampaignCosts, DurationError, parse_duration
from tidal.core import AgentSessionRecord, Direction, InteractionRecord
from tidal.core.campaigns.dialer import CAMPAIGN_QUEUE_PREFIX, COUNTERS, campaign_skill
from tidal.metrics import (
    agent_kpis,
    campaign_agent_seconds,
    campaign_kpis,
    campaign_spend,
    first_contact_resolution,
    inbound_by_queue,
    interval_kpis,
    queue_kpis,
    resolved_flag_rate,
    telephony_seconds,
)
from tidal.store import Store, every_page

router = APIRouter(prefix=f"{API_PREFIX}/reports", tags=["reports"])

DEFAULT_THRESHOLD = 20.0
DEFAULT_FCR_WINDOW = "7d"  # a customer back within this long was not resolved first time


class ReportFormat(StrEnum):
    """How a report is answered."""

    JSON = "json"
    CSV = "csv"


FormatQuery = Annotated[ReportFormat, Query(alias="format")]


class IntervalMinutes(IntEnum):
    """The interval lengths a report is cut into, in minutes."""

    QUARTER = 15
    HALF = 30
    HOUR = 60


def fcr_window(
    window: Annotated[str, Query(alias="fcr_window", max_length=40)] = DEFAULT_FCR_WINDOW,
) -> float:
    """`?fcr_window=`: how long a customer coming back makes a repeat contact (7d, 24h)."""
    try:
        seconds = parse_duration(window)
    except DurationError as error:
        raise bad_query("fcr_window", str(error)) from None
    if seconds <= 0:
        raise bad_query("fcr_window", f"{window!r}: the window must be longer than 0")
    return seconds


FcrWindowDep = Annotated[float, Depends(fcr_window)]


def _in(period: Period, at: float) -> bool:
    return period.start <= at < period.end


def _until(period: Period) -> float | None:
    return None if period.end == float("inf") else period.end


def stored_records(store: Store, period: Period) -> list[InteractionRecord]:
    """Every stored interaction that arrived in the period, read in batches."""
    return stored_between(store, period.start, _until(period))


def stored_between(store: Store, since: float, until: float | None) -> list[InteractionRecord]:
    """Every stored interaction that arrived in [since, until), read in batches."""
    period = Period(since, float("inf") if until is None else until)
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


def _answer(
    kind: str,
    period: Period,
    rows: list[dict[str, Any]],
    fmt: ReportFormat,
    extra: dict[str, Any] | None = None,
) -> Any:
    """The report as JSON `{from, to, items}` (and `extra`), or as a CSV download of the items."""
    start = datetime.fromtimestamp(period.start, UTC).isoformat()
    end = None if period.end == float("inf") else datetime.fromtimestamp(period.end, UTC)
    if fmt is ReportFormat.JSON:
        to = None if end is None else end.isoformat()
        return {"from": start, "to": to, **(extra or {}), "items": rows}
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
    runtime: Runtime,
    records: Sequence[InteractionRecord],
    now: float,
    period: Period,
    window: float = 7 * 86400.0,
) -> list[dict[str, Any]]:
    """One row per queue: `queue_kpis` over its inbound records of the period, then FCR
    (repeat contacts within `window`, judged over every inbound record given: a repeat
    may come after the period) and the agents' resolved flag."""
    by_queue: dict[str, list[InteractionRecord]] = {
        name: []
        for name in runtime.center.queues
        if not name.startswith(CAMPAIGN_QUEUE_PREFIX)  # a campaign's own queue: not inbound
    }
    # A campaign call still open (talking, in wrap-up) is the Center's, so not yet
    # marked outbound: its queue is the campaign's own, never an inbound queue's.
    inbound = [
        r
        for r in records
        if r.direction is Direction.INBOUND and not r.queue.startswith(CAMPAIGN_QUEUE_PREFIX)
    ]
    by_queue.update(inbound_by_queue(inbound, period.start, period.end))
    rows: list[dict[str, Any]] = []
    for name in sorted(by_queue):
        judged = first_contact_resolution(
            inbound, window, now, of_queue=name, since=period.start, until=period.end
        )
        rows.append(
            {
                "queue": name,
                **queue_kpis(by_queue[name], _threshold(runtime, name), now).as_json(),
                "fcr": judged.fcr,
                "fcr_judged": judged.judged,
                "repeat_contacts": judged.repeat_contacts,
                "resolved_flag_rate": resolved_flag_rate(by_queue[name]),
            }
        )
    return rows


@router.get("/queues", response_model=None)
async def queues_report(
    _: Supervisor,
    runtime: RuntimeDep,
    period: PeriodDep,
    window: FcrWindowDep,
    fmt: FormatQuery = ReportFormat.JSON,
) -> Any:
    """Per queue: offered, answered, abandoned, service level, ASA, abandon rate, AHT,
    first-contact resolution (`?fcr_window=`, default 7d) and the agents' resolved flag."""
    now = runtime.now()
    open_records = runtime.center.open_interactions(now)
    # Repeats of the period's contacts may come up to a window after it (up to now).
    until = min(period.end + window, now) if period.end < now else period.end
    records = await run_in_threadpool(
        stored_between, runtime.store, period.start, None if until == float("inf") else until
    )
    rows = queue_rows(runtime, records + open_records, now, period, window)
    return _answer("queues", period, rows, fmt, {"fcr_window": window})


@router.get("/intervals", response_model=None)
async def intervals_report(
    _: Supervisor,
    runtime: RuntimeDep,
    period: PeriodDep,
    queue: Annotated[str, Query(min_length=1, max_length=100)],
    interval: Annotated[IntervalMinutes, Query()] = IntervalMinutes.QUARTER,
    fmt: FormatQuery = ReportFormat.JSON,
) -> Any:
    """One queue's figures per 15, 30 or 60 minutes of the period (until now, for today)."""
    inbound = sorted(n for n in runtime.center.queues if not n.startswith(CAMPAIGN_QUEUE_PREFIX))
    if queue not in inbound:
        known = ", ".join(inbound) or "none"
        raise bad_query("queue", f"{queue!r} is not a queue of this center (queues: {known})")
    now = runtime.now()
    seconds = float(interval) * 60.0
    end = min(period.end, now)
    if end <= period.start:  # a period still to come: no interval has begun
        end = period.start
    else:  # to the end of the interval now is in
        end = min(period.end, period.start + -(-(end - period.start) // seconds) * seconds)
    open_records = runtime.center.open_interactions(now)
    records = await run_in_threadpool(stored_records, runtime.store, period)
    of_queue = inbound_by_queue(records + open_records, period.start, period.end).get(queue, [])
    rows = (
        []
        if end <= period.start
        else [
            {
                "start": datetime.fromtimestamp(row.start, UTC).isoformat(),
                "end": datetime.fromtimestamp(row.end, UTC).isoformat(),
                **row.kpis.as_json(),
            }
            for row in interval_kpis(
                of_queue, _threshold(runtime, queue), period.start, end, seconds, now=now
            )
        ]
    )
    extra = {"queue": queue, "interval": int(interval)}
    return _answer(f"intervals-{queue}-{int(interval)}min", period, rows, fmt, extra)


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


def _campaign_of(record: InteractionRecord) -> str:
    """The campaign of an outbound record (the Center names its campaign's own queue)."""
    return record.queue.removeprefix(CAMPAIGN_QUEUE_PREFIX)


def _costs(config: dict[str, Any] | None) -> CampaignCosts | None:
    """The campaign's `costs`, if it has valid ones (they were validated when stored)."""
    raw = None if config is None else config.get("costs")
    if raw is None:
        return None
    try:
        return CampaignCosts.model_validate(raw)
    except ValidationError:
        return None


def campaign_rows(
    store: Store,
    records: Sequence[InteractionRecord],
    sessions: Sequence[AgentSessionRecord],
    counts: dict[str, dict[str, int]],
    groups: dict[str, list[str]],
) -> list[dict[str, Any]]:
    """One row per campaign: leads held, the period's dialer counters and their KPIs
    (`campaign_kpis`), spend and cost per acquisition when it has `costs`, and the
    period's answered dials by outcome."""
    outcomes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    calls: dict[str, list[InteractionRecord]] = defaultdict(list)
    for record in records:
        if record.direction is Direction.OUTBOUND:
            name = _campaign_of(record)
            outcomes[name][record.outcome.value] += 1
            calls[name].append(record)
    configs = {c.name: c.config for c in store.campaigns.list(limit=1000)}
    names = sorted(set(configs) | set(outcomes) | set(counts))
    profiles = list(every_page(lambda limit, offset: store.agents.list(limit, offset), 500))
    rows: list[dict[str, Any]] = []
    for name in names:
        counters = dict.fromkeys(COUNTERS, 0) | counts.get(name, {})
        skilled = {p.agent_id for p in profiles if campaign_skill(name) in p.skills}
        agent_seconds = campaign_agent_seconds(sessions, set(groups.get(name, ())), skilled)
        kpis = campaign_kpis(counters, agent_seconds)
        line_seconds = telephony_seconds(calls[name])
        costs = _costs(configs.get(name))
        spend = (
            None
            if costs is None
            else campaign_spend(
                agent_seconds,
                line_seconds,
                kpis.conversions,
                agent_hour=costs.agent_hour,
                telephony_minute=costs.telephony_minute,
            )
        )
        rows.append(
            {
                "campaign": name,
                "leads": store.leads.count(name),
                **kpis.as_json(),
                "conversions_per_hour": kpis.conversions_per_hour,
                "agent_hours": agent_seconds / 3600.0,
                "telephony_minutes": line_seconds / 60.0,
                "spend": None if spend is None else spend.spend,
                "cost_per_acquisition": None if spend is None else spend.cost_per_acquisition,
                **{f"outcome_{k}": v for k, v in sorted(outcomes[name].items())},
            }
        )
    return rows


@router.get("/campaigns", response_model=None)
async def campaigns_report(
    _: Supervisor, runtime: RuntimeDep, period: PeriodDep, fmt: FormatQuery = ReportFormat.JSON
) -> Any:
    """Per campaign: leads, the period's dials and outcomes, the outbound KPIs of
    CONTRACTS section 4, conversions per agent hour, spend and cost per acquisition."""
    now = runtime.now()
    records = await run_in_threadpool(stored_records, runtime.store, period)
    sessions = await run_in_threadpool(stored_sessions, runtime.store, period)
    sessions += [s for s in runtime.center.open_sessions(now) if _in(period, s.logged_in_at)]
    counts = runtime.campaign_counts(period.start, period.end)
    names = {c.name for c in runtime.store.campaigns.list(limit=1000)} | set(counts)
    groups = {name: runtime.campaign_groups(name) for name in names}
    rows = await run_in_threadpool(campaign_rows, runtime.store, records, sessions, counts, groups)
    return _answer("campaigns", period, rows, fmt)
