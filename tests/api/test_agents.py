"""Agents: live views, profiles, state changes, offers, hang-up and disposition.

An agent only ever sees and changes their own agent, offers and interactions.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.api.conftest import NOW, Site, agent_view
from tidal.core.errors import CoreError, IllegalTransition
from tidal.core.events import (
    AgentLoggedIn,
    AgentLoggedOut,
    AgentNotReady,
    AgentReady,
    CallbackScheduled,
    CallEnded,
    OfferAccepted,
    OfferDeclined,
    WrapUpDone,
)


def test_managers_see_every_agent_paged(fresh: Site) -> None:
    fresh.runtime.agents.update({a: agent_view(a, "talking") for a in ("a0", "a1", "a3")})
    everyone = fresh.client.get("/api/v1/agents", headers=fresh.auth("sam")).json()
    ids = [a["agent_id"] for a in everyone["items"]]
    assert ids == sorted(ids) and {"a0", "a1", "a2", "a3"} <= set(ids)
    assert everyone["total"] == len(ids)
    states = {a["agent_id"]: a["state"] for a in everyone["items"]}
    assert states["a1"] == "talking" and states["a2"] == "logged_out"  # a2: a profile only
    page = fresh.client.get("/api/v1/agents?limit=2&offset=1", headers=fresh.auth("sam")).json()
    assert [a["agent_id"] for a in page["items"]] == ids[1:3]


def test_an_agent_who_never_logged_in_is_logged_out(fresh: Site) -> None:
    answer = fresh.client.get("/api/v1/agents/a1", headers=fresh.auth("alice"))
    assert answer.status_code == 200
    assert answer.json() == {
        "agent_id": "a1",
        "group": "sales",
        "skills": None,  # routed by nothing: not in the center
        "state": "logged_out",
        "since": None,
        "reason": None,
        "contact_id": None,
        "queue": None,
        "caller": None,
        "pending": None,
        "pending_reason": None,
    }


def test_an_agent_sees_only_themself(fresh: Site) -> None:
    fresh.runtime.agents.update({"a1": agent_view("a1"), "a2": agent_view("a2")})
    own = fresh.client.get("/api/v1/agents/a1", headers=fresh.auth("alice"))
    assert own.status_code == 200 and own.json()["agent_id"] == "a1"
    assert fresh.client.get("/api/v1/agents/a2", headers=fresh.auth("alice")).status_code == 403
    assert fresh.client.get("/api/v1/agents", headers=fresh.auth("alice")).status_code == 403
    # a user of the agent role without a profile is no agent at all
    assert fresh.client.get("/api/v1/agents/a1", headers=fresh.auth("nora")).status_code == 403


def test_an_unknown_agent_is_404_for_managers(fresh: Site) -> None:
    assert fresh.client.get("/api/v1/agents/zz", headers=fresh.auth("sam")).status_code == 404


def test_state_changes_submit_core_events(fresh: Site) -> None:
    fresh.runtime.agents["a1"] = agent_view("a1")
    post = fresh.client.post
    for body in (
        {"state": "logged_in"},
        {"state": "ready"},
        {"state": "not_ready", "reason": "lunch"},
        {"state": "not_ready"},
        {"state": "logged_out"},
    ):
        answer = post("/api/v1/agents/a1/state", json=body, headers=fresh.auth("alice"))
        assert answer.status_code == 200, answer.text
        assert answer.json()["agent_id"] == "a1"
    assert fresh.runtime.submitted == [
        AgentLoggedIn("a1", "sales", {"sales": 3}),
        AgentReady("a1"),
        AgentNotReady("a1", "lunch"),
        AgentNotReady("a1", "break"),
        AgentLoggedOut("a1"),
    ]


def test_an_agent_cannot_change_another_agent(fresh: Site) -> None:
    fresh.runtime.agents["a2"] = agent_view("a2")
    answer = fresh.client.post(
        "/api/v1/agents/a2/state", json={"state": "logged_out"}, headers=fresh.auth("alice")
    )
    assert answer.status_code == 403
    assert fresh.runtime.submitted == []


def test_a_supervisor_may_change_any_agent(fresh: Site) -> None:
    fresh.runtime.agents["a2"] = agent_view("a2")
    answer = fresh.client.post(
        "/api/v1/agents/a2/state", json={"state": "ready"}, headers=fresh.auth("sam")
    )
    assert answer.status_code == 200
    assert fresh.runtime.submitted == [AgentReady("a2")]


def test_a_refused_step_is_409_with_the_core_message(fresh: Site) -> None:
    fresh.runtime.agents["a1"] = agent_view("a1", "logged_out")
    fresh.runtime.refusal = IllegalTransition("agent", "a1", "logged_out", "ready")
    answer = fresh.client.post(
        "/api/v1/agents/a1/state", json={"state": "ready"}, headers=fresh.auth("alice")
    )
    assert answer.status_code == 409
    assert answer.json() == {"detail": "agent 'a1': 'ready' is not allowed in state 'logged_out'"}


def test_a_bad_state_is_422_naming_the_field(fresh: Site) -> None:
    answer = fresh.client.post(
        "/api/v1/agents/a1/state", json={"state": "asleep"}, headers=fresh.auth("alice")
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "state"]


def test_logging_in_without_a_profile_is_404(fresh: Site) -> None:
    answer = fresh.client.post(
        "/api/v1/agents/zz/state", json={"state": "logged_in"}, headers=fresh.auth("ada")
    )
    assert answer.status_code == 404


def test_create_an_agent_profile(fresh: Site) -> None:
    body = {"agent_id": "a9", "group": "sales", "skills": {"sales": 2}, "user": "nora"}
    answer = fresh.client.post("/api/v1/agents", json=body, headers=fresh.auth("ada"))
    assert answer.status_code == 201
    assert answer.json() == {**body, "phone": None}  # reached on the desktop only
    again = fresh.client.post("/api/v1/agents", json=body, headers=fresh.auth("ada"))
    assert again.status_code == 409
    ghost = {**body, "agent_id": "a10", "user": "ghost"}
    missing = fresh.client.post("/api/v1/agents", json=ghost, headers=fresh.auth("ada"))
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "user"]
    bad = {**body, "agent_id": "a11", "skills": {"sales": 11}}
    invalid = fresh.client.post("/api/v1/agents", json=bad, headers=fresh.auth("ada"))
    assert invalid.json()["detail"][0]["loc"] == ["body", "skills", "sales"]


def test_an_admin_edits_an_agents_skills_and_the_running_center_hears_it(fresh: Site) -> None:
    body = {"agent_id": "a12", "group": "sales", "skills": {"sales": 2}, "user": "nora2"}
    fresh.runtime.store.users.add("nora2", "agent", "pw-nora2-long")
    assert (
        fresh.client.post("/api/v1/agents", json=body, headers=fresh.auth("ada")).status_code == 201
    )
    patch = fresh.client.patch
    answer = patch("/api/v1/agents/a12", json={"skills": {"support": 3}}, headers=fresh.auth("ada"))
    assert answer.status_code == 200
    assert answer.json() == {**body, "skills": {"support": 3}, "phone": None}
    assert fresh.runtime.changed == [("a12", "sales", {"support": 3})]
    assert fresh.runtime.store.agents.get("a12").skills == {"support": 3}  # type: ignore[union-attr]
    for user in ("sam", "alice"):  # profiles are an admin's
        denied = patch("/api/v1/agents/a12", json={"group": "x"}, headers=fresh.auth(user))
        assert denied.status_code == 403
    missing = patch("/api/v1/agents/nope", json={"group": "x"}, headers=fresh.auth("ada"))
    assert missing.status_code == 404
    extra = patch("/api/v1/agents/a12", json={"colour": "red"}, headers=fresh.auth("ada"))
    assert extra.status_code == 422 and extra.json()["detail"][0]["loc"] == ["body", "colour"]


def test_a_refused_profile_edit_changes_nothing(fresh: Site) -> None:
    user = fresh.runtime.store.users.add("nora3", "agent", "pw-nora3-long")
    fresh.runtime.store.agents.add("a13", "sales", {"sales": 2}, user.id)
    fresh.runtime.refusal = CoreError("no")
    answer = fresh.client.patch(
        "/api/v1/agents/a13", json={"group": "support"}, headers=fresh.auth("ada")
    )
    assert answer.status_code == 409
    assert fresh.runtime.store.agents.get("a13").group == "sales"  # type: ignore[union-attr]


OFFER = {
    "contact_id": 7,
    "queue": "sales",
    "caller": "+12125550100",
    "arrived_at": NOW - 30,
    "waited": 30.0,
    "ring_timeout": 15.0,
    "ivr": {"account": "1234"},
    "history": [],
    "customer": {"name": "Ada Lovelace", "source": "lead list", "contacts": 0},
    "script": None,
    "dispositions": [],
}


def test_the_offer_is_the_agents_own(fresh: Site) -> None:
    get = fresh.client.get
    assert get("/api/v1/agents/a1/offer", headers=fresh.auth("alice")).status_code == 204
    fresh.runtime.offers["a1"] = OFFER
    offer = get("/api/v1/agents/a1/offer", headers=fresh.auth("alice"))
    assert offer.status_code == 200 and offer.json() == OFFER
    assert get("/api/v1/agents/a1/offer", headers=fresh.auth("bob")).status_code == 403
    assert get("/api/v1/agents/a1/offer", headers=fresh.auth("sam")).status_code == 200


@pytest.mark.parametrize("action", ["accept", "decline"])
def test_only_the_offered_agent_may_answer_an_offer(fresh: Site, action: str) -> None:
    fresh.runtime.agents["a1"] = agent_view("a1", "reserved", contact_id=7)
    fresh.runtime.offers["a1"] = OFFER
    url = f"/api/v1/offers/7/{action}"
    for user in ("bob", "nora", "sam", "ada"):
        assert fresh.client.post(url, headers=fresh.auth(user)).status_code == 403, user
    assert (
        fresh.client.post("/api/v1/offers/8/accept", headers=fresh.auth("alice")).status_code == 403
    )
    assert fresh.runtime.submitted == []
    assert fresh.client.post(url, headers=fresh.auth("alice")).status_code == 200
    event = OfferAccepted(7, "a1") if action == "accept" else OfferDeclined(7, "a1")
    assert fresh.runtime.submitted == [event]


def test_only_the_agent_talking_may_hang_up(fresh: Site) -> None:
    fresh.runtime.agents["a1"] = agent_view("a1", "talking", contact_id=7)
    fresh.runtime.agents["a2"] = agent_view("a2", "talking", contact_id=8)
    post = fresh.client.post
    assert post("/api/v1/interactions/7/hangup", headers=fresh.auth("bob")).status_code == 403
    assert post("/api/v1/interactions/8/hangup", headers=fresh.auth("alice")).status_code == 403
    assert post("/api/v1/interactions/7/hangup", headers=fresh.auth("alice")).status_code == 200
    assert fresh.runtime.submitted == [CallEnded(7)]


def test_a_disposition_ends_wrap_up_and_is_audited_with_notes(fresh: Site) -> None:
    fresh.runtime.agents["a1"] = agent_view("a1", "wrap_up", contact_id=7)
    fresh.runtime.contacts[7] = {"contact_id": 7, "queue": "sales", "caller": "+12125550100"}
    body = {
        "disposition": "resolved",
        "notes": "refund issued",
        "callback_at": "2027-01-15T10:00:00-05:00",
    }
    other = fresh.client.post(
        "/api/v1/interactions/7/disposition", json=body, headers=fresh.auth("bob")
    )
    assert other.status_code == 403
    answer = fresh.client.post(
        "/api/v1/interactions/7/disposition", json=body, headers=fresh.auth("alice")
    )
    assert answer.status_code == 200
    due = datetime(2027, 1, 15, 15, 0, tzinfo=UTC).timestamp()
    assert fresh.runtime.submitted == [
        WrapUpDone("a1", "resolved", 7),
        CallbackScheduled(
            fresh.runtime.last_contact_id, "sales", "+12125550100", due, "a1", "refund issued"
        ),
    ]
    entries = fresh.client.get("/api/v1/audit?limit=1000", headers=fresh.auth("ada")).json()
    mine = [e for e in entries["items"] if e["action"] == "disposition"]
    assert mine[-1]["actor"] == "api:alice"
    assert mine[-1]["details"] == {
        "contact_id": 7,
        "agent_id": "a1",
        "disposition": "resolved",
        "notes": "refund issued",
        "callback_at": "2027-01-15T15:00:00+00:00",  # the API keeps every moment in UTC
        "callback_contact_id": fresh.runtime.last_contact_id,
    }


def test_a_callback_needs_a_number(fresh: Site) -> None:
    fresh.runtime.agents["a1"] = agent_view("a1", "wrap_up", contact_id=7)
    fresh.runtime.contacts[7] = {"contact_id": 7, "queue": "sales", "caller": ""}
    answer = fresh.client.post(
        "/api/v1/interactions/7/disposition",
        json={"disposition": "callback", "callback_at": "2027-01-15T10:00:00Z"},
        headers=fresh.auth("alice"),
    )
    assert answer.status_code == 409
    assert fresh.runtime.submitted == []


def test_a_refused_disposition_is_not_audited(fresh: Site) -> None:
    fresh.runtime.agents["a1"] = agent_view("a1", "wrap_up", contact_id=7)
    fresh.runtime.refusal = IllegalTransition("agent", "a1", "talking", "wrap_up_done")
    before = fresh.client.get("/api/v1/audit", headers=fresh.auth("ada")).json()["total"]
    answer = fresh.client.post(
        "/api/v1/interactions/7/disposition",
        json={"disposition": "resolved"},
        headers=fresh.auth("alice"),
    )
    assert answer.status_code == 409
    assert fresh.client.get("/api/v1/audit", headers=fresh.auth("ada")).json()["total"] == before


def test_a_disposition_needs_a_zone_on_its_callback_time(fresh: Site) -> None:
    fresh.runtime.agents["a1"] = agent_view("a1", "wrap_up", contact_id=7)
    answer = fresh.client.post(
        "/api/v1/interactions/7/disposition",
        json={"disposition": "callback", "callback_at": "2027-01-15T10:00:00"},
        headers=fresh.auth("alice"),
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "callback_at"]


PREVIEW = {
    "agent_id": "a1",
    "call_id": 10**12,
    "campaign": "renewals",
    "number": "+12122010001",
    "lead": {"lead_id": "1", "name": "Ada"},
    "attempts": 0,
    "history": [],
    "dial_at": NOW + 10,
}


def test_preview_dial_and_skip_are_the_previewing_agents_own(fresh: Site) -> None:
    from tidal.core.campaigns import PreviewDial, PreviewSkipped

    get, post = fresh.client.get, fresh.client.post
    assert get("/api/v1/agents/a1/preview", headers=fresh.auth("alice")).status_code == 204
    none = post("/api/v1/agents/a1/preview/dial", headers=fresh.auth("alice"))
    assert none.status_code == 404
    fresh.runtime.previews["a1"] = PREVIEW
    fresh.runtime.agents["a1"] = agent_view("a1")
    shown = get("/api/v1/agents/a1/preview", headers=fresh.auth("alice"))
    assert shown.status_code == 200 and shown.json()["lead"]["name"] == "Ada"
    other = get("/api/v1/agents/a1/preview", headers=fresh.auth("bob"))
    assert other.status_code == 403
    assert post("/api/v1/agents/a1/preview/dial", headers=fresh.auth("alice")).status_code == 200
    skip = post(
        "/api/v1/agents/a1/preview/skip",
        json={"reason": "wrong person"},
        headers=fresh.auth("alice"),
    )
    assert skip.status_code == 200
    assert fresh.runtime.submitted == [
        PreviewDial(10**12, "a1"),
        PreviewSkipped(10**12, "a1", "wrong person"),
    ]
    bad = post(
        "/api/v1/agents/a1/preview/skip", json={"reason": "x\u0000y"}, headers=fresh.auth("alice")
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "reason"]


def test_an_agents_profile_is_read_by_admins_and_supervisors(fresh: Site) -> None:
    one = fresh.client.get("/api/v1/agents/a1/profile", headers=fresh.auth("sam"))
    assert one.status_code == 200, one.text
    assert one.json() == {
        "agent_id": "a1",
        "group": "sales",
        "skills": {"sales": 3},
        "user": "alice",
        "phone": None,
    }
    assert (
        fresh.client.get("/api/v1/agents/a1/profile", headers=fresh.auth("alice")).status_code
        == 403
    )
    missing = fresh.client.get("/api/v1/agents/nope/profile", headers=fresh.auth("ada"))
    assert missing.status_code == 404 and "nope" in missing.json()["detail"]


def test_every_profile_is_listed_in_one_page(fresh: Site) -> None:
    listed = fresh.client.get("/api/v1/agents/profiles?limit=1", headers=fresh.auth("sam"))
    assert listed.status_code == 200, listed.text
    page = listed.json()
    assert page["total"] == fresh.runtime.store.agents.count() >= 2
    assert page["items"] == [
        {"agent_id": "a1", "group": "sales", "skills": {"sales": 3}, "user": "alice", "phone": None}
    ]
    second = fresh.client.get("/api/v1/agents/profiles?offset=1", headers=fresh.auth("ada"))
    assert second.json()["items"][0]["agent_id"] != "a1"
    denied = fresh.client.get("/api/v1/agents/profiles", headers=fresh.auth("alice"))
    assert denied.status_code == 403


def test_an_agents_phone_is_set_and_a_bad_one_named(fresh: Site) -> None:
    fresh.runtime.store.users.add("pia", "agent", "pw-pia-long-enough")
    body = {"agent_id": "a20", "group": "sales", "user": "pia", "phone": "sip:a20@127.0.0.1:6001"}
    made = fresh.client.post("/api/v1/agents", json=body, headers=fresh.auth("ada"))
    assert made.status_code == 201, made.text
    assert made.json()["phone"] == "sip:a20@127.0.0.1:6001"
    moved = fresh.client.patch(
        "/api/v1/agents/a20", json={"phone": "browser"}, headers=fresh.auth("ada")
    )
    assert moved.json()["phone"] == "browser"
    assert fresh.runtime.store.agents.get("a20").phone == "browser"  # type: ignore[union-attr]
    bad = fresh.client.patch(
        "/api/v1/agents/a20", json={"phone": "555-0100"}, headers=fresh.auth("ada")
    )
    assert bad.status_code == 422
    (error,) = bad.json()["detail"]
    assert error["loc"] == ["body", "phone"] and "sip:USER@HOST[:PORT]" in error["msg"]
