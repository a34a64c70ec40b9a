"""Inbound calls over real SIP: SIPp as the carrier, Tidal's B2BUA and a userspace
rtpengine, the live runtime deciding. A call to a number of `telephony.numbers` becomes
a contact waiting in its queue with the caller's number; the caller hanging up while
queued is an abandonment; a source that is no trunk gets 403, a number not ours 404.
An agent whose phone is a SIP URI (SIPp as the phone, echoing what it hears) is rung,
answers, and talks: audio flows both ways through rtpengine; the caller's BYE ends the
agent's leg too and the agent wraps up.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.api.conftest import FAST_HASHER
from tests.ports import free_udp_port
from tests.telephony.sip.conftest import free_port_range
from tidal.config import parse_scenario
from tidal.core.contact import ContactState
from tidal.live.runtime import LiveCenter
from tidal.store import Store
from tidal.telephony.sip import SipTelephony

pytestmark = [
    pytest.mark.skipif(shutil.which("sipp") is None, reason="needs sip-tester"),
    pytest.mark.xdist_group("sip"),  # one worker: real processes, real ports, real time
]

SCENARIOS = Path(__file__).parent / "scenarios"
DID = "+12025550100"


@dataclass
class Site:
    runtime: LiveCenter
    sip_port: int
    trunk_port: int
    phone_port: int
    home: Path = Path()
    processes: list[asyncio.subprocess.Process] = field(default_factory=list)

    async def end_processes(self) -> None:
        """SIPp left running by a failed test would block on its full stdout pipe."""
        for process in self.processes:
            if process.returncode is None:
                process.kill()
                await process.wait()


def center(sip_port: int, trunk_port: int, ng_port: int, media: tuple[int, int]) -> str:
    return f"""
name: sip-center
agents:
  - group: support
    count: 1
    skills: {{billing: 5}}
queues:
  - name: billing
    skills: {{billing: 1}}
telephony:
  sip: {{listen: "127.0.0.1:{sip_port}"}}
  media: {{rtp_ports: [{media[0]}, {media[1]}], ng: "127.0.0.1:{ng_port}"}}
  trunks:
    - {{name: carrier, peer: "127.0.0.1:{trunk_port}"}}
  numbers:
    - {{number: "{DID}", queue: billing}}
"""


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[Site]:
    sip_port, trunk_port, phone_port = free_udp_port(), free_udp_port(), free_udp_port()
    text = center(sip_port, trunk_port, free_udp_port(), free_port_range())
    config = parse_scenario(text, "center.yaml")
    assert config.telephony is not None
    store = Store.open(home=tmp_path, hasher=FAST_HASHER)
    store.agents.add("a1", "support", {"billing": 5}, None, f"sip:a1@127.0.0.1:{phone_port}")
    telephony = SipTelephony(config.telephony, tmp_path)
    runtime = LiveCenter(
        config, store, telephony=telephony, tick_seconds=0, home=tmp_path, ring_timeout=3.0
    )
    await runtime.start()
    try:
        site = Site(runtime, sip_port, trunk_port, phone_port, tmp_path)
        yield site
    finally:
        await site.end_processes()
        await runtime.stop()
        store.close()


async def sipp(
    site: Site, scenario: Path, number: str, local_port: int, timeout: float = 20
) -> tuple[int, str]:
    """Run one SIPp call from `local_port`; its exit code (0: the scenario held) and log."""
    process = await asyncio.create_subprocess_exec(
        "sipp",
        f"127.0.0.1:{site.sip_port}",
        "-sf",
        str(scenario),
        "-s",
        number.lstrip("+"),
        "-i",
        "127.0.0.1",
        "-p",
        str(local_port),
        "-m",
        "1",
        "-timeout",
        f"{int(timeout)}s",
        "-nostdin",
        "-trace_err",
        "-error_file",
        str(site.home / f"sipp-{local_port}-errors.log"),  # not the working directory
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    site.processes.append(process)
    try:
        out, _ = await asyncio.wait_for(process.communicate(), timeout + 10)
    except asyncio.CancelledError:
        process.kill()  # a cancelled call frees its port for the next one
        await process.wait()
        raise
    assert process.returncode is not None
    return process.returncode, out.decode(errors="replace")[-2000:]


async def phone(
    site: Site, timeout: float = 20, scenario: Path | None = None
) -> asyncio.subprocess.Process:
    """SIPp as the agent's desk phone: by default it answers at once, echoes the audio
    and waits for BYE; `scenario` makes it do something else."""
    how = ["-sn", "uas"] if scenario is None else ["-sf", str(scenario)]
    process = await asyncio.create_subprocess_exec(
        "sipp",
        *how,
        "-i",
        "127.0.0.1",
        "-p",
        str(site.phone_port),
        "-m",
        "1",
        "-rtp_echo",
        "-timeout",
        f"{int(timeout)}s",
        "-nostdin",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    site.processes.append(process)
    return process


def packets(query: dict[str, object], tag: str) -> int:
    """RTP packets rtpengine received from the leg `tag` (its query's stats)."""
    monologue = query["tags"][tag]  # type: ignore[index]
    return sum(
        stream["stats"]["packets"] for media in monologue["medias"] for stream in media["streams"]
    )


def refused(tmp_path: Path, code: int) -> Path:
    scenario = tmp_path / f"refused-{code}.xml"
    text = (SCENARIOS / "carrier_refused.xml").read_text().replace("EXPECTED", str(code))
    scenario.write_text(text)
    return scenario


async def test_a_call_to_our_number_waits_in_its_queue_until_the_caller_hangs_up(
    site: Site,
) -> None:
    call = asyncio.create_task(sipp(site, SCENARIOS / "carrier_call.xml", DID, site.trunk_port))
    center = site.runtime.center
    for _ in range(100):  # the call is answered and queued within a second or so
        if center.queue_length("billing") == 1:
            break
        await asyncio.sleep(0.05)
    assert center.queue_length("billing") == 1
    (contact,) = center.contacts.values()
    assert contact.caller == "+13125550123"
    assert contact.state is ContactState.QUEUED
    code, log = await call
    assert code == 0, log
    assert center.queue_length("billing") == 0
    assert contact.state is ContactState.ABANDONED  # hung up while waiting
    (record,) = site.runtime.store.interactions.list()
    assert (record.outcome, record.caller) == ("abandoned", "+13125550123")
    assert (record.trunk, record.did) == ("carrier", DID)  # CONTRACTS section 7


async def test_a_source_that_is_no_trunk_gets_403(site: Site, tmp_path: Path) -> None:
    code, log = await sipp(site, refused(tmp_path, 403), DID, free_udp_port())
    assert code == 0, log
    assert site.runtime.center.contacts == {}


async def test_a_number_that_is_not_ours_gets_404(site: Site, tmp_path: Path) -> None:
    code, log = await sipp(site, refused(tmp_path, 404), "+12025550199", site.trunk_port)
    assert code == 0, log
    assert site.runtime.center.contacts == {}


async def test_the_agents_sip_phone_rings_answers_and_talks_with_the_caller(site: Site) -> None:
    from tidal.core.events import AgentLoggedIn, AgentReady

    desk = await phone(site)
    runtime = site.runtime
    runtime.submit(AgentLoggedIn("a1", "support", {"billing": 5}))
    runtime.submit(AgentReady("a1"))
    call = asyncio.create_task(
        sipp(site, SCENARIOS / "carrier_call_audio.xml", DID, site.trunk_port)
    )
    agent = runtime.center.agents["a1"]
    for _ in range(100):
        if agent.state == "talking":
            break
        await asyncio.sleep(0.05)
    if agent.state != "talking":
        desk.kill()
        print("phone:", (await desk.communicate())[0].decode(errors="replace")[-1500:])
        print("carrier:", await call, runtime.center.contacts)
    assert agent.state == "talking"  # rung over SIP, answered by the phone: OfferAccepted
    telephony = runtime.telephony
    assert isinstance(telephony, SipTelephony) and telephony.ng is not None
    (call_id,) = telephony.calls
    # The carrier plays its pcap and the phone echoes it back: wait (not time) for both
    # directions to carry audio through rtpengine, for at most the 4 s the call lasts.
    for _ in range(40):
        query = await telephony.ng.query(call_id)
        if packets(query, "caller") > 20 and packets(query, "tidal") > 20:
            break
        await asyncio.sleep(0.1)
    assert packets(query, "caller") > 20  # the caller's audio reached rtpengine
    assert packets(query, "tidal") > 20  # and came back from the agent's phone
    code, log = await call
    assert code == 0, log
    out, _ = await asyncio.wait_for(desk.communicate(), 20)
    assert desk.returncode == 0, out.decode(errors="replace")[-2000:]  # the phone got BYE
    assert agent.state == "wrap_up"
    assert telephony.calls == {}


def mu_law_level(payload: bytes) -> float:
    """RMS level (0..1) of G.711 mu-law samples (the G.711 expansion; silence is 0xFF)."""
    u = ~np.frombuffer(payload, dtype=np.uint8)
    exponent = (u >> 4) & 0x07
    magnitude = ((((u & 0x0F).astype(np.int32) << 3) + 0x84) << exponent) - 0x84
    samples = np.where(u & 0x80, -magnitude, magnitude) / 32768
    return float(np.sqrt(np.mean(samples**2))) if len(samples) else 0.0


async def test_a_queued_caller_hears_their_place_in_line_then_hold_music(
    site: Site, tmp_path: Path
) -> None:
    from tidal.core.events import AgentLoggedIn

    site.runtime.submit(AgentLoggedIn("a1", "support", {"billing": 5}))  # staffed, not ready
    ear = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    ear.bind(("127.0.0.1", free_udp_port()))
    ear.setblocking(False)
    scenario = tmp_path / "to-port.xml"
    template = (SCENARIOS / "carrier_call_to_port.xml").read_text()
    scenario.write_text(template.replace("MEDIA_PORT", str(ear.getsockname()[1])))
    call = asyncio.create_task(sipp(site, scenario, DID, site.trunk_port))
    loop = asyncio.get_running_loop()
    levels: list[float] = []
    deadline = loop.time() + 7
    try:
        while loop.time() < deadline:
            try:
                packet = await asyncio.wait_for(loop.sock_recv(ear, 2048), 0.5)
            except TimeoutError:
                continue
            levels.append(mu_law_level(packet[12:]))
    finally:
        ear.close()
    code, log = await call
    assert code == 0, log
    assert len(levels) > 150  # 20 ms packets: seconds of audio reached the caller
    assert sum(level > 0.01 for level in levels) > 50  # sound, not silence
    made = {p.name.split("-")[0] for p in (tmp_path / "telephony" / "prompt-cache").iterdir()}
    assert made == {"tts", "hold"}  # the announcement was spoken, the music made


async def test_a_killed_b2bua_is_replaced_and_its_calls_end_in_the_center(site: Site) -> None:
    from tidal.core.events import AgentLoggedIn

    site.runtime.submit(AgentLoggedIn("a1", "support", {"billing": 5}))  # staffed, not ready
    telephony = site.runtime.telephony
    assert isinstance(telephony, SipTelephony) and telephony._b2bua is not None
    first = telephony._b2bua.pid
    call = asyncio.create_task(sipp(site, SCENARIOS / "carrier_call.xml", DID, site.trunk_port))
    center = site.runtime.center
    for _ in range(100):
        if center.queue_length("billing") == 1:
            break
        await asyncio.sleep(0.05)
    (contact,) = center.contacts.values()
    os.kill(first, signal.SIGKILL)
    for _ in range(100):  # noticed, replaced, and the new one's hello ends the call
        if contact.state is ContactState.ABANDONED and telephony.connected.is_set():
            break
        await asyncio.sleep(0.05)
    assert contact.state is ContactState.ABANDONED
    assert telephony._b2bua is not None and telephony._b2bua.pid != first
    call.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await call
    # The new B2BUA takes calls.
    second = asyncio.create_task(sipp(site, SCENARIOS / "carrier_call.xml", DID, site.trunk_port))
    for _ in range(100):
        if center.queue_length("billing") == 1:
            break
        await asyncio.sleep(0.05)
    assert center.queue_length("billing") == 1
    code, log = await second
    assert code == 0, log


async def _offered_to_the_phone(
    site: Site, scenario: str, hold_ms: int = 1500
) -> tuple[Any, Any, Any]:
    """A ready agent whose phone runs `scenario`, and a caller (on the line `hold_ms`)
    ringing it."""
    from tidal.core.events import AgentLoggedIn, AgentReady

    desk = await phone(site, scenario=SCENARIOS / scenario)
    site.runtime.submit(AgentLoggedIn("a1", "support", {"billing": 5}))
    site.runtime.submit(AgentReady("a1"))
    carrier = site.home / f"carrier-{hold_ms}.xml"
    text = (SCENARIOS / "carrier_call.xml").read_text()
    carrier.write_text(text.replace('milliseconds="1500"', f'milliseconds="{hold_ms}"'))
    call = asyncio.create_task(sipp(site, carrier, DID, site.trunk_port))
    return desk, call, site.runtime.center.agents["a1"]


async def test_a_phone_that_refuses_declines_the_offer(site: Site) -> None:
    desk, call, agent = await _offered_to_the_phone(site, "phone_refuses.xml")
    out, _ = await asyncio.wait_for(desk.communicate(), 20)
    assert desk.returncode == 0, out.decode(errors="replace")[-1500:]  # 486 sent, ACKed
    for _ in range(50):  # the B2BUA's word reaches the core
        if agent.misses >= 1 or agent.reason == "declined":
            break
        await asyncio.sleep(0.05)
    (contact,) = site.runtime.center.contacts.values()
    assert contact.state is not ContactState.CONNECTED  # back in line (or offered again)
    assert agent.misses >= 1 or agent.reason == "declined"  # the refusal counted as a miss
    code, log = await call
    assert code == 0, log


async def test_a_phone_nobody_answers_is_cancelled_at_the_ring_timeout(site: Site) -> None:
    # The caller stays 6 s; the ring timeout is 3 s: the core's timer, not the caller,
    # ends the ringing.
    desk, call, agent = await _offered_to_the_phone(site, "phone_rings_out.xml", 6000)
    out, _ = await asyncio.wait_for(desk.communicate(), 20)  # CANCEL came: 200, 487, ACK
    assert desk.returncode == 0, out.decode(errors="replace")[-1500:]
    (contact,) = site.runtime.center.contacts.values()
    assert contact.state is not ContactState.CONNECTED
    assert agent.misses >= 1 or agent.reason == "ring_no_answer"  # the core's ring timer
    code, log = await call
    assert code == 0, log


async def test_the_agent_hanging_up_ends_the_callers_leg_and_starts_wrap_up(site: Site) -> None:
    from tidal.core.events import AgentLoggedIn, AgentReady

    desk = await phone(site, scenario=SCENARIOS / "phone_hangs_up.xml")
    site.runtime.submit(AgentLoggedIn("a1", "support", {"billing": 5}))
    site.runtime.submit(AgentReady("a1"))
    code, log = await sipp(site, SCENARIOS / "carrier_call_hung_up.xml", DID, site.trunk_port)
    assert code == 0, log  # the caller got Tidal's BYE
    out, _ = await asyncio.wait_for(desk.communicate(), 20)
    assert desk.returncode == 0, out.decode(errors="replace")[-1500:]
    assert site.runtime.center.agents["a1"].state == "wrap_up"
    telephony = site.runtime.telephony
    assert isinstance(telephony, SipTelephony) and telephony.calls == {}


TORN: tuple[bytes, ...] = (
    b"garbage",
    b"INVITE sip:x SIP/2.0\r\n\r\n",  # no Via, From, To, Call-ID or CSeq
    b"INVITE sip:+12025550100@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK1\r\n"
    b"Content-Length: 99999\r\n\r\nv=0",  # a body far shorter than it says
    b"\xff\xfe\x00INVITE \x80\x81 SIP/2.0\r\n\r\n",  # not text at all
    b"OPTIONS sip:tidal@127.0.0.1 SIP/2.0\r\n" + b"X-Long: " + b"a" * 60000 + b"\r\n\r\n",
)


async def test_torn_and_hostile_messages_do_not_stop_the_b2bua(site: Site) -> None:
    """RFC 4475 in spirit: what cannot be parsed is dropped, the next call is taken."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
        sender.bind(("127.0.0.1", site.trunk_port))  # from the trunk's own address, too
        for datagram in TORN:
            sender.sendto(datagram, ("127.0.0.1", site.sip_port))
    await asyncio.sleep(0.3)
    telephony = site.runtime.telephony
    assert isinstance(telephony, SipTelephony) and telephony._b2bua is not None
    assert telephony._b2bua.returncode is None  # still running
    assert site.runtime.center.contacts == {}
    code, log = await sipp(site, SCENARIOS / "carrier_call.xml", DID, site.trunk_port)
    assert code == 0, log


async def test_a_register_is_refused(site: Site) -> None:
    register = (
        "REGISTER sip:tidal.local SIP/2.0\r\n"
        "Via: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK-reg-1\r\n"
        "From: <sip:mallory@tidal.local>;tag=r1\r\nTo: <sip:mallory@tidal.local>\r\n"
        "Call-ID: reg-1@127.0.0.1\r\nCSeq: 1 REGISTER\r\n"
        "Contact: <sip:mallory@127.0.0.1:{port}>\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
    )
    loop = asyncio.get_running_loop()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as phone_socket:
        phone_socket.bind(("127.0.0.1", 0))
        phone_socket.setblocking(False)
        port = phone_socket.getsockname()[1]
        phone_socket.sendto(register.format(port=port).encode(), ("127.0.0.1", site.sip_port))
        answer = await asyncio.wait_for(loop.sock_recv(phone_socket, 4096), 5)
    assert answer.startswith(b"SIP/2.0 403 ")
