"""The pages work under their Content-Security-Policy: no violation, no console error.

Every page is opened in Chromium against the real server and used (sign-in, the agent's
state, the wallboard's stream and chart, the admin's tabs, Swagger UI at /docs); a
listener installed before any page script records every `securitypolicyviolation`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from tests.web.conftest import LiveSite, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__csp.push(`${event.violatedDirective} ${event.blockedURI} ${where}`);
});
"""


def _watched(open_page: Callable[..., Page]) -> Page:
    page = open_page(1400, 1000)
    page.add_init_script(RECORD_VIOLATIONS)
    return page


def _clean(page: Page) -> None:
    assert page.evaluate("window.__csp") == []
    assert page.js_errors == []  # type: ignore[attr-defined]
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_every_page_works_under_its_policy(site: LiveSite, open_page: Callable[..., Page]) -> None:
    from playwright.sync_api import expect

    agent = _watched(open_page)
    sign_in(agent, site, "alice")
    agent.wait_for_url("**/agent")
    expect(agent.get_by_test_id("stream-status")).to_have_text("live")  # ws: under 'self'
    agent.get_by_test_id("state-login").click()
    agent.get_by_test_id("state-ready").click()
    expect(agent.get_by_test_id("agent-state")).to_have_attribute("data-state", "ready")
    _clean(agent)

    board = _watched(open_page)
    sign_in(board, site, "sam")
    board.wait_for_url("**/wallboard")
    expect(board.get_by_test_id("stream-status")).to_have_text("live")
    site.arrive("tech", "+12125550123")
    expect(board.get_by_test_id("wb-waiting-tech")).to_have_text("1")
    _clean(board)

    admin = _watched(open_page)
    sign_in(admin, site, "ada")
    admin.wait_for_url("**/admin")
    expect(admin.get_by_test_id("users-table")).to_contain_text("alice")
    for tab in ("agents", "queues", "campaigns", "leads", "dnc", "audit", "flows", "users"):
        admin.get_by_test_id(f"tab-{tab}").click()
        expect(admin.get_by_test_id(f"panel-{tab}")).to_be_visible()
    _clean(admin)

    # The policy is enforced, and the listener sees it: an injected inline script is refused.
    admin.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = true'; document.body.append(s); }"
    )
    admin.wait_for_function("window.__csp.length > 0")
    assert admin.evaluate("window.injected") is None
    assert admin.evaluate("window.__csp")[0].startswith("script-src")


def test_the_api_docs_load_from_this_server_under_a_hashed_policy(
    site: LiveSite, open_page: Callable[..., Page]
) -> None:
    from playwright.sync_api import expect

    page = _watched(open_page)
    outside: list[str] = []
    page.on(
        "request",
        lambda request: None if request.url.startswith(site.url) else outside.append(request.url),
    )
    answer = page.goto(f"{site.url}/docs")
    assert answer is not None and answer.ok
    assert "'sha256-" in answer.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Tidal")
    expect(page.locator(".opblock").first).to_be_visible()
    assert outside == []  # no CDN
    _clean(page)
