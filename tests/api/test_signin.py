"""Sign-in: throttled per name and per address (429 + Retry-After), bounded, audited."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import Callable
from typing import Any

import pytest

from tests.api.access_site import AccessSite
from tests.api.conftest import PASSWORD
from tidal.api._compliance import ComplianceDesk
from tidal.api._signin import Refusal, SignInGuard, SignInRefused
from tidal.store import SignInOutcome, Store


def sign_ins(store: Store) -> list[dict[str, Any]]:
    return [dict(e.details) for e in store.audit.list(action="sign_in", limit=1000)]


def test_five_failures_for_one_name_throttle_it_with_retry_after(access: AccessSite) -> None:
    for _ in range(5):
        assert access.sign_in("ada", "wrong password").status_code == 401
    throttled = access.sign_in("ADA", PASSWORD)  # the right password, any case: refused too
    assert throttled.status_code == 429
    assert 0 < int(throttled.headers["Retry-After"]) <= 15 * 60
    assert "try again" in throttled.json()["detail"]
    assert access.sign_in("sam").status_code == 200  # another name from the same address
    outcomes = [e["outcome"] for e in sign_ins(access.store) if e["name"] in ("ada", "ADA")]
    assert outcomes == ["wrong_password"] * 5 + ["throttled"]


def test_thirty_failures_from_one_address_throttle_every_name(access: AccessSite) -> None:
    for i in range(30):
        assert access.sign_in(f"nobody{i}", "wrong password").status_code == 401
    answer = access.sign_in("sam")
    assert answer.status_code == 429 and int(answer.headers["Retry-After"]) > 0


def test_every_attempt_is_audited_in_both_trails_without_the_password(
    access: AccessSite,
) -> None:
    access.sign_in("alice", "Secret-Wrong-1")
    access.sign_in("nobody", "Secret-Wrong-2")
    access.token("alice")
    entries = sign_ins(access.store)
    assert entries == [
        {"name": "alice", "address": "testclient", "outcome": "wrong_password"},
        {"name": "nobody", "address": "testclient", "outcome": "unknown_user"},
        {"name": "alice", "address": "testclient", "outcome": "signed_in"},
    ]
    lines = (access.home / "audit.jsonl").read_text().splitlines()
    in_file = [json.loads(line) for line in lines if '"sign_in"' in line]
    assert [e["details"] for e in in_file] == entries
    assert all(e["at"] for e in in_file)
    everything = "\n".join(lines) + json.dumps(
        access.call("GET", "/api/v1/audit?limit=1000", access.token("ada")).json()
    )
    for secret in ("Secret-Wrong-1", "Secret-Wrong-2", PASSWORD):
        assert secret not in everything


def test_a_name_with_a_nul_is_422_naming_username_and_audited_escaped(access: AccessSite) -> None:
    answer = access.sign_in("ad\u0000a", "whatever")
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "username"]
    (entry,) = sign_ins(access.store)
    assert entry == {"name": "ad\\x00a", "address": "testclient", "outcome": "invalid_name"}


def test_a_disabled_user_gets_401_like_a_wrong_password(access: AccessSite) -> None:
    access.store.users.update("alice", disabled=True)
    answer = access.sign_in("alice")
    assert answer.status_code == 401
    assert sign_ins(access.store)[-1]["outcome"] == "disabled"


# --- the guard itself: concurrency -------------------------------------------------------


def _guard(access: AccessSite, **limits: Any) -> SignInGuard:
    return SignInGuard(access.store, ComplianceDesk(access.home, access.store), **limits)


async def _many(guard: SignInGuard, attempts: list[tuple[str, str]]) -> list[Any]:
    return await asyncio.gather(
        *(guard.sign_in(name, pw, "10.0.0.9") for name, pw in attempts), return_exceptions=True
    )


def test_fifty_wrong_passwords_at_once_check_only_five(access: AccessSite) -> None:
    guard = _guard(access)
    results = asyncio.run(_many(guard, [("ada", f"guess {i}") for i in range(50)]))
    refused = [r for r in results if isinstance(r, SignInRefused)]
    assert len(refused) == 45 and all(r.outcome is Refusal.THROTTLED for r in refused)
    assert results.count(None) == 5
    outcomes = [e["outcome"] for e in sign_ins(access.store)]
    assert outcomes.count(SignInOutcome.WRONG_PASSWORD) == 5
    assert outcomes.count(Refusal.THROTTLED) == 45


def test_many_right_sign_ins_from_one_address_all_get_in_despite_failures(
    access: AccessSite,
) -> None:
    """An office behind one address: 25 failures spent, then a dozen sign in at once."""
    guard = _guard(access)
    failures = asyncio.run(_many(guard, [(f"nobody{i}", "guess") for i in range(25)]))
    assert failures == [None] * 25
    rush = asyncio.run(_many(guard, [(name, PASSWORD) for name in ["ada", "sam", "alice"] * 4]))
    assert all(r is not None and not isinstance(r, BaseException) for r in rush), rush


def _counting(access: AccessSite, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record how many password checks run at once (around the real check)."""
    real: Callable[[str, str], Any] = access.store.users.authenticate
    running = [0]
    peak = [0]
    lock = threading.Lock()
    entered = threading.Barrier(2, timeout=0.2)

    def counted(name: str, password: str) -> Any:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        with contextlib.suppress(threading.BrokenBarrierError):
            entered.wait()  # lets a second check overlap if the bound allows one
        try:
            return real(name, password)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(access.store.users, "authenticate", counted)
    return peak


def test_password_checks_run_at_most_the_bound_at_once_and_the_rest_wait(
    access: AccessSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    peak = _counting(access, monkeypatch)
    guard = _guard(access, at_once=1, per_address="1000/minute")
    results = asyncio.run(_many(guard, [(name, PASSWORD) for name in ["ada", "sam", "alice"] * 4]))
    assert peak[0] == 1
    assert all(r is not None and not isinstance(r, BaseException) for r in results)  # all waited


def test_beyond_the_waiting_room_an_attempt_is_429(access: AccessSite) -> None:
    guard = _guard(access, at_once=1, waiting=1, per_address="1000/minute")
    results = asyncio.run(_many(guard, [("sam", PASSWORD)] * 6))
    busy = [r for r in results if isinstance(r, SignInRefused)]
    assert busy and all(r.outcome is Refusal.BUSY and r.retry_after >= 1 for r in busy)
    assert (
        len(busy) + sum(1 for r in results if r is not None and not isinstance(r, Exception)) == 6
    )
