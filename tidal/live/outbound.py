"""Outbound campaigns in the live center: the production `Dialer`, fed like the simulator's.

The runtime builds the Center with one extra queue per campaign (a person who answers
waits there at most 2 s), the compliance gate from the files under `$TIDAL_HOME` (the
registry's bitmaps and the lists replayed from `audit.jsonl`, as `tidal dnc` keeps
them), and the `Dialer` around the Center with the campaign specs the simulator uses.

Leads come from the store's leads table. Which of them the dialer holds is itself an
event of the log (`LeadsLoaded`: the campaign's leads with row ids up to a mark), so
replaying the log after a crash rebuilds the same lead states and calls in flight.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from tidal.config import CampaignConfig, QueueConfig, Scenario, load_calling_rules
from tidal.core.campaigns import (
    IDLE_WORDS,
    CampaignLead,
    Dialer,
    campaign_queue_spec,
    campaign_skill,
)
from tidal.core.campaigns.configured import blending_of, campaign_spec, talk_mean
from tidal.core.compliance import CallingWindows, Compliance
from tidal.core.queue import QueueSpec
from tidal.metrics import campaign_kpis
from tidal.store import Store, every_page

TIMER_PREFIX = "dial:"  # the dialer's timers (pacing tick, preview)
LEAD_PAGE = 1000


@dataclass(frozen=True, slots=True)
class LeadsLoaded:
    """The dialer takes the campaign's stored leads whose row id is at most `upto`."""

    campaign: str
    upto: int


def queue_specs(config: Scenario) -> list[QueueSpec]:
    """The center's queues, plus one campaign queue per campaign ranking above them all."""
    specs = [QueueSpec.from_config(queue) for queue in config.queues]
    return specs + [campaign_queue_of(c, config.queues) for c in config.campaigns]


def campaign_queue_of(campaign: CampaignConfig, queues: Iterable[QueueConfig]) -> QueueSpec:
    """A campaign's Center queue, ranking above every inbound queue: an answered person
    waits at most 2 s, so they come before any caller."""
    highest = max((q.priority for q in queues), default=0) + 1
    return campaign_queue_spec(campaign.name, priority=highest, handle_time=talk_mean(campaign))


def group_skills(config: Scenario, group: str, skills: Mapping[str, int]) -> dict[str, int]:
    """An agent's skills with the campaign skills their group's outbound mode gives."""
    out = dict(skills)
    for agent_group in config.agents:
        if agent_group.group == group and agent_group.outbound:
            for name in agent_group.campaigns:
                out.setdefault(campaign_skill(name), 1)
    return out


def home_compliance(home: Path) -> tuple[Compliance, Path]:
    """The real gate: the registry under `home` and the lists replayed from its audit trail."""
    from tidal.dnc import AuditLog, Registry

    trail = home / "audit.jsonl"
    compliance = Compliance(
        Registry(home / "dnc" / "registry"), CallingWindows(load_calling_rules())
    )
    AuditLog(trail).load_into(compliance)
    return compliance, trail


def reload_lists(compliance: Compliance, trail: Path) -> None:
    """Replace the gate's lists by the trail's (a DNC entry or consent added elsewhere)."""
    from tidal.dnc import AuditLog

    fresh = Compliance(compliance.registry, compliance.windows)
    AuditLog(trail).load_into(fresh)
    compliance.lists = fresh.lists


def build_dialer(config: Scenario, center: Any, compliance: Compliance, zone: tzinfo) -> Dialer:
    """The production dialer over the live Center; the core's `now` is epoch seconds."""
    targets = {
        q.name: (q.service_level.target, float(q.service_level.threshold)) for q in config.queues
    }
    return Dialer(
        center,
        compliance,
        [(campaign_spec(campaign), ()) for campaign in config.campaigns],
        start=datetime.fromtimestamp(0, zone),  # now = seconds since the epoch
        blending=blending_of(config.blending),
        inbound_targets=targets,
    )


def stored_leads(store: Store, campaign: str, after: int, upto: int) -> list[CampaignLead]:
    """The campaign's stored leads with `after` < row id <= `upto`, in row order."""
    leads: list[CampaignLead] = []
    for lead in every_page(
        lambda limit, offset: store.leads.list(campaign, limit=limit, offset=offset), LEAD_PAGE
    ):
        if after < lead.id <= upto and lead.numbers:
            data = lead.data
            leads.append(
                CampaignLead(
                    str(lead.id),
                    tuple(lead.numbers),
                    time_zone=_text(data.get("time_zone")),
                    postal_code=_text(data.get("postal_code")),
                )
            )
    return leads


def highest_lead(store: Store, campaign: str) -> int:
    """The highest row id among the campaign's stored leads (0 when none)."""
    count = store.leads.count(campaign)
    if count == 0:
        return 0
    last = store.leads.list(campaign, limit=1, offset=count - 1)
    return last[0].id if last else 0


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def campaign_rows(
    campaigns: Iterable[CampaignConfig],
    dialer: Dialer,
    dial_times: Mapping[str, Iterable[float]],
    day_start_counts: Mapping[str, Mapping[str, int]],
    now: float,
) -> list[dict[str, Any]]:
    """Per campaign, what the wallboard shows: dial rate, 30-day abandonment, today's
    dials, human answers and connects (KPIs of `tidal.metrics` over today's counts)."""
    rows: list[dict[str, Any]] = []
    today = datetime.fromtimestamp(now, dialer.start.tzinfo).date()
    for campaign in campaigns:
        name = campaign.name
        if name not in dialer.campaigns:
            continue
        total = dialer.counts(name)
        before = day_start_counts.get(name, {})
        counts = {key: value - before.get(key, 0) for key, value in total.items()}
        kpis = campaign_kpis(counts, 0.0)
        recent = sum(1 for t in dial_times.get(name, ()) if now - 60.0 < t <= now)
        idle = dialer.idle_reason(name)
        rows.append(
            {
                "name": name,
                "state": str(dialer.state(name)),
                "dial_mode": campaign.dial_mode,
                "max_abandon_rate": campaign.max_abandon_rate,
                "dial_rate": float(recent),  # dials in the last minute
                "abandon_rate_30d": dialer.compliance.ledger.rate(name, today),
                "abandon_rate": kpis.abandon_rate,
                "dials": kpis.dials,
                "human_answers": kpis.human_answers,
                "connects": kpis.connects,
                "abandoned": kpis.abandoned,
                "conversions": kpis.conversions,
                "contact_rate": kpis.contact_rate,
                "dnc_blocked": kpis.dnc_blocked,
                "window_blocked": kpis.window_blocked,
                "in_flight": len(dialer.in_flight(name)),
                "leads_left": dialer.leads_left(name),
                "idle_reason": None if idle is None else str(idle),
                "idle_text": None if idle is None else IDLE_WORDS[idle],
            }
        )
    return rows
