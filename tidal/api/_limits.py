"""Request body limits, enforced before any route, authentication or parsing runs.

A body is refused with 413 as soon as it is known to be too large: at once when its
Content-Length says so, or, for a chunked body, at the first chunk that passes the
limit (the rest is never read). Upload routes (lead lists, registry files, call
flows) are marked with `UPLOAD_ROUTE` and take the larger `$TIDAL_MAX_UPLOAD_BYTES`;
every other route takes `MAX_BODY_BYTES`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from typing import Any, Final

from starlette.routing import BaseRoute, Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES: Final = 1024 * 1024
"""The largest body of a JSON or form route (1 MiB)."""
DEFAULT_MAX_UPLOAD_BYTES: Final = 64 * 1024 * 1024
"""The largest upload when `$TIDAL_MAX_UPLOAD_BYTES` is not set (64 MiB)."""
MAX_UPLOAD_ENV: Final = "TIDAL_MAX_UPLOAD_BYTES"
UPLOAD_MARK: Final = "x-tidal-body-limit"
UPLOAD_ROUTE: Final[dict[str, Any]] = {UPLOAD_MARK: "upload"}
"""`openapi_extra` of a route that takes an upload (merge it with any other extra)."""


def upload_limit(environ: Mapping[str, str] = os.environ) -> int:
    """The upload limit in bytes from `$TIDAL_MAX_UPLOAD_BYTES`; UploadLimitError if bad."""
    raw = environ.get(MAX_UPLOAD_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_UPLOAD_BYTES
    if not raw.isdigit() or int(raw) < 1:
        raise UploadLimitError(
            f"{MAX_UPLOAD_ENV} must be a whole number of bytes above 0, not {raw!r}"
        )
    return int(raw)


def upload_routes(routes: Iterable[BaseRoute]) -> list[Route]:
    """The routes marked with `UPLOAD_ROUTE`."""
    return [
        route
        for route in routes
        if isinstance(route, Route) and UPLOAD_MARK in (getattr(route, "openapi_extra", None) or {})
    ]


class UploadLimitError(ValueError):
    """`$TIDAL_MAX_UPLOAD_BYTES` is not a usable number of bytes."""


class BodyTooLarge(Exception):
    """The body went past its route's limit while the route was reading it."""


class BodyLimit:
    """Pure ASGI middleware: 413 for a body over its route's limit, before reading it."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        uploads: Iterable[Route],
        upload_bytes: int,
        body_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        self.app = app
        self.uploads = list(uploads)
        self.upload_bytes = upload_bytes
        self.body_bytes = body_bytes

    def limit_of(self, scope: Scope) -> int:
        """The body limit of the route this request goes to."""
        for route in self.uploads:
            if route.matches(scope)[0] is Match.FULL:
                return self.upload_bytes
        return self.body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with its body counted; answer 413 when it is too large."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_of(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(send, limit)
            return
        answered = False  # the 413 went out (the route's own answer is then dropped)
        started = False
        received = 0

        async def counted_receive() -> Message:
            nonlocal received, answered
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    if not started and not answered:
                        answered = True
                        await _too_large(send, limit)
                    raise BodyTooLarge(f"body over {limit} bytes")
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if answered:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except BodyTooLarge:
            if not answered and not started:
                await _too_large(send, limit)
        except Exception:
            if not answered:
                raise  # the route failed for its own reasons; after a 413 nothing is owed


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps(
        {
            "detail": [
                {
                    "loc": ["body"],
                    "msg": f"the body is larger than this route's limit of {limit} bytes",
                    "type": "too_large",
                }
            ]
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
