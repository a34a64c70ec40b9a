"""The API over the real live runtime: an agent's day through the routes and the stream."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import FAST_HASHER, PASSWORD
from tidal.api import create_app
from tidal.config import parse_scenario
from tidal.core.events import ContactArrived
from tidal.live.runtime import LiveCenter
from tidal.store import Role, Store

CENTER = """
name: api-test-center
start: "2026-11-23T08:00:00-05:00"
duration: 8h
agents:
  - group: support
    count: 1
    skills: {billing: 5}
queues:
  - name: billing
    skills: {billing: 1}
    service_level: {target: 0.8, threshold: 20}
    arrivals: {rate_per_hour: 60}
    handle_time: {dist: constant, value: 30}
"""


class Clock:
    """Seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1_795_000_000.0

    def __call__(self) -> float:
        return self.now


class Live:
    """A started live center behind the API, and a signed-in admin and agent."""

    def __init__(self, client: TestClient, runtime: LiveCenter, clock: Clock) -> None:
        self.client = client
        self.runtime = runtime
        self.clock = clock
        self.headers: dict[str, dict[str, str]] = {}
        for name in ("ada", "alice"):
            token = client.post(
                "/api/v1/auth/token", data={"username": name, "password": PASSWORD}
            ).json()["access_token"]
            self.headers[name] = {"Authorization": f"Bearer {token}"}

    def post(self, user: str, path: str, **kwargs: Any) -> Any:
        return self.client.post(path, headers=self.headers[user], **kwargs)

    def get(self, user: str, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, headers=self.headers[user], **kwargs)

    def submit(self, event: Any) -> None:
        """Feed an event on the runtime's loop, as telephony would."""
        portal = self.client.portal
        assert portal is not None
        portal.call(self.runtime.submit, event)


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    store = Store.open(home=tmp_path, hasher=FAST_HASHER)
    store.users.add("ada", Role.ADMIN, PASSWORD)
    alice = store.users.add("alice", Role.AGENT, PASSWORD)
    store.agents.add("ag1", "support", {"billing": 5}, alice.id)
    clock = Clock()
    runtime = LiveCenter(parse_scenario(CENTER, "center.yaml"), store, clock=clock, tick_seconds=0)
    app = create_app(runtime, tmp_path, start_runtime=True)
    with TestClient(app) as client:
        assert runtime.started
        yield Live(client, runtime, clock)
    assert not runtime.started
    store.close()


def test_an_agents_call_from_login_to_disposition(live: Live) -> None:
    state = "/api/v1/agents/ag1/state"
    refused = live.post("alice", state, json={"state": "ready"})
    assert refused.status_code == 409  # not logged in: the core's message
    assert refused.json()["detail"]
    assert live.post("alice", state, json={"state": "logged_in"}).json()["state"] == "not_ready"
    assert live.post("alice", state, json={"state": "ready"}).json()["state"] == "ready"
    assert live.get("alice", "/api/v1/agents/ag1/offer").status_code == 204

    live.submit(ContactArrived(1, "billing", "+12125550100"))
    offer = live.get("alice", "/api/v1/agents/ag1/offer")
    assert offer.status_code == 200
    assert offer.json()["contact_id"] == 1 and offer.json()["caller"] == "+12125550100"
    history = live.get("alice", "/api/v1/contacts/+12125550100/history")
    assert history.status_code == 200 and history.json()["total"] == 0

    live.clock.now += 5
    assert live.post("alice", "/api/v1/offers/1/accept").json()["state"] == "talking"
    live.clock.now += 60
    assert live.post("alice", "/api/v1/interactions/1/hangup").json()["state"] == "wrap_up"
    done = live.post(
        "alice",
        "/api/v1/interactions/1/disposition",
        json={"disposition": "resolved", "notes": "address updated"},
    )
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "ready"

    records = live.get("alice", "/api/v1/interactions").json()
    assert records["total"] == 1
    (record,) = records["items"]
    assert record["agent_id"] == "ag1" and record["disposition"] == "resolved"
    assert record["answered_at"] - record["arrived_at"] == 5
    queues = live.get("alice", "/api/v1/queues").json()["items"]
    assert queues[0]["name"] == "billing" and queues[0]["answered_today"] == 1
    metrics = live.client.get("/metrics").text
    assert 'tidal_agents{state="ready"} 1.0' in metrics
    assert 'tidal_contacts_total{outcome="answered",queue="billing"} 1.0' in metrics


def test_the_agents_stream_carries_their_state_changes(live: Live) -> None:
    token = live.headers["alice"]["Authorization"].removeprefix("Bearer ")
    with live.client.websocket_connect(f"/api/v1/stream?token={token}") as ws:
        live.post("alice", "/api/v1/agents/ag1/state", json={"state": "logged_in"})
        message = ws.receive_json()
        assert message["type"] == "agent"
        assert message["agent_id"] == "ag1" and message["state"] == "not_ready"


@pytest.mark.parametrize("asked_during", ["offer", "call", "wrap_up"])
def test_a_break_asked_for_during_work_is_pending_then_taken_with_no_new_offer(
    live: Live, asked_during: str
) -> None:
    state = "/api/v1/agents/ag1/state"
    live.post("alice", state, json={"state": "logged_in"})
    live.post("alice", state, json={"state": "ready"})
    live.submit(ContactArrived(1, "billing", "+12125550100"))

    def ask_for_a_break() -> None:
        answer = live.post("alice", state, json={"state": "not_ready", "reason": "lunch"})
        assert answer.status_code == 202, answer.text
        assert answer.json() == {"pending": "not_ready"}
        agent = live.get("alice", "/api/v1/agents/ag1").json()
        assert agent["pending"] == "not_ready" and agent["pending_reason"] == "lunch"

    if asked_during == "offer":
        ask_for_a_break()
    live.clock.now += 5
    live.post("alice", "/api/v1/offers/1/accept")
    if asked_during == "call":
        ask_for_a_break()
    live.submit(ContactArrived(2, "billing", "+12125550101"))  # waits: she is busy
    live.clock.now += 60
    live.post("alice", "/api/v1/interactions/1/hangup")
    if asked_during == "wrap_up":
        ask_for_a_break()
    done = live.post(
        "alice", "/api/v1/interactions/1/disposition", json={"disposition": "resolved"}
    )
    assert done.status_code == 200, done.text
    agent = done.json()
    assert agent["state"] == "not_ready" and agent["reason"] == "lunch"
    assert agent["pending"] is None
    assert live.get("alice", "/api/v1/agents/ag1/offer").status_code == 204  # no new offer
    assert live.get("ada", "/api/v1/queues").json()["items"][0]["waiting"] == 1


def test_a_log_out_asked_for_during_a_call_is_pending_until_wrap_up_ends(live: Live) -> None:
    state = "/api/v1/agents/ag1/state"
    live.post("alice", state, json={"state": "logged_in"})
    live.post("alice", state, json={"state": "ready"})
    live.submit(ContactArrived(1, "billing", "+12125550100"))
    live.post("alice", "/api/v1/offers/1/accept")
    answer = live.post("alice", state, json={"state": "logged_out"})
    assert answer.status_code == 202 and answer.json() == {"pending": "logged_out"}
    live.post("alice", "/api/v1/interactions/1/hangup")
    done = live.post(
        "alice", "/api/v1/interactions/1/disposition", json={"disposition": "resolved"}
    )
    assert done.json()["state"] == "logged_out"


def _in_wrap_up(live: Live, caller: str) -> None:
    state = "/api/v1/agents/ag1/state"
    live.post("alice", state, json={"state": "logged_in"})
    live.post("alice", state, json={"state": "ready"})
    live.submit(ContactArrived(1, "billing", caller))
    offer = live.get("alice", "/api/v1/agents/ag1/offer").json()
    assert offer["dispositions"] == [
        "resolved",
        "unresolved",
        "escalated",
        "callback",
        "wrong_number",
    ]
    live.post("alice", "/api/v1/offers/1/accept")
    live.post("alice", "/api/v1/interactions/1/hangup")


def test_a_disposition_the_queue_does_not_have_is_422(live: Live) -> None:
    _in_wrap_up(live, "+12125550100")
    path = "/api/v1/interactions/1/disposition"
    refused = live.post("alice", path, json={"disposition": "sale"})
    assert refused.status_code == 422
    (problem,) = refused.json()["detail"]
    assert problem["loc"] == ["body", "disposition"] and "resolved" in problem["msg"]
    assert live.post("alice", path, json={"disposition": "resolved"}).status_code == 200


def test_a_callback_in_the_past_or_outside_the_callees_window_is_refused(live: Live) -> None:
    _in_wrap_up(live, "+12125550100")  # New York
    path = "/api/v1/interactions/1/disposition"
    # The clock is 2026-11-18 11:06 UTC (06:06 in New York).
    past = live.post(
        "alice", path, json={"disposition": "callback", "callback_at": "2026-11-18T10:00:00Z"}
    )
    assert past.status_code == 422
    assert past.json()["detail"][0]["loc"] == ["body", "callback_at"]
    assert "in the past" in past.json()["detail"][0]["msg"]
    night = live.post(  # 23:30 in New York
        "alice", path, json={"disposition": "callback", "callback_at": "2026-11-18T23:30:00-05:00"}
    )
    assert night.status_code == 422
    message = night.json()["detail"][0]["msg"]
    assert "outside their calling window" in message and "America/New_York" in message
    assert "next allowed time is 2026-11-19T08:00-05:00" in message
    assert live.runtime.center.agents["ag1"].state.value == "wrap_up"  # nothing was taken
    fine = live.post(
        "alice", path, json={"disposition": "callback", "callback_at": "2026-11-19T10:00:00-05:00"}
    )
    assert fine.status_code == 200, fine.text
