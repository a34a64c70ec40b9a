"""Security headers on every response, and an API documentation page that needs no CDN.

The pages show callers' numbers to signed-in staff; a script injected into one could
read them and the bearer token beside them. So every response says: scripts, styles
and connections come from this server only, with no inline script (the pages have
none); no site may frame a page (clickjacking); the browser must not guess a file's
type (`nosniff`); and no URL, with whatever is in its query, goes out as a `Referer`.

`/docs` (Swagger UI) is the one page with an inline script, its start-up call. It is
served from the files of `fastapi-offline` (no CDN) with a policy of its own that
allows exactly that script by its SHA-256 hash, and inline styles, which Swagger UI
sets as it renders. The middleware leaves a policy a route set alone.
"""

from __future__ import annotations

import base64
import hashlib
import re
from importlib import resources
from typing import Final

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY: Final = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS: Final = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
CSP: Final = "Content-Security-Policy"

DOCS_URL: Final = "/docs"
DOCS_REDIRECT_URL: Final = "/docs/oauth2-redirect"
DOCS_ASSETS_URL: Final = "/static-docs"
INLINE_SCRIPT: Final = re.compile(r"<script>(.*?)</script>", re.DOTALL)


class SecurityHeaders:
    """ASGI middleware: the policy and headers above on every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the headers a response does not already carry."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault(CSP, PAGE_POLICY)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def script_hashes(html: str) -> list[str]:
    """CSP sources (`'sha256-...'`) for each inline script of a page."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in INLINE_SCRIPT.findall(html)
    ]


def docs_policy(html: str) -> str:
    """The page policy, with the page's own inline scripts and inline styles allowed."""
    sources = " ".join(script_hashes(html))
    return PAGE_POLICY.replace("script-src 'self'", f"script-src 'self' {sources}").replace(
        "style-src 'self'", "style-src 'self' 'unsafe-inline'"
    )


def _hashed(page: HTMLResponse) -> HTMLResponse:
    page.headers[CSP] = docs_policy(bytes(page.body).decode())
    return page


def mount_docs(app: FastAPI) -> None:
    """`/docs` with Swagger UI served from this server, under its own hashed policy."""
    assets = resources.files("fastapi_offline") / "static"
    app.mount(DOCS_ASSETS_URL, StaticFiles(directory=str(assets)), name="static-docs")

    @app.get(DOCS_URL, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _hashed(
            get_swagger_ui_html(
                openapi_url=f"{root}{app.openapi_url}",
                title=f"{app.title} - API",
                oauth2_redirect_url=DOCS_REDIRECT_URL,
                swagger_js_url=f"{root}{DOCS_ASSETS_URL}/swagger-ui-bundle.js",
                swagger_css_url=f"{root}{DOCS_ASSETS_URL}/swagger-ui.css",
                swagger_favicon_url=f"{root}{DOCS_ASSETS_URL}/favicon.png",
            )
        )

    @app.get(DOCS_REDIRECT_URL, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return _hashed(get_swagger_ui_oauth2_redirect_html())
