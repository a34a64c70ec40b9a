"""Text a database could refuse is refused at the edge, on SQLite and PostgreSQL alike.

PostgreSQL cannot store NUL in text (SQLite can): such text once reached the commit, got
a 500 and left the center ahead of its log. Now it is a 422 naming the field before the
center decides anything, and the clean retry goes through.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import FAST_HASHER, PASSWORD
from tests.api.test_live import CENTER, Clock, Live
from tests.postgres import PostgresServer
from tidal.api import create_app
from tidal.config import parse_scenario
from tidal.core.events import ContactArrived
from tidal.live.runtime import LiveCenter
from tidal.store import Role, Store


@pytest.fixture(params=["sqlite", "postgresql"])
def live(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Live]:
    url = database = None
    if request.param == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgresql_server")
        database = f"tidal_text_{uuid4().hex[:12]}"
        url = server.new_database(database)
    store = Store.open(url, home=tmp_path, hasher=FAST_HASHER)
    store.users.add("ada", Role.ADMIN, PASSWORD)
    alice = store.users.add("alice", Role.AGENT, PASSWORD)
    store.agents.add("ag1", "support", {"billing": 5}, alice.id)
    clock = Clock()
    runtime = LiveCenter(parse_scenario(CENTER, "center.yaml"), store, clock=clock, tick_seconds=0)
    try:
        with TestClient(create_app(runtime, tmp_path, start_runtime=True)) as client:
            yield Live(client, runtime, clock)
    finally:
        store.close()
        if database is not None:
            request.getfixturevalue("postgresql_server").drop_database(database)


def _wrapping_up(live: Live) -> None:
    state = "/api/v1/agents/ag1/state"
    live.post("alice", state, json={"state": "logged_in"})
    live.post("alice", state, json={"state": "ready"})
    live.submit(ContactArrived(1, "billing", "+12125550100"))
    live.clock.now += 5
    live.post("alice", "/api/v1/offers/1/accept")
    live.clock.now += 60
    assert live.post("alice", "/api/v1/interactions/1/hangup").json()["state"] == "wrap_up"


@pytest.mark.parametrize(
    ("field", "body"),
    [
        ("disposition", {"disposition": "res\u0000olved"}),
        ("notes", {"disposition": "resolved", "notes": "called \u0000back"}),
        ("notes", {"disposition": "resolved", "notes": "bell \u0007"}),
    ],
)
def test_nul_and_control_characters_in_a_disposition_are_422_and_nothing_changes(
    live: Live, field: str, body: dict[str, str]
) -> None:
    _wrapping_up(live)
    events = live.runtime.store.events.last_id()
    answer = live.post("alice", "/api/v1/interactions/1/disposition", json=body)
    assert answer.status_code == 422
    (problem,) = answer.json()["detail"]
    assert problem["loc"] == ["body", field]
    assert "\u0000" not in answer.text and "\u0007" not in answer.text  # never echoed
    assert live.runtime.store.events.last_id() == events  # nothing was logged
    assert live.get("alice", "/api/v1/agents/ag1").json()["state"] == "wrap_up"
    retry = live.post(
        "alice", "/api/v1/interactions/1/disposition", json={"disposition": "resolved"}
    )
    assert retry.status_code == 200 and retry.json()["state"] == "ready"
    (record,) = live.get("alice", "/api/v1/interactions").json()["items"]
    assert record["disposition"] == "resolved"


def test_a_not_ready_reason_with_a_nul_is_422_naming_reason(live: Live) -> None:
    state = "/api/v1/agents/ag1/state"
    live.post("alice", state, json={"state": "logged_in"})
    answer = live.post("alice", state, json={"state": "not_ready", "reason": "lu\u0000nch"})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "reason"]
    assert live.post("alice", state, json={"state": "not_ready", "reason": "lunch"}).is_success
