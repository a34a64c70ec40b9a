"""Sign-in and roles: signed bearer tokens, the signed-in principal, role checks.

Tokens are HS256 JWTs signed with a secret kept in `$TIDAL_HOME/secret.key` (mode
0600, created once). A token names the user; every request reads the user back from
the store, so a removed user or a changed role takes effect at once.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import jwt
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer

from tidal.api.const import (
    ACTOR_PREFIX,
    SECRET_BYTES,
    SECRET_FILENAME,
    TOKEN_ALGORITHM,
    TOKEN_LIFETIME_SECONDS,
    TOKEN_URL,
)
from tidal.config import open_private, private_dir, tighten_file
from tidal.store import Role, Store

oauth2_scheme = OAuth2PasswordBearer(tokenUrl=TOKEN_URL)


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


class TokenIssuer:
    """Signs and checks bearer tokens with one secret."""

    def __init__(self, secret: bytes, lifetime: float = TOKEN_LIFETIME_SECONDS) -> None:
        self._secret = secret
        self.lifetime = lifetime

    def issue(self, name: str, role: Role, now: float | None = None) -> str:
        """A token for this user, valid for `lifetime` seconds."""
        issued = int(time.time() if now is None else now)
        claims = {"sub": name, "role": role.value, "iat": issued, "exp": issued + self.lifetime}
        return jwt.encode(claims, self._secret, algorithm=TOKEN_ALGORITHM)

    def subject(self, token: str) -> str | None:
        """The user name a valid, unexpired token was issued to; None for any other token."""
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._secret,
                algorithms=[TOKEN_ALGORITHM],
                options={"require": ["sub", "exp", "iat"]},
            )
        except jwt.PyJWTError:
            return None
        subject = claims.get("sub")
        return subject if isinstance(subject, str) else None


def principal_for(store: Store, issuer: TokenIssuer, token: str) -> Principal | None:
    """The principal a token stands for, if the token is valid and its user still exists."""
    name = issuer.subject(token)
    if name is None:
        return None
    user = store.users.get(name)
    if user is None:
        return None
    agent = store.agents.for_user(user.id)
    return Principal(user.id, user.name, user.role, None if agent is None else agent.agent_id)


def unauthorized(detail: str = "not signed in") -> HTTPException:
    """A 401 that tells the client to send a bearer token."""
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=detail,
        headers={"WWW-Authenticate": "Bearer"},
    )


def current_user(request: Request, token: Annotated[str, Depends(oauth2_scheme)]) -> Principal:
    """The signed-in principal; 401 without a valid token."""
    state = request.app.state
    principal = principal_for(state.runtime.store, state.tokens, token)
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
