"""Names in URL paths: validated like every name, and never holding an encoded '/'.

Names cannot contain '/' or '\\' (`tidal.config.SafeName`), so a path segment that
sends one encoded (`%2F`, `%5C`) names nothing: it is refused with 422 before routing,
because routing sees the decoded path and would otherwise read `/campaigns/a%2Fleads`
as campaign `a`'s leads. Path parameters that are names are `PathName` (422 naming the
parameter for control, format or NUL characters, NFKC-normalised like stored names).
"""

from __future__ import annotations

import json
import re
from typing import Final

from starlette.types import ASGIApp, Receive, Scope, Send

from tidal.api.const import API_PREFIX
from tidal.config import SafeName

PathName = SafeName
"""A name in a URL path, checked (and normalised) as stored names are."""

_ENCODED_SEPARATOR: Final = re.compile(rb"%(2f|5c)", re.IGNORECASE)
_PREFIX: Final = API_PREFIX.encode("ascii")


class EncodedSeparatorGuard:
    """ASGI middleware: 422 for an API path holding an encoded '/' or '\\'."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = scope.get("raw_path") if scope["type"] in ("http", "websocket") else None
        if (
            scope["type"] == "http"
            and isinstance(raw, bytes)
            and raw.startswith(_PREFIX)
            and _ENCODED_SEPARATOR.search(raw.split(b"?", 1)[0])
        ):
            body = json.dumps(
                {
                    "detail": [
                        {
                            "loc": ["path"],
                            "msg": "a name in the path must not contain '/' or a backslash "
                            "(sent encoded as %2F or %5C); no name holds one",
                            "type": "name",
                        }
                    ]
                }
            ).encode("utf-8")
            await send(
                {
                    "type": "http.response.start",
                    "status": 422,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode("ascii")),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)
