"""`GET /healthz`: whether the server answers, and whether its center can be trusted."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from pydantic import BaseModel

from tidal.api._common import RuntimeDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """`ok`, or `degraded` with the reasons: a logged event refused on replay (the log is
    not whole) or a store that cannot be written or read (events are refused)."""

    status: str
    reasons: list[str] = []
    replay_refused: int = 0
    commit_failures: int = 0
    accepting_events: bool = True
    store_writable: bool = True


@router.get("/healthz", response_model_exclude_defaults=True)
def healthz(runtime: RuntimeDep, response: Response) -> Health:
    """`{"status": "ok"}` (CONTRACTS section 6) while all is well; `degraded` with the
    reasons and counts otherwise: 200 while the center takes events (its log was not
    whole on replay), 503 while it cannot store them (the last commit failed, or the log
    cannot even be read), so a balancer sends work elsewhere."""
    health = Health.model_validate(runtime.health())
    if not (health.accepting_events and health.store_writable):
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return health
