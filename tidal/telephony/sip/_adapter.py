"""Real SIP behind the telephony protocol: the B2BUA process carries the dialogs,
rtpengine the media, and this adapter decides with the center.

An INVITE from a trunk (known by its source address; 403 otherwise) to a number of
`telephony.numbers` (404 otherwise) is answered with rtpengine's SDP and becomes a
`ContactArrived` on the number's queue; the caller hanging up while queued is a
`CallerAbandoned`, during the conversation a `CallEnded`. The core's `HangUp` ends the
dialog and its media.

An offer to an agent whose phone is a SIP URI rings it (`X-Tidal-Contact` names the
contact, the caller's number is the From); the phone answering is `OfferAccepted` and
its SDP takes Tidal's side of the call in rtpengine (port latching: the caller's side
keeps its ports, so no re-INVITE reaches the caller); a refusal or failure is
`OfferDeclined`; `WithdrawOffer` cancels a phone still ringing; either side's BYE ends
the conversation (`CallEnded`) and the other leg.

Prompts, flows, registered and browser phones and outbound dials join behind the same
adapter (issue 13).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sys
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from tidal.config import TelephonyConfig, e164_of, sip_target, split_host_port
from tidal.core.commands import Announce, HangUp, OfferToAgent, Play, WithdrawOffer
from tidal.core.contact import ContactState
from tidal.core.events import (
    CallEnded,
    CallerAbandoned,
    ContactArrived,
    OfferAccepted,
    OfferDeclined,
)
from tidal.telephony.sip._ng import NgClient, NgError, NgTimeout
from tidal.telephony.sip._pids import end_pid, remember, running
from tidal.telephony.sip._prompts import HOLD_MUSIC, PromptFailed, Prompts
from tidal.telephony.sip._rtpengine import (
    RtpEngineSettings,
    RunningRtpEngine,
    end_process,
    start_rtpengine,
)

if TYPE_CHECKING:
    from tidal.core.campaigns import Dial
    from tidal.core.commands import Command
    from tidal.telephony import Host

log = logging.getLogger(__name__)

CALLER_TAG: Final = "caller"
TIDAL_TAG: Final = "tidal"
AGENT_LEG: Final = "~agent"  # suffix of an agent leg's name: the caller's Call-ID + this
OFFER_FLAGS: Final = ("port latching",)  # an agent's leg takes Tidal's side later
HOLD_REPEATS: Final = 600  # hold music loops this often (hours); the next prompt replaces it
B2BUA_STOP_SECONDS: Final = 5.0
HELLO_SECONDS: Final = 10.0  # a B2BUA connects within this (a left-running one too)
B2BUA_PID: Final = "b2bua.pid"
RECONNECT_GRACE_SECONDS: Final = 1.0  # a live B2BUA reconnects within 0.2 s
RTPENGINE_PID: Final = "rtpengine.pid"


@dataclass
class _Call:
    """One caller's dialog as the adapter knows it."""

    call_id: str
    contact_id: int
    trunk: str
    did: str
    caller: str
    tidal_sdp: str  # rtpengine's SDP facing Tidal's side: what an agent's phone is offered
    agent_id: str | None = None  # whose phone the agent leg rings or talks on
    agent_answered: bool = False
    media: asyncio.Task[None] | None = None  # the prompts queued for the caller, in order

    @property
    def agent_leg(self) -> str:
        return self.call_id + AGENT_LEG


def parked(offer: str) -> str:
    """Tidal's side before an agent joins: the offer's own codecs (so rtpengine has
    nothing to transcode) at the discard port of this host."""
    lines = []
    for line in offer.splitlines():
        if line.startswith("m=audio "):
            parts = line.split(" ")
            parts[1] = "9"
            line = " ".join(parts)
        elif line.startswith("c=IN IP4 "):
            line = "c=IN IP4 127.0.0.1"
        elif line.startswith(("a=rtcp:", "a=ice-", "a=candidate", "a=fingerprint", "a=setup")):
            continue
        lines.append(line)
    return "\r\n".join(lines) + "\r\n"


def caller_number(user: str) -> str:
    """The caller's number as E.164 when it reads as one (a trunk's From user)."""
    try:
        return e164_of(user)
    except ValueError:
        return user


def announcement(position: int, estimated_wait: float) -> str:
    """What a queued caller hears: their place in line and, when known, the wait."""
    place = "You are next in line." if position <= 1 else f"You are number {position} in line."
    if estimated_wait <= 0 or estimated_wait != estimated_wait:  # none, or NaN: say nothing
        return place
    minutes = max(1, round(estimated_wait / 60))
    wait = "about one minute" if minutes == 1 else f"about {minutes} minutes"
    return f"{place} Your expected wait is {wait}."


class SipTelephony:
    """The SIP adapter: a B2BUA child process and rtpengine, both started here unless
    `telephony.external` says the system runs rtpengine."""

    def __init__(self, config: TelephonyConfig, home: Path) -> None:
        self.config = config
        self.dir = home / "telephony"
        self.socket_path = self.dir / "b2bua.sock"
        self._host: Host | None = None
        self._server: asyncio.AbstractServer | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._b2bua: asyncio.subprocess.Process | None = None
        self._rtpengine: RunningRtpEngine | None = None
        self._adopted_rtpengine: int | None = None  # left running by an earlier run
        self._adopted_b2bua: int | None = None
        self._stopping = False
        self.ng: NgClient | None = None
        self.calls: dict[str, _Call] = {}  # by SIP Call-ID
        self.by_contact: dict[int, str] = {}
        self.connected = asyncio.Event()
        self.prompts = Prompts(self.dir / "prompts", self.dir / "prompt-cache")
        self._tasks: set[asyncio.Task[None]] = set()

    # -- the telephony protocol --------------------------------------------------------

    def attach(self, host: Host) -> None:
        """Learn the runtime."""
        self._host = host

    def resume(self) -> None:
        """Calls of an earlier run are reconciled when the B2BUA says hello."""

    async def start(self) -> None:
        """rtpengine, then the control socket, then the B2BUA that connects to it."""
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        media = self.config.media
        low, high = media.rtp_ports
        ng_host, ng_port = split_host_port(media.ng)
        if self.config.external:
            self.ng = NgClient((ng_host, ng_port))
        elif not await self._adopt_rtpengine(ng_host, ng_port):
            settings = RtpEngineSettings(
                interface=ng_host,
                ng_port=ng_port,
                port_min=low,
                port_max=high,
                recording_dir=self.dir / "recordings",
            )
            self._rtpengine = await start_rtpengine(settings, self.dir / "rtpengine.log")
            remember(self.dir / RTPENGINE_PID, self._rtpengine.process.pid)
            self.ng = self._rtpengine.client
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()
        self._server = await asyncio.start_unix_server(self._serve, path=str(self.socket_path))
        os.chmod(self.socket_path, 0o600)
        if not await self._adopt_b2bua():
            await self._spawn_b2bua()
            await asyncio.wait_for(self.connected.wait(), HELLO_SECONDS)
        log.info("SIP on %s, media ports %d-%d", self.config.sip.listen, low, high)

    async def _adopt_rtpengine(self, host: str, port: int) -> bool:
        """An rtpengine an earlier run started and left running (calls and all)."""
        pid = running(self.dir / RTPENGINE_PID, "rtpengine")
        if pid is None:
            return False
        client = NgClient((host, port))
        try:
            await client.ping()
        except NgTimeout:
            client.close()
            await end_pid(pid, self.dir / RTPENGINE_PID)
            return False
        log.info("rtpengine (pid %d) of an earlier run carries on", pid)
        self.ng, self._adopted_rtpengine = client, pid
        return True

    async def _adopt_b2bua(self) -> bool:
        """A B2BUA an earlier run left running reconnects and says which calls it holds."""
        pid = running(self.dir / B2BUA_PID, "tidal.telephony.sip.b2bua")
        if pid is None:
            return False
        try:
            await asyncio.wait_for(self.connected.wait(), HELLO_SECONDS)
        except TimeoutError:
            log.warning("the B2BUA (pid %d) of an earlier run is silent: replaced", pid)
            await end_pid(pid, self.dir / B2BUA_PID)
            return False
        log.info("the B2BUA (pid %d) of an earlier run carries on", pid)
        self._adopted_b2bua = pid
        return True

    async def _spawn_b2bua(self) -> None:
        with (self.dir / "b2bua.log").open("ab") as sink:
            self._b2bua = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tidal.telephony.sip.b2bua",
                "--listen",
                self.config.sip.listen,
                "--control",
                str(self.socket_path),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=sink,
                stderr=sink,
                start_new_session=True,  # outlives a killed runtime: calls stay up
            )
        remember(self.dir / B2BUA_PID, self._b2bua.pid)

    def execute(self, command: Command | Dial, now: float) -> None:
        """Carry out what concerns a SIP dialog: ring, cancel and release legs."""
        call = self._call_of(getattr(command, "contact_id", None))
        if call is None:
            return
        if isinstance(command, OfferToAgent):
            self._ring_agent(call, command.agent_id)
        elif isinstance(command, Announce):
            self._queue_prompt(call, announcement(command.position, command.estimated_wait))
        elif isinstance(command, Play):
            self._queue_prompt(call, command.prompt)
        elif isinstance(command, WithdrawOffer):
            if call.agent_id == command.agent_id and not call.agent_answered:
                self._drop_agent_leg(call)
        elif isinstance(command, HangUp):
            self._drop_agent_leg(call)
            self._send({"type": "hangup", "call": call.call_id})
            self._forget(call.call_id)

    def _call_of(self, contact_id: object) -> _Call | None:
        if not isinstance(contact_id, int):
            return None
        call_id = self.by_contact.get(contact_id)
        return None if call_id is None else self.calls.get(call_id)

    def _ring_agent(self, call: _Call, agent_id: str) -> None:
        """Ring the agent's SIP phone with the caller's number and the contact id."""
        assert self._host is not None
        phone = self._host.agent_phone(agent_id)
        target = None if phone is None else sip_target(phone)
        if target is None:
            return  # the desktop (or a registered phone, next) takes it
        user, host, port = target
        log.info("contact %s rings agent %s at %s", call.contact_id, agent_id, phone)
        self._drop_agent_leg(call)  # an earlier agent's leg, if any, is over
        call.agent_id, call.agent_answered = agent_id, False
        self._send(
            {
                "type": "dial",
                "call": call.agent_leg,
                "host": host,
                "port": port,
                "user": user,
                "from_user": call.caller,
                "from_name": "",
                "sdp": call.tidal_sdp,
                "headers": {"X-Tidal-Contact": str(call.contact_id)},
                "meta": {"contact_id": call.contact_id, "agent_id": agent_id},
            }
        )

    def _queue_prompt(self, call: _Call, prompt: str) -> None:
        """Play `prompt` to the caller once the prompts before it have ended."""
        before = call.media

        async def play() -> None:
            if before is not None:
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await before
            if self.ng is None or call.agent_answered or call.call_id not in self.calls:
                return
            try:
                file = await self.prompts.file(prompt)
                repeat = HOLD_REPEATS if prompt == HOLD_MUSIC else None
                length = await self.ng.play_media(call.call_id, CALLER_TAG, str(file), repeat)
            except (PromptFailed, NgError) as error:
                log.warning("prompt %.60r to call %s: %s", prompt, call.call_id, error)
                return
            if repeat is None:
                await asyncio.sleep(length)  # rtpengine says nothing when a prompt ends

        call.media = self._spawn(play())

    async def _silence(self, call: _Call) -> None:
        """No more prompts: the agent is on the line."""
        if call.media is not None:
            call.media.cancel()
            call.media = None
        if self.ng is not None:
            with contextlib.suppress(NgError):
                await self.ng.stop_media(call.call_id, CALLER_TAG)

    def _drop_agent_leg(self, call: _Call) -> None:
        if call.agent_id is not None:
            self._send({"type": "hangup", "call": call.agent_leg})
            call.agent_id, call.agent_answered = None, False

    async def stop(self) -> None:
        """End the B2BUA and rtpengine (calls end with them) and close the socket."""
        self._stopping = True
        if self._b2bua is not None:
            await end_process(self._b2bua, B2BUA_STOP_SECONDS)
            (self.dir / B2BUA_PID).unlink(missing_ok=True)
        elif self._adopted_b2bua is not None:
            await end_pid(self._adopted_b2bua, self.dir / B2BUA_PID)
        if self._writer is not None:
            self._writer.close()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        if self._rtpengine is not None:
            await self._rtpengine.stop()
            (self.dir / RTPENGINE_PID).unlink(missing_ok=True)
        elif self.ng is not None:
            self.ng.close()
            if self._adopted_rtpengine is not None:
                await end_pid(self._adopted_rtpengine, self.dir / RTPENGINE_PID)

    # -- the control socket ---------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writer = writer
        try:
            while line := await reader.readline():
                try:
                    message = json.loads(line)
                except ValueError:
                    log.warning("the B2BUA sent a line that is not JSON: %.80r", line)
                    continue
                self._dispatch(message)
        finally:
            if self._writer is writer:
                self._writer = None
                self.connected.clear()
                if not self._stopping:
                    self._spawn(self._watch_b2bua())

    async def _watch_b2bua(self) -> None:
        """The B2BUA went quiet: it reconnects by itself, or it died and is replaced (its
        calls died with it: the new one's hello ends them in the center)."""
        await asyncio.sleep(RECONNECT_GRACE_SECONDS)
        if self._stopping or self._writer is not None:
            return
        child = self._b2bua
        dead = (
            child.returncode is not None
            if child is not None
            else (running(self.dir / B2BUA_PID, "tidal.telephony.sip.b2bua") is None)
        )
        if not dead:
            return
        log.warning("the B2BUA died: its calls are over; starting another")
        if child is not None:
            await child.wait()
        self._b2bua, self._adopted_b2bua = None, None
        await self._spawn_b2bua()

    def _send(self, message: Mapping[str, Any]) -> None:
        if self._writer is None:
            log.warning(
                "the B2BUA is not connected: %s for %s dropped",
                message["type"],
                message.get("call"),
            )
            return
        self._writer.write((json.dumps(message, separators=(",", ":")) + "\n").encode())

    def _spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Run `work` on the loop, held until done (a task nobody holds may be collected)."""
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _reconcile(self, dialogs: list[dict[str, Any]]) -> None:
        """The B2BUA's dialogs against the center's contacts, after a restart of either.

        A dialog whose contact the center holds is taken up again (what the adapter knew
        of it comes back in its `meta`); one whose contact is gone is hung up; a contact
        no dialog holds lost its call while nobody watched: it ends (abandoned if it was
        waiting or ringing, ended if it was talking), so every call ends in a record.
        """
        if self._host is None:
            return
        contacts = self._host.center.contacts
        held = {str(d.get("call")): d for d in dialogs}
        for leg in [leg for leg in self.calls if leg not in held]:
            log.info("call %s is no longer held by the B2BUA: it ended", leg)
            self._ended(leg)  # a B2BUA that died took it along
        for call in list(self.calls.values()):
            if call.agent_id is not None and call.agent_leg not in held:
                self._agent_ended(call.call_id, None)
        for leg, dialog in held.items():
            meta = dialog.get("meta") or {}
            if leg.endswith(AGENT_LEG) or leg in self.calls:
                continue
            contact_id = meta.get("contact_id")
            if not isinstance(contact_id, int) or contact_id not in contacts:
                self._send({"type": "hangup", "call": leg})
                continue
            self.calls[leg] = _Call(
                leg,
                contact_id,
                str(meta.get("trunk", "")),
                str(meta.get("did", "")),
                str(meta.get("caller", "")),
                str(meta.get("tidal_sdp", "")),
            )
            self.by_contact[contact_id] = leg
            log.info("call %s of contact %s carries on after a restart", leg, contact_id)
        for leg, dialog in held.items():
            if not leg.endswith(AGENT_LEG):
                continue
            owner = self.calls.get(leg[: -len(AGENT_LEG)])
            agent_id = (dialog.get("meta") or {}).get("agent_id")
            if owner is None or not isinstance(agent_id, str):
                self._send({"type": "hangup", "call": leg})
                continue
            owner.agent_id, owner.agent_answered = agent_id, bool(dialog.get("connected"))
        for contact in list(contacts.values()):
            if contact.contact_id in self.by_contact:
                continue
            if contact.state is ContactState.QUEUED and contact.callback_number is not None:
                continue  # a callback keeps its place with nobody on the line
            if contact.state in (ContactState.QUEUED, ContactState.OFFERED):
                log.info("contact %s lost its call while down: abandoned", contact.contact_id)
                self._host.try_submit(CallerAbandoned(contact.contact_id))
            elif contact.state is ContactState.CONNECTED:
                log.info("contact %s lost its call while down: ended", contact.contact_id)
                self._host.try_submit(CallEnded(contact.contact_id))

    def _reject(self, call_id: str, code: int, reason: str) -> None:
        self._send({"type": "reject", "call": call_id, "code": code, "reason": reason})

    def _dispatch(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "hello":
            self._reconcile(message.get("dialogs") or [])
            self.connected.set()
        elif kind == "invite":
            self._spawn(self._invite(message))
        elif kind == "ended":
            leg = str(message.get("call"))
            if leg.endswith(AGENT_LEG):
                self._agent_ended(leg[: -len(AGENT_LEG)], message.get("code"))
            else:
                self._ended(leg)
        elif kind == "answered":
            leg = str(message.get("call"))
            if leg.endswith(AGENT_LEG):
                self._spawn(self._agent_answered(leg[: -len(AGENT_LEG)], str(message["sdp"])))

    # -- calls ------------------------------------------------------------------------------

    async def _invite(self, invite: dict[str, Any]) -> None:
        call_id = str(invite["call"])
        host, port = invite["source"]
        trunk = self.config.trunk_at(str(host), int(port))
        if trunk is None:
            log.info("INVITE %s from %s:%s, which is no trunk: 403", call_id, host, port)
            self._reject(call_id, 403, "Forbidden")
            return
        route = self.config.route_of(str(invite.get("to_user", "")))
        if route is None:
            self._reject(call_id, 404, "Not Found")
            return
        if route.queue is None:
            log.warning(
                "number %s goes to flow %r: flows over SIP are not built yet",
                route.number,
                route.flow,
            )
            self._send(
                {"type": "reject", "call": call_id, "code": 503, "reason": "Service Unavailable"}
            )
            return
        assert self.ng is not None and self._host is not None
        try:
            offered = await self.ng.offer(
                call_id, CALLER_TAG, str(invite.get("sdp", "")), OFFER_FLAGS
            )
            answered = await self.ng.answer(
                call_id, CALLER_TAG, TIDAL_TAG, parked(offered.sdp), OFFER_FLAGS
            )
        except NgError as error:
            log.warning("rtpengine refused call %s: %s", call_id, error)
            self._send(
                {"type": "reject", "call": call_id, "code": 488, "reason": "Not Acceptable Here"}
            )
            return
        contact_id = self._host.new_contact_id()
        caller = caller_number(str(invite.get("from_user", "")))
        # Known before the core hears of it: its answer may already ring an agent's phone.
        self.calls[call_id] = _Call(
            call_id, contact_id, trunk.name, route.number, caller, offered.sdp
        )
        self.by_contact[contact_id] = call_id
        arrived = ContactArrived(
            contact_id, route.queue, caller, trunk=trunk.name, did=route.number
        )
        if self._host.try_submit(arrived) is None:
            self._reject(call_id, 480, "Temporarily Unavailable")
            self._forget(call_id)
            return
        meta = {
            "contact_id": contact_id,
            "trunk": trunk.name,
            "did": route.number,
            "caller": caller,
            "tidal_sdp": offered.sdp,
        }
        self._send({"type": "answer", "call": call_id, "sdp": answered.sdp, "meta": meta})

    async def _agent_answered(self, call_id: str, sdp: str) -> None:
        """The agent's phone answered: its media takes Tidal's side, then the core hears."""
        call = self.calls.get(call_id)
        if call is None or call.agent_id is None or self.ng is None or self._host is None:
            self._send({"type": "hangup", "call": call_id + AGENT_LEG})
            return
        call.agent_answered = True  # no prompt starts from now on
        await self._silence(call)
        try:
            await self.ng.answer(call_id, CALLER_TAG, TIDAL_TAG, sdp, OFFER_FLAGS)
        except NgError as error:
            log.warning(
                "rtpengine refused agent %s's media on %s: %s", call.agent_id, call_id, error
            )
            self._drop_agent_leg(call)
            return
        if self._host.try_submit(OfferAccepted(call.contact_id, call.agent_id)) is None:
            self._drop_agent_leg(call)  # the offer was withdrawn meanwhile

    def _agent_ended(self, call_id: str, code: object) -> None:
        """The agent's phone refused, failed or hung up."""
        call = self.calls.get(call_id)
        if call is None or call.agent_id is None or self._host is None:
            return
        agent_id, answered = call.agent_id, call.agent_answered
        call.agent_id, call.agent_answered = None, False
        contact = self._host.center.contacts.get(call.contact_id)
        if contact is None:
            return
        if not answered and contact.state is ContactState.OFFERED and contact.agent_id == agent_id:
            log.info("agent %s's phone refused contact %s (%s)", agent_id, call.contact_id, code)
            self._host.try_submit(OfferDeclined(call.contact_id, agent_id))
        elif answered and contact.state is ContactState.CONNECTED:
            self._host.try_submit(CallEnded(call.contact_id))
            self._send({"type": "hangup", "call": call_id})
            self._forget(call_id)

    def _ended(self, call_id: str) -> None:
        """The far side hung up (or the dialog failed): tell the core what that means."""
        call = self.calls.get(call_id)
        if call is None or self._host is None:
            return
        self._drop_agent_leg(call)
        self._forget(call_id)
        contact = self._host.center.contacts.get(call.contact_id)
        if contact is None:
            return
        if contact.state in (ContactState.QUEUED, ContactState.OFFERED):
            self._host.try_submit(CallerAbandoned(call.contact_id))
        elif contact.state is ContactState.CONNECTED:
            self._host.try_submit(CallEnded(call.contact_id))

    def _forget(self, call_id: str) -> None:
        call = self.calls.pop(call_id, None)
        if call is not None:
            self.by_contact.pop(call.contact_id, None)
            if call.media is not None:
                call.media.cancel()
        if self.ng is not None:
            self._spawn(self._delete(self.ng, call_id))

    @staticmethod
    async def _delete(ng: NgClient, call_id: str) -> None:
        try:
            await ng.delete(call_id)
        except NgError as error:
            log.warning("rtpengine could not end the media of %s: %s", call_id, error)
