"""Who may lift an opt-out or backdate a consent, and what the two audit trails then say.

On SQLite and PostgreSQL: lifting a number off the internal list and recording a consent
dated in the past are an admin's, with a reason; a consent dated in the future or
beyond any calendar is 422 and written to neither trail; every entry is dated by the
server's clock, with the date the client claimed beside it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import FAST_HASHER, PASSWORD, FakeRuntime
from tests.postgres import PostgresServer
from tidal.api import create_app
from tidal.store import Role, Store


class Desk:
    """An app on one backend, signed in as an admin and as a supervisor."""

    def __init__(self, client: TestClient, home: Path, store: Store) -> None:
        self.client = client
        self.home = home
        self.store = store
        self.headers: dict[str, dict[str, str]] = {}
        for name in ("ada", "sam"):
            answer = client.post(
                "/api/v1/auth/token", data={"username": name, "password": PASSWORD}
            )
            assert answer.status_code == 200, answer.text
            self.headers[name] = {"Authorization": f"Bearer {answer.json()['access_token']}"}

    def file_trail(self) -> list[dict[str, Any]]:
        path = self.home / "audit.jsonl"
        if not path.exists():
            return []
        entries = [json.loads(line) for line in path.read_text().splitlines()]
        return [e for e in entries if e["action"] != "sign_in"]  # the fixture's own sign-ins

    def store_trail(self) -> list[dict[str, Any]]:
        entries = [entry.as_json() for entry in self.store.audit.list(limit=1000)]
        return [e for e in entries if e["action"] != "sign_in"]

    def trails(self) -> tuple[int, int]:
        return len(self.file_trail()), len(self.store_trail())


@pytest.fixture(params=["sqlite", "postgresql"])
def desk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Desk]:
    database = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'tidal.db'}"
    else:
        server: PostgresServer = request.getfixturevalue("postgresql_server")
        database = f"tidal_test_{uuid4().hex[:12]}"
        url = server.new_database(database)
    store = Store.open(url, tmp_path, hasher=FAST_HASHER)
    store.users.add("ada", Role.ADMIN, PASSWORD)
    store.users.add("sam", Role.SUPERVISOR, PASSWORD)
    try:
        with TestClient(create_app(FakeRuntime(store), tmp_path)) as client:
            yield Desk(client, tmp_path, store)
    finally:
        store.close()
        if database is not None:
            request.getfixturevalue("postgresql_server").drop_database(database)


def _listed(desk: Desk, number: str) -> None:
    body = {"number": number, "reason": "customer asked"}
    answer = desk.client.post("/api/v1/dnc", json=body, headers=desk.headers["sam"])
    assert answer.status_code == 201, answer.text


def test_lifting_an_opt_out_is_an_admins_with_a_reason(desk: Desk) -> None:
    _listed(desk, "2125550101")
    path = "/api/v1/dnc/2125550101"
    refused = desk.client.delete(f"{path}?reason=x", headers=desk.headers["sam"])
    assert refused.status_code == 403 and "may not" in refused.json()["detail"]
    for query in ("", "?reason=", "?reason=%20%20"):
        answer = desk.client.delete(f"{path}{query}", headers=desk.headers["ada"])
        assert answer.status_code == 422, (query, answer.text)
        assert answer.json()["detail"][0]["loc"] == ["query", "reason"]
    nul = desk.client.delete(f"{path}?reason=a%00b", headers=desk.headers["ada"])
    assert nul.status_code == 422 and nul.json()["detail"][0]["loc"] == ["query", "reason"]
    assert desk.trails() == (1, 1)  # only the listing: nothing refused was recorded

    before = datetime.now(UTC)
    done = desk.client.delete(f"{path}?reason=listed+by+mistake", headers=desk.headers["ada"])
    assert done.status_code == 200, done.text
    for trail in (desk.file_trail(), desk.store_trail()):
        removed = [e for e in trail if e["action"] == "internal_dnc_removed"]
        assert len(removed) == 1
        assert removed[0]["actor"] == "api:ada"
        assert removed[0]["details"]["reason"] == "listed by mistake"
        assert datetime.fromisoformat(removed[0]["at"]) >= before - timedelta(seconds=1)


def test_a_consent_dated_in_the_past_is_an_admins_with_a_reason(desk: Desk) -> None:
    claimed = (datetime.now(UTC) - timedelta(days=120)).replace(microsecond=0)
    body = {"number": "2125550102", "kind": "inquiry", "source": "web form 7"}
    body["at"] = claimed.isoformat()
    sam = desk.client.post("/api/v1/dnc/consent", json=body, headers=desk.headers["sam"])
    assert sam.status_code == 403 and "may not" in sam.json()["detail"]
    bare = desk.client.post("/api/v1/dnc/consent", json=body, headers=desk.headers["ada"])
    assert bare.status_code == 422 and bare.json()["detail"][0]["loc"] == ["body", "reason"]
    assert desk.trails() == (0, 0)

    before = datetime.now(UTC)
    body["reason"] = "paper form found in the archive"
    granted = desk.client.post("/api/v1/dnc/consent", json=body, headers=desk.headers["ada"])
    assert granted.status_code == 201, granted.text
    for trail in (desk.file_trail(), desk.store_trail()):
        (entry,) = [e for e in trail if e["action"] == "consent_granted"]
        recorded = datetime.fromisoformat(entry["at"])
        assert recorded >= before - timedelta(seconds=1)  # the server's time of the change
        assert datetime.fromisoformat(entry["details"]["granted_at"]) == claimed  # the claim
        assert entry["details"]["reason"] == "paper form found in the archive"
    # The lists are replayed with the claimed date: an inquiry 120 days old has lapsed.
    check = desk.client.get("/api/v1/dnc/2125550102", headers=desk.headers["sam"]).json()
    assert "inquiry" not in check["+12125550102"]["reasons"]


def test_a_supervisor_records_a_consent_given_now(desk: Desk) -> None:
    body = {"number": "2125550103", "kind": "written", "source": "call 991"}
    body["at"] = (datetime.now(UTC) - timedelta(seconds=30)).isoformat()
    answer = desk.client.post("/api/v1/dnc/consent", json=body, headers=desk.headers["sam"])
    assert answer.status_code == 201, answer.text
    assert desk.trails() == (1, 1)


@pytest.mark.parametrize(
    "at",
    [
        "9999-12-31T23:59:59+00:00",
        "9999-12-31T23:59:59-12:00",  # beyond datetime's range once in UTC
        "0001-01-01T00:00:00+05:00",  # before it
        "FUTURE",
    ],
)
def test_a_consent_in_the_future_or_beyond_the_calendar_is_422_and_in_no_trail(
    desk: Desk, at: str
) -> None:
    if at == "FUTURE":
        at = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    body = {"number": "2125550104", "kind": "written", "source": "s", "at": at, "reason": "r"}
    for user in ("ada", "sam"):
        answer = desk.client.post("/api/v1/dnc/consent", json=body, headers=desk.headers[user])
        assert answer.status_code == 422, answer.text
        assert answer.json()["detail"][0]["loc"] == ["body", "at"]
    assert desk.trails() == (0, 0)
