"""`tidal serve --config` of a center file with no simulated world starts and takes events.

A real `tidal serve` process (simulated telephony, the default): its queues get no
simulated callers and its campaign no simulated public, each missing key logged as
`file:line field: needed to simulate`; an agent signs in, goes ready and is offered
nothing, and the queues and campaign are there.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.live.test_recovery import PASSWORD, Server, _token
from tidal.store import Role, Store

pytestmark = pytest.mark.xdist_group("live-server")

EXAMPLE = Path(__file__).parents[2] / "examples" / "live-center.yaml"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    shutil.copy(EXAMPLE, tmp_path / "c.yaml")
    with Store.open(home=tmp_path) as store:
        user = store.users.add("alice", Role.AGENT, PASSWORD)
        store.agents.add("alice", "support", {"billing": 5}, user.id)
    running = Server(tmp_path)
    yield running
    if running.process is not None and running.process.poll() is None:
        running.kill()


def test_a_center_file_without_world_keys_serves_and_takes_events(server: Server) -> None:
    server.start()
    alice = _token(server.base, "alice")
    state = f"{server.base}/api/v1/agents/alice/state"
    logged_in = httpx.post(state, json={"state": "logged_in"}, headers=alice)
    assert logged_in.status_code == 200, logged_in.text
    ready = httpx.post(state, json={"state": "ready"}, headers=alice)
    assert ready.json()["state"] == "ready"
    queues = httpx.get(f"{server.base}/api/v1/queues", headers=alice).json()["items"]
    assert [q["name"] for q in queues] == ["billing", "tech"]
    assert all(q["offered_today"] == 0 for q in queues)  # nobody simulated calls in
    server.kill()
    log = (server.home / "server.log").read_text()
    assert "c.yaml:15 queues[0].arrivals: needed to simulate" in log
    assert "campaigns[0].talk_time: needed to simulate" in log
