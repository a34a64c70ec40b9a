"""`/api/v1/contacts/{caller}/history`: every earlier interaction with a number."""

from __future__ import annotations

from fastapi import APIRouter

from tidal.api._auth import CurrentUser, Principal, forbidden
from tidal.api._common import Page, PagingDep, RuntimeDep
from tidal.api._runtime import Runtime
from tidal.api._views import field, record_json
from tidal.api.const import API_PREFIX
from tidal.api.schemas import InteractionOut

router = APIRouter(prefix=f"{API_PREFIX}/contacts", tags=["contacts"])


def agent_has_caller(principal: Principal, runtime: Runtime, caller: str) -> bool:
    """Whether the caller's number is on a contact offered to, or handled by, this agent."""
    agent_id = principal.agent_id
    if agent_id is None:
        return False
    if field(runtime.offer_for(agent_id), "caller") == caller:
        return True
    contact_id = field(runtime.agent_view(agent_id), "contact_id")
    return contact_id is not None and field(runtime.contact_view(contact_id), "caller") == caller


@router.get("/{caller}/history")
async def history(
    caller: str, principal: CurrentUser, runtime: RuntimeDep, paging: PagingDep
) -> Page[InteractionOut]:
    """Inbound and outbound interactions with this number, oldest first.

    An agent may read it only for the contact ringing them or the one they handle.
    """
    if not principal.supervises and not agent_has_caller(principal, runtime, caller):
        raise forbidden("an agent may only read the history of their own contact")
    interactions = runtime.store.interactions
    records = interactions.list(caller=caller, limit=paging.limit, offset=paging.offset)
    items = [InteractionOut.model_validate(record_json(r)) for r in records]
    return paging.page(items, interactions.count(caller=caller))
