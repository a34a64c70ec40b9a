"""`/api/v1/offers/{contact_id}`: the agent offered a contact accepts or declines it."""

from __future__ import annotations

from fastapi import APIRouter

from tidal.api._auth import CurrentUser, Principal, forbidden
from tidal.api._common import RuntimeDep
from tidal.api._runtime import Runtime
from tidal.api._views import field
from tidal.api.const import API_PREFIX
from tidal.api.routers.agents import agent_view
from tidal.api.schemas import AgentView
from tidal.core.events import OfferAccepted, OfferDeclined

router = APIRouter(prefix=f"{API_PREFIX}/offers", tags=["offers"])


def offered_agent(principal: Principal, runtime: Runtime, contact_id: int) -> str:
    """The caller's agent id if this contact is ringing them; 403 otherwise."""
    agent_id = principal.agent_id
    if agent_id is None or field(runtime.offer_for(agent_id), "contact_id") != contact_id:
        raise forbidden(f"contact {contact_id} is not offered to you")
    return agent_id


@router.post("/{contact_id}/accept")
async def accept(contact_id: int, principal: CurrentUser, runtime: RuntimeDep) -> AgentView:
    """Answer the offered contact; talk starts."""
    agent_id = offered_agent(principal, runtime, contact_id)
    runtime.submit(OfferAccepted(contact_id, agent_id))
    return agent_view(runtime, agent_id)


@router.post("/{contact_id}/decline")
async def decline(contact_id: int, principal: CurrentUser, runtime: RuntimeDep) -> AgentView:
    """Refuse the offered contact; it goes back to the head of its queue."""
    agent_id = offered_agent(principal, runtime, contact_id)
    runtime.submit(OfferDeclined(contact_id, agent_id))
    return agent_view(runtime, agent_id)
