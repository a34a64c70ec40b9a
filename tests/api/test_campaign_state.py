"""Start, pause and stop a campaign through the API, over the real live runtime.

One progressive campaign and one outbound agent; telephony is off, so a dial is the
dialer's count and its answer is the `DialAnswered` the test feeds. The clock is noon
in New York and stands still: the calling window is open whenever the tests run.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import FAST_HASHER, PASSWORD
from tests.api.test_live import Live
from tidal.api import create_app
from tidal.config import load_calling_rules, parse_scenario
from tidal.core.campaigns import DialAnswered, DialResult
from tidal.core.compliance import CallingWindows, Compliance, MemoryRegistry
from tidal.live.runtime import LiveCenter
from tidal.store import Role, Store

CENTER = """
name: outbound
start: "2026-11-23T08:00:00-05:00"
agents:
  - group: sales
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
"""
NOON_NEW_YORK = datetime.fromisoformat("2026-11-23T12:00:00-05:00").timestamp()


class Noon:
    now = NOON_NEW_YORK

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    store = Store.open(home=tmp_path, hasher=FAST_HASHER)
    store.users.add("ada", Role.ADMIN, PASSWORD)
    store.users.add("sam", Role.SUPERVISOR, PASSWORD)
    alice = store.users.add("alice", Role.AGENT, PASSWORD)
    store.agents.add("ag1", "sales", {}, alice.id)
    config = parse_scenario(CENTER, "outbound.yaml")
    store.campaigns.put("renewals", config.campaigns[0].model_dump(mode="json"))
    store.leads.add_many("renewals", [([f"+1212201{i:04d}"], {}) for i in range(10)])
    fresh = datetime.fromtimestamp(NOON_NEW_YORK - 86400).astimezone()  # refreshed yesterday
    gate = Compliance(
        MemoryRegistry(set(), refreshed_at=fresh), CallingWindows(load_calling_rules())
    )
    clock = Noon()
    runtime = LiveCenter(config, store, clock=clock, tick_seconds=0, compliance=gate, home=tmp_path)
    app = create_app(runtime, tmp_path, start_runtime=True)
    with TestClient(app) as client:
        site = Live(client, runtime, clock)  # type: ignore[arg-type]
        token = client.post(
            "/api/v1/auth/token", data={"username": "sam", "password": PASSWORD}
        ).json()["access_token"]
        site.headers["sam"] = {"Authorization": f"Bearer {token}"}
        yield site
    store.close()


def _dials(live: Live) -> int:
    assert live.runtime.dialer is not None
    return live.runtime.dialer.counts("renewals")["dials"]


def _ringing(live: Live) -> list[int]:
    assert live.runtime.dialer is not None
    return sorted(live.runtime.dialer.in_flight("renewals"))


def test_a_supervisor_pauses_and_starts_a_campaign(live: Live) -> None:
    assert live.post("alice", "/api/v1/agents/ag1/state", json={"state": "logged_in"}).is_success
    assert live.post("alice", "/api/v1/agents/ag1/state", json={"state": "ready"}).is_success
    assert _dials(live) == 1
    [item] = live.get("sam", "/api/v1/campaigns").json()["items"]
    assert item["state"] == "running"

    refused = live.post("alice", "/api/v1/campaigns/renewals/pause")
    assert refused.status_code == 403  # agents do not switch campaigns
    paused = live.post("sam", "/api/v1/campaigns/renewals/pause")
    assert paused.status_code == 200, paused.text
    assert paused.json() == {"name": "renewals", "state": "paused"}

    [call] = _ringing(live)
    live.submit(DialAnswered(call, DialResult.NO_ANSWER))  # the agent is free again
    assert _dials(live) == 1  # but the campaign is paused
    [row] = live.runtime.campaigns_view()
    assert row["idle_text"] == "paused by a supervisor"

    assert live.post("sam", "/api/v1/campaigns/renewals/stop").json()["state"] == "stopped"
    assert live.get("sam", "/api/v1/campaigns").json()["items"][0]["state"] == "stopped"
    started = live.post("ada", "/api/v1/campaigns/renewals/start")
    assert started.json() == {"name": "renewals", "state": "running"}
    assert _dials(live) == 2  # the next lead, at once

    kinds = [e.kind for e in live.runtime.store.events.since(0)]
    assert kinds.count("CampaignStateSet") == 3  # in the log: a replay does the same
    audit = live.get("ada", "/api/v1/audit?limit=1000").json()["items"]
    switches = [e for e in audit if e["action"] == "campaign_state"]
    assert [(e["actor"], e["details"]["from"], e["details"]["to"]) for e in switches] == [
        ("api:sam", "running", "paused"),
        ("api:sam", "paused", "stopped"),
        ("api:ada", "stopped", "running"),
    ]


def test_an_unknown_campaign_is_404(live: Live) -> None:
    answer = live.post("sam", "/api/v1/campaigns/nope/pause")
    assert answer.status_code == 404
    assert "nope" in answer.json()["detail"]
