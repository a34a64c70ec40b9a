"""A real rtpengine (userspace) per test module, on free loopback ports."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.ports import free_udp_port
from tidal.telephony.sip import RtpEngineSettings, RunningRtpEngine, start_rtpengine


def free_port_range(size: int = 40) -> tuple[int, int]:
    """`size` consecutive even-aligned UDP ports that are free now (RTP and RTCP pairs)."""
    for base in range(35000, 60000, 200):
        ports = range(base, base + size)
        try:
            held = []
            for port in ports:
                sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                held.append(sock)
                sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            for sock in held:
                sock.close()
        return ports[0], ports[-1]
    raise RuntimeError("no free UDP port range on 127.0.0.1")


@pytest.fixture
async def rtpengine(tmp_path: Path) -> AsyncIterator[RunningRtpEngine]:
    low, high = free_port_range()
    settings = RtpEngineSettings(ng_port=free_udp_port(), port_min=low, port_max=high)
    running = await start_rtpengine(settings, tmp_path / "rtpengine.log")
    yield running
    await running.stop()
