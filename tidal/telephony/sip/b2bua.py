"""Tidal's B2BUA process: SIP dialogs on sippy, every decision asked of the center.

Run as `python -m tidal.telephony.sip.b2bua --listen HOST:PORT --control SOCKET`. It
holds the SIP side of each call (transactions, retransmissions, dialog state) and
nothing else: what to answer, reject or hang up comes over the control socket from the
live runtime, which also drives rtpengine. A call that is up stays up when the runtime
goes away (media flows through rtpengine, not through either process); the B2BUA
reconnects and tells the runtime which dialogs it still holds.

sippy runs its own event loop (`ED2`) in the main thread; a reader thread turns control
messages into `ED2.callFromThread` calls, so sippy's objects are only touched on its
loop. The control protocol is one JSON object a line (docs/telephony.md):

- to the runtime: `hello {dialogs: [{call, meta, connected}]}`, `invite {call, source,
  from_user, from_name, to_user, sdp}`, `ringing {call}`, `answered {call, sdp}`,
  `ended {call, by, code}`;
- from the runtime: `ring {call}`, `answer {call, sdp}`, `reject {call, code, reason}`,
  `hangup {call}`, `dial {call, host, port, user, from_user, from_name, sdp, headers}`
  (a new outgoing leg, e.g. to an agent's phone; `call` is the runtime's name for it).
  `answer` and `dial` may carry `meta`, which the B2BUA keeps with the dialog and gives
  back in `hello`: a restarted runtime learns from it which contact each call is.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import threading
import time
from collections.abc import Callable
from typing import Any, Final

# sippy is untyped; its names are used only in this module.
from sippy.CCEvents import (  # type: ignore[import-untyped]
    CCEventConnect,
    CCEventDisconnect,
    CCEventFail,
    CCEventRing,
    CCEventTry,
)
from sippy.Core.EventDispatcher import ED2  # type: ignore[import-untyped]
from sippy.MsgBody import MsgBody  # type: ignore[import-untyped]
from sippy.SipConf import SipConf  # type: ignore[import-untyped]
from sippy.SipHeader import SipHeader  # type: ignore[import-untyped]
from sippy.SipLogger import SipLogger  # type: ignore[import-untyped]
from sippy.SipTransactionManager import SipTransactionManager  # type: ignore[import-untyped]
from sippy.UA import UA  # type: ignore[import-untyped]

USER_AGENT: Final = "Tidal"
RECONNECT_SECONDS: Final = 0.2
ANSWER_WAIT_SECONDS: Final = 10.0  # an INVITE the runtime never decides on gets a 503


class Control:
    """The control socket: JSON lines to and from the runtime, reconnected when lost."""

    def __init__(self, path: str, on_message: Callable[[dict[str, Any]], None]) -> None:
        self.path = path
        self.on_message = on_message
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self.on_connect: Callable[[], None] = lambda: None

    def send(self, message: dict[str, Any]) -> bool:
        """Send a message; False when the runtime is not connected (the caller decides)."""
        data = (json.dumps(message, separators=(",", ":")) + "\n").encode()
        with self._lock:
            if self._sock is None:
                return False
            try:
                self._sock.sendall(data)
            except OSError:
                self._sock = None
                return False
        return True

    def run(self) -> None:
        """Connect, read lines, hand each to the sippy loop; reconnect forever."""
        while True:
            try:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.connect(self.path)
            except OSError:
                time.sleep(RECONNECT_SECONDS)
                continue
            with self._lock:
                self._sock = sock
            ED2.callFromThread(self.on_connect)
            buffered = b""
            while True:
                try:
                    chunk = sock.recv(65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    break
                buffered += chunk
                *lines, buffered = buffered.split(b"\n")
                for line in lines:
                    if line.strip():
                        try:
                            message = json.loads(line)
                        except ValueError:
                            continue  # the runtime writes JSON; a torn line is dropped
                        ED2.callFromThread(self.on_message, message)
            with self._lock:
                self._sock = None
            sock.close()


class B2bua:
    """The dialogs, by SIP Call-ID, and what the runtime says to do with them."""

    def __init__(self, config: dict[str, Any], control_path: str) -> None:
        self.config = config
        self.calls: dict[str, Any] = {}  # Call-ID (or the runtime's leg name) -> sippy UA
        self.meta: dict[str, Any] = {}  # what the runtime asked to keep with each dialog
        self.control = Control(control_path, self.on_control)
        self.control.on_connect = self.on_connect

    # -- SIP in ---------------------------------------------------------------------

    def recv_request(self, req: Any, sip_t: Any) -> Any:
        """A request outside any dialog: a new INVITE is a call, the rest is refused."""
        if req.getHFBody("to").getTag() is not None:
            return (req.genResponse(481, "Call Leg/Transaction Does Not Exist"), None, None)
        method = req.getMethod()
        if method == "INVITE":
            call_id = str(req.getHFBody("call-id"))
            source = req.getSource()
            ua = UA(self.config, self._event_for(call_id, source, req))
            self.calls[call_id] = ua
            return ua.recvRequest(req, sip_t)
        if method == "OPTIONS":
            return (req.genResponse(200, "OK"), None, None)
        if method == "REGISTER":  # phones register with the registrar in front, not here
            return (req.genResponse(403, "Forbidden (no registrar here)"), None, None)
        return (req.genResponse(501, "Not Implemented"), None, None)

    def _event_for(self, call_id: str, source: tuple[str, int], req: Any) -> Callable[..., None]:
        ruri_user = req.getRURI().username or ""
        from_address = req.getHFBody("from").getUri()
        from_name = from_address.name or ""

        def on_event(event: Any, ua: Any) -> None:
            if isinstance(event, CCEventTry):
                _, cli, cld, body, _, _ = event.getData()
                invite = {
                    "type": "invite",
                    "call": call_id,
                    "source": list(source),
                    "from_user": cli or "",
                    "from_name": from_name,
                    "to_user": cld or ruri_user,
                    "sdp": "" if body is None else str(body),
                }
                if not self.control.send(invite):
                    ua.recvEvent(CCEventFail((503, "Service Unavailable")))
                    self.calls.pop(call_id, None)
                    return
                ED2.regTimer(lambda: self._undecided(call_id), ANSWER_WAIT_SECONDS).go()
            elif (
                isinstance(event, CCEventDisconnect | CCEventFail)
                and self.calls.pop(call_id, None) is not None
            ):
                self.control.send({"type": "ended", "call": call_id, "by": "remote"})

        return on_event

    def _undecided(self, call_id: str) -> None:
        ua = self.calls.get(call_id)
        if (
            ua is not None
            and ua.state is not None
            and ua.state.sname in ("Trying(UAS)", "Ringing(UAS)")
        ):
            ua.recvEvent(CCEventFail((503, "Service Unavailable")))
            self.calls.pop(call_id, None)
            self.control.send({"type": "ended", "call": call_id, "by": "timeout", "code": 503})

    # -- the runtime's word -----------------------------------------------------------

    def on_connect(self) -> None:
        """Tell a (re)connected runtime which dialogs are still held."""
        for gone in set(self.meta) - set(self.calls):
            del self.meta[gone]
        dialogs = [
            {
                "call": call,
                "meta": self.meta.get(call),
                "connected": getattr(ua.state, "sname", "") == "Connected",
            }
            for call, ua in sorted(self.calls.items())
        ]
        self.control.send({"type": "hello", "dialogs": dialogs})

    def on_control(self, message: dict[str, Any]) -> None:
        """Carry out one control message on sippy's loop."""
        kind = message.get("type")
        if kind == "dial":
            self.dial(message)
            return
        ua = self.calls.get(str(message.get("call")))
        if ua is None:
            return  # the call ended meanwhile; its `ended` is on its way
        _lower_transport(ua)
        if kind == "ring":
            ua.recvEvent(CCEventRing((180, "Ringing", None)))
        elif kind == "answer":
            if message.get("meta") is not None:
                self.meta[str(message["call"])] = message["meta"]
            ua.recvEvent(CCEventConnect((200, "OK", MsgBody(str(message["sdp"])))))
        elif kind == "reject":
            code = int(message.get("code", 486))
            ua.recvEvent(CCEventFail((code, str(message.get("reason", "Rejected")))))
            self.calls.pop(str(message["call"]), None)
        elif kind == "hangup":
            ua.recvEvent(CCEventDisconnect())
            self.calls.pop(str(message["call"]), None)

    def dial(self, message: dict[str, Any]) -> None:
        """Place an outgoing leg; its progress goes back as ringing/answered/ended."""
        leg = str(message["call"])
        ua = UA(
            self.config,
            self._outgoing_event(leg),
            nh_address=(str(message["host"]), int(message["port"])),
        )
        self.calls[leg] = ua
        if message.get("meta") is not None:
            self.meta[leg] = message["meta"]
        body = MsgBody(str(message["sdp"]))
        event = CCEventTry(
            (
                None,
                str(message["from_user"]),
                str(message["user"]),
                body,
                None,
                str(message.get("from_name", "")),
            )
        )
        headers = message.get("headers") or {}
        event.extra_headers = tuple(
            SipHeader(name=str(name), bodys=str(value)) for name, value in headers.items()
        )
        ua.recvEvent(event)

    def _outgoing_event(self, leg: str) -> Callable[..., None]:
        def on_event(event: Any, ua: Any) -> None:
            if isinstance(event, CCEventRing):
                self.control.send({"type": "ringing", "call": leg})
            elif isinstance(event, CCEventConnect):
                code, _, body = event.getData()
                sdp = "" if body is None else str(body)
                self.control.send({"type": "answered", "call": leg, "sdp": sdp})
            elif isinstance(event, CCEventFail | CCEventDisconnect):
                data = event.getData() if isinstance(event, CCEventFail) else None
                code = data[0] if data else None
                if self.calls.pop(leg, None) is not None:
                    self.control.send({"type": "ended", "call": leg, "by": "remote", "code": code})

        return on_event


def _lower_transport(ua: Any) -> None:
    """`transport=UDP` in a Contact is legal (the parameter is case-insensitive, RFC 3261
    19.1.1) but sippy only knows `udp`: without this its next request raises."""
    target = getattr(ua, "rTarget", None)
    transport = getattr(target, "transport", None)
    if target is not None and isinstance(transport, str):
        target.transport = transport.lower()
    for name in ("rAddr", "rAddr0"):  # (address, transport) the next request goes to
        address = getattr(ua, name, None)
        if isinstance(address, tuple) and len(address) == 2 and isinstance(address[1], str):
            setattr(ua, name, (address[0], address[1].lower()))


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not HOST:PORT")
    return host, int(port)


def main(argv: list[str] | None = None) -> None:
    """Serve SIP on `--listen` until killed, asking the runtime at `--control`."""
    parser = argparse.ArgumentParser(prog="tidal-b2bua", description=__doc__.splitlines()[0])
    parser.add_argument("--listen", type=_address, required=True, help="HOST:PORT for SIP (UDP)")
    parser.add_argument("--control", required=True, help="the runtime's Unix socket")
    args = parser.parse_args(argv)
    os.environ.setdefault("SIPLOG_LVL", "WARN")  # message dumps only when asked for
    SipConf.my_uaname = USER_AGENT
    host, port = args.listen
    config: dict[str, Any] = {
        "_sip_address": host,
        "_sip_port": port,
        "_sip_logger": SipLogger("tidal-b2bua"),
    }
    b2bua = B2bua(config, args.control)
    config["_sip_tm"] = SipTransactionManager(config, b2bua.recv_request)
    threading.Thread(target=b2bua.control.run, name="control", daemon=True).start()
    ED2.loop()


if __name__ == "__main__":
    main()
