"""Fixtures every test package may use: a throwaway PostgreSQL server for the session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.postgres import PostgresServer


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[PostgresServer]:
    """Start a PostgreSQL server for the session (as an unprivileged user when root)."""
    server = PostgresServer.create()
    if server is None:
        pytest.skip("PostgreSQL binaries not found: install Debian's `postgresql` package")
    try:
        yield server
    finally:
        server.destroy()
