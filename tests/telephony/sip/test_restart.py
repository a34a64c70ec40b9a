"""`kill -9` of `tidal serve` in the middle of a call: the call stays up (the B2BUA and
rtpengine run on), the restarted server takes it up again from the B2BUA's dialogs, and
when the caller hangs up the agent's phone is released and the call ends in a record.

The real server as a user runs it (`tidal serve --config`, `TIDAL_TELEPHONY=sip`), SIPp
as the carrier and as the agent's desk phone.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import PASSWORD
from tests.ports import free_tcp_port, free_udp_port
from tests.telephony.sip.conftest import free_port_range
from tests.telephony.sip.test_inbound import DID, SCENARIOS, Site, center, phone, sipp
from tidal.store import Role, Store

pytestmark = [
    pytest.mark.skipif(shutil.which("sipp") is None, reason="needs sip-tester"),
    pytest.mark.xdist_group("sip"),
]


class Server:
    """`tidal serve` in its own process, started and killed as a person would."""

    def __init__(self, home: Path, config: Path, port: int) -> None:
        self.home, self.config, self.port = home, config, port
        self.process: asyncio.subprocess.Process | None = None
        self.base = f"http://127.0.0.1:{port}"

    async def start(self) -> None:
        env = {**os.environ, "TIDAL_HOME": str(self.home), "TIDAL_TELEPHONY": "sip"}
        log = (self.home / "serve.log").open("ab")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tidal", "serve", "--config", str(self.config),
            "--port", str(self.port), env=env, stdout=log, stderr=log,
        )  # fmt: skip
        log.close()
        async with httpx.AsyncClient() as client:
            for _ in range(300):
                try:
                    if (await client.get(f"{self.base}/healthz")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        raise AssertionError((self.home / "serve.log").read_text()[-3000:])

    async def kill(self, sig: int) -> None:
        assert self.process is not None
        self.process.send_signal(sig)
        await asyncio.wait_for(self.process.wait(), 15)


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[tuple[Server, Site]]:
    sip_port, trunk_port, phone_port = free_udp_port(), free_udp_port(), free_udp_port()
    config = tmp_path / "center.yaml"
    config.write_text(center(sip_port, trunk_port, free_udp_port(), free_port_range()))
    home = tmp_path / "home"
    store = Store.open(home=home)
    store.users.add("ada", Role.ADMIN, PASSWORD)
    alice = store.users.add("alice", Role.AGENT, PASSWORD)
    store.agents.add("a1", "support", {"billing": 5}, alice.id, f"sip:a1@127.0.0.1:{phone_port}")
    store.close()
    running = Server(home, config, free_tcp_port())
    await running.start()
    site = Site(None, sip_port, trunk_port, phone_port, tmp_path)  # type: ignore[arg-type]
    try:
        yield running, site
    finally:
        await site.end_processes()
        if running.process is not None and running.process.returncode is None:
            await running.kill(signal.SIGTERM)


async def test_a_call_outlives_a_killed_server_and_ends_in_a_record(
    server: tuple[Server, Site], tmp_path: Path
) -> None:
    serve, site = server
    async with httpx.AsyncClient(base_url=serve.base) as api:
        form = {"username": "ada", "password": PASSWORD}
        token = (await api.post("/api/v1/auth/token", data=form)).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        for state in ("logged_in", "ready"):
            answer = await api.post("/api/v1/agents/a1/state", json={"state": state}, headers=auth)
            assert answer.is_success, answer.text
        desk = await phone(site, timeout=40)
        scenario = tmp_path / "long-call.xml"
        long_call = (SCENARIOS / "carrier_call.xml").read_text()
        scenario.write_text(long_call.replace('milliseconds="1500"', 'milliseconds="9000"'))
        call = asyncio.create_task(sipp(site, scenario, DID, site.trunk_port, timeout=40))
        for _ in range(100):
            agent = (await api.get("/api/v1/agents/a1", headers=auth)).json()
            if agent["state"] == "talking":
                break
            await asyncio.sleep(0.1)
        assert agent["state"] == "talking", agent
        contact_id = agent["contact_id"]

    await serve.kill(signal.SIGKILL)  # no goodbye: the B2BUA and rtpengine run on
    assert not call.done() and desk.returncode is None  # both ends still in the call
    await serve.start()

    code, log = await call  # the caller hangs up at 9 s, into the restarted server
    assert code == 0, log
    out, _ = await asyncio.wait_for(desk.communicate(), 20)
    assert desk.returncode == 0, out.decode(errors="replace")[-2000:]  # BYE reached the phone
    async with httpx.AsyncClient(base_url=serve.base) as api:
        token = (await api.post("/api/v1/auth/token", data=form)).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        agent = (await api.get("/api/v1/agents/a1", headers=auth)).json()
        assert agent["state"] == "wrap_up"
        form = {"username": "alice", "password": PASSWORD}
        mine = (await api.post("/api/v1/auth/token", data=form)).json()["access_token"]
        done = await api.post(
            f"/api/v1/interactions/{contact_id}/disposition",
            json={"disposition": "resolved"},
            headers={"Authorization": f"Bearer {mine}"},
        )
        assert done.is_success, done.text
        records = (await api.get("/api/v1/interactions", headers=auth)).json()["items"]
    (record,) = [r for r in records if r["contact_id"] == contact_id]
    assert record["answered_at"] is not None and record["outcome"] == "answered"
    log_text = (serve.home / "serve.log").read_text()
    assert "carries on" in log_text  # the B2BUA and rtpengine of the first run were adopted
