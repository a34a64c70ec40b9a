"""My callbacks on the agent desktop, in a real browser against a real server: a callback
booked at wrap-up appears in the list in the callee's own time and zone, a past time is
refused at the field, a good one moves it, and Cancel (asked twice) removes it.

The server's clock is noon in New York on a Monday, moving at the wall clock's pace, so
the callee's calling window is open whatever time the tests run; the callback time the
agent types in the wrap-up form is their own (the browser's zone).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from tests.web.conftest import CENTER_YAML, LiveSite, serve_site, sign_in
from tests.web.test_preview import NoonClock
from tidal.config import parse_scenario
from tidal.core.events import CallbackScheduled, TimerFired
from tidal.live.runtime import LiveCenter
from tidal.store import Store

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CALLER = "+12125550123"  # New York
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def noon_site(tmp_path: Path) -> Iterator[LiveSite]:
    store = Store.open(home=tmp_path)
    config = parse_scenario(CENTER_YAML, "web-test-center.yaml")
    runtime = LiveCenter(config, store, clock=NoonClock())
    yield from serve_site(runtime, tmp_path)


def _in_the_browsers_zone(page: Page, moment: datetime) -> str:
    """What a person in the browser's zone types for `moment` in a datetime-local field."""
    zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def test_an_agent_books_sees_moves_and_cancels_a_callback(
    noon_site: LiveSite, open_page: Callable[..., Page], screens: Path
) -> None:
    from playwright.sync_api import expect

    site = noon_site
    page = open_page()
    sign_in(page, site, "alice")
    page.wait_for_url("**/agent")
    expect(page.get_by_test_id("stream-status")).to_have_text("live")
    expect(page.get_by_test_id("callbacks-empty")).to_be_visible()
    state = page.get_by_test_id("agent-state")
    page.get_by_test_id("state-login").click()
    page.get_by_test_id("state-ready").click()
    expect(state).to_have_attribute("data-state", "ready")
    site.arrive("billing", CALLER)
    page.get_by_test_id("offer-accept").click()
    page.get_by_test_id("call-hangup").click()
    expect(state).to_have_attribute("data-state", "wrap_up")
    page.get_by_test_id("disposition-select").select_option("callback")
    page.get_by_test_id("disposition-notes").fill("wants the gold plan explained")
    tomorrow_11 = datetime(2026, 11, 24, 11, 0, tzinfo=NEW_YORK)
    page.get_by_test_id("disposition-callback").fill(_in_the_browsers_zone(page, tomorrow_11))
    page.get_by_test_id("disposition-submit").click()
    expect(state).to_have_attribute("data-state", "ready")

    # Booked: in the list at once, in the callee's time and zone, with how long to go.
    row = page.get_by_test_id("callback-row")
    expect(row).to_have_count(1)
    expect(page.get_by_test_id("callbacks-count")).to_have_text("(1)")
    expect(row.get_by_test_id("callback-local")).to_contain_text("11:00")
    expect(row.get_by_test_id("callback-local")).to_contain_text("24")
    expect(row.get_by_test_id("callback-row-zone")).to_have_text("America/New_York")
    expect(row.get_by_test_id("callback-relative")).to_have_text("in 23 h")
    expect(row.get_by_test_id("callback-number")).to_have_text(CALLER)
    expect(row).to_contain_text("billing")
    expect(row.get_by_test_id("callback-note")).to_have_text("wants the gold plan explained")
    expect(page.get_by_test_id("callbacks-empty")).to_be_hidden()
    page.screenshot(path=str(screens / "agent-callbacks-booked.png"), full_page=True)

    # A past time is refused at the field, in the callee's own time.
    row.get_by_test_id("callback-reschedule").click()
    field = row.get_by_test_id("callback-new-at")
    expect(field).to_be_focused()
    expect(field).to_have_value("2026-11-24T11:00")  # shown in the callee's zone
    expect(row).to_contain_text("New time (America/New_York)")
    field.fill("2026-11-23T09:00")
    row.get_by_test_id("callback-save").click()
    error = row.get_by_test_id("callback-error")
    expect(error).to_contain_text("in the past")
    expect(error).to_contain_text("America/New_York")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_value("2026-11-23T09:00")  # what was typed stays to correct
    page.screenshot(path=str(screens / "agent-callbacks-refused.png"), full_page=True)
    field.fill("2026-11-24T22:30")  # 22:30 in New York: outside their calling window
    row.get_by_test_id("callback-save").click()
    expect(error).to_contain_text("outside their calling window")

    field.fill("2026-11-24T16:00")
    row.get_by_test_id("callback-save").click()
    expect(row.get_by_test_id("callback-edit")).to_be_hidden()
    expect(row.get_by_test_id("callback-local")).to_contain_text("4:00")  # the locale says how
    expect(row.get_by_test_id("callback-relative")).to_have_text("in 28 h")
    expect(page.get_by_test_id("callbacks-note")).to_contain_text("Moved to")
    [pending] = site.call(lambda: site.runtime.callbacks("a1"))
    assert pending["local_time"] == "2026-11-24T16:00-05:00"
    page.screenshot(path=str(screens / "agent-callbacks-moved.png"), full_page=True)

    # Cancel asks first; Keep it keeps it, Yes cancels it.
    row.get_by_test_id("callback-cancel").click()
    expect(row.get_by_test_id("callback-confirm")).to_be_visible()
    page.screenshot(path=str(screens / "agent-callbacks-confirm.png"), full_page=True)
    row.get_by_test_id("callback-cancel-no").click()
    expect(row.get_by_test_id("callback-confirm")).to_be_hidden()
    row.get_by_test_id("callback-cancel").click()
    row.get_by_test_id("callback-cancel-yes").click()
    expect(page.get_by_test_id("callback-row")).to_have_count(0)
    expect(page.get_by_test_id("callbacks-empty")).to_be_visible()
    expect(page.get_by_test_id("callbacks-note")).to_contain_text("cancelled")
    assert site.call(lambda: site.runtime.callbacks("a1")) == []
    page.screenshot(path=str(screens / "agent-callbacks-cancelled.png"), full_page=True)

    # One booked elsewhere shows up; when it comes due it leaves the list for the queue.
    def book() -> int:
        callback_id = site.runtime.new_contact_id()
        due = site.runtime.now() + 7200
        site.runtime.submit(CallbackScheduled(callback_id, "billing", CALLER, due, "a1"))
        return callback_id

    callback_id = site.call(book)
    expect(page.get_by_test_id("callback-row")).to_have_count(1)
    expect(page.get_by_test_id("callback-relative")).to_have_text("in 2 h")
    site.call(lambda: site.runtime.submit(TimerFired(f"due:{callback_id}")))
    expect(page.get_by_test_id("callback-row")).to_have_count(0)
    expect(page.get_by_test_id("offer-panel")).to_be_visible()  # the callback, to make now
    assert page.js_errors == []  # type: ignore[attr-defined]
    assert page.console_errors == []  # type: ignore[attr-defined]
