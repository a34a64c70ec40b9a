"""The pages in a real browser against a real server: sign in, take a call, watch the board."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.web.conftest import LiveSite, sign_in
from tidal.core.records import Channel, Direction, InteractionRecord, Outcome

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CALLER = "+12125550123"


def test_wrong_password_is_said_on_the_form(
    site: LiveSite, open_page: Callable[..., Page], screens: Path
) -> None:
    from playwright.sync_api import expect

    page = open_page()
    sign_in(page, site, "alice", "not the password")
    expect(page.get_by_test_id("signin-error")).to_have_text("Wrong user name or password.")
    page.screenshot(path=str(screens / "signin.png"))
    assert page.url.rstrip("/") == site.url


def test_agent_takes_a_call_from_offer_to_disposition(
    site: LiveSite, open_page: Callable[..., Page], screens: Path
) -> None:
    from playwright.sync_api import expect

    earlier = InteractionRecord(
        contact_id=900,
        channel=Channel("voice"),
        direction=Direction("inbound"),
        queue="billing",
        arrived_at=site.call(site.runtime.now) - 86_400,
        outcome=Outcome("answered"),
        caller=CALLER,
        agent_id="a7",
        disposition="unresolved",
    )
    site.call(lambda: site.runtime.store.interactions.add(earlier))
    page = open_page()
    sign_in(page, site, "alice")
    page.wait_for_url("**/agent")
    expect(page.get_by_test_id("stream-status")).to_have_text("live")
    state = page.get_by_test_id("agent-state")

    page.get_by_test_id("state-login").click()
    expect(state).to_have_attribute("data-state", "not_ready")
    page.get_by_test_id("state-ready").click()
    expect(state).to_have_attribute("data-state", "ready")

    contact_id = site.arrive("billing", CALLER)
    expect(page.get_by_test_id("offer-panel")).to_be_visible()
    expect(page.get_by_test_id("offer-caller")).to_have_text(CALLER)
    expect(page.get_by_test_id("pop-history")).to_contain_text("unresolved")
    page.screenshot(path=str(screens / "agent-offer.png"), full_page=True)

    page.get_by_test_id("offer-accept").click()
    expect(state).to_have_attribute("data-state", "talking")
    expect(page.get_by_test_id("call-panel")).to_be_visible()
    page.get_by_test_id("call-hangup").click()
    expect(state).to_have_attribute("data-state", "wrap_up")

    form = page.get_by_test_id("disposition-form")
    expect(form).to_be_visible()
    page.get_by_test_id("disposition-select").select_option("resolved")
    page.get_by_test_id("disposition-notes").fill("card expired; new card on file")
    page.screenshot(path=str(screens / "agent.png"), full_page=True)
    page.get_by_test_id("disposition-submit").click()
    expect(form).to_be_hidden()
    expect(state).not_to_have_attribute("data-state", "wrap_up")

    records = site.call(lambda: site.runtime.store.interactions.list(caller=CALLER))
    handled = [r for r in records if r.contact_id == contact_id]
    assert [r.disposition for r in handled] == ["resolved"]
    assert handled[0].agent_id == "a1"
    assert page.js_errors == []  # type: ignore[attr-defined]
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_agent_asks_for_a_break_during_a_call_and_gets_it_after_wrap_up(
    site: LiveSite, open_page: Callable[..., Page], screens: Path
) -> None:
    from playwright.sync_api import expect

    page = open_page()
    sign_in(page, site, "alice")
    page.wait_for_url("**/agent")
    expect(page.get_by_test_id("stream-status")).to_have_text("live")
    state = page.get_by_test_id("agent-state")
    page.get_by_test_id("state-login").click()
    page.get_by_test_id("state-ready").click()
    expect(state).to_have_attribute("data-state", "ready")
    site.arrive("billing", CALLER)
    page.get_by_test_id("offer-accept").click()
    expect(state).to_have_attribute("data-state", "talking")

    page.get_by_test_id("state-reason").select_option("lunch")
    page.get_by_test_id("state-not-ready").click()
    pending = page.get_by_test_id("agent-pending")
    expect(pending).to_have_text("Lunch after this contact (Ready cancels it)")
    expect(state).to_have_attribute("data-state", "talking")
    page.screenshot(path=str(screens / "agent-break-pending.png"), full_page=True)

    site.arrive("billing", "+12125550199")  # waits: the break comes first
    page.get_by_test_id("call-hangup").click()
    page.get_by_test_id("disposition-select").select_option("resolved")
    page.get_by_test_id("disposition-submit").click()
    expect(state).to_have_attribute("data-state", "not_ready")
    expect(page.get_by_test_id("agent-reason")).to_have_text("(Lunch)")
    expect(pending).to_be_hidden()
    expect(page.get_by_test_id("offer-panel")).to_be_hidden()
    assert site.call(lambda: site.runtime.center.queue_length("billing")) == 1
    assert page.js_errors == []  # type: ignore[attr-defined]
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_a_callback_in_the_past_is_refused_with_a_message_and_nothing_is_lost(
    site: LiveSite, open_page: Callable[..., Page], screens: Path
) -> None:
    from playwright.sync_api import expect

    page = open_page()
    sign_in(page, site, "alice")
    page.wait_for_url("**/agent")
    expect(page.get_by_test_id("stream-status")).to_have_text("live")
    state = page.get_by_test_id("agent-state")
    page.get_by_test_id("state-login").click()
    page.get_by_test_id("state-ready").click()
    expect(state).to_have_attribute("data-state", "ready")
    site.arrive("billing", CALLER)
    page.get_by_test_id("offer-accept").click()
    page.get_by_test_id("call-hangup").click()
    expect(state).to_have_attribute("data-state", "wrap_up")
    select = page.get_by_test_id("disposition-select")
    expect(select).to_have_value("")  # nothing chosen for the agent
    options = select.locator("option").all_text_contents()
    assert "Sale" not in options and "Resolved" in options  # the support line's own list
    expect(page.get_by_test_id("callback-zone")).not_to_be_empty()
    select.select_option("callback")
    page.get_by_test_id("disposition-callback").fill("2020-01-02T09:30")
    page.get_by_test_id("disposition-submit").click()
    expect(page.get_by_test_id("work-error")).to_contain_text("in the past")
    expect(page.get_by_test_id("disposition-form")).to_be_visible()
    page.screenshot(path=str(screens / "agent-callback-refused.png"), full_page=True)
    page.get_by_test_id("disposition-callback").fill("")
    select.select_option("resolved")
    page.get_by_test_id("disposition-submit").click()
    expect(page.get_by_test_id("work-note")).to_have_text("Saved: Resolved.")
    expect(state).to_have_attribute("data-state", "ready")
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_wallboard_follows_the_queue_and_the_agents(
    site: LiveSite, open_page: Callable[..., Page], screens: Path
) -> None:
    from playwright.sync_api import expect

    from tidal.core.events import AgentLoggedIn

    page = open_page(1400, 1000)
    sign_in(page, site, "sam")
    page.wait_for_url("**/wallboard")
    expect(page.get_by_test_id("stream-status")).to_have_text("live")
    waiting = page.get_by_test_id("wb-waiting-billing")
    expect(waiting).to_have_text("0")

    site.arrive("billing", CALLER)  # nobody is logged in: the caller waits
    expect(waiting).to_have_text("1")
    expect(page.get_by_test_id("total-waiting")).to_have_text("1")

    site.call(lambda: site.runtime.submit(AgentLoggedIn("a9", "billing-team", {"billing": 5})))
    expect(page.get_by_test_id("wb-agent-state-a9")).to_have_text("not ready")
    expect(page.get_by_test_id("wb-count-not_ready")).to_contain_text("1")
    page.screenshot(path=str(screens / "wallboard.png"), full_page=True)
    assert page.js_errors == []  # type: ignore[attr-defined]
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_the_wallboards_numbers_are_the_report_apis(
    site: LiveSite, open_page: Callable[..., Page], screens: Path
) -> None:
    import httpx
    from playwright.sync_api import expect

    from tests.web.conftest import PASSWORD
    from tidal.core.events import (
        AgentLoggedIn,
        AgentReady,
        CallEnded,
        CallerAbandoned,
        OfferAccepted,
        WrapUpDone,
    )

    def submit(event: object) -> None:
        site.call(lambda: site.runtime.submit(event))  # type: ignore[arg-type]

    page = open_page(1400, 1000)
    sign_in(page, site, "sam")
    page.wait_for_url("**/wallboard")
    expect(page.get_by_test_id("stream-status")).to_have_text("live")
    submit(AgentLoggedIn("a9", "billing-team", {"billing": 5}))
    submit(AgentReady("a9"))
    handled = site.arrive("billing", "+12125550101")  # answered, talked, wrapped up
    submit(OfferAccepted(handled, "a9"))
    submit(CallEnded(handled))
    submit(WrapUpDone("a9", "resolved"))
    talking = site.arrive("billing", "+12125550102")  # answered, still talking
    submit(OfferAccepted(talking, "a9"))
    site.arrive("billing", "+12125550103")  # still waiting
    submit(CallerAbandoned(site.arrive("billing", "+12125550104")))  # hung up waiting

    token = httpx.post(
        f"{site.url}/api/v1/auth/token", data={"username": "sam", "password": PASSWORD}
    ).json()["access_token"]
    report = httpx.get(
        f"{site.url}/api/v1/reports/queues",
        params={"from": "2000-01-01"},
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    (billing,) = [row for row in report["items"] if row["queue"] == "billing"]
    assert (billing["offered"], billing["answered"], billing["abandoned"]) == (4, 2, 1)

    def shown(value: float) -> str:
        return f"{value * 100:.1f}\u00a0%"

    expect(page.get_by_test_id("wb-offered-billing")).to_have_text(str(billing["offered"]))
    expect(page.get_by_test_id("wb-handled-billing")).to_have_text("1")
    expect(page.get_by_test_id("wb-abandon-billing")).to_have_text(shown(billing["abandon_rate"]))
    expect(page.get_by_test_id("wb-sl-billing")).to_contain_text(shown(billing["service_level"]))
    expect(page.get_by_test_id("wb-waiting-billing")).to_have_text("1")
    page.get_by_test_id("wb-sort-time").click()
    expect(page.get_by_test_id("wb-agent-a9")).to_contain_text("+12125550102")
    page.screenshot(path=str(screens / "wallboard-truth.png"), full_page=True)
    assert page.js_errors == []  # type: ignore[attr-defined]
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_admin_lists_users_and_shows_where_a_flow_is_wrong(
    site: LiveSite, open_page: Callable[..., Page], screens: Path
) -> None:
    from playwright.sync_api import expect

    page = open_page(1280, 900)
    sign_in(page, site, "ada")
    page.wait_for_url("**/admin")
    expect(page.get_by_test_id("users-table")).to_contain_text("alice")

    page.get_by_test_id("user-name").fill("rita")
    page.get_by_test_id("user-role").select_option("supervisor")
    page.get_by_test_id("user-password").fill(PASSWORD_FOR_NEW_USER)
    page.get_by_test_id("user-submit").click()
    expect(page.get_by_test_id("users-table")).to_contain_text("rita")
    page.screenshot(path=str(screens / "admin.png"), full_page=True)

    page.get_by_test_id("tab-flows").click()
    page.get_by_test_id("flow-name").fill("broken")
    bad_flow = "name: broken\nstart: hello\nnodes:\n  hello:\n    kind: x\n"  # no node type
    page.get_by_test_id("flow-yaml").fill(bad_flow)
    page.get_by_test_id("flow-save").click()
    problem = page.get_by_test_id("flow-error").first
    expect(problem).to_be_visible()
    expect(problem).to_have_attribute("data-line", "4")
    expect(problem).to_contain_text("nodes.hello")
    page.screenshot(path=str(screens / "admin-flows.png"), full_page=True)
    assert page.js_errors == []  # type: ignore[attr-defined]


PASSWORD_FOR_NEW_USER = "another long password"


CAMPAIGN = {
    "name": "winback",
    "caller_id": "+12025550100",
    "leads": {"count": 0, "area_codes": [212]},
    "outcomes": {"human": 1.0},
    "time_to_answer": {"dist": "constant", "value": 5},
    "talk_time": {"dist": "constant", "value": 60},
}
LEADS_CSV = "phone,name\n+12125550111,Ann\n12345,Bad Number\n+13055550122,Cy\n"


def test_admin_adds_a_campaign_and_sees_which_lead_rows_were_rejected(
    site: LiveSite, open_page: Callable[..., Page], screens: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = open_page(1280, 900)
    sign_in(page, site, "ada")
    page.wait_for_url("**/admin")
    page.get_by_test_id("tab-campaigns").click()
    page.get_by_test_id("campaign-advanced").locator("summary").click()  # the JSON editor
    page.get_by_test_id("campaign-json").fill(json.dumps(CAMPAIGN))
    page.get_by_test_id("campaign-submit").click()
    expect(page.get_by_test_id("campaign-message")).to_contain_text("Campaign winback created")
    expect(page.get_by_test_id("campaigns-table")).to_contain_text("winback")
    stored = site.call(lambda: site.runtime.store.campaigns.get("winback"))
    assert stored is not None and stored.config["outcomes"]["human"] == 1.0  # world keys kept
    page.get_by_test_id("tab-leads").click()

    leads = tmp_path / "winback.csv"
    leads.write_text(LEADS_CSV, encoding="utf-8")
    page.get_by_test_id("leads-campaign").select_option("winback")
    page.get_by_test_id("leads-file").set_input_files(str(leads))
    page.get_by_test_id("leads-submit").click()
    expect(page.get_by_test_id("leads-summary")).to_contain_text("2 accepted")
    rejected = page.get_by_test_id("leads-rejected-row")
    expect(rejected).to_have_count(1)
    expect(rejected).to_contain_text("12345")
    page.screenshot(path=str(screens / "admin-leads.png"), full_page=True)
    page.get_by_test_id("tab-campaigns").click()
    expect(page.get_by_test_id("campaign-leads-winback")).to_have_text("2")
    assert page.js_errors == []  # type: ignore[attr-defined]
