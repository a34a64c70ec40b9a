"""`/api/v1/campaigns`: campaign configuration, start/pause/stop, and lead lists (CSV
upload, leads by state and number, recycling)."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response, UploadFile, status
from pydantic import BaseModel, Field, field_validator

from tidal.api._auth import Admin, Principal, Supervisor, not_found
from tidal.api._common import Page, PagingDep, RuntimeDep, unprocessable
from tidal.api._compliance import ComplianceDesk
from tidal.api._leads import leads_now, matches, on_a_list, search_digits
from tidal.api._limits import UPLOAD_ROUTE
from tidal.api._names import refuse_lookalike
from tidal.api._paths import PathName
from tidal.api._runtime import Runtime
from tidal.api.const import API_PREFIX
from tidal.api.routers.queues import name_mismatch
from tidal.config import CampaignConfig
from tidal.core.campaigns import RECYCLABLE, CampaignState, LeadState, parse_leads
from tidal.core.compliance.audit import AuditEntry
from tidal.dnc import read_csv_rows
from tidal.store import every_page

router = APIRouter(prefix=f"{API_PREFIX}/campaigns", tags=["campaigns"])


class CampaignOut(BaseModel):
    """A campaign's stored configuration and how many leads it holds."""

    name: str
    config: dict[str, Any]
    leads: int
    state: str | None = None  # running, paused, stopped; None if the center does not run it


class CampaignStateOut(BaseModel):
    """A campaign's supervisor switch after a start, pause or stop."""

    name: str
    state: str


class LeadOut(BaseModel):
    """A lead: its E.164 numbers, the list's other fields and its state."""

    id: int
    numbers: list[str]
    data: dict[str, Any]
    state: str


class RejectedRow(BaseModel):
    """A row of the list that was not imported, and why."""

    row: int
    column: str
    reason: str
    value: str


class LeadUpload(BaseModel):
    """What a lead list upload did: rows kept, merged, and rejected with reasons."""

    rows: int
    accepted: int
    merged: int
    already_in_campaign: int
    rejected: list[RejectedRow]


def stored(config: CampaignConfig) -> dict[str, Any]:
    """The configuration as it is kept: JSON, only what was given."""
    return config.model_dump(mode="json", exclude_unset=True)


def _configs(runtime: Runtime) -> dict[str, dict[str, Any]]:
    """Every campaign by name: the center file's as the running center has them, and
    those saved through the API (which win: they are the newer edit)."""
    configs = {name: stored(config) for name, config in runtime.campaign_configs.items()}
    saved = every_page(runtime.store.campaigns.list)
    return configs | {campaign.name: campaign.config for campaign in saved}


def _known(runtime: Runtime, name: str) -> bool:
    """A campaign of the store or of the running center (one of its center file)."""
    return runtime.store.campaigns.get(name) is not None or name in runtime.campaign_configs


@router.get("")
def list_campaigns(_: Supervisor, runtime: RuntimeDep, paging: PagingDep) -> Page[CampaignOut]:
    """Every campaign by name, those of the center file included."""
    store = runtime.store
    configs = _configs(runtime)
    names = sorted(configs)
    items = [
        CampaignOut(
            name=name,
            config=configs[name],
            leads=store.leads.count(name),
            state=runtime.campaign_state(name),
        )
        for name in names[paging.offset : paging.offset + paging.limit]
    ]
    return paging.page(items, len(names))


@router.post("", status_code=status.HTTP_201_CREATED)
def create_campaign(body: CampaignConfig, _: Admin, runtime: RuntimeDep) -> CampaignOut:
    """Add a campaign (409 if the name is taken); it joins the running center stopped."""
    campaigns = runtime.store.campaigns
    if campaigns.get(body.name) is not None:
        raise HTTPException(status.HTTP_409_CONFLICT, f"campaign {body.name!r} already exists")
    refuse_lookalike("campaign", body.name, campaigns.taken_by)
    runtime.configure_campaign(body)  # the running center takes it first: the log is the truth
    campaigns.put(body.name, stored(body))
    return CampaignOut(
        name=body.name, config=stored(body), leads=0, state=runtime.campaign_state(body.name)
    )


@router.put("/{name}")
def put_campaign(
    name: PathName, body: CampaignConfig, _: Admin, runtime: RuntimeDep, response: Response
) -> CampaignOut:
    """Create or replace a campaign's configuration; a running campaign keeps its leads,
    calls and state and dials by the new rules from its next pacing step."""
    if body.name != name:
        raise name_mismatch(name, body.name)
    store = runtime.store
    refuse_lookalike("campaign", name, store.campaigns.taken_by)
    runtime.configure_campaign(body)  # applies now; a new one waits, stopped, for a start
    if store.campaigns.put(name, stored(body)):
        response.status_code = status.HTTP_201_CREATED
    return CampaignOut(
        name=name,
        config=stored(body),
        leads=store.leads.count(name),
        state=runtime.campaign_state(name),
    )


def _switch(
    name: str, state: CampaignState, principal: Principal, runtime: Runtime, request: Request
) -> CampaignStateOut:
    """Set a campaign's state in the running center (a logged event) and audit who did."""
    if not _known(runtime, name):
        raise not_found(f"no campaign {name!r}")
    before = runtime.campaign_state(name)
    if before is None:
        raise HTTPException(
            status.HTTP_409_CONFLICT, f"campaign {name!r} is not in the running center"
        )
    after = runtime.set_campaign_state(name, state)
    desk: ComplianceDesk = request.app.state.compliance
    at = datetime.fromtimestamp(runtime.now(), UTC)
    details = {"campaign": name, "from": before, "to": after}
    desk.record(
        [AuditEntry(at=at, action="campaign_state", actor=principal.actor, details=details)]
    )
    return CampaignStateOut(name=name, state=after)


@router.post("/{name}/start")
def start_campaign(
    name: PathName, principal: Supervisor, runtime: RuntimeDep, request: Request
) -> CampaignStateOut:
    """Dial again (a paused or stopped campaign): from the next pacing step."""
    return _switch(name, CampaignState.RUNNING, principal, runtime, request)


@router.post("/{name}/pause")
def pause_campaign(
    name: PathName, principal: Supervisor, runtime: RuntimeDep, request: Request
) -> CampaignStateOut:
    """No new dials from now on, for a while; leads on preview cards go back first in line."""
    return _switch(name, CampaignState.PAUSED, principal, runtime, request)


@router.post("/{name}/stop")
def stop_campaign(
    name: PathName, principal: Supervisor, runtime: RuntimeDep, request: Request
) -> CampaignStateOut:
    """Off until started again; calls in progress finish as they would."""
    return _switch(name, CampaignState.STOPPED, principal, runtime, request)


LeadStates = Annotated[
    list[LeadState] | None, Query(alias="state", description="A lead state (repeat)")
]
NumberSearch = Annotated[
    str | None, Query(max_length=40, description="Digits the lead's number holds")
]


@router.get("/{name}/leads")
def list_leads(
    name: PathName,
    _: Supervisor,
    runtime: RuntimeDep,
    paging: PagingDep,
    states: LeadStates = None,
    number: NumberSearch = None,
) -> Page[LeadOut]:
    """The campaign's leads in the order they were added, with their state in the
    running dialer; `?state=` (repeat) and `?number=` (its digits, anywhere) filter."""
    store = runtime.store
    if not _known(runtime, name):
        raise not_found(f"no campaign {name!r}")
    wanted = search_digits(number)
    found = leads_now(store, name, runtime.lead_states(name))
    chosen = {str(state) for state in states or ()}
    kept = [f for f in found if matches(f, chosen, wanted)]
    items = [
        LeadOut(id=f.lead.id, numbers=list(f.lead.numbers), data=f.lead.data, state=f.state)
        for f in kept[paging.offset : paging.offset + paging.limit]
    ]
    return paging.page(items, len(kept))


class RecycleIn(BaseModel):
    """Which leads to recycle: those in these states (new, callback, done)."""

    states: list[LeadState] = Field(min_length=1, max_length=len(LeadState))

    @field_validator("states")
    @classmethod
    def _no_call_in_progress(cls, states: list[LeadState]) -> list[LeadState]:
        busy = [str(s) for s in states if s not in RECYCLABLE]
        if busy:
            allowed = ", ".join(sorted(str(s) for s in RECYCLABLE))
            raise ValueError(
                f"a lead in {', '.join(busy)} has a call in progress; "
                f"only {allowed} leads may be recycled"
            )
        return states


class RecycleOut(BaseModel):
    """What a recycle did: leads back to new, and those left out for a DNC list."""

    campaign: str
    states: list[str]
    recycled: int
    refused_dnc: int


@router.post("/{name}/leads/recycle")
def recycle_leads(
    name: PathName, body: RecycleIn, principal: Supervisor, runtime: RuntimeDep, request: Request
) -> RecycleOut:
    """Leads in the chosen states start over (new, fresh attempts, due now); a lead
    whose every number is on a Do-Not-Call list is refused. Audited."""
    store = runtime.store
    if not _known(runtime, name):
        raise not_found(f"no campaign {name!r}")
    if runtime.campaign_state(name) is None:
        raise HTTPException(
            status.HTTP_409_CONFLICT, f"campaign {name!r} is not in the running center"
        )
    desk: ComplianceDesk = request.app.state.compliance
    gate = desk.open()
    at = datetime.fromtimestamp(runtime.now(), UTC)
    chosen = {str(state) for state in body.states}
    recycled: list[int] = []
    refused = 0
    for found in leads_now(store, name, runtime.lead_states(name)):
        if found.state not in chosen:
            continue
        if on_a_list(gate, found.lead, name, at):
            refused += 1
        else:
            recycled.append(found.lead.id)
    if recycled:
        runtime.recycle_leads(name, recycled)
    out = RecycleOut(
        campaign=name, states=sorted(chosen), recycled=len(recycled), refused_dnc=refused
    )
    details = {"states": out.states, "recycled": out.recycled, "refused_dnc": refused}
    desk.record(
        [
            AuditEntry(
                at=at,
                action="leads_recycled",
                actor=principal.actor,
                campaign=name,
                details=details,
            )
        ]
    )
    return out


def _unreadable(message: str) -> HTTPException:
    return unprocessable(["body", "file"], message)


@router.post("/{name}/leads", openapi_extra=UPLOAD_ROUTE)
def upload_leads(
    name: PathName,
    file: UploadFile,
    _: Admin,
    runtime: RuntimeDep,
    column: Annotated[list[str] | None, Query(description="A phone column (repeat)")] = None,
) -> LeadUpload:
    """Import a lead CSV: good rows are stored, bad rows come back with row, column, reason.

    422 only when nothing could be read (not text, no header, no phone column).
    """
    store = runtime.store
    if not _known(runtime, name):
        raise not_found(f"no campaign {name!r}")
    try:
        header, rows = read_csv_rows(file.file.read().decode("utf-8-sig"))
    except (UnicodeDecodeError, csv.Error) as error:
        raise _unreadable(f"cannot read it as CSV text ({error})") from None
    if header is None:
        raise _unreadable("the file is empty (a header row is needed)")
    try:
        result = parse_leads(
            header, rows, phone_columns=column or (), existing=store.leads.numbers(name)
        )
    except ValueError as error:
        raise _unreadable(str(error)) from None
    accepted = store.leads.add_many(
        name, [([n for _, n in lead.numbers], lead.data) for lead in result.leads]
    )
    return LeadUpload(
        rows=result.rows,
        accepted=accepted,
        merged=result.merged,
        already_in_campaign=result.known,
        rejected=[
            RejectedRow(row=e.row, column=e.column, reason=e.reason, value=e.value)
            for e in result.errors
        ],
    )
