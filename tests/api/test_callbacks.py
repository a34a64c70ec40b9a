"""An agent's callbacks through the API, over the real live runtime: booked at wrap-up,
listed, moved and called off.

One center with an inbound queue and a progressive campaign; the agents' group works
both. Telephony is off: a dial is the dialer's, its answer the `DialAnswered` the test
feeds. The clock is noon in New York on a Monday and moves only when a test says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import FAST_HASHER, PASSWORD
from tests.api.test_campaign_state import NOON_NEW_YORK, Noon
from tests.api.test_live import Live
from tidal.api import create_app
from tidal.config import load_calling_rules, parse_scenario
from tidal.core.campaigns import DialAnswered, DialResult
from tidal.core.compliance import CallingWindows, Compliance, MemoryRegistry
from tidal.core.events import ContactArrived
from tidal.live.runtime import LiveCenter
from tidal.store import Role, Store

CENTER = """
name: callbacks
start: "2026-11-23T08:00:00-05:00"
agents:
  - group: sales
    count: 2
    skills: {billing: 5}
    modes: [inbound, outbound]
    campaigns: [renewals]
queues:
  - name: billing
    skills: {billing: 1}
    service_level: {target: 0.8, threshold: 20}
blending: {policy: reserve, reserve: 0}
campaigns:
  - name: renewals
    dial_mode: progressive
    max_abandon_rate: 0.03
    caller_id: "+12025550100"
"""
LEAD_NUMBER = "+12122010001"  # New York
INBOUND_CALLER = "+13105550100"  # Los Angeles


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    store = Store.open(home=tmp_path, hasher=FAST_HASHER)
    store.users.add("ada", Role.ADMIN, PASSWORD)
    store.users.add("sam", Role.SUPERVISOR, PASSWORD)
    alice = store.users.add("alice", Role.AGENT, PASSWORD)
    bob = store.users.add("bob", Role.AGENT, PASSWORD)
    store.agents.add("ag1", "sales", {"billing": 5}, alice.id)
    store.agents.add("ag2", "sales", {"billing": 5}, bob.id)
    config = parse_scenario(CENTER, "callbacks.yaml")
    store.campaigns.put("renewals", config.campaigns[0].model_dump(mode="json"))
    store.leads.add_many("renewals", [([LEAD_NUMBER], {"name": "Ada Lovelace"})])
    fresh = datetime.fromtimestamp(NOON_NEW_YORK - 86400).astimezone()  # refreshed yesterday
    gate = Compliance(
        MemoryRegistry(set(), refreshed_at=fresh), CallingWindows(load_calling_rules())
    )
    runtime = LiveCenter(
        config, store, clock=Noon(), tick_seconds=0, compliance=gate, home=tmp_path
    )
    app = create_app(runtime, tmp_path, start_runtime=True)
    with TestClient(app) as client:
        site = Live(client, runtime, Noon())  # type: ignore[arg-type]
        for name in ("sam", "bob"):
            token = client.post(
                "/api/v1/auth/token", data={"username": name, "password": PASSWORD}
            ).json()["access_token"]
            site.headers[name] = {"Authorization": f"Bearer {token}"}
        yield site
    store.close()


def _send(live: Live, method: str, user: str, path: str, **kwargs: Any) -> Any:
    return live.client.request(method, path, headers=live.headers[user], **kwargs)


def _ready(live: Live, user: str, agent_id: str) -> None:
    for state in ("logged_in", "ready"):
        answer = live.post(user, f"/api/v1/agents/{agent_id}/state", json={"state": state})
        assert answer.is_success, answer.text


def _outbound_in_wrap_up(live: Live) -> int:
    """Alice alone is ready: the campaign dials its lead for her, a person answers, she
    takes the call and hangs up; the call id."""
    _ready(live, "alice", "ag1")
    assert live.runtime.dialer is not None
    [call] = live.runtime.dialer.in_flight("renewals")
    live.submit(DialAnswered(call, DialResult.HUMAN))
    assert live.post("alice", f"/api/v1/offers/{call}/accept").is_success
    assert live.post("alice", f"/api/v1/interactions/{call}/hangup").is_success
    return call


def test_an_outbound_callback_is_booked_once_by_the_campaign(live: Live) -> None:
    call = _outbound_in_wrap_up(live)
    answer = live.post(
        "alice",
        f"/api/v1/interactions/{call}/disposition",
        json={"disposition": "callback", "callback_at": "2026-11-24T10:00:00-05:00"},
    )
    assert answer.status_code == 200, answer.text
    assert live.runtime.center.pending_callbacks() == []  # the Center books none
    assert live.runtime.dialer is not None
    [(campaign, callback)] = live.runtime.dialer.pending_callbacks()
    due = datetime.fromisoformat("2026-11-24T10:00:00-05:00").timestamp()
    assert (campaign, callback.due, callback.booked_by) == ("renewals", due, "ag1")
    lead_state = live.runtime.lead_states("renewals")
    assert lead_state is not None and list(lead_state.values()) == ["callback"]


def _inbound_in_wrap_up(live: Live, contact_id: int) -> None:
    live.submit(ContactArrived(contact_id, "billing", INBOUND_CALLER))
    assert live.post("alice", f"/api/v1/offers/{contact_id}/accept").is_success
    assert live.post("alice", f"/api/v1/interactions/{contact_id}/hangup").is_success


def _book_both(live: Live) -> tuple[int, int]:
    """Alice books the campaign's callback of her outbound call, then one of an inbound
    caller in Los Angeles; their ids (the call's, and the Center's new contact's)."""
    call = _outbound_in_wrap_up(live)
    booked = live.post(
        "alice",
        f"/api/v1/interactions/{call}/disposition",
        json={
            "disposition": "callback",
            "notes": "ask for Ada",
            "callback_at": "2026-11-24T10:00:00-05:00",
        },
    )
    assert booked.status_code == 200, booked.text
    _inbound_in_wrap_up(live, 7)
    booked = live.post(
        "alice",
        "/api/v1/interactions/7/disposition",
        json={
            "disposition": "callback",
            "notes": "wants the new tariff",
            "callback_at": "2026-11-24T09:00:00-08:00",
        },
    )
    assert booked.status_code == 200, booked.text
    [entry] = [
        e["details"]
        for e in live.get("ada", "/api/v1/audit?action=disposition").json()["items"]
        if e["details"]["contact_id"] == 7
    ]
    return call, entry["callback_contact_id"]


def test_my_callbacks_show_due_times_in_the_callees_zone(live: Live) -> None:
    call, inbound = _book_both(live)
    answer = live.get("alice", "/api/v1/agents/ag1/callbacks")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["total"] == 2
    outbound, local = body["items"]  # soonest first: 15:00 UTC, then 17:00 UTC
    assert outbound == {
        "id": call,
        "agent_id": "ag1",
        "number": LEAD_NUMBER,
        "customer": "Ada Lovelace",
        "lead_id": outbound["lead_id"],
        "due": datetime.fromisoformat("2026-11-24T15:00:00+00:00").timestamp(),
        "due_at": "2026-11-24T15:00:00Z",
        "zone": "America/New_York",
        "zones": ["America/New_York"],
        "local_time": "2026-11-24T10:00-05:00",
        "queue": "campaign:renewals",
        "campaign": "renewals",
        "note": "ask for Ada",
    }
    assert outbound["lead_id"] is not None
    assert (local["id"], local["number"], local["customer"]) == (inbound, INBOUND_CALLER, None)
    assert (local["zone"], local["local_time"]) == ("America/Los_Angeles", "2026-11-24T09:00-08:00")
    assert (local["queue"], local["campaign"], local["note"]) == (
        "billing",
        None,
        "wants the new tariff",
    )
    # Supervisors see anyone's; another agent neither sees nor touches them.
    assert live.get("sam", "/api/v1/agents/ag1/callbacks").json()["total"] == 2
    assert live.get("bob", "/api/v1/agents/ag1/callbacks").status_code == 403
    assert live.get("bob", "/api/v1/agents/ag2/callbacks").json() == {"items": [], "total": 0}
    moved = _send(live, "PATCH", "bob", f"/api/v1/agents/ag2/callbacks/{call}",
                  json={"at": "2026-11-24T11:00:00-05:00"})  # fmt: skip
    assert moved.status_code == 404
    assert _send(live, "DELETE", "bob", f"/api/v1/agents/ag1/callbacks/{call}").status_code == 403


def test_a_callback_is_moved_by_the_booking_rules_then_cancelled_and_audited(
    live: Live,
) -> None:
    call, inbound = _book_both(live)
    path = f"/api/v1/agents/ag1/callbacks/{call}"
    past = _send(live, "PATCH", "alice", path, json={"at": "2026-11-23T09:00:00-05:00"})
    assert past.status_code == 422
    [problem] = past.json()["detail"]
    assert problem["loc"] == ["body", "at"]
    assert "in the past" in problem["msg"] and "America/New_York" in problem["msg"]
    night = _send(live, "PATCH", "alice", path, json={"at": "2026-11-24T23:30:00-05:00"})
    assert night.status_code == 422
    [problem] = night.json()["detail"]
    assert problem["loc"] == ["body", "at"]
    assert "Tue 23:30 America/New_York" in problem["msg"]
    assert "outside their calling window" in problem["msg"]
    bad = _send(live, "PATCH", "alice", path, json={"at": "tomorrow"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "at"]

    moved = _send(live, "PATCH", "alice", path, json={"at": "2026-11-24T14:30:00-05:00"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["local_time"] == "2026-11-24T14:30-05:00"
    assert live.runtime.dialer is not None
    [(_, callback)] = live.runtime.dialer.pending_callbacks()
    assert callback.due == datetime.fromisoformat("2026-11-24T14:30:00-05:00").timestamp()
    # A supervisor moves anyone's: the inbound one, in its caller's zone.
    sam = _send(live, "PATCH", "sam", f"/api/v1/agents/ag1/callbacks/{inbound}",
                json={"at": "2026-11-24T12:00:00-08:00"})  # fmt: skip
    assert sam.status_code == 200, sam.text
    [scheduled] = live.runtime.center.pending_callbacks()
    assert scheduled.due == datetime.fromisoformat("2026-11-24T20:00:00+00:00").timestamp()

    assert _send(live, "DELETE", "alice", path).status_code == 204
    assert _send(live, "DELETE", "alice", path).status_code == 404  # gone
    assert [c["id"] for c in live.get("alice", "/api/v1/agents/ag1/callbacks").json()["items"]] == [
        inbound
    ]
    states = live.runtime.lead_states("renewals")
    assert states is not None and list(states.values()) == ["done"]  # nobody calls them now

    kinds = [e.kind for e in live.runtime.store.events.since(0)]
    assert kinds.count("CallbackRescheduled") == 2 and kinds.count("CallbackCancelled") == 1
    audit = live.get("ada", "/api/v1/audit?limit=1000").json()["items"]
    trail = [
        (e["action"], e["actor"], e["details"]["callback_id"], e["details"].get("to"))
        for e in audit
        if e["action"].startswith("callback_")
    ]
    assert trail == [
        ("callback_rescheduled", "api:alice", call, "2026-11-24T19:30:00Z"),
        ("callback_rescheduled", "api:sam", inbound, "2026-11-24T20:00:00Z"),
        ("callback_cancelled", "api:alice", call, None),
    ]
    [first] = [e for e in audit if e["action"] == "callback_rescheduled"][:1]
    assert first["details"]["from"] == "2026-11-24T15:00:00Z"


def test_a_callback_time_with_a_campaign_disposition_that_books_none_is_422(live: Live) -> None:
    call = _outbound_in_wrap_up(live)
    answer = live.post(
        "alice",
        f"/api/v1/interactions/{call}/disposition",
        json={"disposition": "no_sale", "callback_at": "2026-11-24T10:00:00-05:00"},
    )
    assert answer.status_code == 422
    [problem] = answer.json()["detail"]
    assert problem["loc"] == ["body", "callback_at"]
    assert "books no callback" in problem["msg"] and "callback" in problem["msg"]
    assert live.runtime.center.agents["ag1"].state.value == "wrap_up"  # nothing was taken
