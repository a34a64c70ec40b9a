"""The admin's forms in Chromium against the real server: a queue made with the form
(no JSON typed) takes calls at once, a stored queue's world keys survive an edit, a
422 is shown beside its field, an agent's skills are edited as rows and reach the
logged-in agent, the DNC list is searched, and every tab answers to its #hash.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.web.conftest import LiveSite, sign_in
from tidal.core.events import AgentLoggedIn, AgentReady

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

TABS = ("users", "agents", "queues", "campaigns", "leads", "dnc", "audit", "flows")


def _admin(site: LiveSite, open_page: Callable[..., Page], tab: str = "") -> Page:
    page = open_page(1366, 900)
    sign_in(page, site, "ada")
    page.wait_for_url("**/admin")
    if tab:
        page.get_by_test_id(f"tab-{tab}").click()
    return page


def _clean(page: Page) -> None:
    assert page.js_errors == []  # type: ignore[attr-defined]
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_a_queue_made_with_the_form_takes_calls_without_a_restart(
    site: LiveSite, open_page: Callable[..., Page], screens: Path
) -> None:
    from playwright.sync_api import expect

    page = _admin(site, open_page, "queues")
    expect(page.get_by_test_id("queues-table")).to_contain_text("billing")
    page.get_by_test_id("queue-name").fill("vip")
    page.get_by_test_id("queue-priority").fill("5")
    page.get_by_test_id("queue-target").fill("90")
    page.get_by_test_id("queue-threshold").fill("15")
    page.get_by_test_id("queue-strategy").select_option("most_skilled")
    page.get_by_test_id("queue-skill-add").click()
    page.get_by_test_id("queue-skill-name").last.fill("billing")
    page.get_by_test_id("queue-skill-level").last.fill("3")
    page.get_by_test_id("queue-submit").click()
    expect(page.get_by_test_id("queue-message")).to_contain_text("Queue vip created")
    expect(page.get_by_test_id("queues-table")).to_contain_text("vip")
    stored = site.call(lambda: site.runtime.store.queues.get("vip"))
    assert stored is not None
    assert stored.config == {
        "name": "vip",
        "priority": 5,
        "service_level": {"target": 0.9, "threshold": 15},
        "strategy": "most_skilled",
        "skills": {"billing": 3},
    }
    page.screenshot(path=str(screens / "admin-queues.png"), full_page=True)

    # The running center routes the new queue at once: a caller reaches alice.
    def ready() -> None:
        site.runtime.submit(AgentLoggedIn("a1", "billing-team", {"billing": 5}))
        site.runtime.submit(AgentReady("a1"))

    site.call(ready)
    contact = site.arrive("vip", "+12125550177")
    agent = site.call(lambda: site.runtime.center.agents["a1"])
    assert agent.state == "reserved" and contact in agent.work
    page.get_by_test_id("tab-users").click()
    page.get_by_test_id("tab-queues").click()
    expect(page.get_by_test_id("queue-offered-vip")).to_have_text("1")
    _clean(page)


def test_an_edit_keeps_the_keys_the_form_does_not_show_and_errors_sit_by_their_field(
    site: LiveSite, open_page: Callable[..., Page], screens: Path
) -> None:
    from playwright.sync_api import expect

    site.call(
        lambda: site.runtime.store.queues.put(
            "billing",
            {
                "name": "billing",
                "skills": {"billing": 1},
                "service_level": {"target": 0.8, "threshold": 20},
                "arrivals": {"rate_per_hour": 60},
                "handle_time": {"dist": "constant", "value": 120},
            },
        )
    )
    page = _admin(site, open_page, "queues")
    page.get_by_test_id("queue-edit-billing").click()
    expect(page.get_by_test_id("queue-target")).to_have_value("80")
    expect(page.get_by_test_id("queue-skill-name")).to_have_value("billing")
    page.get_by_test_id("queue-target").fill("150")
    page.get_by_test_id("queue-submit").click()
    error = page.locator('[data-for="service_level.target"]')
    expect(error).to_have_text("Input should be less than or equal to 100 %")
    expect(page.get_by_test_id("queue-target")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("queue-message")).to_contain_text("Not saved: 1 problem")
    page.screenshot(path=str(screens / "admin-queue-error.png"), full_page=True)

    page.get_by_test_id("queue-target").fill("85")
    page.get_by_test_id("queue-submit").click()
    expect(page.get_by_test_id("queue-message")).to_contain_text("Queue billing saved")
    expect(page.get_by_test_id("field-error")).to_have_count(0)
    stored = site.call(lambda: site.runtime.store.queues.get("billing"))
    assert stored is not None
    assert stored.config["service_level"] == {"target": 0.85, "threshold": 20}
    assert stored.config["arrivals"] == {"rate_per_hour": 60}  # the world, kept unseen
    assert stored.config["handle_time"] == {"dist": "constant", "value": 120}

    page.get_by_test_id("queue-advanced").locator("summary").click()
    editor = page.get_by_test_id("queue-json")
    expect(editor).to_have_value(re.compile(r'"rate_per_hour": 60'))
    expect(editor).to_have_value(re.compile(r'"target": 0.85'))
    assert site.call(lambda: site.runtime.queue_configs["billing"].service_level.target) == 0.85
    _clean(page)


def test_an_admin_edits_an_agents_skills_as_rows(
    site: LiveSite, open_page: Callable[..., Page], screens: Path
) -> None:
    from playwright.sync_api import expect

    site.call(lambda: site.runtime.submit(AgentLoggedIn("a1", "billing-team", {"billing": 5})))
    page = _admin(site, open_page, "agents")
    expect(page.get_by_test_id("agent-skills-a1")).to_have_text("billing 5")
    page.get_by_test_id("agent-edit-a1").click()
    expect(page.get_by_test_id("agent-form-title")).to_have_text("Change agent a1")
    expect(page.get_by_test_id("agent-user")).to_have_value("alice")
    page.get_by_test_id("agent-skill-level").first.fill("7")
    page.get_by_test_id("agent-skill-add").click()
    page.get_by_test_id("agent-skill-name").last.fill("tech")
    page.get_by_test_id("agent-skill-level").last.fill("2")
    page.get_by_test_id("agent-submit").click()
    expect(page.get_by_test_id("agent-message")).to_contain_text("Agent a1 saved")
    expect(page.get_by_test_id("agent-skills-a1")).to_have_text("billing 7, tech 2")
    profile = site.call(lambda: site.runtime.store.agents.get("a1"))
    assert profile is not None and profile.skills == {"billing": 7, "tech": 2}
    live = site.call(lambda: dict(site.runtime.center.agents["a1"].skills))
    assert live == {"billing": 7, "tech": 2}  # the logged-in agent has them now

    page.get_by_test_id("agent-skill-level").last.fill("11")
    page.get_by_test_id("agent-submit").click()
    expect(page.locator('[data-for="skills.tech"]')).to_contain_text("less than or equal to 10")
    page.screenshot(path=str(screens / "admin-agents.png"), full_page=True)
    _clean(page)


def test_the_dnc_list_is_searched(
    site: LiveSite, open_page: Callable[..., Page], screens: Path
) -> None:
    from playwright.sync_api import expect

    page = _admin(site, open_page, "dnc")
    for number, reason in (("+12125550101", "asked on a call"), ("+13055550199", "letter")):
        page.get_by_test_id("dnc-number").fill(number)
        page.get_by_test_id("dnc-reason").fill(reason)
        page.get_by_test_id("dnc-add").click()
        expect(page.get_by_test_id("dnc-message")).to_contain_text(f"{number} added")
    expect(page.get_by_test_id("dnc-row")).to_have_count(2)
    page.get_by_test_id("dnc-search").fill("(305) 555")
    page.get_by_test_id("dnc-search-submit").click()
    expect(page.get_by_test_id("dnc-row")).to_have_count(1)
    expect(page.get_by_test_id("dnc-row")).to_contain_text("+13055550199")
    expect(page.get_by_test_id("dnc-row")).to_contain_text("letter")
    expect(page.get_by_test_id("dnc-pager-range")).to_have_text("1–1 of 1")
    page.get_by_test_id("dnc-search").fill("x")
    page.get_by_test_id("dnc-search-submit").click()
    expect(page.get_by_test_id("dnc-list-message")).to_contain_text("no digit")
    page.get_by_test_id("dnc-search").fill("")
    page.get_by_test_id("dnc-search-submit").click()
    page.screenshot(path=str(screens / "admin-dnc.png"), full_page=True)

    page.get_by_test_id("tab-audit").click()
    expect(page.get_by_test_id("audit-row").first).to_contain_text("internal dnc added")
    page.get_by_test_id("audit-number").fill("2125550101")
    page.get_by_test_id("audit-submit").click()
    expect(page.get_by_test_id("audit-row")).to_have_count(1)
    expect(page.get_by_test_id("audit-row")).to_contain_text("api:ada")
    page.screenshot(path=str(screens / "admin-audit.png"), full_page=True)
    _clean(page)


def test_tabs_follow_the_hash_and_the_back_button(
    site: LiveSite, open_page: Callable[..., Page], screens: Path
) -> None:
    from playwright.sync_api import expect

    page = open_page(1366, 900)
    sign_in(page, site, "ada")
    page.wait_for_url("**/admin")
    page.goto(f"{site.url}/admin#campaigns")
    expect(page.get_by_test_id("panel-campaigns")).to_be_visible()
    for tab in TABS:
        page.get_by_test_id(f"tab-{tab}").click()
        expect(page.get_by_test_id(f"panel-{tab}")).to_be_visible()
        assert page.url.endswith(f"#{tab}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(screens / f"admin-tab-{tab}.png"), full_page=True)
    page.go_back()
    expect(page.get_by_test_id("panel-audit")).to_be_visible()
    page.go_back()
    expect(page.get_by_test_id("panel-dnc")).to_be_visible()
    expect(page.get_by_test_id("panel-flows")).to_be_hidden()

    page.get_by_test_id("tab-flows").click()  # a new flow opens with a valid template
    expect(page.get_by_test_id("flow-yaml")).to_have_value(re.compile(r"queue: billing"))
    page.get_by_test_id("flow-name").fill("front-door")
    page.get_by_test_id("flow-save").click()
    expect(page.get_by_test_id("flow-message")).to_have_text("Flow front-door is valid and saved.")
    expect(page.get_by_test_id("flow-used-by")).to_have_text("No queue uses this flow.")
    page.get_by_test_id("tab-queues").click()
    page.get_by_test_id("queue-edit-tech").click()
    expect(page.get_by_test_id("queue-name")).to_have_value("tech")
    page.get_by_test_id("queue-flow").select_option("front-door")
    page.get_by_test_id("queue-submit").click()
    expect(page.get_by_test_id("queue-message")).to_contain_text("Queue tech saved")
    page.get_by_test_id("tab-flows").click()
    page.get_by_test_id("flow-pick").select_option("front-door")
    expect(page.get_by_test_id("flow-used-by")).to_contain_text("Used by queue tech")
    page.screenshot(path=str(screens / "admin-flow-used.png"), full_page=True)
    _clean(page)


def test_a_campaign_is_made_with_the_form_and_an_edit_keeps_its_world(
    site: LiveSite, open_page: Callable[..., Page], screens: Path
) -> None:
    from playwright.sync_api import expect

    page = _admin(site, open_page, "campaigns")
    page.get_by_test_id("campaign-name").fill("winback")
    page.get_by_test_id("campaign-mode").select_option("predictive")
    page.get_by_test_id("campaign-caller-id").fill("+12025550100")
    page.get_by_test_id("campaign-cap").fill("2.5")
    page.get_by_test_id("campaign-retry-max").fill("4")
    page.get_by_test_id("campaign-disposition-add").click()
    page.get_by_test_id("campaign-disposition-code").fill("moved_away")
    page.get_by_test_id("campaign-submit").click()
    expect(page.get_by_test_id("campaign-message")).to_contain_text("Campaign winback created")
    expect(page.get_by_test_id("campaign-state-winback")).to_have_text("stopped")
    stored = site.call(lambda: site.runtime.store.campaigns.get("winback"))
    assert stored is not None
    assert stored.config == {
        "name": "winback",
        "dial_mode": "predictive",
        "caller_id": "+12025550100",
        "max_abandon_rate": 0.025,
        "retry": {"max_attempts": 4},
        "dispositions": [{"code": "moved_away", "final": True}],
    }  # no script: it was left empty

    world = {
        **stored.config,
        "outcomes": {"human": 1.0},
        "talk_time": {"dist": "constant", "value": 60},
    }
    site.call(lambda: site.runtime.store.campaigns.put("winback", world))
    page.get_by_test_id("tab-users").click()
    page.get_by_test_id("tab-campaigns").click()
    page.get_by_test_id("campaign-edit-winback").click()
    expect(page.get_by_test_id("campaign-cap")).to_have_value("2.5")
    page.get_by_test_id("campaign-cap").fill("150")
    page.get_by_test_id("campaign-submit").click()
    expect(page.locator('[data-for="max_abandon_rate"]')).to_contain_text("100 %")
    page.get_by_test_id("campaign-cap").fill("2")
    page.get_by_test_id("campaign-script").fill("Hello {name}, about your renewal.")
    page.get_by_test_id("campaign-submit").click()
    expect(page.get_by_test_id("campaign-message")).to_contain_text("Campaign winback saved")
    saved = site.call(lambda: site.runtime.store.campaigns.get("winback"))
    assert saved is not None and saved.config["max_abandon_rate"] == 0.02
    assert saved.config["talk_time"] == {"dist": "constant", "value": 60}  # kept unseen
    assert saved.config["outcomes"]["human"] == 1.0
    assert saved.config["script"] == "Hello {name}, about your renewal."
    page.get_by_test_id("campaign-script").fill("")
    page.get_by_test_id("campaign-submit").click()
    expect(page.get_by_test_id("campaign-message")).to_contain_text("Campaign winback saved")
    cleared = site.call(lambda: site.runtime.store.campaigns.get("winback"))
    assert cleared is not None and "script" not in cleared.config  # an empty script is left out
    page.screenshot(path=str(screens / "admin-campaign-form.png"), full_page=True)
    _clean(page)


def test_pause_reasons_edited_by_the_admin_are_what_the_agent_picks_from(
    site: LiveSite, open_page: Callable[..., Page], screens: Path
) -> None:
    from playwright.sync_api import expect

    page = _admin(site, open_page, "agents")
    codes = page.get_by_test_id("pause-code")
    expect(codes.first).to_have_value("break")
    count = codes.count()
    page.get_by_test_id("pause-add").click()
    codes.last.fill("email")
    page.get_by_test_id("pause-label").last.fill("Answering email")
    page.get_by_test_id("pause-submit").click()
    expect(page.get_by_test_id("pause-message")).to_contain_text(f"Saved {count + 1} reasons")
    assert site.call(lambda: [r.code for r in site.runtime.pause_reasons])[-1] == "email"
    page.get_by_test_id("pause-add").click()
    codes.last.fill("email")  # twice: refused, and the saved list stays
    page.get_by_test_id("pause-submit").click()
    expect(page.get_by_test_id("pause-message")).to_contain_text("duplicate pause reason 'email'")
    page.get_by_test_id("pause-form").screenshot(path=str(screens / "admin-pause-reasons.png"))
    _clean(page)

    desk = open_page()
    sign_in(desk, site, "alice")
    desk.wait_for_url("**/agent")
    desk.get_by_test_id("state-login").click()
    expect(desk.get_by_test_id("state-reason")).to_contain_text("Answering email")
    desk.get_by_test_id("state-reason").select_option("email")
    desk.get_by_test_id("state-not-ready").click()
    expect(desk.get_by_test_id("agent-reason")).to_have_text("(Answering email)")
    assert site.call(lambda: site.runtime.center.agents["a1"].reason) == "email"
    _clean(desk)
