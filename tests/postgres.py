"""A throwaway PostgreSQL server from Debian's binaries, for tests that need a real one.

Started on 127.0.0.1 with a temporary data directory. PostgreSQL refuses to run as root,
so when the tests run as root (CI does) initdb and pg_ctl run as the unprivileged
`postgres` user (or `nobody`), in a data directory that user owns. The server can be
stopped and started again mid-test (a database lost and back), keeping its data.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import psycopg

PG_BIN_ENV = "TIDAL_TEST_PG_BIN"
PG_SUPERUSER = "tidal"


def find_pg_bin() -> Path | None:
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


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class PostgresServer:
    """A throwaway PostgreSQL server: `create()` it, `stop()`/`start()` it, `destroy()` it."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.host = "127.0.0.1"
        self.port = free_port()
        self.base = Path(tempfile.mkdtemp(prefix="tidal-pg-"))
        self.data = self.base / "data"
        self._run_as: dict[str, Any] = {}
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam("postgres")
            except KeyError:
                account = pwd.getpwnam("nobody")
            os.chown(self.base, account.pw_uid, account.pw_gid)
            self._run_as = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
        self._env = {**os.environ, "LC_ALL": "C", "PGTZ": "UTC"}

    @classmethod
    def create(cls) -> PostgresServer | None:
        """initdb and start a server; None when PostgreSQL's binaries are not installed."""
        bin_dir = find_pg_bin()
        if bin_dir is None or not (bin_dir / "initdb").exists():
            return None
        server = cls(bin_dir)
        try:
            server._pg(
                "initdb", "-D", str(server.data), "-U", PG_SUPERUSER, "-A", "trust", "-E", "UTF8",
                "--no-sync",
            )  # fmt: skip
            server.start()
        except subprocess.CalledProcessError as error:
            log = server.base / "server.log"
            message = error.stderr.decode(errors="replace")
            message += log.read_text() if log.exists() else ""
            shutil.rmtree(server.base, ignore_errors=True)
            raise RuntimeError(f"could not start PostgreSQL: {message}") from error
        return server

    def _pg(self, program: str, *args: str, check: bool = True) -> None:
        subprocess.run(
            [str(self.bin_dir / program), *args],
            cwd=self.base,
            env=self._env,
            check=check,
            capture_output=True,
            **self._run_as,
        )

    def start(self) -> None:
        """Start (or start again) the server on its port."""
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.base / "server.log"),
            "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self) -> None:
        """Stop the server now (fast shutdown: open connections are cut)."""
        self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def destroy(self) -> None:
        """Stop the server and remove its data."""
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, database: str) -> str:
        """A SQLAlchemy URL for `database` on this server."""
        return f"postgresql+psycopg://{PG_SUPERUSER}@{self.host}:{self.port}/{database}"

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        """An autocommit connection to the maintenance database."""
        return psycopg.connect(
            host=self.host, port=self.port, user=PG_SUPERUSER, dbname="postgres", autocommit=True
        )

    def new_database(self, name: str) -> str:
        """Create an empty database; its URL."""
        with self.admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, cutting its connections."""
        with self.admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
