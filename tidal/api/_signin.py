"""Signing in: failed attempts throttled per name and per address, argon2 checks bounded, audited.

- Throttling: a moving window (the `limits` library, in memory) counts failed sign-ins
  per user name (its case-folded key) and per client address. When either is spent the
  attempt is refused with 429 and `Retry-After` without checking the password, even a
  right one: otherwise the throttle would still answer a guesser's lucky try. The
  decision is taken again when the attempt gets its check slot, counting the checks
  still under way, so fifty wrong passwords sent at once check exactly five, while forty
  agents behind one office address signing in at once all get in.
- Bounded checks: an argon2 check takes 64 MiB and tens of milliseconds with the default
  parameters. At most PASSWORD_CHECKS_AT_ONCE run at a time, each in a worker thread off
  the event loop; further attempts wait their turn (they are not refused), up to
  PASSWORD_CHECKS_WAITING waiting, beyond which an attempt gets 429 with `Retry-After`.
- Audit: every attempt, whatever it came to, is written to the store's audit log and to
  `audit.jsonl` (action `sign_in`, details: the name tried, the client address and the
  outcome; never the password).
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import anyio
import anyio.to_thread
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from tidal.api.const import (
    ACTOR_PREFIX,
    PASSWORD_CHECKS_AT_ONCE,
    PASSWORD_CHECKS_WAITING,
    SIGNIN_BUSY_RETRY_SECONDS,
    SIGNIN_FAILURES_PER_ADDRESS,
    SIGNIN_FAILURES_PER_NAME,
)
from tidal.config import TextError, name_key
from tidal.core.compliance.audit import AuditEntry
from tidal.store import SignInOutcome, Store, User

if TYPE_CHECKING:
    from tidal.api._compliance import ComplianceDesk

SIGN_IN_ACTION = "sign_in"
Ids = tuple[tuple[str, str], ...]
# How much of a tried name the audit keeps (the name field has no limit of its own).
AUDITED_NAME_LENGTH = 100


class Refusal(StrEnum):
    """Outcomes of an attempt whose password was never checked."""

    THROTTLED = "throttled"
    BUSY = "busy"
    INVALID_NAME = "invalid_name"


class SignInRefused(Exception):
    """The attempt was not checked: too many failures (or checks waiting); retry later."""

    def __init__(self, outcome: Refusal, retry_after: int) -> None:
        super().__init__(f"sign-in refused ({outcome}); retry after {retry_after} s")
        self.outcome = outcome
        self.retry_after = retry_after


class InvalidName(Exception):
    """The name tried is not a name any user can have (NUL, control or format characters)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def audited_name(name: str) -> str:
    """The tried name as the audit keeps it: control characters escaped, bounded."""
    shown = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in name)
    return shown[:AUDITED_NAME_LENGTH]


class SignInGuard:
    """Throttles, bounds and audits sign-ins for one app."""

    def __init__(
        self,
        store: Store,
        desk: ComplianceDesk,
        per_name: str = SIGNIN_FAILURES_PER_NAME,
        per_address: str = SIGNIN_FAILURES_PER_ADDRESS,
        at_once: int = PASSWORD_CHECKS_AT_ONCE,
        waiting: int = PASSWORD_CHECKS_WAITING,
    ) -> None:
        self._store = store
        self._desk = desk
        self._window = MovingWindowRateLimiter(MemoryStorage())
        self._per_name = parse(per_name)
        self._per_address = parse(per_address)
        self._at_once = at_once
        self._admitted = at_once + waiting
        # Checks under way per name and per address (at most `at_once` in all).
        self._running: Counter[tuple[str, str]] = Counter()
        # Attempts checking or waiting for a check slot.
        self._present = 0
        self._lock = threading.RLock()
        self._slots: tuple[asyncio.AbstractEventLoop, anyio.CapacityLimiter] | None = None

    async def sign_in(self, name: str, password: str, address: str) -> User | None:
        """The user if name and password are right and they may sign in, else None.

        Raises InvalidName, or SignInRefused when throttled or too busy; every attempt
        is audited before this returns or raises.
        """
        try:
            key = name_key(name)
        except TextError as error:
            await self._audit(name, address, Refusal.INVALID_NAME)
            raise InvalidName(str(error)) from None
        ids = (("name", key), ("address", address))
        refusal = self._throttled(ids, running=False) or self._enter()
        if refusal is not None:
            await self._audit(name, address, refusal.outcome)
            raise refusal
        outcome: str = SignInOutcome.UNKNOWN_USER
        user = None
        try:
            async with self._limiter():
                # Decided again with a slot held: failures counted while this attempt
                # waited, and the checks running now, may have spent the window.
                refusal = self._admit(ids)
                if refusal is None:
                    try:
                        outcome, user = await anyio.to_thread.run_sync(
                            self._store.users.authenticate, name, password
                        )
                    finally:
                        self._done(ids, failed=outcome is not SignInOutcome.SIGNED_IN)
        finally:
            self._leave()
        if refusal is not None:
            await self._audit(name, address, refusal.outcome)
            raise refusal
        await self._audit(name, address, outcome)
        return user

    def _throttled(self, ids: Ids, *, running: bool) -> SignInRefused | None:
        """The refusal when a window is spent (with `running`: counting checks under way)."""
        with self._lock:
            for (kind, value), limit in zip(ids, (self._per_name, self._per_address), strict=True):
                stats = self._window.get_window_stats(limit, kind, value)
                under_way = self._running[kind, value] if running else 0
                if stats.remaining - under_way <= 0:
                    wait = stats.reset_time - time.time() if stats.remaining <= 0 else 1.0
                    return SignInRefused(Refusal.THROTTLED, max(1, math.ceil(wait)))
        return None

    def _enter(self) -> SignInRefused | None:
        """Take a place among the checks running and waiting, or say there is none."""
        with self._lock:
            if self._present >= self._admitted:
                return SignInRefused(Refusal.BUSY, SIGNIN_BUSY_RETRY_SECONDS)
            self._present += 1
            return None

    def _leave(self) -> None:
        with self._lock:
            self._present -= 1

    def _admit(self, ids: Ids) -> SignInRefused | None:
        """With a check slot held: refuse if throttled, else count the check as under way."""
        with self._lock:
            refusal = self._throttled(ids, running=True)
            if refusal is None:
                for kind_value in ids:
                    self._running[kind_value] += 1
            return refusal

    def _done(self, ids: Ids, *, failed: bool) -> None:
        """The check is over: no longer under way, and counted in the windows if it failed."""
        with self._lock:
            for (kind, value), limit in zip(ids, (self._per_name, self._per_address), strict=True):
                self._running[kind, value] -= 1
                if not self._running[kind, value]:
                    del self._running[kind, value]
                if failed:
                    self._window.hit(limit, kind, value)

    def _limiter(self) -> anyio.CapacityLimiter:
        """The bound on concurrent checks, made on (and for) the running event loop."""
        loop = asyncio.get_running_loop()
        if self._slots is None or self._slots[0] is not loop:
            self._slots = (loop, anyio.CapacityLimiter(self._at_once))
        return self._slots[1]

    async def _audit(self, name: str, address: str, outcome: str) -> None:
        """Write the attempt to both audit trails, off the event loop (the file is fsynced)."""
        shown = audited_name(name)
        entry = AuditEntry(
            at=datetime.now(UTC),
            action=SIGN_IN_ACTION,
            actor=f"{ACTOR_PREFIX}{shown}"[:AUDITED_NAME_LENGTH],
            details={"name": shown, "address": address, "outcome": str(outcome)},
        )
        await anyio.to_thread.run_sync(self._desk.record, [entry])
