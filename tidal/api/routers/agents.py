"""`/api/v1/agents`: live agent views, agent profiles, state changes and the ringing offer."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from tidal.api._auth import Admin, CurrentUser, Principal, Supervisor, forbidden, not_found
from tidal.api._common import Page, PagingDep, RuntimeDep, unprocessable
from tidal.api._names import refuse_lookalike
from tidal.api._paths import PathName
from tidal.api._runtime import Runtime
from tidal.api._views import as_dict
from tidal.api.const import API_PREFIX
from tidal.api.schemas import AgentView, OfferView
from tidal.config import AgentPhone, SafeName, SafeText
from tidal.core.agent_state import AgentState
from tidal.core.campaigns import PreviewDial, PreviewSkipped
from tidal.core.events import (
    AgentLoggedIn,
    AgentLoggedOut,
    AgentNotReady,
    AgentReady,
    Event,
)
from tidal.store import AgentProfile, DuplicateAgentError, Store

router = APIRouter(prefix=f"{API_PREFIX}/agents", tags=["agents"])

# An agent in these states is working: a break or log-out waits for the work to end.
BUSY = frozenset({AgentState.RESERVED, AgentState.TALKING, AgentState.WRAP_UP})

AgentId = SafeName


class AgentProfileIn(BaseModel):
    """An agent profile for a user: the group and skill levels they log in with."""

    agent_id: AgentId
    group: SafeName
    skills: dict[SafeName, Annotated[int, Field(ge=1, le=10)]] = {}
    user: SafeName
    phone: AgentPhone | None = None  # browser, registered or sip:USER@HOST[:PORT]


class AgentProfileOut(BaseModel):
    """A stored agent profile."""

    agent_id: str
    group: str
    skills: dict[str, int]
    user: str | None  # None once the user is deleted
    phone: str | None = None


class StateChange(StrEnum):
    """The states an agent (or their supervisor) can ask for."""

    LOGGED_IN = "logged_in"
    READY = "ready"
    NOT_READY = "not_ready"
    LOGGED_OUT = "logged_out"


class StateIn(BaseModel):
    """A state change; `reason` is the not-ready reason code."""

    state: StateChange
    reason: SafeText | None = Field(default=None, min_length=1, max_length=100)


def check_agent_access(principal: Principal, agent_id: str) -> None:
    """Supervisors and admins may act for any agent, an agent only for themself (else 403)."""
    if not principal.supervises and principal.agent_id != agent_id:
        raise forbidden("an agent may only see and change their own agent")


def logged_out(profile: AgentProfile) -> AgentView:
    """The view of an agent with a profile whom the center has not seen log in."""
    return AgentView(agent_id=profile.agent_id, group=profile.group, state=AgentState.LOGGED_OUT)


def agent_view(runtime: Runtime, agent_id: str) -> AgentView:
    """The live view of an agent (logged out if only their profile exists), else 404."""
    view = runtime.agent_view(agent_id)
    if view is not None:
        return AgentView.model_validate(as_dict(view))
    profile = runtime.store.agents.get(agent_id)
    if profile is None:
        raise not_found(f"no agent {agent_id!r}")
    return logged_out(profile)


@router.get("")
async def list_agents(_: Supervisor, runtime: RuntimeDep, paging: PagingDep) -> Page[AgentView]:
    """Every agent's live state, by id; agents with a profile who never logged in too."""
    views = {}
    for view in runtime.agents_view():
        agent = AgentView.model_validate(as_dict(view))
        views[agent.agent_id] = agent
    profiles = runtime.store.agents
    for profile in profiles.list(limit=max(1, profiles.count())):
        views.setdefault(profile.agent_id, logged_out(profile))
    return paging.cut([views[agent_id] for agent_id in sorted(views)])


@router.post("", status_code=status.HTTP_201_CREATED)
def create_agent(
    body: AgentProfileIn, _: Admin, runtime: RuntimeDep, request: Request
) -> AgentProfileOut:
    """Give a user an agent profile (409 if the agent id or the user already has one)."""
    store = runtime.store
    user = store.users.get(body.user)
    if user is None:
        raise unprocessable(["body", "user"], f"no user {body.user!r}")
    refuse_lookalike("agent", body.agent_id, store.agents.taken_by)
    try:
        profile = store.agents.add(body.agent_id, body.group, body.skills, user.id, body.phone)
    except DuplicateAgentError as error:
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail=str(error)) from None
    request.app.state.access.changed(user.id)  # the user signs in as this agent from now on
    return _profile_out(store, profile)


class AgentProfilePatch(BaseModel):
    """What an admin may change in an agent's profile (fields left out stay)."""

    model_config = ConfigDict(extra="forbid")

    group: SafeName | None = None
    skills: dict[SafeName, Annotated[int, Field(ge=1, le=10)]] | None = None
    phone: AgentPhone | None = None


@router.patch("/{agent_id}")
def patch_agent(
    agent_id: PathName, body: AgentProfilePatch, _: Admin, runtime: RuntimeDep
) -> AgentProfileOut:
    """Change an agent's group, skills or phone; a logged-in agent serves its new queues
    at once, and the next offer rings the new phone."""
    store = runtime.store
    profile = store.agents.get(agent_id)
    if profile is None:
        raise not_found(f"no agent {agent_id!r}")
    group = body.group if body.group is not None else profile.group
    skills = dict(body.skills) if body.skills is not None else dict(profile.skills)
    runtime.change_agent(agent_id, group, skills)
    updated = store.agents.update(agent_id, group=group, skills=skills, phone=body.phone)
    if updated is None:
        raise not_found(f"no agent {agent_id!r}")
    return _profile_out(store, updated)


def _profile_out(store: Store, profile: AgentProfile) -> AgentProfileOut:
    user = None if profile.user_id is None else store.users.get_by_id(profile.user_id)
    return AgentProfileOut(
        agent_id=profile.agent_id,
        group=profile.group,
        skills=profile.skills,
        user=None if user is None else user.name,
        phone=profile.phone,
    )


@router.get("/profiles")
def list_profiles(_: Supervisor, runtime: RuntimeDep, paging: PagingDep) -> Page[AgentProfileOut]:
    """Every stored agent profile, by id (the admin's agent table in one request)."""
    store = runtime.store
    found = store.agents.list(limit=paging.limit, offset=paging.offset)
    return paging.page([_profile_out(store, p) for p in found], store.agents.count())


@router.get("/{agent_id}/profile")
def get_profile(agent_id: PathName, _: Supervisor, runtime: RuntimeDep) -> AgentProfileOut:
    """An agent's stored profile: the group, skills and user they log in with (the form
    that edits it starts from this)."""
    profile = runtime.store.agents.get(agent_id)
    if profile is None:
        raise not_found(f"no agent profile {agent_id!r}")
    return _profile_out(runtime.store, profile)


@router.get("/{agent_id}")
async def get_agent(agent_id: PathName, principal: CurrentUser, runtime: RuntimeDep) -> AgentView:
    """One agent's live state: supervisors and admins, or the agent themself."""
    check_agent_access(principal, agent_id)
    return agent_view(runtime, agent_id)


@router.post(
    "/{agent_id}/state",
    response_model=AgentView,
    responses={
        status.HTTP_202_ACCEPTED: {
            "description": "the agent is busy: the break or log-out waits for the work to end",
            "content": {"application/json": {"example": {"pending": "not_ready"}}},
        }
    },
)
async def change_state(
    agent_id: PathName, body: StateIn, principal: CurrentUser, runtime: RuntimeDep
) -> AgentView | JSONResponse:
    """Log in, go ready, go not ready (with a reason) or log out; 409 if the center refuses.

    Not ready or log out asked for during an offer, a call or wrap-up answers 202
    `{"pending": STATE}`: the core keeps it and applies it when the work ends (CONTRACTS §6).
    """
    check_agent_access(principal, agent_id)
    event: Event
    if body.state is StateChange.LOGGED_IN:
        profile = runtime.store.agents.get(agent_id)
        if profile is None:
            raise not_found(f"no agent profile {agent_id!r}")
        event = AgentLoggedIn(agent_id, profile.group, dict(profile.skills))
    elif body.state is StateChange.READY:
        event = AgentReady(agent_id)
    elif body.state is StateChange.NOT_READY:
        event = AgentNotReady(agent_id, pause_reason(runtime, body.reason))
    else:
        event = AgentLoggedOut(agent_id)
    runtime.submit(event)
    view = agent_view(runtime, agent_id)
    if body.state in (StateChange.NOT_READY, StateChange.LOGGED_OUT) and view.state in BUSY:
        return JSONResponse({"pending": str(body.state)}, status.HTTP_202_ACCEPTED)
    return view


def pause_reason(runtime: Runtime, asked: str | None) -> str:
    """The code of a known not-ready reason (the list's first when none is given)."""
    codes = [reason.code for reason in runtime.pause_reasons]
    if asked is None:
        return codes[0]
    if asked not in codes:
        listed = ", ".join(codes)
        message = f"{asked!r} is not a pause reason of this center (reasons: {listed})"
        raise unprocessable(["body", "reason"], message)
    return asked


@router.get(
    "/{agent_id}/offer",
    response_model=OfferView,
    responses={status.HTTP_204_NO_CONTENT: {"description": "nothing is ringing"}},
)
async def get_offer(
    agent_id: PathName, principal: CurrentUser, runtime: RuntimeDep
) -> OfferView | Response:
    """The contact ringing this agent with its screen pop, or 204 when none is."""
    check_agent_access(principal, agent_id)
    offer = runtime.offer_for(agent_id)
    if offer is None:
        return Response(status_code=status.HTTP_204_NO_CONTENT)
    return OfferView.model_validate(as_dict(offer))


class PreviewView(BaseModel):
    """The lead an agent is previewing (outbound preview mode)."""

    agent_id: str
    call_id: int
    campaign: str
    number: str
    lead: dict[str, Any]
    attempts: int = 0
    history: list[dict[str, Any]] = []
    dial_at: float | None = None  # dialled anyway then, unless dialled or skipped first


class SkipIn(BaseModel):
    """Why the agent passes on a lead (kept with the logged event)."""

    model_config = ConfigDict(extra="forbid")

    reason: SafeText = Field(default="skipped", min_length=1, max_length=200)


def current_preview(runtime: Runtime, agent_id: str) -> PreviewView:
    preview = runtime.preview_for(agent_id)
    if preview is None:
        raise not_found(f"agent {agent_id!r} is previewing no lead")
    return PreviewView.model_validate(as_dict(preview))


@router.get(
    "/{agent_id}/preview",
    response_model=PreviewView,
    responses={status.HTTP_204_NO_CONTENT: {"description": "no lead is being previewed"}},
)
async def get_preview(
    agent_id: PathName, principal: CurrentUser, runtime: RuntimeDep
) -> PreviewView | Response:
    """The lead this agent is previewing, with its fields and history; 204 when none."""
    check_agent_access(principal, agent_id)
    if runtime.preview_for(agent_id) is None:
        return Response(status_code=status.HTTP_204_NO_CONTENT)
    return current_preview(runtime, agent_id)


@router.post("/{agent_id}/preview/dial")
async def dial_preview(
    agent_id: PathName, principal: CurrentUser, runtime: RuntimeDep
) -> AgentView:
    """Dial the previewed lead now; the compliance gate is asked again at this moment."""
    check_agent_access(principal, agent_id)
    preview = current_preview(runtime, agent_id)
    runtime.submit(PreviewDial(preview.call_id, agent_id))
    return agent_view(runtime, agent_id)


@router.post("/{agent_id}/preview/skip")
async def skip_preview(
    agent_id: PathName, body: SkipIn, principal: CurrentUser, runtime: RuntimeDep
) -> AgentView:
    """Pass on the previewed lead with a reason (not an attempt); the next one comes."""
    check_agent_access(principal, agent_id)
    preview = current_preview(runtime, agent_id)
    runtime.submit(PreviewSkipped(preview.call_id, agent_id, body.reason))
    return agent_view(runtime, agent_id)
