"""`/api/v1/flows`: call flows (IVR) as YAML text, validated by `tidal.config` on write."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response, status
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from tidal.api._auth import Admin, Supervisor, not_found
from tidal.api._common import Page, PagingDep, RuntimeDep
from tidal.api._limits import UPLOAD_ROUTE
from tidal.api._names import refuse_lookalike
from tidal.api._paths import PathName
from tidal.api._runtime import Runtime
from tidal.api.const import API_PREFIX
from tidal.config import ConfigError, ConfigIssue, parse_flow
from tidal.store import every_page

router = APIRouter(prefix=f"{API_PREFIX}/flows", tags=["flows"])
QUEUE_PAGE = 500

YAML_BODY: dict[str, Any] = {
    **UPLOAD_ROUTE,
    "requestBody": {
        "required": True,
        "content": {"application/yaml": {"schema": {"type": "string"}}},
    },
}


class FlowOut(BaseModel):
    """A call flow's YAML source, when it was last saved, and the queues that send
    their callers through it (a flow in use is not one to break lightly)."""

    name: str
    source: str
    updated_at: datetime
    queues: list[str] = []


def _users_of(runtime: Runtime) -> dict[str, list[str]]:
    """Flow name -> the queues whose stored configuration names it, by queue name."""
    users: dict[str, list[str]] = {}
    for queue in every_page(runtime.store.queues.list, QUEUE_PAGE):
        flow = queue.config.get("flow")
        if isinstance(flow, str):
            users.setdefault(flow, []).append(queue.name)
    return users


def _issue(issue: ConfigIssue) -> dict[str, Any]:
    return {
        "loc": ["body"],
        "line": issue.line,
        "path": issue.path,
        "msg": issue.message,
        "type": "flow",
    }


def _invalid(issues: list[dict[str, Any]]) -> HTTPException:
    return HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, detail=issues)


@router.get("")
def list_flows(_: Supervisor, runtime: RuntimeDep, paging: PagingDep) -> Page[FlowOut]:
    """Every call flow, by name."""
    flows = runtime.store.flows
    users = _users_of(runtime)
    items = [
        FlowOut(name=f.name, source=f.source, updated_at=f.updated_at, queues=users.get(f.name, []))
        for f in flows.list(limit=paging.limit, offset=paging.offset)
    ]
    return paging.page(items, flows.count())


@router.get("/{name}")
def get_flow(name: PathName, _: Supervisor, runtime: RuntimeDep) -> FlowOut:
    """One call flow's source."""
    flow = runtime.store.flows.get(name)
    if flow is None:
        raise not_found(f"no flow {name!r}")
    return FlowOut(
        name=flow.name,
        source=flow.source,
        updated_at=flow.updated_at,
        queues=_users_of(runtime).get(flow.name, []),
    )


@router.put("/{name}", openapi_extra=YAML_BODY)
async def put_flow(
    name: PathName, request: Request, _: Admin, runtime: RuntimeDep, response: Response
) -> FlowOut:
    """Create or replace a flow from YAML text; 422 lists every problem with line and path."""
    raw = await request.body()
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        message = f"not UTF-8 text ({error.reason} at byte {error.start})"
        raise _invalid([_issue(ConfigIssue(name, None, "", message))]) from None
    try:  # in a thread: a large flow must not hold up every other request
        flow = await run_in_threadpool(parse_flow, source, f"{name}.yaml")
    except ConfigError as error:
        raise _invalid([_issue(issue) for issue in error.issues]) from None
    if flow.name != name:
        message = f"the flow is named {flow.name!r} but the URL names {name!r}"
        raise _invalid([_issue(ConfigIssue(name, _name_line(source), "name", message))])
    refuse_lookalike("flow", name, runtime.store.flows.taken_by)
    now = datetime.now(UTC)
    if runtime.store.flows.put(name, source, now):
        response.status_code = status.HTTP_201_CREATED
    return FlowOut(
        name=name, source=source, updated_at=now, queues=_users_of(runtime).get(name, [])
    )


def _name_line(source: str) -> int | None:
    """The line of the top-level `name:` key, for the name-mismatch error."""
    for number, line in enumerate(source.splitlines(), start=1):
        if line.startswith("name:"):
            return number
    return None
