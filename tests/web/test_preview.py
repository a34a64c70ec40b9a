"""Preview dialing in the agent desktop: the lead card, Dial and Skip, through the core.

A center with one preview campaign; the clock is noon in New York (inside the calling
window whatever time the tests run), the registry fresh. Telephony is off: a dial is
the dialer's `Dial` command and its count, which the test reads from the runtime.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.web.conftest import LiveSite, serve_site, sign_in
from tidal.config import load_calling_rules, parse_scenario
from tidal.core.compliance import CallingWindows, Compliance, MemoryRegistry
from tidal.dnc import AuditLog, Registry, import_registry
from tidal.live.runtime import LiveCenter
from tidal.store import Store

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CENTER = """
name: preview-center
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
    dial_mode: preview
    max_abandon_rate: 0.03
    caller_id: "+12025550100"
    preview_time: 300
    script: "Hello {name}, this is Acme about your {plan} plan. {unknown_field} stays."
"""
NOON_NEW_YORK = datetime.fromisoformat("2026-11-23T12:00:00-05:00").timestamp()


class NoonClock:
    """The wall clock's pace, from noon in New York."""

    def __init__(self) -> None:
        self._origin = time.time()

    def __call__(self) -> float:
        return NOON_NEW_YORK + (time.time() - self._origin)


@pytest.fixture
def preview_site(tmp_path: Path) -> Iterator[LiveSite]:
    registry_file = tmp_path / "registry.txt"
    registry_file.write_text("212,2009999\n")
    at = datetime.fromtimestamp(NOON_NEW_YORK).astimezone()
    import_registry(
        Registry(tmp_path / "dnc" / "registry"), registry_file, now=at, whole_registry=True
    )
    AuditLog(tmp_path / "audit.jsonl").append(
        Compliance(MemoryRegistry(set()), CallingWindows(load_calling_rules())).drain_audit()
    )
    config = parse_scenario(CENTER, "preview-center.yaml")
    store = Store.open(home=tmp_path)
    campaign = config.campaigns[0]
    store.campaigns.put(campaign.name, campaign.model_dump(mode="json"))
    store.leads.add_many(
        "renewals",
        [
            (["+12122010001"], {"name": "Ada Lovelace", "plan": "gold"}),
            (["+12122010002"], {"name": "Grace Hopper", "plan": "silver"}),
        ],
    )
    runtime = LiveCenter(config, store, clock=NoonClock(), home=tmp_path)
    yield from serve_site(runtime, tmp_path)


def ready_on_the_desktop(page: Page, site: LiveSite) -> None:
    """Alice signs in to her desktop, logs in and goes ready: the dialer's leads come."""
    from playwright.sync_api import expect

    sign_in(page, site, "alice")
    page.wait_for_url("**/agent")
    expect(page.get_by_test_id("stream-status")).to_have_text("live")
    page.get_by_test_id("state-login").click()
    page.get_by_test_id("state-ready").click()


def test_an_agent_previews_skips_and_dials_leads(
    preview_site: LiveSite, open_page: Callable[..., Page], screens: Path
) -> None:
    from playwright.sync_api import expect

    site = preview_site
    page = open_page()
    ready_on_the_desktop(page, site)

    card = page.get_by_test_id("preview-card")
    expect(card).to_be_visible()
    expect(page.get_by_test_id("preview-lead")).to_contain_text("Ada Lovelace")
    expect(page.get_by_test_id("preview-number")).to_have_text("+12122010001")
    expect(page.get_by_test_id("preview-history")).to_contain_text("Never called before.")
    page.screenshot(path=str(screens / "agent-preview.png"), full_page=True)

    page.get_by_test_id("preview-skip-reason").select_option("wrong person")
    page.get_by_test_id("preview-skip").click()
    expect(page.get_by_test_id("preview-lead")).to_contain_text("Grace Hopper")

    def counts() -> dict[str, int]:
        assert site.runtime.dialer is not None
        return site.runtime.dialer.counts("renewals")

    assert site.call(counts)["previews_skipped"] == 1
    assert site.call(counts)["dials"] == 0
    page.get_by_test_id("preview-dial").click()
    expect(card).to_be_hidden()
    assert site.call(counts)["dials"] == 1
    kinds = [e.kind for e in site.call(lambda: list(site.runtime.store.events.since(0)))]
    assert "PreviewSkipped" in kinds and "PreviewDial" in kinds
    skipped = [
        e.payload
        for e in site.call(lambda: list(site.runtime.store.events.since(0)))
        if e.kind == "PreviewSkipped"
    ]
    assert skipped[0]["reason"] == "wrong person"
    assert page.js_errors == []  # type: ignore[attr-defined]
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_a_supervisor_pauses_a_campaign_from_the_wallboard_and_it_stops_dialing(
    preview_site: LiveSite, open_page: Callable[..., Page], screens: Path
) -> None:
    from playwright.sync_api import expect

    site = preview_site
    agent = open_page()
    ready_on_the_desktop(agent, site)
    card = agent.get_by_test_id("preview-card")
    expect(agent.get_by_test_id("preview-lead")).to_contain_text("Ada Lovelace")

    board = open_page()
    sign_in(board, site, "sam")
    board.wait_for_url("**/wallboard")
    expect(board.get_by_test_id("wb-state-renewals")).to_have_text("Running")
    board.get_by_test_id("wb-pause-renewals").click()
    expect(board.get_by_test_id("wb-state-renewals")).to_have_text("Paused")
    expect(board.get_by_test_id("wb-idle-renewals")).to_have_text("paused by a supervisor")
    expect(card).to_be_hidden()  # the lead on the card went back to the list

    def dialer() -> tuple[str | None, int, object]:
        assert site.runtime.dialer is not None
        return (
            site.runtime.campaign_state("renewals"),
            site.runtime.dialer.counts("renewals")["dials"],
            site.runtime.dialer.preview_of("a1"),
        )

    board.wait_for_timeout(1500)  # a tick or more: nothing is dialled or put on a card
    assert site.call(dialer) == ("paused", 0, None)
    expect(card).to_be_hidden()
    board.screenshot(path=str(screens / "wallboard-paused.png"), full_page=True)

    board.get_by_test_id("wb-start-renewals").click()
    expect(board.get_by_test_id("wb-state-renewals")).to_have_text("Running")
    expect(agent.get_by_test_id("preview-lead")).to_contain_text("Ada Lovelace")  # first again
    agent.get_by_test_id("preview-dial").click()
    expect(card).to_be_hidden()
    assert site.call(dialer)[1] == 1
    audit = site.call(lambda: site.runtime.store.audit.list(action="campaign_state"))
    switches = [(e.actor, e.details["to"]) for e in audit]
    assert switches == [("api:sam", "paused"), ("api:sam", "running")]
    for page in (agent, board):
        assert page.js_errors == []  # type: ignore[attr-defined]
        assert page.console_errors == []  # type: ignore[attr-defined]


def test_the_screen_pop_names_the_dialled_lead_and_fills_in_the_script(
    preview_site: LiveSite, open_page: Callable[..., Page], screens: Path
) -> None:
    from playwright.sync_api import expect

    from tidal.core.campaigns import DialAnswered, DialResult

    site = preview_site
    page = open_page()
    ready_on_the_desktop(page, site)
    expect(page.get_by_test_id("preview-lead")).to_contain_text("Ada Lovelace")
    page.get_by_test_id("preview-dial").click()
    expect(page.get_by_test_id("preview-card")).to_be_hidden()

    def answer() -> None:
        assert site.runtime.dialer is not None
        [call] = site.runtime.dialer.in_flight("renewals")
        site.runtime.submit(DialAnswered(call, DialResult.HUMAN))

    site.call(answer)
    expect(page.get_by_test_id("offer-caller")).to_have_text("Ada Lovelace (+12122010001)")
    expect(page.get_by_test_id("offer-kind")).to_have_text("Outbound call answered")
    expect(page.get_by_test_id("pop-customer")).to_have_text("Ada Lovelace")
    expect(page.get_by_test_id("pop-customer-source")).to_contain_text("Dialled lead of renewals")
    expect(page.get_by_test_id("pop-customer-fields")).to_contain_text("gold")
    expect(page.get_by_test_id("pop-queue")).to_have_text("renewals (campaign)")
    expect(page.get_by_test_id("pop-script")).to_have_text(
        "Hello Ada Lovelace, this is Acme about your gold plan. {unknown_field} stays."
    )
    page.screenshot(path=str(screens / "agent-outbound-pop.png"), full_page=True)
    assert page.js_errors == []  # type: ignore[attr-defined]
    assert page.console_errors == []  # type: ignore[attr-defined]
