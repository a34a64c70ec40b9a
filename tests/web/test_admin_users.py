"""The admin page disables, enables, signs out and deletes users; their desktop goes at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.web.conftest import LiveSite, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_disabled_agent_is_signed_out_of_their_desktop_at_once(
    site: LiveSite, open_page: Callable[..., Page], screens: Path
) -> None:
    from playwright.sync_api import expect

    agent = open_page()
    sign_in(agent, site, "alice")
    agent.wait_for_url("**/agent")
    expect(agent.get_by_test_id("stream-status")).to_have_text("live")

    admin = open_page(1280, 900)
    sign_in(admin, site, "ada")
    admin.wait_for_url("**/admin")
    expect(admin.get_by_test_id("user-status-alice")).to_have_text("active")
    admin.get_by_test_id("user-disable-alice").click()
    expect(admin.get_by_test_id("users-message")).to_contain_text("alice is disabled")
    expect(admin.get_by_test_id("user-status-alice")).to_have_text("disabled")
    admin.screenshot(path=str(screens / "admin-users.png"), full_page=True)

    agent.wait_for_url(f"{site.url}/")  # the stream closed 1008 and the page signed out
    sign_in(agent, site, "alice")
    expect(agent.get_by_test_id("signin-error")).to_have_text("Wrong user name or password.")

    admin.get_by_test_id("user-enable-alice").click()
    expect(admin.get_by_test_id("user-status-alice")).to_have_text("active")
    sign_in(agent, site, "alice")
    agent.wait_for_url("**/agent")
    expect(agent.get_by_test_id("stream-status")).to_have_text("live")
    admin.get_by_test_id("user-signout-alice").click()
    expect(admin.get_by_test_id("users-message")).to_contain_text("signed out everywhere")
    agent.wait_for_url(f"{site.url}/")
    assert agent.js_errors == [] and admin.js_errors == []  # type: ignore[attr-defined]


def test_an_admin_deletes_a_user_but_not_the_last_admin(
    site: LiveSite, open_page: Callable[..., Page]
) -> None:
    from playwright.sync_api import expect

    admin = open_page(1280, 900)
    sign_in(admin, site, "ada")
    admin.wait_for_url("**/admin")
    admin.get_by_test_id("user-disable-ada").click()
    expect(admin.get_by_test_id("users-message")).to_contain_text("last enabled admin")
    expect(admin.get_by_test_id("user-status-ada")).to_have_text("active")

    admin.once("dialog", lambda dialog: dialog.accept())
    admin.get_by_test_id("user-delete-sam").click()
    expect(admin.get_by_test_id("users-message")).to_contain_text("sam is deleted")
    expect(admin.get_by_test_id("users-table")).not_to_contain_text("sam")
    assert site.call(lambda: site.runtime.store.users.get("sam")) is None
    assert admin.js_errors == []  # type: ignore[attr-defined]
