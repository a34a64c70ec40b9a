"""The reports page in a real browser against a real server, after some traffic."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.web.conftest import LiveSite, sign_in
from tidal.core import Channel, Direction, InteractionRecord, Outcome
from tidal.core.events import (
    AgentLoggedIn,
    AgentReady,
    CallEnded,
    CallerAbandoned,
    ContactArrived,
    OfferAccepted,
    WrapUpDone,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

REGULAR = "+12125550123"  # answered, resolved, and now back in the queue
IMPATIENT = "+13125550188"  # hung up waiting


def _traffic(site: LiveSite) -> None:
    """One call answered and dispositioned resolved, one abandon, one caller waiting."""

    def work() -> None:
        runtime = site.runtime
        runtime.submit(AgentLoggedIn("a1", "billing-team", {"billing": 5}))
        runtime.submit(AgentReady("a1"))
        first = runtime.new_contact_id()
        runtime.submit(ContactArrived(first, "billing", caller=REGULAR))
        runtime.submit(OfferAccepted(first, "a1"))
        runtime.submit(CallEnded(first))
        runtime.submit(WrapUpDone("a1", "resolved", first))
        gone = runtime.new_contact_id()
        runtime.submit(ContactArrived(gone, "tech", caller=IMPATIENT))
        runtime.submit(CallerAbandoned(gone))

    site.call(work)


def _api(page: Page, path: str) -> Any:
    """What the API answers the signed-in page (its own token)."""
    script = """async (path) => {
        const answer = await fetch(path, {headers: {Authorization:
            `Bearer ${sessionStorage.getItem("tidal.token")}`}});
        return await answer.text();
    }"""
    return json.loads(page.evaluate(script, path))


def test_reports_page_figures_intervals_csv_and_contact_history(
    site: LiveSite, open_page: Callable[..., Page], screens: Path
) -> None:
    from playwright.sync_api import expect

    _traffic(site)
    earlier = InteractionRecord(
        contact_id=900, channel=Channel.VOICE, direction=Direction.INBOUND, queue="tech",
        arrived_at=site.call(site.runtime.now) - 3 * 86_400, outcome=Outcome.ANSWERED,
        caller=REGULAR, agent_id="a7", disposition="unresolved",
    )  # fmt: skip
    site.runtime.store.interactions.add(earlier)
    page = open_page(1440, 900, timezone_id="America/Chicago")
    sign_in(page, site, "sam")
    page.wait_for_url("**/wallboard")
    page.get_by_test_id("to-reports").click()
    page.wait_for_url("**/reports")
    expect(page.get_by_test_id("q-offered-billing")).to_have_text("1")
    # the row shows the report API's figures for the same period (the page's own query)
    href = page.get_by_test_id("csv-queues").get_attribute("href")
    assert href is not None and "format=csv" in href
    report = _api(page, href.replace("&format=csv", ""))
    rows = {row["queue"]: row for row in report["items"]}
    billing, tech = rows["billing"], rows["tech"]
    expect(page.get_by_test_id("q-answered-billing")).to_have_text(str(billing["answered"]))
    expect(page.get_by_test_id("q-abandoned-tech")).to_have_text(str(tech["abandoned"]))
    expect(page.get_by_test_id("q-sl-billing")).to_have_text(
        f"{billing['service_level'] * 100:.1f}\u00a0%"
    )
    expect(page.get_by_test_id("q-sl-tech")).to_have_text("0.0\u00a0%")
    expect(page.get_by_test_id("q-flag-billing")).to_have_text("100.0\u00a0%")
    assert (billing["offered"], billing["answered"], tech["abandoned"]) == (1, 1, 1)
    expect(page.get_by_test_id("period-zone")).to_have_text(
        re.compile(r"Times in America/Chicago \((CST|CDT)\)")
    )
    page.screenshot(path=str(screens / "reports-queues.png"), full_page=True)

    # intervals: a queue, 30 then 15 minutes, a chart, and the intervals with contacts
    page.get_by_test_id("tab-intervals").click()
    expect(page.get_by_test_id("interval-chart").locator("canvas")).to_have_count(1)
    rows = page.get_by_test_id("interval-rows").locator("tr")
    expect(rows).to_have_count(1)  # the one interval billing's call came in
    half_hour = rows.first.locator("th").inner_text()
    page.get_by_test_id("interval-length").select_option("15")
    expect(rows.first.locator("th")).not_to_have_text(half_hour)
    expect(rows.first.locator("td").first).to_have_text("1")
    page.get_by_test_id("interval-empty").check()  # every quarter hour of the day so far
    expect(rows).not_to_have_count(1)
    quarters = rows.count()
    offered = page.get_by_test_id("interval-rows").locator("tr td:nth-child(2)").all_inner_texts()
    assert sum(int(v) for v in offered) == 1
    page.get_by_test_id("interval-empty").uncheck()
    expect(rows).to_have_count(1)
    page.screenshot(path=str(screens / "reports-intervals.png"), full_page=True)
    with page.expect_download() as caught:
        page.get_by_test_id("csv-intervals").click()
    download = caught.value
    assert download.suggested_filename.startswith("tidal-intervals-billing-15min-")
    table = list(csv.DictReader(io.StringIO(Path(download.path()).read_text())))
    assert len(table) == quarters and sum(int(r["offered"]) for r in table) == 1

    # the campaigns and agents tabs speak in words when there is nothing to show
    page.get_by_test_id("tab-campaigns").click()
    expect(page.get_by_test_id("campaigns-rows")).to_have_text("No campaign yet.")
    page.get_by_test_id("tab-agents").click()
    expect(page.get_by_test_id("agents-rows").locator("tr")).to_have_count(1)

    # contact search: by number (as people write it), then the customer's history
    page.get_by_test_id("tab-contacts").click()
    page.get_by_test_id("search-number").fill("(212) 555-0123")
    page.get_by_test_id("search-submit").click()
    found = page.get_by_test_id("search-rows").locator("tr.clickable")
    expect(found).to_have_count(1)
    expect(found.first).to_contain_text("resolved")
    page.get_by_test_id("search-number").fill("")
    page.get_by_test_id("search-disposition").fill("escalated")
    page.get_by_test_id("search-submit").click()
    expect(page.get_by_test_id("search-rows")).to_have_text("No contact matches this search.")
    page.get_by_test_id("search-disposition").fill("resolved")
    page.get_by_test_id("search-agent").fill("a1")
    page.get_by_test_id("search-submit").click()
    expect(found).to_have_count(1)
    page.screenshot(path=str(screens / "reports-search.png"), full_page=True)
    found.first.click()
    history = page.get_by_test_id("history")
    expect(history).to_be_visible()
    expect(page.get_by_test_id("history-title")).to_have_text(f"History of {REGULAR}")
    history_rows = page.get_by_test_id("history-rows").locator("tr")
    expect(history_rows).to_have_count(2)  # today's call, and the one three days ago
    expect(history_rows.first).to_contain_text("billing")
    expect(history_rows.last).to_contain_text("unresolved")
    page.screenshot(path=str(screens / "reports-history.png"), full_page=True)
    page.get_by_test_id("history-close").click()
    expect(history).to_be_hidden()
    assert page.js_errors == [] and page.console_errors == []  # type: ignore[attr-defined]


def test_an_agent_is_sent_to_their_desktop(site: LiveSite, open_page: Callable[..., Page]) -> None:
    page = open_page()
    sign_in(page, site, "alice")
    page.wait_for_url("**/agent")
    page.goto(f"{site.url}/reports")
    page.wait_for_url("**/agent")


def test_the_admin_header_links_the_reports(site: LiveSite, open_page: Callable[..., Page]) -> None:
    page = open_page()
    sign_in(page, site, "ada")
    page.wait_for_url("**/admin")
    page.get_by_test_id("to-reports").click()
    page.wait_for_url("**/reports")
    from playwright.sync_api import expect

    expect(page.get_by_test_id("to-admin")).to_be_visible()
