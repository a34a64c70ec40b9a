"""`WS /api/v1/stream?token=`: the runtime's stream messages, filtered by role.

Admins and supervisors receive everything. An agent receives `agent`, `offer`, `preview`,
`offer_cancelled`, `interaction` and `callbacks` messages about themself only, and `tick`
messages reduced to `at` and the queues they serve; nothing else.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import time
from collections.abc import Iterable
from typing import Any

import anyio
import anyio.to_thread
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.websockets import WebSocketState

from tidal.api._auth import Access, Principal
from tidal.api._runtime import Message, MessageFilter, Runtime, Subscription
from tidal.api._views import field
from tidal.api.const import API_PREFIX, WS_POLICY_VIOLATION

router = APIRouter(tags=["stream"])

AGENT_OWN_TYPES = frozenset(
    {"agent", "offer", "offer_cancelled", "interaction", "preview", "callbacks"}
)


def served_queues(runtime: Runtime, agent_id: str | None) -> frozenset[str]:
    """Queues whose contacts the agent may take, by their profile's group and skills."""
    if agent_id is None:
        return frozenset()
    profile = runtime.store.agents.get(agent_id)
    if profile is None:
        return frozenset()
    return frozenset(
        name
        for name, queue in runtime.center.queues.items()
        if queue.spec.entry_lane(profile.group, profile.skills) is not None
    )


def message_filter(principal: Principal, served: Iterable[str]) -> MessageFilter:
    """What this principal may see of a message (None: nothing). Applying it twice is safe."""
    if principal.supervises:
        return lambda message: message
    agent_id = principal.agent_id
    queues = frozenset(served)

    def own(message: Message) -> Message | None:
        kind = message.get("type")
        if kind in AGENT_OWN_TYPES:
            return message if agent_id is not None and message.get("agent_id") == agent_id else None
        if kind == "tick":
            cached = _reduced_ticks.get(queues)
            if cached is not None and (cached[0] is message or cached[1] is message):
                return cached[1]  # every agent serving these queues shares one copy
            served_views = [q for q in message.get("queues", ()) if field(q, "name") in queues]
            reduced = {"type": "tick", "at": message.get("at"), "queues": served_views}
            _reduced_ticks[queues] = (message, reduced)
            return reduced
        return None

    return own


# The newest tick reduced for each set of served queues: with a thousand desktops
# connected, a tick is reduced (and encoded) once per set of queues, not per desktop.
_reduced_ticks: dict[frozenset[str], tuple[Message, Message]] = {}
# Recently sent messages and their JSON text, so a message going to many screens is
# encoded once; the message is kept with its text so that its id is not reused.
_encoded: dict[int, tuple[Message, str]] = {}
_ENCODED_KEEP = 256


def encode(message: Message) -> str:
    """The message as compact JSON text, encoded once however many screens receive it."""
    key = id(message)
    hit = _encoded.get(key)
    if hit is not None and hit[0] is message:
        return hit[1]
    text = json.dumps(message, separators=(",", ":"), ensure_ascii=False)
    _encoded[key] = (message, text)
    if len(_encoded) > _ENCODED_KEEP:
        del _encoded[next(iter(_encoded))]
    return text


async def _close(subscription: Subscription) -> None:
    """End a subscription however the bus lets one end it."""
    for name in ("aclose", "close", "unsubscribe"):
        method: Any = getattr(subscription, name, None)
        if callable(method):
            result = method()
            if inspect.isawaitable(result):
                await result
            return


async def _forward(websocket: WebSocket, subscription: Subscription, only: MessageFilter) -> None:
    """Send every message this principal may see until the bus or the client stops."""
    with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
        async for message in subscription:
            allowed = only(message)
            if allowed is not None:
                await websocket.send_text(encode(allowed))


async def _until_disconnect(websocket: WebSocket) -> None:
    """Read (and ignore) what the client sends until it goes away."""
    with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
        while True:
            await websocket.receive_text()


async def _until_revoked(access: Access, token: str, user_id: int) -> None:
    """Return once the token no longer admits its user (disabled, deleted, signed out, expired).

    Woken at once by a change made through this server, within a poll of the revocation
    watcher for one made elsewhere (the CLI, another node), and when the token expires.
    """
    with access.watching(user_id) as changed:
        while True:
            claims = access.issuer.claims(token)
            if claims is None:
                return
            with anyio.move_on_after(max(0.0, claims.expires_at - time.time())):
                await changed.wait()
            changed.clear()
            if await anyio.to_thread.run_sync(access.principal, token) is None:
                return


@router.websocket(f"{API_PREFIX}/stream")
async def stream(websocket: WebSocket, token: str | None = None) -> None:
    """Authenticate the token, then forward the bus's messages this principal may see.

    The stream is closed (1008) as soon as the token stops admitting its user.
    """
    state = websocket.app.state
    runtime: Runtime = state.runtime
    access: Access = state.access
    principal = None if not token else await anyio.to_thread.run_sync(access.principal, token)
    await websocket.accept()
    if principal is None:
        await websocket.close(code=WS_POLICY_VIOLATION, reason="invalid or expired token")
        return
    only = message_filter(principal, served_queues(runtime, principal.agent_id))
    # An agent's subscription gets only their own messages and everyone's from the bus.
    mine = None if principal.supervises else principal.agent_id
    subscription = runtime.bus.subscribe(only, agent_id=mine)
    revoked = False
    try:
        async with anyio.create_task_group() as group:

            async def guard() -> None:
                nonlocal revoked
                assert token is not None and principal is not None
                await _until_revoked(access, token, principal.user_id)
                revoked = True
                group.cancel_scope.cancel()

            async def forward() -> None:
                await _forward(websocket, subscription, only)
                group.cancel_scope.cancel()

            async def watch() -> None:
                await _until_disconnect(websocket)
                group.cancel_scope.cancel()

            group.start_soon(forward)
            group.start_soon(watch)
            group.start_soon(guard)
    finally:
        await _close(subscription)
    if websocket.application_state is WebSocketState.CONNECTED:
        # The browser may be gone already (a closed tab): nothing to tell it, nothing to log.
        with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
            if revoked:
                await websocket.close(code=WS_POLICY_VIOLATION, reason="signed out")
            else:
                await websocket.close()
