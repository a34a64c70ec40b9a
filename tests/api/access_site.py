"""A signed-in site on SQLite or PostgreSQL for the sign-in, token and user tests.

Each test gets a fresh app (so a fresh throttle) over a fresh store with an admin, a
supervisor and an agent user, and the fake runtime of `tests/api/conftest.py`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.conftest import FAST_HASHER, PASSWORD, FakeRuntime
from tests.postgres import PostgresServer
from tidal.api import create_app
from tidal.store import Role, Store

TOKEN_URL = "/api/v1/auth/token"
USERS = {"ada": Role.ADMIN, "sam": Role.SUPERVISOR, "alice": Role.AGENT}


@dataclass
class AccessSite:
    """The app, its client and store, and a way to sign in."""

    app: FastAPI
    client: TestClient
    store: Store
    runtime: FakeRuntime
    home: Path

    def sign_in(self, name: str, password: str = PASSWORD) -> httpx.Response:
        return self.client.post(TOKEN_URL, data={"username": name, "password": password})

    def token(self, name: str, password: str = PASSWORD) -> str:
        answer = self.sign_in(name, password)
        assert answer.status_code == 200, answer.text
        token: str = answer.json()["access_token"]
        return token

    def call(self, method: str, path: str, token: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"}
        return self.client.request(method, path, headers=headers, **kwargs)


@pytest.fixture(params=["sqlite", "postgresql"])
def access(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AccessSite]:
    url = database = None
    if request.param == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgresql_server")
        database = f"tidal_access_{uuid4().hex[:12]}"
        url = server.new_database(database)
    store = Store.open(url, home=tmp_path, hasher=FAST_HASHER)
    users = {name: store.users.add(name, role, PASSWORD) for name, role in USERS.items()}
    store.agents.add("a1", "sales", {"sales": 3}, users["alice"].id)
    runtime = FakeRuntime(store)
    app = create_app(runtime, tmp_path)
    try:
        with TestClient(app) as client:
            yield AccessSite(app, client, store, runtime, tmp_path)
    finally:
        store.close()
        if database is not None:
            request.getfixturevalue("postgresql_server").drop_database(database)
