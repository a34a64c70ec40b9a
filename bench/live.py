"""Event-to-screen latency of the live server with many agent desktops connected.

Starts `tidal serve` (SQLite, simulated callers) as a separate process, connects N
agent desktops over WebSocket (`/api/v1/stream`), and lets them work: each desktop
accepts its offers over REST, the simulated caller hangs up after the talk time, the
desktop sends its disposition after a short wrap-up. Traffic is scaled to keep the
agents about 80% busy. Latency is measured from the moment the event reached the
center (the message's `at`) to the moment the desktop process received it; both
run on this machine, so they share one clock. Server CPU is read from /proc.

Prints one JSON object: per agent count (default 100 and 1,000, side by side),
latency p50/p99/max in ms of offers and agent-state messages, events handled per
second, and the server's CPU share of one core. Target: p99 <= 100 ms at 1,000.

Bench-only shortcuts, both outside what is measured: agents' users are created with
cheap argon2 parameters and their tokens minted with the server's own key, so that
a thousand sign-ins do not cost a thousand 50 ms hashes before the measurement.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import websockets
from argon2 import PasswordHasher

from tidal.api import TokenIssuer, load_secret
from tidal.store import Role, Store

TALK_SECONDS = 20.0
WRAP_SECONDS = 3.0
ANSWER_SECONDS = 0.5
BUSY_SHARE = 0.8
TARGET_P99_MS = 100.0
# REST calls the desktops have in flight at once (the sign-in wave is spread by it).
REQUESTS_IN_FLIGHT = 32
# The per-second tick starts so (compact JSON, "type" first); the desktops skip it unparsed
# so that the client's own load stays out of the latency it measures.
TICK_PREFIX = '{"type":"tick"'


def center_yaml(agents: int) -> str:
    """One queue, no simulated agents: every desktop is a bench client."""
    cycle = TALK_SECONDS + WRAP_SECONDS + ANSWER_SECONDS + 0.5
    rate = agents * BUSY_SHARE * 3600.0 / cycle
    return f"""
name: bench-center
start: "2026-11-23T08:00:00+00:00"
duration: 24h
agents:
  - group: bench
    count: 0
    skills: {{sales: 5}}
queues:
  - name: sales
    skills: {{sales: 1}}
    service_level: {{target: 0.8, threshold: 20}}
    arrivals: {{rate_per_hour: {rate:.1f}}}
    handle_time: {{dist: constant, value: {TALK_SECONDS}}}
    patience: {{dist: exponential, mean: 120}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def seed_agents(home: Path, agents: int) -> list[str]:
    """Agent users with profiles; tokens minted with the server's key."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    with Store.open(home=home, hasher=cheap) as store:
        issuer = TokenIssuer(load_secret(home))
        tokens = []
        for i in range(agents):
            name = f"agent{i:04d}"
            user = store.users.add(name, Role.AGENT, "bench-password")
            store.agents.add(name, "bench", {"sales": 5}, user.id)
            tokens.append(issuer.issue(user))
        return tokens


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


class Desktop:
    """One agent's desktop: a stream connection and the REST calls a person would make."""

    def __init__(
        self,
        agent_id: str,
        token: str,
        base: str,
        client: httpx.AsyncClient,
        gate: asyncio.Semaphore,
    ) -> None:
        self.agent_id = agent_id
        self.gate = gate
        self.token = token
        self.base = base
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}
        self.latencies: list[float] = []
        self.measuring = False
        self.handled = 0
        self.refused = 0
        self.pending: set[asyncio.Future[Any]] = set()

    async def post(self, path: str, body: dict[str, Any] | None = None) -> bool:
        """POST as this agent; a refused step (the offer rang out meanwhile) is counted."""
        async with self.gate:  # as many requests in flight as a browser farm would send
            response = await self.client.post(f"{self.base}{path}", json=body, headers=self.headers)
        if response.status_code in (403, 409):
            self.refused += 1
            return False
        response.raise_for_status()
        return True

    async def run(self, connected: asyncio.Event, ready: asyncio.Event) -> None:
        url = self.base.replace("http", "ws", 1) + f"/api/v1/stream?token={self.token}"
        connect = websockets.connect(url, max_queue=None, open_timeout=60, ping_interval=None)
        async with connect as stream:
            connected.set()
            await ready.wait()
            await self.post(f"/api/v1/agents/{self.agent_id}/state", {"state": "logged_in"})
            await self.post(f"/api/v1/agents/{self.agent_id}/state", {"state": "ready"})
            async for raw in stream:
                received = time.time()
                if isinstance(raw, str) and raw.startswith(TICK_PREFIX):
                    continue  # a browser draws it; this desktop has nothing to do with it
                message = json.loads(raw)
                kind = message.get("type")
                if kind in ("offer", "agent") and self.measuring:
                    self.latencies.append(received - message["at"])
                if kind == "offer":
                    asyncio.get_running_loop().call_later(
                        ANSWER_SECONDS, self._spawn, self._accept(message["contact_id"])
                    )
                elif kind == "agent" and message.get("state") == "wrap_up":
                    asyncio.get_running_loop().call_later(
                        WRAP_SECONDS, self._spawn, self._dispose(message.get("contact_id"))
                    )

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.ensure_future(coroutine)
        self.pending.add(task)  # keep a reference until it is done
        task.add_done_callback(self.pending.discard)

    async def _accept(self, contact_id: int) -> None:
        await self.post(f"/api/v1/offers/{contact_id}/accept")

    async def _dispose(self, contact_id: int | None) -> None:
        if contact_id is None:
            return
        if await self.post(
            f"/api/v1/interactions/{contact_id}/disposition", {"disposition": "resolved"}
        ):
            self.handled += 1


def drive_share(
    base: str, share: list[tuple[str, str]], warmup: float, seconds: float
) -> dict[str, Any]:
    """One client process's desktops (the client must not be the bottleneck measured)."""
    return asyncio.run(drive(base, share, warmup, seconds))


async def drive(
    base: str, share: list[tuple[str, str]], warmup: float, seconds: float
) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=REQUESTS_IN_FLIGHT)
    gate = asyncio.Semaphore(REQUESTS_IN_FLIGHT)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        desktops = [Desktop(agent_id, token, base, client, gate) for agent_id, token in share]
        ready = asyncio.Event()
        connected = [asyncio.Event() for _ in desktops]
        tasks = []
        for desktop, event in zip(desktops, connected, strict=True):
            tasks.append(asyncio.create_task(desktop.run(event, ready)))
            await asyncio.sleep(0.002)  # a login storm is another benchmark
        await asyncio.wait_for(asyncio.gather(*(e.wait() for e in connected)), 120)
        ready.set()
        await asyncio.sleep(warmup)
        for desktop in desktops:
            desktop.measuring = True
        await asyncio.sleep(seconds)
        for desktop in desktops:
            desktop.measuring = False
        failed = [repr(t.exception())[:200] for t in tasks if t.done() and t.exception()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    if failed:
        print(f"{len(failed)} desktops failed, e.g. {failed[0]}", file=sys.stderr)
    latencies = sorted(x for d in desktops for x in d.latencies)
    return {
        "latencies": latencies,
        "handled": sum(d.handled for d in desktops),
        "refused": sum(d.refused for d in desktops),
    }


def percentile(sorted_values: list[float], share: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, int(share * len(sorted_values)))
    return sorted_values[index]


def run_one(agents: int, warmup: float, seconds: float, processes: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="tidal-bench-live-") as tmp:
        home = Path(tmp)
        (home / "center.yaml").write_text(center_yaml(agents))
        tokens = seed_agents(home, agents)
        port = free_port()
        env = {**os.environ, "TIDAL_HOME": str(home), "TIDAL_TELEPHONY": "sim"}
        env.pop("TIDAL_DATABASE_URL", None)
        command = [sys.executable, "-m", "tidal", "serve", "--config", str(home / "center.yaml")]
        server = subprocess.Popen(
            [*command, "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(home / "server.log", "w"),  # noqa: SIM115
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + 60
            while True:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                if time.time() > deadline or server.poll() is not None:
                    raise RuntimeError((home / "server.log").read_text()[-2000:])
                time.sleep(0.2)
            events_before = _events(home)
            cpu_before, wall_before = cpu_seconds(server.pid), time.time()
            pairs = [(f"agent{i:04d}", token) for i, token in enumerate(tokens)]
            shares = [pairs[k::processes] for k in range(processes)]
            with ProcessPoolExecutor(processes) as pool:
                futures = [pool.submit(drive_share, base, s, warmup, seconds) for s in shares]
                parts = [future.result() for future in futures]
            result = {
                "latencies": sorted(x for part in parts for x in part["latencies"]),
                "handled": sum(part["handled"] for part in parts),
                "refused": sum(part["refused"] for part in parts),
            }
            cpu = (cpu_seconds(server.pid) - cpu_before) / (time.time() - wall_before)
            events = (_events(home) - events_before) / (time.time() - wall_before)
        finally:
            server.kill()
            server.wait()
            log = home / "server.log"
            Path(tempfile.gettempdir(), f"tidal-bench-live-{agents}.log").write_bytes(
                log.read_bytes()
            )
    latencies = result["latencies"]
    return {
        "agents": agents,
        "messages_measured": len(latencies),
        "contacts_handled": result["handled"],
        "steps_refused": result["refused"],
        "events_per_second": round(events, 1),
        "latency_ms": {
            "p50": round(1000 * percentile(latencies, 0.50), 2),
            "p99": round(1000 * percentile(latencies, 0.99), 2),
            "max": round(1000 * latencies[-1], 2) if latencies else None,
            "mean": round(1000 * statistics.fmean(latencies), 2) if latencies else None,
        },
        "server_cpu_share_of_one_core": round(cpu, 3),
        "client_processes": processes,
    }


def _events(home: Path) -> int:
    with Store.open(home=home) as store:
        return store.events.last_id()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", default="100,1000", help="comma-separated agent counts")
    parser.add_argument("--warmup", type=float, default=40.0, help="seconds before measuring")
    parser.add_argument("--seconds", type=float, default=30.0, help="seconds measured")
    parser.add_argument(
        "--client-processes", type=int, default=2, help="processes sharing the desktops"
    )
    args = parser.parse_args()
    results = {}
    for count in (int(x) for x in args.agents.split(",")):
        results[str(count)] = run_one(count, args.warmup, args.seconds, args.client_processes)
    at_1000 = results.get("1000")
    results["target"] = {
        "p99_ms_at_1000_agents": TARGET_P99_MS,
        "met": None if at_1000 is None else at_1000["latency_ms"]["p99"] <= TARGET_P99_MS,
    }
    print(json.dumps(results))


if __name__ == "__main__":
    main()
