"""Inbound calls per second through Tidal's SIP stack, beside SIPp's own ceiling.

Starts `tidal serve` with `TIDAL_TELEPHONY=sip` (its B2BUA and a userspace rtpengine)
and sends it calls with SIPp as the carrier at rising rates: each call is an INVITE
with SDP to the center's number, answered, queued (nobody is staffed, so it waits),
held `--hold` seconds and hung up (an abandonment, logged and recorded). In the same
run the same SIPp scenario goes straight to a SIPp UAS: the load generator's own
ceiling on this machine, which Tidal is compared with.

Prints one JSON object: per rate and side, calls attempted, successful and failed and
the CPU each process used per call (ms of a core); and for each side the highest rate
with no failed call. Target (issue 13): >= 100 calls/s with no failed call.

Not measured yet: concurrent calls with media (SIPp sends no RTP here) and the
stateless Kamailio in front (the Kamailio edge is not built yet); both are named in
the JSON as left out, not guessed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
SCENARIO = REPO / "tests" / "telephony" / "sip" / "scenarios" / "carrier_call.xml"
DID = "+12025550100"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def center_yaml(sip_port: int, trunk_port: int, ng_port: int) -> str:
    return f"""
name: sip-bench
agents:
  - group: support
    count: 0
    skills: {{billing: 5}}
queues:
  - name: billing
    skills: {{billing: 1}}
telephony:
  sip: {{listen: "127.0.0.1:{sip_port}"}}
  media: {{rtp_ports: [30000, 40000], ng: "127.0.0.1:{ng_port}"}}
  trunks:
    - {{name: carrier, peer: "127.0.0.1:{trunk_port}"}}
  numbers:
    - {{number: "{DID}", queue: billing}}
"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def pid_in(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def sipp_counts(output: str) -> tuple[int, int]:
    """(successful, failed) calls from SIPp's final statistics screen."""

    def cumulative(name: str) -> int:
        found = re.findall(rf"{name}\s*\|\s*\d+\s*\|\s*(\d+)", output)
        return int(found[-1]) if found else 0

    return cumulative("Successful call"), cumulative("Failed call")


async def run_sipp(
    target: str, scenario: Path, rate: int, seconds: float, local_port: int
) -> tuple[int, int, float]:
    """One load step: `rate` calls a second for `seconds`; (ok, failed, wall seconds)."""
    calls = max(1, int(rate * seconds))
    started = time.monotonic()
    process = await asyncio.create_subprocess_exec(
        "sipp", target, "-sf", str(scenario), "-s", DID.lstrip("+"), "-i", "127.0.0.1",
        "-p", str(local_port), "-r", str(rate), "-m", str(calls), "-l", str(rate * 10),
        "-timeout", f"{int(seconds + 60)}s", "-nostdin", "-max_socket", "4096",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await process.communicate()
    ok, failed = sipp_counts(out.decode(errors="replace"))
    return ok, calls - ok if failed == 0 and ok < calls else failed, time.monotonic() - started


async def start_tidal(home: Path, config: Path) -> tuple[asyncio.subprocess.Process, int]:
    http = free_port()
    env = {**os.environ, "TIDAL_HOME": str(home), "TIDAL_TELEPHONY": "sip"}
    log = (home / "serve.log").open("ab")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tidal", "serve", "--config", str(config), "--port", str(http),
        env=env, stdout=log, stderr=log,
    )  # fmt: skip
    log.close()
    async with httpx.AsyncClient() as client:
        for _ in range(300):
            try:
                if (await client.get(f"http://127.0.0.1:{http}/healthz")).status_code == 200:
                    return process, http
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError((home / "serve.log").read_text()[-2000:])


async def bench(rates: list[int], seconds: float, hold: float) -> dict[str, Any]:
    scenario_text = SCENARIO.read_text().replace(
        'milliseconds="1500"', f'milliseconds="{int(hold * 1000)}"'
    )
    result: dict[str, Any] = {
        "rates": rates,
        "seconds_per_step": seconds,
        "hold_seconds": hold,
        "tidal": {},
        "baseline_sipp_to_sipp": {},
        "left_out": ["media (SIPp sends no RTP here)", "stateless Kamailio in front"],
    }
    with tempfile.TemporaryDirectory(prefix="tidal-sip-bench-") as tmp:
        root = Path(tmp)
        scenario = root / "call.xml"
        scenario.write_text(scenario_text)
        # Baseline: the same calls straight to a SIPp UAS.
        for rate in rates:
            uas_port = free_port(socket.SOCK_DGRAM)
            uas = await asyncio.create_subprocess_exec(
                "sipp", "-sn", "uas", "-i", "127.0.0.1", "-p", str(uas_port), "-nostdin",
                "-max_socket", "4096",
                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
            )  # fmt: skip
            await asyncio.sleep(0.3)
            before = cpu_seconds(uas.pid)
            ok, failed, wall = await run_sipp(
                f"127.0.0.1:{uas_port}", scenario, rate, seconds, free_port(socket.SOCK_DGRAM)
            )
            used = cpu_seconds(uas.pid) - before
            uas.terminate()
            await uas.wait()
            result["baseline_sipp_to_sipp"][str(rate)] = {
                "calls": ok + failed,
                "successful": ok,
                "failed": failed,
                "wall_seconds": round(wall, 2),
                "cpu_ms_per_call": {"sipp_uas": round(1000 * used / max(ok, 1), 3)},
            }
        # Tidal: serve + B2BUA + rtpengine.
        home = root / "home"
        home.mkdir()
        sip_port, trunk_port = free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_DGRAM)
        config = root / "center.yaml"
        config.write_text(center_yaml(sip_port, trunk_port, free_port(socket.SOCK_DGRAM)))
        serve, _ = await start_tidal(home, config)
        try:
            telephony = home / "telephony"
            pids = {
                "tidal_serve": serve.pid,
                "b2bua": pid_in(telephony / "b2bua.pid"),
                "rtpengine": pid_in(telephony / "rtpengine.pid"),
            }
            for rate in rates:
                before = {name: cpu_seconds(pid) for name, pid in pids.items() if pid}
                ok, failed, wall = await run_sipp(
                    f"127.0.0.1:{sip_port}", scenario, rate, seconds, trunk_port
                )
                after = {name: cpu_seconds(pid) for name, pid in pids.items() if pid}
                result["tidal"][str(rate)] = {
                    "calls": ok + failed,
                    "successful": ok,
                    "failed": failed,
                    "wall_seconds": round(wall, 2),
                    "cpu_ms_per_call": {
                        name: round(1000 * (after[name] - before[name]) / max(ok, 1), 3)
                        for name in after
                    },
                }
        finally:
            serve.terminate()
            await serve.wait()
    for side in ("tidal", "baseline_sipp_to_sipp"):
        clean = [int(r) for r, step in result[side].items() if step["failed"] == 0]
        result[f"{side}_max_cps_without_failure"] = max(clean) if clean else 0
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", default="25,50,100,150", help="calls/s steps, comma-separated")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each step")
    parser.add_argument("--hold", type=float, default=1.0, help="seconds each call is held")
    args = parser.parse_args()
    rates = [int(r) for r in args.rates.split(",") if r.strip()]
    print(json.dumps(asyncio.run(bench(rates, args.seconds, args.hold)), indent=2))


if __name__ == "__main__":
    main()
