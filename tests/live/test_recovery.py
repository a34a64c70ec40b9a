"""`kill -9` the server mid-day, start it again: no contact, lead or disposition is lost.

A real `tidal serve` process on SQLite with simulated telephony (ten times real time),
a human agent signed in over HTTP, leads uploaded, a disposition given and a call in
progress; then SIGKILL, a restart on the same store, and an account of every contact
the log had accepted.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.ports import free_tcp_port
from tidal.store import Role, Store

pytestmark = pytest.mark.xdist_group("live-server")

CENTER = """
name: recovery-center
start: "2026-11-23T08:00:00-05:00"
duration: 8h
agents:
  - group: support
    count: 2
    skills: {billing: 5}
    wrap_up: {dist: constant, value: 5}
queues:
  - name: billing
    skills: {billing: 1}
    service_level: {target: 0.8, threshold: 20}
    arrivals: {rate_per_hour: 900}
    handle_time: {dist: constant, value: 40}
    patience: {dist: constant, value: 40}
"""
SPEED = "10"
LEADS = "name,phone\nAda,(212) 555-0101\nBob,305-555-0102\nbad row,12\n"
PASSWORD = "correct horse battery"


class Server:
    """A `tidal serve` child process on a home directory."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.port = free_tcp_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "TIDAL_HOME": str(self.home), "TIDAL_TELEPHONY": "sim"}
        env.pop("TIDAL_DATABASE_URL", None)
        command = [sys.executable, "-m", "tidal", "serve", "--config", str(self.home / "c.yaml")]
        with open(self.home / "server.log", "ab") as log:
            self.process = subprocess.Popen(
                [*command, "--port", str(self.port), "--speed", SPEED],
                env=env,
                stdout=log,
                stderr=log,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert self.process.poll() is None, (self.home / "server.log").read_text()[-3000:]
            time.sleep(0.1)
        raise AssertionError("server did not answer /healthz within 30 s")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    (tmp_path / "c.yaml").write_text(CENTER)
    with Store.open(home=tmp_path) as store:
        user = store.users.add("alice", Role.AGENT, PASSWORD)
        store.agents.add("alice", "support", {"billing": 5}, user.id)
        store.users.add("root", Role.ADMIN, PASSWORD)
        store.campaigns.put("renewals", {"name": "renewals", "dial_mode": "progressive"})
    running = Server(tmp_path)
    yield running
    if running.process is not None and running.process.poll() is None:
        running.kill()


def _token(base: str, name: str) -> dict[str, str]:
    response = httpx.post(
        f"{base}/api/v1/auth/token", data={"username": name, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _wait_for(check: Any, seconds: float = 20.0) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {seconds} s")


def _offer(base: str, alice: dict[str, str]) -> dict[str, Any] | None:
    response = httpx.get(f"{base}/api/v1/agents/alice/offer", headers=alice)
    return response.json() if response.status_code == 200 else None


def _take_call(base: str, alice: dict[str, str]) -> dict[str, Any]:
    """Accept the next offer; a caller may hang up while it rings (4 s of patience at 10x),
    then the next offer is taken instead."""

    def accepted() -> dict[str, Any] | None:
        offer = _offer(base, alice)
        if offer is None:
            return None
        answer = httpx.post(f"{base}/api/v1/offers/{offer['contact_id']}/accept", headers=alice)
        return offer if answer.is_success else None

    taken: dict[str, Any] = _wait_for(accepted)
    return taken


def _arrived_and_recorded(home: Path) -> tuple[set[int], set[int], dict[int, str | None]]:
    with Store.open(home=home) as store:
        arrived = {
            e.payload["contact_id"] for e in store.events.since(0) if e.kind == "ContactArrived"
        }
        records = store.interactions.list(limit=100_000)
    return arrived, {r.contact_id for r in records}, {r.contact_id: r.disposition for r in records}


def test_kill_9_loses_no_contact_lead_or_disposition(server: Server) -> None:
    server.start()
    base = server.base
    admin, alice = _token(base, "root"), _token(base, "alice")
    upload = httpx.post(
        f"{base}/api/v1/campaigns/renewals/leads",
        files={"file": ("leads.csv", LEADS, "text/csv")},
        headers=admin,
    )
    assert upload.status_code == 200, upload.text
    assert upload.json()["accepted"] == 2 and len(upload.json()["rejected"]) == 1

    for state in ("logged_in", "ready"):
        response = httpx.post(
            f"{base}/api/v1/agents/alice/state", json={"state": state}, headers=alice
        )
        assert response.status_code == 200, response.text
    # One whole call with a disposition, then a second call left in progress.
    first = _take_call(base, alice)
    # The agent hangs up, unless the simulated caller already did (then it is wrap-up anyway).
    httpx.post(f"{base}/api/v1/interactions/{first['contact_id']}/hangup", headers=alice)
    _wait_for(
        lambda: httpx.get(f"{base}/api/v1/agents/alice", headers=alice).json()["state"] == "wrap_up"
    )
    disposed = httpx.post(
        f"{base}/api/v1/interactions/{first['contact_id']}/disposition",
        json={"disposition": "resolved", "notes": "refund explained"},
        headers=alice,
    )
    assert disposed.is_success, disposed.text
    second = _take_call(base, alice)
    time.sleep(0.5)  # more callers arrive and queue behind the busy agents

    server.kill()
    arrived, recorded, _ = _arrived_and_recorded(server.home)
    in_flight = arrived - recorded
    assert second["contact_id"] in in_flight and len(in_flight) >= 2

    server.start()
    view = httpx.get(f"{base}/api/v1/agents/alice", headers=alice).json()
    # The simulated caller got a fresh talk time: still talking, or already in wrap-up.
    assert view["state"] in ("talking", "wrap_up") and view["contact_id"] == second["contact_id"]
    leads = httpx.get(f"{base}/api/v1/campaigns/renewals/leads", headers=admin).json()
    assert leads["total"] == 2

    # Every contact accepted before the crash ends in a record once its call is over.
    _wait_for(
        lambda: httpx.get(f"{base}/api/v1/agents/alice", headers=alice).json()["state"] == "wrap_up"
    )
    assert httpx.post(
        f"{base}/api/v1/interactions/{second['contact_id']}/disposition",
        json={"disposition": "unresolved"},
        headers=alice,
    ).is_success

    def all_recorded() -> bool:
        return in_flight <= _arrived_and_recorded(server.home)[1]

    _wait_for(all_recorded, 30)
    _, _, dispositions = _arrived_and_recorded(server.home)
    assert dispositions[first["contact_id"]] == "resolved"
    assert dispositions[second["contact_id"]] == "unresolved"
    audit = httpx.get(f"{base}/api/v1/audit", headers=admin).json()["items"]
    assert any(entry.get("action") == "disposition" for entry in audit)
    server.kill()
