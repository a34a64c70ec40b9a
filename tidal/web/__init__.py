"""The web pages of a live center: sign-in, agent desktop, wallboard, admin and reports.

Plain HTML, ES modules and CSS under `static/`, served as they are (no build step).
The API calls `mount(app)` once; the pages then talk to `/api/v1/...` and the stream
with the bearer token the sign-in page keeps in the browser's session storage.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["PAGES", "STATIC_DIR", "mount"]

STATIC_DIR: Path = Path(__file__).parent / "static"
"""Where the pages, scripts, styles and vendored libraries live."""

PAGES: dict[str, str] = {
    "/": "index.html",
    "/agent": "agent.html",
    "/wallboard": "wallboard.html",
    "/admin": "admin.html",
    "/reports": "reports.html",
}
"""Each page's path and its HTML file under `STATIC_DIR`."""


def _page_route(path: Path) -> Callable[[], Awaitable[FileResponse]]:
    """A route handler that answers with one HTML file, never cached stale."""

    async def page() -> FileResponse:
        return FileResponse(path, media_type="text/html", headers={"Cache-Control": "no-cache"})

    return page


def mount(app: FastAPI) -> None:
    """Serve the pages at `/`, `/agent`, `/wallboard`, `/admin`, `/reports`, assets at `/static`."""
    for route, filename in PAGES.items():
        app.add_api_route(
            route,
            _page_route(STATIC_DIR / filename),
            methods=["GET"],
            include_in_schema=False,
            name=f"page:{filename.removesuffix('.html')}",
        )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
