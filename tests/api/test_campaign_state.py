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


INBOUND_ONLY = """
name: inbound
start: "2026-11-23T08:00:00-05:00"
agents:
  - group: sales
    count: 1
    skills: {billing: 1}
queues:
  - name: billing
    skills: {billing: 1}
"""
NEW_CAMPAIGN = {
    "name": "winback",
    "dial_mode": "progressive",
    "max_abandon_rate": 0.03,
    "caller_id": "+12025550100",
}


def test_a_campaign_created_through_the_api_joins_the_running_center(tmp_path: Path) -> None:
    store = Store.open(home=tmp_path, hasher=FAST_HASHER)
    store.users.add("ada", Role.ADMIN, PASSWORD)
    alice = store.users.add("alice", Role.AGENT, PASSWORD)
    store.agents.add("ag1", "sales", {"campaign:winback": 1}, alice.id)
    config = parse_scenario(INBOUND_ONLY, "inbound.yaml")
    fresh = datetime.fromtimestamp(NOON_NEW_YORK - 86400).astimezone()

    def runtime() -> LiveCenter:
        gate = Compliance(
            MemoryRegistry(set(), refreshed_at=fresh), CallingWindows(load_calling_rules())
        )
        return LiveCenter(
            config, store, clock=Noon(), tick_seconds=0, compliance=gate, home=tmp_path
        )

    first = runtime()
    assert first.dialer is None  # no campaign in the center file
    with TestClient(create_app(first, tmp_path, start_runtime=True)) as client:
        live = Live(client, first, Noon())  # type: ignore[arg-type]
        created = live.post("ada", "/api/v1/campaigns", json=NEW_CAMPAIGN)
        assert created.status_code == 201, created.text
        assert created.json()["state"] == "stopped"  # waits for a start
        assert first.dialer is not None and "winback" in first.dialer.campaigns
        upload = ("leads.csv", b"phone\n+12122010001\n+12122010002\n", "text/csv")
        assert live.post(
            "ada", "/api/v1/campaigns/winback/leads", files={"file": upload}
        ).is_success
        portal = client.portal
        assert portal is not None
        portal.call(first._load_leads)  # what the ticker does each second
        for state in ("logged_in", "ready"):
            assert live.post("alice", "/api/v1/agents/ag1/state", json={"state": state}).is_success
        assert first.dialer.counts("winback")["dials"] == 0  # stopped
        assert live.post("ada", "/api/v1/campaigns/winback/start").json()["state"] == "running"
        assert first.dialer.counts("winback")["dials"] == 1
        changed = {**NEW_CAMPAIGN, "caller_id": "+12025550177", "retry": {"max_attempts": 1}}
        put = live.client.put(
            "/api/v1/campaigns/winback", json=changed, headers=live.headers["ada"]
        )
        assert put.status_code == 200, put.text
        assert put.json()["state"] == "running"  # a redefinition keeps the switch
        run = first.dialer.campaigns["winback"]
        assert run.spec.rules.caller_id == "+12025550177"
        assert first.campaign_configs["winback"].caller_id == "+12025550177"
        bad = {**NEW_CAMPAIGN, "no_answer_timeout": 5}
        refused = live.client.put(
            "/api/v1/campaigns/winback", json=bad, headers=live.headers["ada"]
        )
        assert refused.status_code in (409, 422), refused.text
        assert run.spec.ring_timeout != 5  # nothing changed
        assert store.campaigns.get("winback").config["caller_id"] == "+12025550177"  # type: ignore[union-attr]
    second = runtime()
    with TestClient(create_app(second, tmp_path, start_runtime=True)):
        assert second.dialer is not None  # rebuilt from the log
        assert second.campaign_state("winback") == "running"
        assert second.dialer.campaigns["winback"].spec.rules.caller_id == "+12025550177"
        assert second.dialer.counts("winback")["dials"] == 1
        assert [row["name"] for row in second.campaigns_view()] == ["winback"]
    store.close()


def test_an_inbound_callers_screen_pop_names_them_from_a_lead_list(tmp_path: Path) -> None:
    from tidal.core.events import CallerAbandoned, ContactArrived

    store = Store.open(home=tmp_path, hasher=FAST_HASHER)
    alice = store.users.add("alice", Role.AGENT, PASSWORD)
    store.users.add("ada", Role.ADMIN, PASSWORD)
    store.agents.add("ag1", "sales", {"billing": 1}, alice.id)
    store.campaigns.put("winback", NEW_CAMPAIGN)
    store.leads.add_many(
        "winback",
        [
            (["+12122010001"], {"first_name": "Grace", "last_name": "Hopper", "plan": "gold"}),
            (["+12122010002", "+12122010003"], {"name": "Alan Turing"}),
        ],
    )
    runtime = LiveCenter(
        parse_scenario(INBOUND_ONLY, "inbound.yaml"), store, clock=Noon(), tick_seconds=0
    )
    with TestClient(create_app(runtime, tmp_path, start_runtime=True)) as client:
        live = Live(client, runtime, Noon())  # type: ignore[arg-type]
        for state in ("logged_in", "ready"):
            assert live.post("alice", "/api/v1/agents/ag1/state", json={"state": state}).is_success
        live.submit(ContactArrived(1, "billing", "+12122010003"))  # Alan's second number
        offer = live.get("alice", "/api/v1/agents/ag1/offer").json()
        assert offer["customer"]["name"] == "Alan Turing"
        assert offer["customer"]["source"] == "lead list"
        assert offer["customer"]["campaign"] == "winback"
        assert offer["script"] is None  # scripts are for the campaign's own calls
        assert live.post("alice", "/api/v1/offers/1/decline").is_success
        live.submit(CallerAbandoned(1))
        live.submit(ContactArrived(2, "billing", "+12122010009"))  # nobody we know
        live.post("alice", "/api/v1/agents/ag1/state", json={"state": "ready"})
        offer = live.get("alice", "/api/v1/agents/ag1/offer").json()
        assert offer["customer"]["name"] is None and offer["customer"]["source"] is None
    assert [lead.data["first_name"] for lead in store.leads.with_number("+12122010001")] == [
        "Grace"
    ]
    assert store.leads.with_number("+1212201000") == []  # a prefix is not a number
    assert store.leads.with_number('"') == []
    store.close()


def test_a_campaign_of_the_center_file_is_listed_and_takes_leads(tmp_path: Path) -> None:
    """Nobody saved it through the API: the list, its leads and an upload still know it."""
    store = Store.open(home=tmp_path, hasher=FAST_HASHER)
    store.users.add("ada", Role.ADMIN, PASSWORD)
    store.users.add("alice", Role.AGENT, PASSWORD)
    config = parse_scenario(CENTER, "outbound.yaml")
    fresh = datetime.fromtimestamp(NOON_NEW_YORK - 86400).astimezone()
    gate = Compliance(
        MemoryRegistry(set(), refreshed_at=fresh), CallingWindows(load_calling_rules())
    )
    runtime = LiveCenter(
        config, store, clock=Noon(), tick_seconds=0, compliance=gate, home=tmp_path
    )
    with TestClient(create_app(runtime, tmp_path, start_runtime=True)) as client:
        live = Live(client, runtime, Noon())  # type: ignore[arg-type]
        listed = live.get("ada", "/api/v1/campaigns").json()
        assert listed["total"] == 1
        (renewals,) = listed["items"]
        assert renewals["name"] == "renewals"
        assert renewals["config"]["dial_mode"] == "progressive"
        assert renewals["state"] == "running"  # the center file's campaigns dial from the start
        upload = ("leads.csv", b"phone\n+12122010001\n", "text/csv")
        sent = live.post("ada", "/api/v1/campaigns/renewals/leads", files={"file": upload})
        assert sent.status_code == 200, sent.text
        assert sent.json()["accepted"] == 1
        leads = live.get("ada", "/api/v1/campaigns/renewals/leads").json()
        assert [lead["numbers"] for lead in leads["items"]] == [["+12122010001"]]
        assert live.post("ada", "/api/v1/campaigns/renewals/pause").json()["state"] == "paused"
        assert live.get("ada", "/api/v1/campaigns/nothing/leads").status_code == 404
    store.close()
