"""The NG client against a real userspace rtpengine: offer/answer, media relayed
between two legs, prompts played, errors and silence reported as such."""

from __future__ import annotations

import asyncio
import re
import socket
import struct
import subprocess
from pathlib import Path

import pytest

from tests.ports import free_udp_port
from tidal.telephony.sip import NgClient, NgError, NgTimeout, RunningRtpEngine
from tidal.telephony.sip._ng import decode, encode

pytestmark = pytest.mark.xdist_group("sip")


def sdp(port: int) -> str:
    return (
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        f"m=audio {port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
        "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n"
    )


def media_port(text: str) -> int:
    found = re.search(r"^m=audio (\d+) ", text, re.MULTILINE)
    assert found, text
    return int(found.group(1))


def rtp(sequence: int) -> bytes:
    """One PCMU packet: version 2, payload type 0, 20 ms of silence."""
    return struct.pack("!BBHII", 0x80, 0, sequence, sequence * 160, 0x1234) + b"\xff" * 160


def test_a_datagram_is_a_cookie_a_space_and_a_bencoded_dictionary() -> None:
    datagram = encode("c_1", {"command": "ping"})
    assert datagram == b"c_1 d7:command4:pinge"
    assert decode(b"c_1 d6:result4:ponge") == ("c_1", {"result": "pong"})
    for bad in (b"nocookie", b"c_1 notbencode", b"c_1 li1ee"):
        with pytest.raises(ValueError):
            decode(bad)


async def test_offer_and_answer_put_rtpengine_between_the_legs(
    rtpengine: RunningRtpEngine,
) -> None:
    ng = rtpengine.client
    assert await ng.ping()
    low, high = rtpengine.settings.port_min, rtpengine.settings.port_max
    caller = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    agent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    caller.bind(("127.0.0.1", free_udp_port()))
    agent.bind(("127.0.0.1", free_udp_port()))
    try:
        offered = await ng.offer("call-1", "caller-tag", sdp(caller.getsockname()[1]))
        answered = await ng.answer("call-1", "caller-tag", "agent-tag", sdp(agent.getsockname()[1]))
        to_agent, to_caller = media_port(offered.sdp), media_port(answered.sdp)
        assert low <= to_agent <= high and low <= to_caller <= high and to_agent != to_caller
        assert "c=IN IP4 127.0.0.1" in offered.sdp
        # The caller's audio goes to the port the agent's SDP names, through rtpengine.
        agent.settimeout(2)
        for sequence in range(5):
            caller.sendto(rtp(sequence), ("127.0.0.1", to_caller))
        heard, source = agent.recvfrom(2048)
        assert heard[12:] == b"\xff" * 160
        assert source == ("127.0.0.1", to_agent)
        query = await ng.query("call-1")
        assert set(query["tags"]) == {"caller-tag", "agent-tag"}
        assert await ng.delete("call-1")
        assert not await ng.delete("call-1")  # nothing left: a warning, not an error
    finally:
        caller.close()
        agent.close()


async def test_a_prompt_is_played_and_its_length_given(
    rtpengine: RunningRtpEngine, tmp_path: Path
) -> None:
    prompt = tmp_path / "hello.wav"
    subprocess.run(
        [
            "sox",
            "-n",
            "-r",
            "8000",
            "-c",
            "1",
            "-b",
            "16",
            str(prompt),
            "synth",
            "1.5",
            "sine",
            "440",
        ],
        check=True,
    )
    ng = rtpengine.client
    caller = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    caller.bind(("127.0.0.1", free_udp_port()))
    try:
        offered = await ng.offer("call-2", "caller-tag", sdp(caller.getsockname()[1]))
        await ng.answer("call-2", "caller-tag", "ivr-tag", sdp(free_udp_port()))
        assert await ng.play_media("call-2", "caller-tag", str(prompt)) == pytest.approx(
            1.5, abs=0.05
        )
        caller.settimeout(2)
        packet, _ = caller.recvfrom(2048)  # the prompt reaches the caller as RTP
        assert packet[0] >> 6 == 2 and media_port(offered.sdp) > 0
        await ng.stop_media("call-2", "caller-tag")
    finally:
        caller.close()
        await ng.delete("call-2")


async def test_a_refusal_is_an_error_with_rtpengines_reason(rtpengine: RunningRtpEngine) -> None:
    with pytest.raises(NgError, match="Unrecognized command"):
        await rtpengine.client.command("no such command")
    with pytest.raises(NgError):
        await rtpengine.client.play_media("no-call", "tag", "/nonexistent.wav")


async def test_silence_is_a_timeout_naming_the_address() -> None:
    port = free_udp_port()
    client = NgClient(("127.0.0.1", port), timeout=0.05, attempts=2)
    with pytest.raises(NgTimeout, match=f"127.0.0.1:{port}"):
        await client.ping()
    client.close()
    await asyncio.sleep(0)
