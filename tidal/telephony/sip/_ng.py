"""A client of rtpengine's NG control protocol: bencoded dictionaries over UDP.

Each request is `COOKIE SPACE BENCODE`; the reply carries the same cookie. rtpengine
keeps recent cookies and answers a repeated one from its cache instead of acting twice,
so a lost datagram is simply sent again with the same cookie: retries are safe for every
command, `offer` included. The B2BUA runs one client per rtpengine.
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import bencodepy  # type: ignore[import-untyped]

DEFAULT_TIMEOUT: Final = 0.5  # seconds before a datagram is sent again
DEFAULT_ATTEMPTS: Final = 4


class NgError(Exception):
    """rtpengine answered `result: error` (its `error-reason` is the message)."""


class NgTimeout(NgError):
    """rtpengine did not answer (not running, or not listening at that address)."""


@dataclass(frozen=True, slots=True)
class Offered:
    """What `offer`/`answer` give back: the rewritten SDP to pass on."""

    sdp: str
    warning: str | None = None


def _text(value: Any) -> Any:
    """Bencode holds byte strings: answer str (UTF-8) throughout, as JSON would."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, list):
        return [_text(item) for item in value]
    if isinstance(value, dict):
        return {_text(key): _text(item) for key, item in value.items()}
    return value


def encode(cookie: str, message: Mapping[str, Any]) -> bytes:
    """One request datagram."""
    encoded: bytes = bencodepy.encode(dict(message))
    return cookie.encode("ascii") + b" " + encoded


def decode(datagram: bytes) -> tuple[str, dict[str, Any]]:
    """(cookie, reply) of one answer datagram; ValueError when it is not one."""
    cookie, space, body = datagram.partition(b" ")
    if not space or not cookie:
        raise ValueError("an NG reply is 'COOKIE DICTIONARY'")
    try:
        reply = bencodepy.decode(body)
    except bencodepy.BencodeDecodeError as error:
        raise ValueError(f"an NG reply that is not bencode: {error}") from None
    if not isinstance(reply, dict):
        raise ValueError("an NG reply must be a dictionary")
    return cookie.decode("ascii", errors="replace"), _text(reply)


class _Replies(asyncio.DatagramProtocol):
    """Hands each reply to the request waiting for its cookie."""

    def __init__(self) -> None:
        self.waiting: dict[str, asyncio.Future[dict[str, Any]]] = {}

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        try:
            cookie, reply = decode(data)
        except ValueError:
            return  # not ours to answer: a stray datagram
        future = self.waiting.get(cookie)
        if future is not None and not future.done():
            future.set_result(reply)

    def error_received(self, exc: Exception) -> None:
        """ICMP port unreachable and the like: the retry loop reports the timeout."""


class NgClient:
    """Commands to one rtpengine; `await client.command("offer", ...)`."""

    def __init__(
        self,
        address: tuple[str, int],
        *,
        timeout: float = DEFAULT_TIMEOUT,
        attempts: int = DEFAULT_ATTEMPTS,
    ) -> None:
        self.address = address
        self.timeout = timeout
        self.attempts = attempts
        self._prefix = secrets.token_hex(4)  # cookies of an earlier run are not ours
        self._serial = itertools.count(1)
        self._transport: asyncio.DatagramTransport | None = None
        self._replies = _Replies()

    async def open(self) -> None:
        """Bind the local socket (once)."""
        if self._transport is None:
            loop = asyncio.get_running_loop()
            self._transport, _ = await loop.create_datagram_endpoint(
                lambda: self._replies, remote_addr=self.address
            )

    def close(self) -> None:
        """Release the socket; waiting requests fail with NgTimeout."""
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    async def command(self, name: str, **fields: Any) -> dict[str, Any]:
        """Send a command and answer rtpengine's reply (NgError on `result: error`).

        Field names take `_` for rtpengine's `-` (`call_id` is sent as `call-id`).
        """
        await self.open()
        assert self._transport is not None
        message = {"command": name} | {
            key.replace("_", "-"): value for key, value in fields.items() if value is not None
        }
        cookie = f"{self._prefix}_{next(self._serial)}"
        datagram = encode(cookie, message)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._replies.waiting[cookie] = future
        try:
            for _ in range(self.attempts):
                self._transport.sendto(datagram)
                try:
                    reply = await asyncio.wait_for(asyncio.shield(future), self.timeout)
                except TimeoutError:
                    continue
                break
            else:
                host, port = self.address
                raise NgTimeout(f"rtpengine at {host}:{port} did not answer {name!r}")
        finally:
            self._replies.waiting.pop(cookie, None)
        if reply.get("result") == "error":
            raise NgError(f"{name}: {reply.get('error-reason', 'error')}")
        return reply

    # -- the commands the B2BUA uses --------------------------------------------------

    async def ping(self) -> bool:
        """True when rtpengine answers `pong`."""
        return (await self.command("ping")).get("result") == "pong"

    async def offer(
        self, call_id: str, from_tag: str, sdp: str, flags: Sequence[str] = ()
    ) -> Offered:
        """The first leg's SDP in; the SDP to send the other side out."""
        return await self._negotiate("offer", call_id, from_tag, None, sdp, flags)

    async def answer(
        self, call_id: str, from_tag: str, to_tag: str, sdp: str, flags: Sequence[str] = ()
    ) -> Offered:
        """The answering leg's SDP in; the SDP to send the offerer out."""
        return await self._negotiate("answer", call_id, from_tag, to_tag, sdp, flags)

    async def _negotiate(
        self,
        name: str,
        call_id: str,
        from_tag: str,
        to_tag: str | None,
        sdp: str,
        flags: Sequence[str],
    ) -> Offered:
        reply = await self.command(
            name,
            call_id=call_id,
            from_tag=from_tag,
            to_tag=to_tag,
            sdp=sdp,
            flags=list(flags) or None,
            replace=["origin", "session connection"],
        )
        return Offered(reply["sdp"], reply.get("warning"))

    async def delete(self, call_id: str, from_tag: str | None = None) -> bool:
        """End the media of a call (or of one leg); False when rtpengine had none."""
        # delete-delay 0: the ports are free at once (rtpengine's default keeps them 30 s)
        reply = await self.command("delete", call_id=call_id, from_tag=from_tag, delete_delay=0)
        return "warning" not in reply

    async def query(self, call_id: str) -> dict[str, Any]:
        """rtpengine's view of a call: its tags, their streams and packet totals."""
        return await self.command("query", call_id=call_id)

    async def play_media(
        self, call_id: str, from_tag: str, file: str, repeat_times: int | None = None
    ) -> float:
        """Play a file to the leg `from_tag` (`repeat_times` over); answers one play's
        length in seconds. rtpengine sends no event when it is done: whoever plays the
        next prompt waits that long."""
        reply = await self.command(
            "play media", call_id=call_id, from_tag=from_tag, file=file, repeat_times=repeat_times
        )
        return int(reply.get("duration", 0)) / 1000

    async def stop_media(self, call_id: str, from_tag: str) -> None:
        """Stop what `play_media` plays to that leg."""
        await self.command("stop media", call_id=call_id, from_tag=from_tag)

    async def play_dtmf(
        self, call_id: str, from_tag: str, digit: str, duration_ms: int = 100
    ) -> None:
        """Send a DTMF digit (RFC 4733 event) towards the leg `from_tag`."""
        await self.command(
            "play DTMF", call_id=call_id, from_tag=from_tag, code=digit, duration=duration_ms
        )

    async def start_recording(self, call_id: str) -> None:
        """Record the call's media (the daemon's `--recording-method` decides how)."""
        await self.command("start recording", call_id=call_id)

    async def stop_recording(self, call_id: str) -> None:
        """Stop recording the call."""
        await self.command("stop recording", call_id=call_id)
