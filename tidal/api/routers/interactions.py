"""`/api/v1/interactions`: records (an agent sees their own), hang-up and disposition."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from functools import cache
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, Field

from tidal.api._auth import CurrentUser, Principal, forbidden
from tidal.api._common import (
    OptionalPeriodDep,
    Page,
    PagingDep,
    RuntimeDep,
    UtcDatetime,
    bad_query,
    unprocessable,
)
from tidal.api._runtime import Runtime
from tidal.api._views import field, record_json
from tidal.api.const import API_PREFIX
from tidal.api.routers.agents import agent_view
from tidal.api.schemas import AgentView, InteractionOut
from tidal.config import SafeText, load_calling_rules
from tidal.core.campaigns import CAMPAIGN_QUEUE_PREFIX, BooksNoCallback
from tidal.core.compliance import AuditEntry, CallingWindows, nanp_number
from tidal.core.events import CallbackScheduled, CallEnded, WrapUpDone

router = APIRouter(prefix=f"{API_PREFIX}/interactions", tags=["interactions"])


class DispositionIn(BaseModel):
    """How the agent closes a contact: the disposition, notes, and a callback if agreed."""

    disposition: SafeText = Field(min_length=1, max_length=100)
    notes: SafeText | None = Field(default=None, max_length=4000)
    callback_at: UtcDatetime | None = None


def invalid(name: str, message: str) -> HTTPException:
    """422 naming one body field."""
    return unprocessable(["body", name], message)


@cache
def callee_windows() -> CallingWindows:
    """The calling-window rules a callback time must fall in (the callee's local hours)."""
    return CallingWindows(load_calling_rules())


def check_callback_time(
    at: datetime,
    number: str,
    now: float,
    *,
    name: str = "callback_at",
    time_zone: str | None = None,
    postal_code: str | None = None,
) -> None:
    """A callback is promised for later, within the callee's calling window; a refusal
    (422 naming the body field `name`) says the time in the callee's own zone."""
    nanp = nanp_number(number)
    if at.timestamp() <= now:
        zones = (
            ()
            if nanp is None
            else callee_windows().locate(nanp, time_zone=time_zone, postal_code=postal_code).zones
        )
        if zones:  # said in the callee's own time, as the agent and customer agreed it
            theirs = ZoneInfo(zones[0])
            then, current = at.astimezone(theirs), datetime.fromtimestamp(now, theirs)
            raise invalid(
                name,
                f"{then.strftime('%a %d %b %H:%M')} {zones[0]} is in the past for the callee "
                f"(it is {current.strftime('%a %d %b %H:%M')} there now)",
            )
        when = datetime.fromtimestamp(now, at.tzinfo).isoformat(timespec="minutes")
        raise invalid(name, f"{at.isoformat(timespec='minutes')} is in the past (now {when})")
    if nanp is None:
        return  # not a North American number: no calling-window rules to apply
    decision = callee_windows().check(nanp, at, time_zone=time_zone, postal_code=postal_code)
    if decision.allowed:
        return
    local = ", ".join(
        f"{moment.strftime('%a %H:%M')} {zone}"
        for moment, zone in zip(decision.local_times, decision.zones, strict=False)
    )
    later = decision.next_allowed
    hint = ""
    if later is not None:
        # In the callee's own time when they have one zone: that is how a caller says it.
        zone = ZoneInfo(decision.zones[0]) if len(decision.zones) == 1 else None
        shown = later.astimezone(zone or at.tzinfo).isoformat("T", "minutes")
        hint = f"; the next allowed time is {shown}"
    raise invalid(
        name,
        f"{at.isoformat(timespec='minutes')} is {local or 'an unknown time'} for the callee: "
        f"outside their calling window{hint}",
    )


def handling_agent(principal: Principal, runtime: Runtime, contact_id: int) -> str:
    """The caller's agent id if they are handling this contact (talking or wrapping up)."""
    agent_id = principal.agent_id
    if agent_id is None or field(runtime.agent_view(agent_id), "contact_id") != contact_id:
        raise forbidden(f"you are not handling contact {contact_id}")
    return agent_id


def customer_number(raw: str) -> str:
    """A number as the records hold it: a North American number however written
    (212-555-0100, (212) 555-0100) in E.164; anything else as given."""
    nanp = nanp_number(raw)
    return raw.strip() if nanp is None else f"+1{nanp}"


@router.get("")
def list_interactions(
    principal: CurrentUser,
    runtime: RuntimeDep,
    paging: PagingDep,
    period: OptionalPeriodDep,
    agent: Annotated[str | None, Query()] = None,
    queue: Annotated[str | None, Query()] = None,
    caller: Annotated[str | None, Query()] = None,
    number: Annotated[str | None, Query(min_length=1, max_length=40)] = None,
    disposition: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
) -> Page[InteractionOut]:
    """Interaction records in arrival order; an agent only ever gets their own.

    `number` is the customer's: the caller of an inbound contact, the called party of a
    dial (the records keep both as `caller`); `disposition` is the agent's code.
    """
    if not principal.supervises:
        if principal.agent_id is None or agent not in (None, principal.agent_id):
            raise forbidden("an agent may only list their own interactions")
        agent = principal.agent_id
    if number is not None:
        wanted = customer_number(number)
        if caller is not None and caller != wanted:
            raise bad_query(
                "number", f"{number!r} and caller={caller!r} name two numbers: give one"
            )
        caller = wanted
    since = None if period is None else period.start
    until = None if period is None or period.end == float("inf") else period.end
    interactions = runtime.store.interactions
    found = {"caller": caller, "agent_id": agent, "disposition": disposition}
    records = interactions.list(queue, since, until, paging.limit, paging.offset, **found)
    total = interactions.count(queue, since, until, **found)
    return paging.page([InteractionOut.model_validate(record_json(r)) for r in records], total)


@router.post("/{contact_id}/hangup")
async def hang_up(contact_id: int, principal: CurrentUser, runtime: RuntimeDep) -> AgentView:
    """End the call the agent is talking on; the agent enters wrap-up."""
    agent_id = handling_agent(principal, runtime, contact_id)
    runtime.submit(CallEnded(contact_id))
    return agent_view(runtime, agent_id)


@router.post("/{contact_id}/disposition")
async def disposition(
    contact_id: int, body: DispositionIn, principal: CurrentUser, runtime: RuntimeDep
) -> AgentView:
    """End wrap-up with the agent's disposition; the disposition and notes are audited.

    With `callback_at`, one callback to the contact's number is booked, by this agent: a
    campaign call's by its campaign (the dialer, for a disposition that books one), an
    inbound contact's in its queue (`CallbackScheduled`).
    """
    agent_id = handling_agent(principal, runtime, contact_id)
    contact = runtime.contact_view(contact_id)
    queue, number = field(contact, "queue"), field(contact, "caller")
    allowed = runtime.dispositions_for(queue) if queue else []
    if allowed and body.disposition not in allowed:
        raise invalid(
            "disposition", f"{body.disposition!r} is not one of {queue}'s: {', '.join(allowed)}"
        )
    callback: CallbackScheduled | None = None
    callback_id: int | None = None
    wrap_up = WrapUpDone(agent_id, body.disposition, contact_id)
    if body.callback_at is not None:
        if not queue or not number:
            raise HTTPException(
                status_code=status.HTTP_409_CONFLICT,
                detail=f"contact {contact_id} has no number to call back",
            )
        check_callback_time(body.callback_at, number, runtime.now())
        due = body.callback_at.timestamp()
        if queue.startswith(CAMPAIGN_QUEUE_PREFIX):  # the campaign's, booked by its dialer
            wrap_up = replace(wrap_up, callback_at=due, note=body.notes)
            callback_id = contact_id
        else:
            callback_id = runtime.new_contact_id()
            callback = CallbackScheduled(callback_id, queue, number, due, agent_id, body.notes)
    try:
        runtime.submit(wrap_up)
    except BooksNoCallback as refused:
        raise invalid("callback_at", str(refused)) from None
    if callback is not None:
        runtime.submit(callback)
    details = {
        "contact_id": contact_id,
        "agent_id": agent_id,
        "disposition": body.disposition,
        "notes": body.notes,
        "callback_at": None if body.callback_at is None else body.callback_at.isoformat(),
        "callback_contact_id": callback_id,
    }
    at = datetime.fromtimestamp(runtime.now(), UTC)
    runtime.store.audit.append(AuditEntry(at, "disposition", principal.actor, details=details))
    return agent_view(runtime, agent_id)
