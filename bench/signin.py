"""Sign-in under attack and under a rush: throttled and bounded, against no throttle or bound.

Starts a real server (LiveCenter on SQLite, the API of `tidal serve`) as a separate
process with users hashed at argon2's default cost (64 MiB, as production), then:

- "wrong": N wrong passwords for one user name, all sent at once;
- "rush": M different users signing in with the right password, all at once.

Each is run against the server as it ships (failed sign-ins throttled per name and per
address, at most 4 argon2 checks at once) and against a baseline server whose throttle
and bound are set out of reach (what Tidal did before issue 11 §3). Prints one JSON
object: answers by status, elapsed seconds, and the server's peak RSS (VmHWM) in MiB,
per mode and wave.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

PASSWORD = "bench-password-right"
CENTER = """
name: bench-signin
start: "2026-11-23T08:00:00+00:00"
duration: 24h
agents:
  - group: bench
    count: 0
    skills: {sales: 5}
queues:
  - name: sales
    skills: {sales: 1}
    service_level: {target: 0.8, threshold: 20}
"""
UNBOUNDED = {
    "per_name": "1000000/minute",
    "per_address": "1000000/minute",
    "at_once": 10_000,
    "waiting": 10_000,
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve(home: Path, port: int, baseline: bool) -> None:
    """The server process: the shipped app, or with the throttle and bound out of reach."""
    import uvicorn

    from tidal.api import create_app
    from tidal.api._signin import SignInGuard
    from tidal.config import parse_scenario
    from tidal.live.runtime import LiveCenter
    from tidal.store import Store

    store = Store.open(home=home)
    runtime = LiveCenter(parse_scenario(CENTER, "bench-signin.yaml"), store)
    app = create_app(runtime, home, start_runtime=True)
    if baseline:
        app.state.signin = SignInGuard(store, app.state.compliance, **UNBOUNDED)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    asyncio.run(uvicorn.Server(config).serve())


def seed(home: Path, users: int) -> None:
    """The target user and `users` others, at argon2's default (production) cost."""
    from tidal.store import Role, Store

    with Store.open(home=home) as store:
        store.users.add("admin", Role.ADMIN, PASSWORD)
        store.users.add("target", Role.AGENT, PASSWORD)
        for i in range(users):
            store.users.add(f"user{i:03d}", Role.AGENT, PASSWORD)


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


async def wave(base: str, attempts: list[tuple[str, str]]) -> dict[str, Any]:
    """Send every attempt at once; answers by status and the time until the last answer."""
    limits = httpx.Limits(max_connections=len(attempts) + 1)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=300) as client:
        started = time.perf_counter()
        answers = await asyncio.gather(
            *(
                client.post("/api/v1/auth/token", data={"username": u, "password": p})
                for u, p in attempts
            )
        )
        elapsed = time.perf_counter() - started
    statuses = collections.Counter(str(a.status_code) for a in answers)
    retry = sorted({a.headers.get("Retry-After") for a in answers if a.status_code == 429})
    return {
        "answers": dict(sorted(statuses.items())),
        "elapsed_seconds": round(elapsed, 3),
        "retry_after": [int(r) for r in retry if r],
    }


def run_mode(wrong: int, rush: int, baseline: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="tidal-bench-signin-") as tmp:
        home = Path(tmp)
        seed(home, rush)
        port = free_port()
        env = {**os.environ, "TIDAL_HOME": str(home)}
        env.pop("TIDAL_DATABASE_URL", None)
        args = [sys.executable, __file__, "--serve", str(home), str(port)]
        if baseline:
            args.append("--baseline")
        log = (home / "server.log").open("w")
        server = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=log)
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
            idle = rss_mib(server.pid)
            wrong_wave = asyncio.run(wave(base, [("target", f"guess-{i}") for i in range(wrong)]))
            wrong_wave["peak_rss_mib"] = peak_rss_mib(server.pid)
            rush_wave = asyncio.run(wave(base, [(f"user{i:03d}", PASSWORD) for i in range(rush)]))
            rush_wave["peak_rss_mib"] = peak_rss_mib(server.pid)
            audited = sum(
                1 for line in (home / "audit.jsonl").read_text().splitlines() if "sign_in" in line
            )
        finally:
            server.kill()
            server.wait()
            log.close()
    return {
        "idle_rss_mib": idle,
        "wrong_passwords_at_once": wrong_wave,
        "correct_sign_ins_at_once": rush_wave,
        "sign_ins_audited": audited,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wrong", type=int, default=50, help="wrong passwords sent at once")
    parser.add_argument("--rush", type=int, default=40, help="correct sign-ins sent at once")
    parser.add_argument("--quick", action="store_true", help="10 wrong, 8 correct")
    parser.add_argument("--no-baseline", action="store_true", help="skip the baseline server")
    parser.add_argument("--serve", nargs=2, metavar=("HOME", "PORT"), help=argparse.SUPPRESS)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(Path(args.serve[0]), int(args.serve[1]), args.baseline)
        return
    wrong, rush = (10, 8) if args.quick else (args.wrong, args.rush)
    result: dict[str, Any] = {
        "wrong": wrong,
        "rush": rush,
        "ours": run_mode(wrong, rush, baseline=False),
    }
    if not args.no_baseline:
        result["baseline_unthrottled_unbounded"] = run_mode(wrong, rush, baseline=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
