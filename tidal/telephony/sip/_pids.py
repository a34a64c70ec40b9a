"""Pid files of the media and signalling processes, so a restarted runtime finds them.

`kill -9` of `tidal serve` leaves its B2BUA and rtpengine running, calls up; the next
start adopts them instead of starting a second pair on the same ports. A pid counts as
theirs only while /proc says that process is still the program named.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from pathlib import Path

STOP_SECONDS = 5.0


def running(pid_file: Path, program: str) -> int | None:
    """The pid in `pid_file` when that process is alive and its command line names
    `program`; None otherwise (no file, a dead or reused pid)."""
    try:
        pid = int(pid_file.read_text().strip())
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except (OSError, ValueError):
        return None
    return pid if program in command else None


def remember(pid_file: Path, pid: int) -> None:
    """Write the pid (whole, then renamed: a crash leaves the old file or the new one)."""
    partial = pid_file.with_suffix(".new")
    partial.write_text(f"{pid}\n")
    partial.replace(pid_file)


async def end_pid(pid: int, pid_file: Path, grace: float = STOP_SECONDS) -> None:
    """SIGTERM a process that is not our child, SIGKILL it after `grace`, forget its file."""
    loop = asyncio.get_running_loop()
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
        deadline = loop.time() + grace
        while loop.time() < deadline:
            os.kill(pid, 0)  # raises once it is gone
            await asyncio.sleep(0.05)
        os.kill(pid, signal.SIGKILL)
    pid_file.unlink(missing_ok=True)
