"""Free loopback ports for tests that start real servers (HTTP, SIP, RTP)."""

from __future__ import annotations

import socket


def free_tcp_port() -> int:
    """A TCP port nobody holds now on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def free_udp_port() -> int:
    """A UDP port nobody holds now on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
