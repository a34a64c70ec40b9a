"""`create_app`: the FastAPI application of the live contact center."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from tidal.api._auth import TokenIssuer, load_secret
from tidal.api._compliance import ComplianceDesk
from tidal.api._metrics import router as metrics_router
from tidal.api._runtime import Runtime
from tidal.api._stream import router as stream_router
from tidal.api.routers import (
    agents,
    audit,
    auth,
    campaigns,
    contacts,
    dnc,
    flows,
    health,
    interactions,
    offers,
    queues,
    reports,
    users,
)
from tidal.core.errors import CoreError
from tidal.store.const import DEFAULT_HOME, HOME_ENV

ROUTERS = (
    health.router,
    auth.router,
    users.router,
    agents.router,
    offers.router,
    interactions.router,
    contacts.router,
    queues.router,
    campaigns.router,
    dnc.router,
    flows.router,
    reports.router,
    audit.router,
    metrics_router,
    stream_router,
)


async def _refused(_: Request, error: Exception) -> JSONResponse:
    """The core refused the step: 409 with its message."""
    return JSONResponse(status_code=status.HTTP_409_CONFLICT, content={"detail": str(error)})


async def _invalid(_: Request, error: Exception) -> JSONResponse:
    """422 with pydantic's field paths, without echoing the values sent (passwords)."""
    assert isinstance(error, RequestValidationError)
    detail: list[dict[str, Any]] = [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
        for e in error.errors()
    ]
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        content={"detail": jsonable_encoder(detail)},
    )


def create_app(runtime: Runtime, home: Path | None = None) -> FastAPI:
    """The API over a running center; `home` holds `secret.key` (default $TIDAL_HOME).

    The runtime is started and stopped by whoever serves the app (e.g. in a lifespan).
    """
    home = home if home is not None else Path(os.environ.get(HOME_ENV) or DEFAULT_HOME)
    app = FastAPI(
        title="Tidal",
        summary="Open, self-hosted, blended contact center",
        version="0.1.0",
    )
    app.state.runtime = runtime
    app.state.tokens = TokenIssuer(load_secret(home))
    app.state.compliance = ComplianceDesk(home, runtime.store)
    app.add_exception_handler(CoreError, _refused)
    app.add_exception_handler(RequestValidationError, _invalid)
    for router in ROUTERS:
        app.include_router(router)
    return app
