"""The lead browser and the campaign switches in Chromium, against a live center with a
progressive campaign: leads filtered by their state in the dialer, searched by number,
and the done ones recycled (a lead on the Do-Not-Call list left out), dialled again.

The clock is noon in New York (inside the calling window whatever time the tests run)
and the registry is fresh; telephony is off, so the test answers dials itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.web.conftest import LiveSite, serve_site, sign_in
from tests.web.test_preview import NOON_NEW_YORK, NoonClock
from tidal.config import load_calling_rules, parse_scenario
from tidal.core.campaigns import CampaignState, CampaignStateSet, DialAnswered, DialResult
from tidal.core.compliance import CallingWindows, Compliance, MemoryRegistry
from tidal.core.events import AgentLoggedIn, AgentReady
from tidal.dnc import AuditLog, Registry, import_registry
from tidal.live.runtime import LiveCenter
from tidal.store import Store

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CENTER = """
name: outbound-center
start: "2026-11-23T08:00:00-05:00"
agents:
  - group: billing-team
    count: 1
    skills: {}
    modes: [outbound]
    campaigns: [renewals]
queues: []
campaigns:
  - name: renewals
    dial_mode: progressive
    max_abandon_rate: 0.03
    caller_id: "+12025550100"
    retry: {max_attempts: 1}
    outcomes: {human: 0.5, no_answer: 0.5}
"""
NUMBERS = ["+12122010001", "+12122010002", "+12122010003", "+13052010004"]


@pytest.fixture
def outbound_site(tmp_path: Path) -> Iterator[LiveSite]:
    registry_file = tmp_path / "registry.txt"
    registry_file.write_text("212,2009999\n305,2009999\n")
    at = datetime.fromtimestamp(NOON_NEW_YORK).astimezone()
    import_registry(
        Registry(tmp_path / "dnc" / "registry"), registry_file, now=at, whole_registry=True
    )
    AuditLog(tmp_path / "audit.jsonl").append(
        Compliance(MemoryRegistry(set()), CallingWindows(load_calling_rules())).drain_audit()
    )
    config = parse_scenario(CENTER, "outbound-center.yaml")
    store = Store.open(home=tmp_path)
    campaign = config.campaigns[0]
    store.campaigns.put(campaign.name, campaign.model_dump(mode="json", exclude_unset=True))
    store.leads.add_many("renewals", [([n], {"name": f"Customer {n[-1]}"}) for n in NUMBERS])
    runtime = LiveCenter(config, store, clock=NoonClock(), home=tmp_path)
    yield from serve_site(runtime, tmp_path)


def _dials(site: LiveSite) -> int:
    def count() -> int:
        assert site.runtime.dialer is not None
        return site.runtime.dialer.counts("renewals")["dials"]

    return site.call(count)


def test_done_leads_are_recycled_from_the_lead_browser(
    outbound_site: LiveSite, open_page: Callable[..., Page], screens: Path
) -> None:
    from playwright.sync_api import expect

    site = outbound_site
    runtime = site.runtime

    def first_dial() -> int:
        runtime.submit(AgentLoggedIn("a1", "billing-team", {}))
        runtime.submit(AgentReady("a1"))
        runtime.submit(CampaignStateSet("renewals", CampaignState.PAUSED))  # one call only
        assert runtime.dialer is not None
        [call] = runtime.dialer.in_flight("renewals")
        runtime.submit(DialAnswered(call, DialResult.NO_ANSWER))  # one attempt: done
        return call

    site.call(first_dial)
    assert _dials(site) == 1

    page = open_page(1366, 900)
    sign_in(page, site, "ada")
    page.wait_for_url("**/admin")
    page.goto(f"{site.url}/admin#leads")
    expect(page.get_by_test_id("lead-row")).to_have_count(4)
    page.get_by_test_id("lead-state-done").check()
    page.get_by_test_id("lead-search").click()
    expect(page.get_by_test_id("lead-row")).to_have_count(1)
    expect(page.get_by_test_id("lead-row")).to_contain_text("+12122010001")
    page.get_by_test_id("lead-state-done").uncheck()
    page.get_by_test_id("lead-number").fill("305")
    page.get_by_test_id("lead-search").click()
    expect(page.get_by_test_id("lead-row")).to_have_count(1)
    expect(page.get_by_test_id("lead-row")).to_contain_text("Customer 4")

    # The last lead asks not to be called; then the worked and new leads are recycled.
    page.get_by_test_id("tab-dnc").click()
    page.get_by_test_id("dnc-number").fill("+13052010004")
    page.get_by_test_id("dnc-reason").fill("asked by letter")
    page.get_by_test_id("dnc-add").click()
    expect(page.get_by_test_id("dnc-message")).to_contain_text("added")
    page.get_by_test_id("tab-leads").click()
    page.get_by_test_id("lead-number").fill("")
    page.get_by_test_id("lead-state-done").check()
    page.get_by_test_id("lead-state-new").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("lead-recycle").click()
    expect(page.get_by_test_id("lead-message")).to_have_text(
        "3 leads back to new; 1 left out: every number is on a Do-Not-Call list."
    )
    expect(page.get_by_test_id("lead-row")).to_have_count(4)  # new and done ticked
    expect(page.locator('[data-testid="lead-row"][data-state="done"]')).to_have_count(0)
    page.screenshot(path=str(screens / "admin-leads-recycled.png"), full_page=True)

    # The campaign's switch: started again, it dials the recycled leads (in list order).
    page.get_by_test_id("tab-campaigns").click()
    expect(page.get_by_test_id("campaign-state-renewals")).to_have_text("paused")
    expect(page.get_by_test_id("campaign-pause-renewals")).to_be_disabled()
    page.get_by_test_id("campaign-start-renewals").click()
    expect(page.get_by_test_id("campaign-state-renewals")).to_have_text("running")
    expect(page.get_by_test_id("campaigns-message")).to_have_text("renewals is running.")
    assert _dials(site) == 2
    dialled = site.call(lambda: dict(runtime.dialer.in_flight("renewals")))  # type: ignore[union-attr]
    assert list(dialled.values()) == ["2"]  # lead 1 was done and waits its turn as new
    lead = site.call(lambda: runtime.dialer.lead("renewals", "1"))  # type: ignore[union-attr]
    assert lead.state == "new" and lead.attempts == 0
    page.screenshot(path=str(screens / "admin-campaigns.png"), full_page=True)

    page.get_by_test_id("tab-audit").click()
    page.get_by_test_id("audit-action").fill("leads_recycled")
    page.get_by_test_id("audit-submit").click()
    expect(page.get_by_test_id("audit-row")).to_have_count(1)
    expect(page.get_by_test_id("audit-row")).to_contain_text("refused dnc: 1")
    assert page.js_errors == []  # type: ignore[attr-defined]
    assert page.console_errors == []  # type: ignore[attr-defined]
