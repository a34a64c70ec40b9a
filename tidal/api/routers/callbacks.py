"""`/api/v1/agents/{agent_id}/callbacks`: an agent's own pending callbacks, to move or cancel.

A callback is booked at wrap-up (`POST /interactions/{id}/disposition` with
`callback_at`): an inbound contact's by the Center, a campaign call's by its campaign.
Both are listed here under the agent who booked them; a move is refused by the same
rules as the booking (past, or outside the callee's calling window: 422 naming `at`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, ConfigDict

from tidal.api._auth import CurrentUser, Principal, not_found
from tidal.api._common import RuntimeDep, UtcDatetime
from tidal.api._paths import PathName
from tidal.api._runtime import Runtime
from tidal.api._views import as_dict
from tidal.api.const import API_PREFIX
from tidal.api.routers.agents import check_agent_access
from tidal.api.routers.interactions import check_callback_time
from tidal.core.compliance import AuditEntry
from tidal.core.events import CallbackCancelled, CallbackRescheduled

router = APIRouter(prefix=f"{API_PREFIX}/agents", tags=["callbacks"])


class CallbackOut(BaseModel):
    """A pending callback: when (UTC, and the callee's own time and zone), whom, where."""

    id: int
    agent_id: str | None
    number: str
    customer: str | None  # the lead's name, when a lead holds the number
    lead_id: int | None
    due: float  # epoch seconds
    due_at: str  # UTC, ISO 8601
    zone: str | None  # the callee's zone (the first, when the number spans several)
    zones: list[str]
    local_time: str | None  # the due time in the callee's zone, ISO 8601
    queue: str | None
    campaign: str | None
    note: str | None


class CallbackList(BaseModel):
    """The agent's pending callbacks, soonest first."""

    items: list[CallbackOut]
    total: int


class RescheduleIn(BaseModel):
    """The new time of a callback (with an offset)."""

    model_config = ConfigDict(extra="forbid")

    at: UtcDatetime


def _own_callback(
    principal: Principal, runtime: Runtime, agent_id: str, callback_id: int
) -> dict[str, Any]:
    """A pending callback this agent booked (404 otherwise: unknown, due, or another's)."""
    check_agent_access(principal, agent_id)
    found = runtime.callback(callback_id)
    item = None if found is None else as_dict(found)
    if item is None or item.get("agent_id") != agent_id:
        raise not_found(f"agent {agent_id!r} has no pending callback {callback_id}")
    return item


def _asker(principal: Principal) -> str | None:
    """The agent asking, whom the core holds to their own callbacks; None for a
    supervisor or admin, who may change anyone's."""
    return None if principal.supervises else principal.agent_id


def _audit(
    runtime: Runtime, principal: Principal, action: str, item: dict[str, Any], **more: Any
) -> None:
    details = {
        "callback_id": item["id"],
        "agent_id": item["agent_id"],
        "number": item["number"],
        "campaign": item["campaign"],
        "queue": item["queue"],
        "due_at": item["due_at"],
        **more,
    }
    at = datetime.fromtimestamp(runtime.now(), UTC)
    runtime.store.audit.append(AuditEntry(at, action, principal.actor, details=details))


@router.get("/{agent_id}/callbacks")
async def list_callbacks(
    agent_id: PathName, principal: CurrentUser, runtime: RuntimeDep
) -> CallbackList:
    """The agent's callbacks booked and not yet due, soonest first."""
    check_agent_access(principal, agent_id)
    items = [CallbackOut.model_validate(as_dict(c)) for c in runtime.callbacks(agent_id)]
    return CallbackList(items=items, total=len(items))


@router.patch("/{agent_id}/callbacks/{callback_id}")
async def reschedule_callback(
    agent_id: PathName,
    callback_id: int,
    body: RescheduleIn,
    principal: CurrentUser,
    runtime: RuntimeDep,
) -> CallbackOut:
    """Move a pending callback; audited as `callback_rescheduled` with `from` and `to`."""
    item = _own_callback(principal, runtime, agent_id, callback_id)
    zones = item["zones"]  # one zone: the callee's (a lead's own time_zone included)
    check_callback_time(
        body.at,
        item["number"],
        runtime.now(),
        name="at",
        time_zone=zones[0] if len(zones) == 1 else None,
    )
    runtime.submit(CallbackRescheduled(callback_id, body.at.timestamp(), _asker(principal)))
    moved = _own_callback(principal, runtime, agent_id, callback_id)
    _audit(
        runtime,
        principal,
        "callback_rescheduled",
        item,
        **{"from": item["due_at"], "to": moved["due_at"]},
    )
    return CallbackOut.model_validate(moved)


@router.delete("/{agent_id}/callbacks/{callback_id}", status_code=status.HTTP_204_NO_CONTENT)
async def cancel_callback(
    agent_id: PathName, callback_id: int, principal: CurrentUser, runtime: RuntimeDep
) -> Response:
    """Call a pending callback off (a campaign's lead is then done); audited as
    `callback_cancelled`."""
    item = _own_callback(principal, runtime, agent_id, callback_id)
    runtime.submit(CallbackCancelled(callback_id, _asker(principal)))
    _audit(runtime, principal, "callback_cancelled", item)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
