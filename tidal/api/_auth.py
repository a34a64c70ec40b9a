"""Sign-in and roles: signed bearer tokens, the signed-in principal, role checks.

Tokens are HS256 JWTs signed with a secret kept in `$TIDAL_HOME/secret.key` (mode
0600, created once). A token names the user by id and carries their token generation;
every request checks both against the user as the store has them (through a cache that
a change drops), so a deleted or disabled user, a changed role or a sign-out everywhere
takes effect at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import anyio
import anyio.to_thread
import jwt
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer

from tidal.api.const import (
    ACCESS_CACHE_SECONDS,
    ACTOR_PREFIX,
    SECRET_BYTES,
    SECRET_FILENAME,
    STREAM_ACCESS_CHECK_SECONDS,
    TOKEN_ALGORITHM,
    TOKEN_CLOCK_LEEWAY_SECONDS,
    TOKEN_LIFETIME_SECONDS,
    TOKEN_MAX_LIFETIME_SECONDS,
    TOKEN_URL,
)
from tidal.config import open_private, private_dir, tighten_file
from tidal.store import Role, Store, User

oauth2_scheme = OAuth2PasswordBearer(tokenUrl=TOKEN_URL)
logger = logging.getLogger(__name__)


def load_secret(home: Path) -> bytes:
    """The signing secret under `home`, created (mode 0600) on first use."""
    path = private_dir(home) / SECRET_FILENAME
    try:
        handle = open_private(path, "xb")
    except FileExistsError:
        tighten_file(path)
        secret = path.read_bytes()
        if len(secret) < SECRET_BYTES:
            raise ValueError(f"{path}: the secret is shorter than {SECRET_BYTES} bytes") from None
        return secret
    secret = secrets.token_hex(SECRET_BYTES).encode("ascii")
    with handle:
        handle.write(secret)
        handle.flush()
        os.fsync(handle.fileno())
    return secret


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the user, their role, and the agent they sign in as (if any)."""

    user_id: int
    name: str
    role: Role
    agent_id: str | None

    @property
    def supervises(self) -> bool:
        """Admins and supervisors see every agent, contact and record."""
        return self.role in (Role.ADMIN, Role.SUPERVISOR)

    @property
    def actor(self) -> str:
        """How audit entries name this user."""
        return f"{ACTOR_PREFIX}{self.name}"


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """What a valid token says: whose it is, of which generation, and until when it holds."""

    user_id: int
    generation: int
    issued_at: float
    expires_at: float


class TokenIssuer:
    """Signs and checks bearer tokens with one secret.

    A token names the user by id (a rename keeps it valid) and carries the user's token
    generation: bumping it (disable, new password, sign out everywhere) revokes every
    token issued before. Whatever `exp` a token claims, it expires `max_lifetime`
    seconds after it was issued.
    """

    def __init__(
        self,
        secret: bytes,
        lifetime: float = TOKEN_LIFETIME_SECONDS,
        max_lifetime: float = TOKEN_MAX_LIFETIME_SECONDS,
    ) -> None:
        self._secret = secret
        self.max_lifetime = max_lifetime
        self.lifetime = min(lifetime, max_lifetime)

    def issue(self, user: User, now: float | None = None) -> str:
        """A token for this user, valid for `lifetime` seconds."""
        issued = int(time.time() if now is None else now)
        claims = {
            "sub": user.name,
            "uid": user.id,
            "gen": user.token_generation,
            "role": user.role.value,
            "iat": issued,
            "exp": issued + int(self.lifetime),
        }
        return jwt.encode(claims, self._secret, algorithm=TOKEN_ALGORITHM)

    def claims(self, token: str, now: float | None = None) -> TokenClaims | None:
        """The claims of a valid, unexpired token of ours; None for any other token."""
        moment = time.time() if now is None else now
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._secret,
                algorithms=[TOKEN_ALGORITHM],
                options={"require": ["sub", "uid", "gen", "exp", "iat"]},
            )
        except jwt.PyJWTError:
            return None
        user_id, generation, issued, expires = (
            claims.get("uid"),
            claims.get("gen"),
            claims.get("iat"),
            claims.get("exp"),
        )
        if not all(type(v) is int for v in (user_id, generation)):
            return None
        if not all(isinstance(v, int | float) for v in (issued, expires)):
            return None
        assert isinstance(user_id, int) and isinstance(generation, int)
        assert isinstance(issued, int | float) and isinstance(expires, int | float)
        until = min(float(expires), float(issued) + self.max_lifetime)
        if issued > moment + TOKEN_CLOCK_LEEWAY_SECONDS or until <= moment:
            return None
        return TokenClaims(user_id, generation, float(issued), until)


@dataclass(frozen=True, slots=True)
class _Known:
    """A user as last read from the store (None: no such user), and when it was read."""

    user: User | None
    agent_id: str | None
    read_at: float


class Access:
    """Who a token stands for, checked on every request: cheap, and revoked at once.

    The user's state (disabled, token generation, role, agent) is kept in memory for
    `ttl` seconds; a change made through this server drops it at once (`changed`) and
    wakes the user's open streams. A change made elsewhere (the CLI, another node) is
    seen within `ttl`.
    """

    def __init__(
        self,
        store: Store,
        issuer: TokenIssuer,
        ttl: float = ACCESS_CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        poll_seconds: float = STREAM_ACCESS_CHECK_SECONDS,
    ) -> None:
        self._store = store
        self.issuer = issuer
        self._ttl = ttl
        self._clock = clock
        self._known: dict[int, _Known] = {}
        self._watchers: dict[int, set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = {}
        self._pollers: dict[asyncio.AbstractEventLoop, asyncio.Task[None]] = {}
        self.poll_seconds = poll_seconds
        self._lock = threading.RLock()

    def principal(self, token: str) -> Principal | None:
        """The principal of a valid token whose user exists, is enabled and of its generation."""
        claims = self.issuer.claims(token)
        if claims is None:
            return None
        known = self._known.get(claims.user_id)
        if known is None or self._clock() - known.read_at >= self._ttl:
            known = self._read(claims.user_id)
        user = known.user
        if user is None or user.disabled or user.token_generation != claims.generation:
            return None
        return Principal(user.id, user.name, user.role, known.agent_id)

    def _read(self, user_id: int) -> _Known:
        user = self._store.users.get_by_id(user_id)
        agent = None if user is None else self._store.agents.for_user(user.id)
        known = _Known(user, None if agent is None else agent.agent_id, self._clock())
        self._known[user_id] = known
        return known

    def changed(self, user_id: int) -> None:
        """The user was changed through this server: forget them and wake their streams."""
        with self._lock:
            self._known.pop(user_id, None)
            watchers = list(self._watchers.get(user_id, ()))
        for loop, event in watchers:
            with contextlib.suppress(RuntimeError):  # a loop that has closed
                loop.call_soon_threadsafe(event.set)

    @contextlib.contextmanager
    def watching(self, user_id: int) -> Iterator[asyncio.Event]:
        """An event set whenever the user may have changed, while inside.

        Set at once by a change through this server; for changes made elsewhere, one
        revocation watcher per event loop polls every watched user in one query each
        `poll_seconds` and sets the events of those whose state moved.
        """
        loop = asyncio.get_running_loop()
        event = asyncio.Event()
        entry = (loop, event)
        with self._lock:
            self._watchers.setdefault(user_id, set()).add(entry)
            poller = self._pollers.get(loop)
            if poller is None or poller.done():
                self._pollers[loop] = loop.create_task(self._poll(loop))
        try:
            yield event
        finally:
            with self._lock:
                watchers = self._watchers.get(user_id)
                if watchers is not None:
                    watchers.discard(entry)
                    if not watchers:
                        del self._watchers[user_id]

    async def _poll(self, loop: asyncio.AbstractEventLoop) -> None:
        """The revocation watcher: while streams are open, notice changes made elsewhere.

        A watched user whose stored state differs from what this server last read of
        them is forgotten and their streams woken, to check their tokens again.
        """
        while True:
            await asyncio.sleep(self.poll_seconds)
            with self._lock:
                watched = [u for u, ws in self._watchers.items() if any(w[0] is loop for w in ws)]
                if not watched:
                    self._pollers.pop(loop, None)
                    return
            try:
                states = await anyio.to_thread.run_sync(self._store.users.access_states, watched)
            except Exception:  # the store is down: requests will tell; look again next time
                logger.warning("revocation watcher could not read users", exc_info=True)
                continue
            for user_id in watched:
                known = self._known.get(user_id)
                user = None if known is None else known.user
                held = None if user is None else (user.disabled, user.token_generation, user.role)
                if known is None or held != states.get(user_id):
                    self.changed(user_id)


def unauthorized(detail: str = "not signed in") -> HTTPException:
    """A 401 that tells the client to send a bearer token."""
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=detail,
        headers={"WWW-Authenticate": "Bearer"},
    )


def current_user(request: Request, token: Annotated[str, Depends(oauth2_scheme)]) -> Principal:
    """The signed-in principal; 401 without a valid token, or for a revoked one."""
    access: Access = request.app.state.access
    principal = access.principal(token)
    if principal is None:
        raise unauthorized("invalid or expired token")
    return principal


CurrentUser = Annotated[Principal, Depends(current_user)]


def require(*roles: Role) -> Callable[[Principal], Principal]:
    """A dependency admitting only these roles (403 for the others)."""
    allowed = frozenset(roles)
    names = ", ".join(role.value for role in roles)

    def check(principal: CurrentUser) -> Principal:
        if principal.role not in allowed:
            raise HTTPException(
                status_code=status.HTTP_403_FORBIDDEN,
                detail=f"role {principal.role.value!r} may not do this (needs {names})",
            )
        return principal

    return check


Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
Supervisor = Annotated[Principal, Depends(require(Role.ADMIN, Role.SUPERVISOR))]


def forbidden(detail: str) -> HTTPException:
    """A 403 for a principal acting on someone else's agent, offer or record."""
    return HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=detail)


def not_found(detail: str) -> HTTPException:
    """A 404 for an unknown id."""
    return HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=detail)
