"""Queries no store or clock can answer are 422 naming the field, never a 500.

`?to=9999-12-31` (the day after is past the calendar), `?from=` a year-9999 time west
of UTC, and `?offset=` beyond a 64-bit integer once reached the store or the report and
failed there. The shared types in `tidal/api/_common.py` refuse them at the edge, on
every route that takes them, with a real live center on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import FAST_HASHER, PASSWORD
from tests.api.test_live import CENTER, Clock
from tests.postgres import PostgresServer
from tidal.api import create_app
from tidal.api.const import MAX_OFFSET
from tidal.config import parse_scenario
from tidal.live.runtime import LiveCenter
from tidal.store import Role, Store

USERS = {"ada": Role.ADMIN, "sam": Role.SUPERVISOR, "alice": Role.AGENT}


@dataclass
class Center:
    """A started live center on a real store behind the API, and a token per user."""

    client: TestClient
    runtime: LiveCenter
    headers: dict[str, dict[str, str]]


@pytest.fixture(params=["sqlite", "postgresql"])
def live(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Center]:
    url = database = None
    if request.param == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgresql_server")
        database = f"tidal_queries_{uuid4().hex[:12]}"
        url = server.new_database(database)
    store = Store.open(url, home=tmp_path, hasher=FAST_HASHER)
    users = {name: store.users.add(name, role, PASSWORD) for name, role in USERS.items()}
    store.agents.add("ag1", "support", {"billing": 5}, users["alice"].id)
    runtime = LiveCenter(
        parse_scenario(CENTER, "center.yaml"), store, clock=Clock(), tick_seconds=0
    )
    try:
        with TestClient(create_app(runtime, tmp_path, start_runtime=True)) as client:
            headers = {}
            for name in USERS:
                answer = client.post(
                    "/api/v1/auth/token", data={"username": name, "password": PASSWORD}
                )
                headers[name] = {"Authorization": f"Bearer {answer.json()['access_token']}"}
            yield Center(client, runtime, headers)
    finally:
        store.close()
        if database is not None:
            request.getfixturevalue("postgresql_server").drop_database(database)


def paged_routes(client: TestClient) -> list[str]:
    """Every GET route that takes `?limit=&offset=`, from the API's own schema."""
    paths = client.get("/openapi.json").json()["paths"]
    found = []
    for path, operations in paths.items():
        get = operations.get("get")
        names = {p["name"] for p in (get or {}).get("parameters", []) if p["in"] == "query"}
        if {"limit", "offset"} <= names and "{" not in path:
            found.append(path)
    return sorted(found)


def refused(answer: object, loc: list[str | int]) -> str:
    """The message of the one 422 issue, which must name `loc`."""
    assert getattr(answer, "status_code", None) == 422, getattr(answer, "text", answer)
    issues = answer.json()["detail"]  # type: ignore[attr-defined]
    assert [issue["loc"] for issue in issues] == [loc]
    message: str = issues[0]["msg"]
    return message


def test_every_paged_route_refuses_offsets_and_limits_past_the_bound(live: Center) -> None:
    routes = paged_routes(live.client)
    assert "/api/v1/interactions" in routes and "/api/v1/users" in routes
    for path in routes:
        for offset in (2**63, 2**63 - 1, MAX_OFFSET + 1, -1):
            answer = live.client.get(f"{path}?offset={offset}", headers=live.headers["ada"])
            refused(answer, ["query", "offset"])
        answer = live.client.get(f"{path}?limit={2**64}", headers=live.headers["ada"])
        refused(answer, ["query", "limit"])
        last = live.client.get(f"{path}?offset={MAX_OFFSET}", headers=live.headers["ada"])
        assert last.status_code == 200, (path, last.text)
        assert last.json()["items"] == []


@pytest.mark.parametrize("user", ["ada", "sam", "alice"])
def test_the_day_after_the_calendar_ends_is_422_on_interactions(live: Center, user: str) -> None:
    answer = live.client.get("/api/v1/interactions?to=9999-12-31", headers=live.headers[user])
    assert "9999-12-31" in refused(answer, ["query", "to"])
    fine = live.client.get("/api/v1/interactions?from=9999-12-31", headers=live.headers[user])
    assert fine.status_code == 200 and fine.json()["items"] == []


@pytest.mark.parametrize("report", ["queues", "agents", "campaigns"])
def test_a_moment_past_the_calendar_in_utc_is_422_on_reports(live: Center, report: str) -> None:
    path = f"/api/v1/reports/{report}"
    west = {"from": "9999-12-31T23:59:59-12:00"}
    answer = live.client.get(path, params=west, headers=live.headers["sam"])
    assert "once converted to UTC" in refused(answer, ["query", "from"])
    east = {"to": "0001-01-01T00:00:00+01:00"}
    refused(live.client.get(path, params=east, headers=live.headers["sam"]), ["query", "to"])
    late = {"from": "9999-12-31T23:59:59+00:00"}
    assert live.client.get(path, params=late, headers=live.headers["sam"]).status_code == 200
    csv = {"from": "9999-12-31", "format": "csv"}
    assert live.client.get(path, params=csv, headers=live.headers["sam"]).status_code == 200


def test_a_callback_past_the_calendar_in_utc_is_422_naming_it(live: Center) -> None:
    body = {"disposition": "resolved", "callback_at": "9999-12-31T23:59:59-12:00"}
    answer = live.client.post(
        "/api/v1/interactions/1/disposition", json=body, headers=live.headers["alice"]
    )
    assert "once converted to UTC" in refused(answer, ["body", "callback_at"])
