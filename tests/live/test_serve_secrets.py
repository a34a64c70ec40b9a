"""A real `tidal serve` keeps its files to its owner and its secrets out of its log.

On SQLite and PostgreSQL: a home left 0755 with files 0644 by an older version is
tightened at start (and the tightening logged); the files the server creates are 0600
even when started from a shell with umask 022; a stream opened with the key
percent-encoded (`?tok%65n=`) and a database write that fails while storing an argon2
hash leave neither the token nor the hash in the server's log.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from sqlalchemy import create_engine, text
from websockets.sync.client import connect

from tests.ports import free_tcp_port
from tests.postgres import PostgresServer
from tidal.api import load_secret
from tidal.store import Role, Store

pytestmark = pytest.mark.xdist_group("live-server")

CENTER = """
name: secrets-center
start: "2026-11-23T08:00:00-05:00"
agents:
  - group: support
    count: 0
    skills: {billing: 5}
    wrap_up: {dist: constant, value: 30}
queues:
  - name: billing
    skills: {billing: 1}
    service_level: {target: 0.8, threshold: 20}
"""
PASSWORD = "correct horse battery"
NEW_PASSWORD = "a password the log must not see"

# Every new user row is refused by the database (not as a constraint: as a failure).
SQLITE_REFUSAL = [
    "CREATE TRIGGER refuse_users BEFORE INSERT ON users "
    "BEGIN INSERT INTO refused_by_the_test VALUES (1); END"
]
POSTGRES_REFUSAL = [
    "CREATE FUNCTION refuse_users() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER refuse_users BEFORE INSERT ON users "
    "FOR EACH ROW EXECUTE FUNCTION refuse_users()",
]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@dataclass
class Served:
    """A running `tidal serve` on a home, and how to reach it."""

    home: Path
    backend: str
    base: str
    log_path: Path

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def _loose_home(home: Path, url: str | None) -> None:
    """A home as an older Tidal left it: 0755, its files 0644, a recording world-readable."""
    home.mkdir(mode=0o755)
    (home / "c.yaml").write_text(CENTER)
    with Store.open(url, home) as store:
        store.users.add("root", Role.ADMIN, PASSWORD)
        with store.engine.begin() as connection:
            for statement in SQLITE_REFUSAL if url is None else POSTGRES_REFUSAL:
                connection.execute(text(statement))
    load_secret(home)
    (home / "audit.jsonl").write_text("")
    (home / "recordings").mkdir()
    (home / "recordings" / "1.wav").write_bytes(b"RIFF")
    for path in [home, home / "recordings"]:
        path.chmod(0o755)
    for path in [home / "audit.jsonl", home / "secret.key", home / "recordings" / "1.wav"]:
        path.chmod(0o644)
    if url is None:
        (home / "tidal.db").chmod(0o644)


@pytest.fixture(params=["sqlite", "postgresql"])
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Served]:
    home = tmp_path / "home"
    env = {**os.environ, "TIDAL_HOME": str(home), "TIDAL_TELEPHONY": "none"}
    env.pop("TIDAL_DATABASE_URL", None)
    database = None
    if request.param == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgresql_server")
        database = f"tidal_test_{uuid4().hex[:12]}"
        env["TIDAL_DATABASE_URL"] = server.new_database(database)
    _loose_home(home, env.get("TIDAL_DATABASE_URL"))
    port = free_tcp_port()
    command = [sys.executable, "-m", "tidal", "serve", "--config", str(home / "c.yaml")]
    with open(tmp_path / "server.log", "ab") as log:
        process = subprocess.Popen(
            [*command, "--port", str(port)],
            env=env,
            stdout=log,
            stderr=log,
            preexec_fn=lambda: os.umask(0o022),  # a shell's usual umask
        )
    running = Served(home, request.param, f"http://127.0.0.1:{port}", tmp_path / "server.log")
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, (tmp_path / "server.log").read_text()[-3000:]
            try:
                if httpx.get(f"{running.base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "no answer from /healthz within 30 s"
            time.sleep(0.1)
        yield running
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        if database is not None:
            request.getfixturevalue("postgresql_server").drop_database(database)


def _sign_in(served: Served) -> dict[str, str]:
    answer = httpx.post(
        f"{served.base}/api/v1/auth/token", data={"username": "root", "password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_the_home_and_its_files_are_private_after_a_real_serve(served: Served) -> None:
    headers = _sign_in(served)
    consent = {"number": "2125550101", "kind": "written", "source": "form 1"}
    granted = httpx.post(f"{served.base}/api/v1/dnc/consent", json=consent, headers=headers)
    assert granted.status_code == 201, granted.text

    home = served.home
    assert _mode(home) == 0o700
    assert _mode(home / "recordings") == 0o700
    private = ["audit.jsonl", "secret.key", "recordings/1.wav"]
    if served.backend == "sqlite":
        private += ["tidal.db", "tidal.db-wal", "tidal.db-shm"]
    for name in private:
        assert _mode(home / name) == 0o600, name
    for name in ("audit.jsonl", "secret.key", "recordings/1.wav"):
        assert f"path={home / name} from=0o644 to=0o600" in served.log


def test_an_encoded_stream_key_and_a_failed_write_leave_no_secret_in_the_log(
    served: Served,
) -> None:
    headers = _sign_in(served)
    token = headers["Authorization"].removeprefix("Bearer ")
    with connect(f"ws{served.base[4:]}/api/v1/stream?tok%65n={token}") as stream:
        assert stream.recv(timeout=10)  # the server took the encoded key as the token

    body = {"name": "bob", "role": "agent", "password": NEW_PASSWORD}
    failed = httpx.post(f"{served.base}/api/v1/users", json=body, headers=headers)
    assert failed.status_code == 500  # the database refused the row (the test's trigger)

    def logged() -> str:
        return served.log

    deadline = time.monotonic() + 10
    while "refused" not in logged() and time.monotonic() < deadline:
        time.sleep(0.05)
    log = logged()
    assert "refused" in log  # the failure itself is logged ...
    assert "INSERT INTO users" in log
    assert "parameters hidden" in log  # ... without its parameters
    assert "$argon2" not in log and NEW_PASSWORD not in log
    assert token not in log
    assert "tok%65n=***" in log
    if served.backend == "sqlite":
        # the hash is nowhere in the database either: the write was refused whole
        engine = create_engine(f"sqlite:///{served.home / 'tidal.db'}")
        with engine.connect() as connection:
            names = connection.execute(text("SELECT name FROM users")).scalars().all()
        engine.dispose()
        assert names == ["root"]
