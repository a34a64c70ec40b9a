"""Fixtures running every store test on SQLite and on a throwaway PostgreSQL server.

The PostgreSQL server (`postgresql_server` in `tests/conftest.py`) is started once per
test session and stopped at the end. Each test gets a fresh database on that server.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

import pytest

from tests.postgres import PostgresServer


@dataclass(frozen=True)
class Backend:
    """Where a test's store lives: a URL (None for the default SQLite file) and a home."""

    name: str
    url: str | None
    home: Path


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """An empty database on each backend: SQLite under tmp_path, or a fresh PostgreSQL db."""
    if request.param == "sqlite":
        yield Backend("sqlite", None, tmp_path)
        return
    server: PostgresServer = request.getfixturevalue("postgresql_server")
    database = f"tidal_test_{uuid4().hex[:12]}"
    url = server.new_database(database)
    try:
        yield Backend("postgresql", url, tmp_path)
    finally:
        server.drop_database(database)
