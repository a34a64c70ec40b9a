"""What screens read: JSON-ready views of agents, contacts and queues.

Built from the live `Center` and today's interaction records; the queue figures are
`tidal.metrics.queue_kpis`, the one definition the simulator and reports use too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import chain
from typing import Any

from tidal.config import QueueConfig
from tidal.core.agent_state import Agent, AgentState
from tidal.core.center import Center
from tidal.core.contact import Contact, ContactState
from tidal.core.records import InteractionRecord
from tidal.metrics import inbound_by_queue, queue_kpis
from tidal.store import Lead

View = dict[str, Any]

_WAITING = (ContactState.QUEUED, ContactState.OFFERED)


_ENGAGEMENT = (AgentState.TALKING, AgentState.RESERVED, AgentState.WRAP_UP)


def current_contact(agent: Agent) -> int | None:
    """The contact an agent is most engaged with: talking, else ringing, else wrapping up.

    An agent with several chats open is shown on one of them, like its state.
    """
    work = agent.work
    for state in _ENGAGEMENT:
        for contact_id, where in work.items():
            if where is state:
                return contact_id
    return None


def ringing_contact(agent: Agent) -> int | None:
    """The first contact offered to (ringing at) this agent, if any."""
    for contact_id, where in agent.work.items():
        if where is AgentState.RESERVED:
            return contact_id
    return None


def agent_view(agent: Agent, contacts: Mapping[int, Contact]) -> View:
    """An agent's state, since when, why (not ready), and the contact they are on."""
    contact_id = current_contact(agent)
    contact = None if contact_id is None else contacts.get(contact_id)
    return {
        "agent_id": agent.agent_id,
        "group": agent.group,
        "skills": dict(agent.skills),
        "state": str(agent.state),
        "since": agent.since,
        "reason": agent.reason,
        "contact_id": contact_id,
        "queue": None if contact is None else contact.queue,
        "caller": None if contact is None else contact.caller or None,
        "pending": pending_state(agent),
        "pending_reason": agent.pending_not_ready,
    }


def pending_state(agent: Agent) -> str | None:
    """A break or log-out asked for during work, taken when the work ends."""
    if agent.pending_log_out:
        return str(AgentState.LOGGED_OUT)
    if agent.pending_not_ready is not None:
        return str(AgentState.NOT_READY)
    return None


def contact_view(contact: Contact, now: float) -> View:
    """A contact in the center: where it is and how long it has waited."""
    waited_until = contact.answered_at if contact.answered_at is not None else now
    return {
        "contact_id": contact.contact_id,
        "queue": contact.queue,
        "caller": contact.caller,
        "state": str(contact.state),
        "arrived_at": contact.arrived_at,
        "waited": max(0.0, waited_until - contact.arrived_at),
        "agent_id": contact.agent_id,
        "priority": contact.priority,
        "callback_number": contact.callback_number,
    }


def record_view(record: InteractionRecord) -> View:
    """An interaction record as JSON (enums as their values)."""
    values = record._asdict()
    for key in ("channel", "direction", "outcome"):
        values[key] = str(values[key])
    return values


def queues_view(
    center: Center,
    configs: Mapping[str, QueueConfig],
    today: Mapping[str, Iterable[InteractionRecord]],
    now: float,
    today_start: float,
) -> list[View]:
    """Per queue: who waits now, who can answer, and today's service figures.

    Today's figures are the report's for [today_start, now): the day's ended contacts
    and those still in the center, by the one definition (`inbound_by_queue`).
    """
    period = inbound_by_queue(
        chain(
            (record for records in today.values() for record in records),
            center.open_interactions(now),
        ),
        today_start,
    )
    longest: dict[str, float] = dict.fromkeys(center.queues, 0.0)
    for contact in center.contacts.values():
        if contact.state in _WAITING and contact.queue in longest:
            longest[contact.queue] = max(longest[contact.queue], now - contact.arrived_at)
    ready = _ready_per_queue(center)
    callbacks = dict.fromkeys(center.queues, 0)
    for contact in center.contacts.values():
        if contact.callback_number is not None and contact.queue in callbacks:
            callbacks[contact.queue] += 1
    for scheduled in center.scheduled.values():
        if scheduled.queue in callbacks:
            callbacks[scheduled.queue] += 1
    views = []
    for name in center.queues:
        config = configs.get(name)
        if config is None:
            continue  # a campaign's queue: its figures are the campaign's row
        threshold = float(config.service_level.threshold)
        kpis = queue_kpis(period.get(name, ()), threshold, now)
        views.append(
            {
                "name": name,
                "waiting": center.queue_length(name),
                "longest_wait": longest[name],
                "staffed": center.staffed(name),
                "ready": ready[name],
                "occupancy": _occupancy(center.staffed(name), ready[name]),
                "callbacks_pending": callbacks[name],
                "handled_today": kpis.handled,
                "aht_today": kpis.aht,
                "offered_today": kpis.offered,
                "answered_today": kpis.answered,
                "abandoned_today": kpis.abandoned,
                "service_level_today": kpis.service_level,
                "abandon_rate_today": kpis.abandon_rate,
                "asa_today": kpis.asa,
                "threshold": threshold,
                "target": float(config.service_level.target),
            }
        )
    return views


def _occupancy(staffed: int, ready: int) -> float:
    """Busy share of the agents on the phones for a queue, now."""
    return 1.0 - ready / staffed if staffed else 0.0


def _ready_per_queue(center: Center) -> dict[str, int]:
    """Ready agents who may answer each queue (at any of its expansion steps)."""
    ready = dict.fromkeys(center.queues, 0)
    specs = [(name, queue.spec) for name, queue in center.queues.items()]
    for agent in center.agents.values():
        if agent.state is not AgentState.READY:
            continue
        for name, spec in specs:
            if spec.entry_lane(agent.group, agent.skills) is not None:
                ready[name] += 1
    return ready


# Lead-list columns that name a person, in the order a screen pop prefers them.
_NAME_FIELDS = ("name", "full_name", "customer", "company")


def customer_view(lead: Lead | None, history: Sequence[View], *, dialled: bool = False) -> View:
    """Who the customer is, for the screen pop: the lead (its name and fields) if one is
    known, and what the center did with this number before."""
    fields = (
        {} if lead is None else {str(k): v for k, v in lead.data.items() if v not in ("", None)}
    )
    lower = {key.casefold(): value for key, value in fields.items()}
    name = next((str(lower[key]) for key in _NAME_FIELDS if key in lower), None)
    if name is None and ("first_name" in lower or "last_name" in lower):
        name = " ".join(str(lower[k]) for k in ("first_name", "last_name") if k in lower)
    last = history[0] if history else None
    return {
        "name": name,
        "source": "dialled lead" if dialled else ("lead list" if lead is not None else None),
        "campaign": None if lead is None else lead.campaign,
        "lead_id": None if lead is None else lead.id,
        "fields": fields,
        "contacts": len(history),
        "last_at": None if last is None else last.get("ended_at") or last.get("arrived_at"),
        "last_disposition": None if last is None else last.get("disposition"),
    }
