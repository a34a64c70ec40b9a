"""Running rtpengine (Debian's `rtpengine-daemon`) in userspace for a center.

`--table=-1` keeps it out of the kernel (the in-kernel module is not installed here and
not needed at this scale: about 8.5 µs of a core a relayed packet); recordings are
written as pcap (the `proc` method needs the kernel module). `tidal serve` starts one
unless `telephony.external` says the system runs it; tests start their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from tidal.telephony.sip._ng import NgClient, NgTimeout

RTPENGINE: Final = "rtpengine"
START_SECONDS: Final = 10.0  # how long it may take to answer its first ping
STOP_SECONDS: Final = 5.0


@dataclass(frozen=True, slots=True)
class RtpEngineSettings:
    """Where rtpengine listens for media and for NG commands, and where it records."""

    interface: str = "127.0.0.1"
    ng_port: int = 22222
    port_min: int = 30000
    port_max: int = 40000
    recording_dir: Path | None = None
    dtmf_log_port: int | None = None  # UDP port on the interface that gets DTMF as JSON


def rtpengine_argv(settings: RtpEngineSettings, executable: str = RTPENGINE) -> list[str]:
    """The command line of a userspace rtpengine with these settings, in the foreground."""
    argv = [
        executable,
        # Not /etc/rtpengine/rtpengine.conf: its fixed ports (HTTP 2225, CLI 2224, NG 2223)
        # would collide with a second rtpengine on the host, and its kernel table with ours.
        "--config-file=none",
        "--table=-1",
        "--no-fallback",
        "--foreground",
        "--log-stderr",
        f"--interface={settings.interface}",
        f"--listen-ng={settings.interface}:{settings.ng_port}",
        # Its CLI (TCP) on the NG port number too: the default 2224 would collide
        # between two rtpengines on one host (tests, or two centers).
        f"--listen-cli={settings.interface}:{settings.ng_port}",
        f"--port-min={settings.port_min}",
        f"--port-max={settings.port_max}",
        "--log-level=5",  # notices and worse: at INFO it writes every SDP of every call
    ]
    if settings.recording_dir is not None:
        argv += [
            f"--recording-dir={settings.recording_dir}",
            "--recording-method=pcap",
            "--recording-format=eth",
        ]
    if settings.dtmf_log_port is not None:
        argv.append(f"--dtmf-log-dest={settings.interface}:{settings.dtmf_log_port}")
    return argv


class RtpEngineFailed(RuntimeError):
    """rtpengine could not be started (not installed, a port taken, a bad option)."""


@dataclass
class RunningRtpEngine:
    """A started rtpengine: its process and an NG client to it."""

    settings: RtpEngineSettings
    process: asyncio.subprocess.Process
    client: NgClient
    log: Path

    async def stop(self) -> None:
        """SIGTERM, then SIGKILL if it lingers; the client's socket is closed."""
        self.client.close()
        await end_process(self.process)


async def end_process(process: asyncio.subprocess.Process, grace: float = STOP_SECONDS) -> None:
    """SIGTERM, and SIGKILL when it has not ended within `grace` seconds."""
    if process.returncode is None:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), grace)
        except TimeoutError:
            process.kill()
            await process.wait()


async def start_rtpengine(settings: RtpEngineSettings, log: Path) -> RunningRtpEngine:
    """Start rtpengine and wait until it answers a ping (RtpEngineFailed otherwise)."""
    executable = shutil.which(RTPENGINE) or shutil.which(RTPENGINE, path="/usr/sbin:/usr/bin")
    if executable is None:
        raise RtpEngineFailed("rtpengine is not installed (Debian package rtpengine-daemon)")
    if settings.recording_dir is not None:
        settings.recording_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as sink:
        process = await asyncio.create_subprocess_exec(
            *rtpengine_argv(settings, executable),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=sink,
            stderr=sink,
            start_new_session=True,  # outlives a killed runtime: media keeps flowing
        )
    client = NgClient((settings.interface, settings.ng_port), timeout=0.2, attempts=1)
    running = RunningRtpEngine(settings, process, client, log)
    deadline = asyncio.get_running_loop().time() + START_SECONDS
    while True:
        if process.returncode is not None:
            break
        with contextlib.suppress(NgTimeout):
            if await client.ping():
                client.attempts = 4
                return running
        if asyncio.get_running_loop().time() > deadline:
            break
        await asyncio.sleep(0.05)
    await running.stop()
    tail = log.read_text(errors="replace").strip().splitlines()[-3:]
    raise RtpEngineFailed(f"rtpengine did not start: {' / '.join(tail) or 'no output'}")
