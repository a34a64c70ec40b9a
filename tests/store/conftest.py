"""Fixtures running every store test on SQLite and on a throwaway PostgreSQL server.

The PostgreSQL server is Debian's binaries (`postgresql` package) started once per test
session on 127.0.0.1 with a temporary data directory, and stopped at the end. PostgreSQL
refuses to run as root, so when the tests run as root (CI does) initdb and pg_ctl run as
the unprivileged `postgres` user (or `nobody`), in a data directory that user owns.
Each test gets a fresh database on that server.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import psycopg
import pytest

PG_BIN_ENV = "TIDAL_TEST_PG_BIN"
PG_SUPERUSER = "tidal"


def _find_pg_bin() -> Path | None:
    """The directory holding initdb and pg_ctl: $TIDAL_TEST_PG_BIN, Debian's newest, or PATH."""
    if os.environ.get(PG_BIN_ENV):
        return Path(os.environ[PG_BIN_ENV])
    debian = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if debian:
        return Path(debian[-1]).parent
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def _free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class PostgresServer:
    """A running throwaway PostgreSQL server."""

    host: str
    port: int

    def url(self, database: str) -> str:
        """A SQLAlchemy URL for `database` on this server."""
        return f"postgresql+psycopg://{PG_SUPERUSER}@{self.host}:{self.port}/{database}"

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        """An autocommit connection to the maintenance database."""
        return psycopg.connect(
            host=self.host, port=self.port, user=PG_SUPERUSER, dbname="postgres", autocommit=True
        )


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[PostgresServer]:
    """Start a PostgreSQL server for the session (as an unprivileged user when root)."""
    bin_dir = _find_pg_bin()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        pytest.skip("PostgreSQL binaries not found: install Debian's `postgresql` package")
    run_as: dict[str, Any] = {}
    base = Path(tempfile.mkdtemp(prefix="tidal-pg-"))
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            account = pwd.getpwnam("nobody")
        os.chown(base, account.pw_uid, account.pw_gid)
        run_as = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
    data = base / "data"
    port = _free_port()
    env = {**os.environ, "LC_ALL": "C", "PGTZ": "UTC"}

    def run(*args: str) -> None:
        subprocess.run(args, cwd=base, env=env, check=True, capture_output=True, **run_as)

    try:
        run(
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            PG_SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
        run(
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(base / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )
    except subprocess.CalledProcessError as error:
        log = base / "server.log"
        shutil.rmtree(base, ignore_errors=True)
        raise RuntimeError(
            f"could not start PostgreSQL: {error.stderr.decode(errors='replace')}"
            f"{log.read_text() if log.exists() else ''}"
        ) from error
    try:
        yield PostgresServer("127.0.0.1", port)
    finally:
        subprocess.run(
            [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            cwd=base,
            env=env,
            check=False,
            capture_output=True,
            **run_as,
        )
        shutil.rmtree(base, ignore_errors=True)


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
    with server.admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}"')
        admin.execute(f'CREATE DATABASE "{database}"')
    try:
        yield Backend("postgresql", server.url(database), tmp_path)
    finally:
        with server.admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
