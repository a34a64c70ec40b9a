"""`/api/v1/queues`: live queue figures for everyone, queue configuration for managers.

A queue created or replaced here reaches the running center at once, as a logged
event (`QueueConfigured`): no restart, and a replay rebuilds it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Response, status
from pydantic import BaseModel

from tidal.api._auth import Admin, CurrentUser, Supervisor, not_found
from tidal.api._common import Page, PagingDep, RuntimeDep, unprocessable
from tidal.api._names import refuse_lookalike
from tidal.api._paths import PathName
from tidal.api._views import as_dict
from tidal.api.const import API_PREFIX
from tidal.api.schemas import QueueView
from tidal.config import QueueConfig
from tidal.store import Role

router = APIRouter(prefix=f"{API_PREFIX}/queues", tags=["queues"])


class QueueConfigOut(BaseModel):
    """A queue's stored configuration."""

    name: str
    config: dict[str, Any]


def name_mismatch(path_name: str, body_name: str) -> HTTPException:
    """422 when a body names another resource than its URL."""
    message = f"the body names {body_name!r} but the URL names {path_name!r}"
    return unprocessable(["body", "name"], message)


def stored(config: QueueConfig) -> dict[str, Any]:
    """The configuration as it is kept: JSON, only what was given."""
    return config.model_dump(mode="json", exclude_unset=True)


@router.get("")
async def list_queues(_: CurrentUser, runtime: RuntimeDep, paging: PagingDep) -> Page[QueueView]:
    """Every queue's live figures (agents too: their desktop shows waiting counts)."""
    views = [QueueView.model_validate(as_dict(v)) for v in runtime.queues_view()]
    return paging.cut(views)


@router.get("/{name}/config")
def get_queue_config(name: PathName, _: Supervisor, runtime: RuntimeDep) -> QueueConfigOut:
    """A queue's stored configuration; for a queue of the center file that nobody has
    saved through the API, the one the running center has (the admin's form edits it)."""
    found = runtime.store.queues.get(name)
    if found is not None:
        return QueueConfigOut(name=found.name, config=found.config)
    running = runtime.queue_config(name)
    if running is None:
        raise not_found(f"no queue {name!r}")
    return QueueConfigOut(name=name, config=stored(running))


@router.post("", status_code=status.HTTP_201_CREATED)
def create_queue(body: QueueConfig, _: Admin, runtime: RuntimeDep) -> QueueConfigOut:
    """Add a queue's configuration (409 if the name is taken)."""
    queues = runtime.store.queues
    if queues.get(body.name) is not None:
        raise HTTPException(status.HTTP_409_CONFLICT, f"queue {body.name!r} already exists")
    refuse_lookalike("queue", body.name, queues.taken_by)
    runtime.configure_queue(body)  # the running center takes it first: the log is the truth
    queues.put(body.name, stored(body))
    return QueueConfigOut(name=body.name, config=stored(body))


@router.put("/{name}")
def put_queue(
    name: PathName,
    body: QueueConfig,
    principal: Supervisor,
    runtime: RuntimeDep,
    response: Response,
) -> QueueConfigOut:
    """Replace a queue's configuration; only an admin may create one this way."""
    if body.name != name:
        raise name_mismatch(name, body.name)
    queues = runtime.store.queues
    if principal.role is not Role.ADMIN and queues.get(name) is None:
        raise not_found(f"no queue {name!r} (an admin creates queues)")
    refuse_lookalike("queue", name, queues.taken_by)
    runtime.configure_queue(body)
    if queues.put(name, stored(body)):
        response.status_code = status.HTTP_201_CREATED
    return QueueConfigOut(name=name, config=stored(body))
