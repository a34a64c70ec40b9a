"""`tidal users list/disable/enable/delete/set-role/reset-password/sign-out` on both databases."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from uuid import uuid4

import pytest

from tests.postgres import PostgresServer
from tidal.store import Store

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(params=["sqlite", "postgresql"])
def users_cli(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Run, Store]]:
    env = dict(os.environ, TIDAL_HOME=str(tmp_path))
    env.pop("TIDAL_DATABASE_URL", None)
    database = None
    if request.param == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgresql_server")
        database = f"tidal_cli_{uuid4().hex[:12]}"
        env["TIDAL_DATABASE_URL"] = server.new_database(database)

    def run(*args: str, password: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tidal.cli", "users", *args],
            input=password + "\n",
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )

    store = Store.open(env.get("TIDAL_DATABASE_URL"), home=tmp_path)
    try:
        yield run, store
    finally:
        store.close()
        if database is not None:
            request.getfixturevalue("postgresql_server").drop_database(database)


def test_users_are_listed_changed_and_deleted_from_the_command_line(
    users_cli: tuple[Run, Store], tmp_path: Path
) -> None:
    run, store = users_cli
    assert run("add", "ada", "--role", "admin", password="ada-password").returncode == 0
    assert run("add", "Bob", "--role", "agent", password="bob-password").returncode == 0
    assert run("add", "BOB", "--role", "agent", password="x-password").returncode == 2
    listed = json.loads(run("list", "--json").stdout)["users"]
    assert [(u["name"], u["role"], u["disabled"]) for u in listed] == [
        ("Bob", "agent", False),
        ("ada", "admin", False),
    ]
    assert run("set-role", "bob", "supervisor").returncode == 0
    assert run("disable", "bob").returncode == 0
    bob = store.users.get("bob")
    assert bob is not None and bob.disabled and bob.role == "supervisor"
    assert bob.token_generation == 1
    assert store.users.verify("bob", "bob-password") is None
    assert run("enable", "bob").returncode == 0
    reset = run("reset-password", "bob", password="new-bob-password")
    assert reset.returncode == 0 and "new-bob-password" not in reset.stdout + reset.stderr
    assert store.users.verify("bob", "new-bob-password") is not None
    assert run("sign-out", "bob").returncode == 0
    bob = store.users.get("bob")
    assert bob is not None and bob.token_generation == 3
    assert run("delete", "BOB").returncode == 0
    assert store.users.get("bob") is None
    actions = [e.action for e in store.audit.list(limit=100)]
    assert actions == ["user_created"] * 2 + ["user_changed"] * 4 + [
        "user_signed_out",
        "user_deleted",
    ]
    trail = (tmp_path / "audit.jsonl").read_text()
    assert "new-bob-password" not in trail and trail.count("\n") == len(actions)


def test_refusals_exit_2_naming_why(users_cli: tuple[Run, Store]) -> None:
    run, _ = users_cli
    assert run("add", "ada", "--role", "admin", password="ada-password").returncode == 0
    for args, said in (
        (("disable", "ada"), "last enabled admin"),
        (("delete", "ada"), "last enabled admin"),
        (("set-role", "ada", "agent"), "last enabled admin"),
        (("disable", "ghost"), "no user 'ghost'"),
        (("set-role", "ada", "root"), "'root' is not one of"),
        (("reset-password", "ada"), "password is empty"),
    ):
        refused = run(*args)
        assert refused.returncode == 2, args
        assert said in refused.stderr and "Traceback" not in refused.stderr
    bad = run("add", "e\u200bve", "--role", "agent", password="eve-password")
    assert bad.returncode == 2 and "ZERO WIDTH SPACE" in bad.stderr
