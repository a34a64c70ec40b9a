"""`create_app`: the FastAPI application of the live contact center."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from tidal.api._auth import Access, TokenIssuer, load_secret
from tidal.api._compliance import ComplianceDesk
from tidal.api._limits import BodyLimit, upload_limit, upload_routes
from tidal.api._logging import install_token_redaction
from tidal.api._metrics import router as metrics_router
from tidal.api._paths import EncodedSeparatorGuard
from tidal.api._runtime import Runtime
from tidal.api._security import SecurityHeaders, mount_docs
from tidal.api._signin import SignInGuard
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
    pause_reasons,
    queues,
    reports,
    users,
)
from tidal.config import secure_home
from tidal.core.errors import CoreError
from tidal.live.health import StoreUnavailable
from tidal.store.const import DEFAULT_HOME, HOME_ENV

ROUTERS = (
    health.router,
    auth.router,
    users.router,
    agents.router,
    pause_reasons.router,
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


async def _unavailable(_: Request, error: Exception) -> JSONResponse:
    """The event could not be stored, so it was not taken: 503, try again shortly."""
    return JSONResponse(
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        content={"detail": f"not taken: {error}"},
        headers={"Retry-After": "2"},
    )


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


def create_app(
    runtime: Runtime, home: Path | None = None, *, start_runtime: bool = False
) -> FastAPI:
    """The API over a center; `home` holds `secret.key` (default $TIDAL_HOME).

    Raises UploadLimitError when `$TIDAL_MAX_UPLOAD_BYTES` is not a number of bytes.

    With `start_runtime`, the app's lifespan starts the runtime on the server's loop
    and stops it on shutdown (what `tidal serve` wants); otherwise the caller does.
    """
    home = home if home is not None else Path(os.environ.get(HOME_ENV) or DEFAULT_HOME)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if not start_runtime:
            yield
            return
        await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    app = FastAPI(
        title="Tidal",
        summary="Open, self-hosted, blended contact center",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by mount_docs, without a CDN
        redoc_url=None,
    )
    app.add_middleware(SecurityHeaders)
    mount_docs(app)
    install_token_redaction()
    secure_home(home)
    app.state.runtime = runtime
    app.state.tokens = TokenIssuer(load_secret(home))
    app.state.access = Access(runtime.store, app.state.tokens)
    app.state.compliance = ComplianceDesk(home, runtime.store)
    app.state.signin = SignInGuard(runtime.store, app.state.compliance)
    app.add_exception_handler(CoreError, _refused)
    app.add_exception_handler(StoreUnavailable, _unavailable)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_middleware(EncodedSeparatorGuard)
    for router in ROUTERS:
        app.include_router(router)
    # Outermost, so an oversize body is refused before authentication reads anything.
    app.add_middleware(
        BodyLimit,
        uploads=upload_routes(r for router in ROUTERS for r in router.routes),
        upload_bytes=upload_limit(),
    )
    return app
