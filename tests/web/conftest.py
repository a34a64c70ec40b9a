"""A real live server for the browser tests, and Debian's Chromium driven by Playwright.

The server is the real thing in-process, built as `tidal serve` builds it: `LiveCenter`
on a throwaway SQLite store, `tidal.api.create_app` over it with the pages mounted,
served by Uvicorn on a free port from a thread with its own event loop. Telephony is
off, so nothing happens unless a test makes it happen: `site.arrive(queue, caller)`
puts a caller in a queue exactly as a trunk would. Stopping the fixture stops Uvicorn,
the runtime and the thread.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest
import uvicorn

from tidal.api import create_app
from tidal.config import parse_scenario
from tidal.core.events import ContactArrived
from tidal.live.runtime import LiveCenter
from tidal.store import Store
from tidal.web import mount

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

T = TypeVar("T")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "correct horse battery"
STARTUP_SECONDS = 20.0
EXPECT_MS = 10_000  # how long an expectation may wait for the page to catch up

CENTER_YAML = """
name: web-test-center
start: "2026-11-23T08:00:00-05:00"
duration: 8h
agents:
  - group: billing-team
    count: 1
    skills: {billing: 5, tech: 1}
queues:
  - name: billing
    skills: {billing: 1}
    service_level: {target: 0.8, threshold: 20}
    arrivals: {rate_per_hour: 60}
    handle_time: {dist: constant, value: 120}
  - name: tech
    skills: {tech: 1}
    service_level: {target: 0.8, threshold: 30}
    arrivals: {rate_per_hour: 60}
    handle_time: {dist: constant, value: 120}
"""

# name: (role, agent profile as (agent_id, group, skills) or None)
USERS: dict[str, tuple[str, tuple[str, str, dict[str, int]] | None]] = {
    "alice": ("agent", ("a1", "billing-team", {"billing": 5})),
    "sam": ("supervisor", None),
    "ada": ("admin", None),
}


@dataclass
class LiveSite:
    """A running server: its URL, and a way to act on its center from the test."""

    url: str
    runtime: LiveCenter
    loop: asyncio.AbstractEventLoop

    def call(self, work: Callable[[], T]) -> T:
        """Run `work()` on the server's loop (the runtime is single-threaded) and return it."""

        async def run() -> T:
            return work()

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(timeout=10)

    def arrive(self, queue: str, caller: str) -> int:
        """A caller reaches `queue`, as a trunk would bring them; answers the contact id."""

        def work() -> int:
            contact_id = self.runtime.new_contact_id()
            self.runtime.submit(ContactArrived(contact_id, queue, caller=caller))
            return contact_id

        return self.call(work)


def _app(runtime: LiveCenter, home: Path) -> Any:
    """The API over the runtime with the pages, as `tidal.live.server.run_server` builds it."""
    app = create_app(runtime, home)  # the fixture starts and stops the runtime itself
    mount(app)
    return app


def _seed_users(runtime: LiveCenter) -> None:
    store = runtime.store
    for name, (role, profile) in USERS.items():
        user = store.users.add(name, role, PASSWORD)
        if profile is not None:
            agent_id, group, skills = profile
            store.agents.add(agent_id, group, skills, user.id)


def serve_site(runtime: LiveCenter, home: Path) -> Iterator[LiveSite]:
    """Serve a live center (users seeded) on a free port from a thread; stop it after."""
    store = runtime.store
    _seed_users(runtime)
    config = uvicorn.Config(
        _app(runtime, home), host="127.0.0.1", port=0, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    ready = threading.Event()
    box: dict[str, Any] = {}

    async def serve() -> None:
        box["loop"] = asyncio.get_running_loop()
        await runtime.start()
        try:
            task = asyncio.create_task(server.serve())
            while not server.started and not task.done():
                await asyncio.sleep(0.02)
            if server.started:
                box["port"] = server.servers[0].sockets[0].getsockname()[1]
            ready.set()
            await task
        finally:
            await runtime.stop()

    def main() -> None:
        try:
            asyncio.run(serve())
        except BaseException as error:  # reported to the test below
            box["error"] = error
        finally:
            ready.set()

    thread = threading.Thread(target=main, name="tidal-web-test-server", daemon=True)
    thread.start()
    try:
        assert ready.wait(STARTUP_SECONDS), "the server did not start"
        assert "port" in box, f"the server did not start: {box.get('error')!r}"
        yield LiveSite(f"http://127.0.0.1:{box['port']}", runtime, box["loop"])
    finally:
        server.should_exit = True
        thread.join(timeout=STARTUP_SECONDS)
        store.close()
    assert not thread.is_alive(), "the server thread did not stop"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[LiveSite]:
    """A live center with one agent, one supervisor and one admin, served on a free port."""
    store = Store.open(home=tmp_path)
    runtime = LiveCenter(parse_scenario(CENTER_YAML, "web-test-center.yaml"), store)
    yield from serve_site(runtime, tmp_path)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, for the whole module."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_MS)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _console_error(kind: str, text: str, into: list[str]) -> None:
    """Keep the page's own console errors; the browser's note of a 4xx answer is not one."""
    if kind == "error" and not text.startswith("Failed to load resource"):
        into.append(text)


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """New pages, each in its own context (its own session storage); closed afterwards."""
    contexts = []

    def make(width: int = 1280, height: int = 860, timezone_id: str | None = None) -> Page:
        context = browser.new_context(
            viewport={"width": width, "height": height}, timezone_id=timezone_id
        )
        context.set_default_timeout(EXPECT_MS)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        console: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: _console_error(m.type, m.text, console))
        page.js_errors = errors  # type: ignore[attr-defined]
        page.console_errors = console  # type: ignore[attr-defined]
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screens(tmp_path: Path) -> Path:
    """Where screenshots go: $TIDAL_SCREENS (e.g. /tmp/tidal-screens) or the test's tmp dir."""
    folder = Path(os.environ.get("TIDAL_SCREENS") or tmp_path / "screens")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sign_in(page: Page, site: LiveSite, name: str, password: str = PASSWORD) -> None:
    """Sign in through the form, as a person would."""
    page.goto(f"{site.url}/")
    page.get_by_test_id("signin-username").fill(name)
    page.get_by_test_id("signin-password").fill(password)
    page.get_by_test_id("signin-submit").click()
