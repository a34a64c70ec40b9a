"""Tidal's files are its owner's: created 0600 in 0700 folders, looser ones tightened."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tidal.config import open_private, private_dir, secure_home, tighten_file, touch_private
from tidal.store import Store


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """Run the test under a shell's usual umask (022), whatever pytest had."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.mark.usefixtures("loose_umask")
def test_open_private_creates_0600_and_tightens_a_looser_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fresh = tmp_path / "new" / "audit.jsonl"
    with open_private(fresh, "a", encoding="utf-8") as handle:
        handle.write("{}\n")
    assert _mode(fresh) == 0o600
    assert _mode(fresh.parent) == 0o700  # a folder it had to create
    old = tmp_path / "old.csv"
    old.write_text("kept\n")
    old.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="tidal.files"), open_private(old, "a") as handle:
        handle.write("more\n")
    assert _mode(old) == 0o600
    assert old.read_text() == "kept\nmore\n"  # appended, nothing lost
    assert f"tightened mode path={old} from=0o644 to=0o600" in caplog.text


@pytest.mark.usefixtures("loose_umask")
def test_open_private_leaves_a_folder_the_user_chose_alone(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    with open_private(tmp_path / "clean.csv", "w") as handle:
        handle.write("phone\n")
    assert _mode(tmp_path) == 0o755
    assert _mode(tmp_path / "clean.csv") == 0o600
    with pytest.raises(FileExistsError):
        open_private(tmp_path / "clean.csv", "xb")
    with pytest.raises(ValueError, match="writing mode"):
        open_private(tmp_path / "clean.csv", "r")


@pytest.mark.usefixtures("loose_umask")
def test_secure_home_tightens_what_an_older_version_left(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    names = ["tidal.db", "tidal.db-wal", "audit.jsonl", "secret.key", "exports/day.csv"]
    (home / "exports").mkdir(mode=0o755)
    (home / "recordings" / "2026").mkdir(parents=True, mode=0o755)
    names.append("recordings/2026/1.wav")
    for name in names:
        (home / name).write_text("x")
        (home / name).chmod(0o644)
    (home / "unrelated.txt").write_text("x")
    (home / "unrelated.txt").chmod(0o644)
    changed = secure_home(home)
    assert _mode(home) == 0o700
    for name in names:
        assert _mode(home / name) == 0o600, name
    for folder in ("exports", "recordings", "recordings/2026"):
        assert _mode(home / folder) == 0o700, folder
    assert _mode(home / "unrelated.txt") == 0o644  # not Tidal's to change
    assert set(changed) >= {home / name for name in names}
    assert secure_home(home) == []  # once private, nothing more to change


def test_tighten_file_never_loosens_and_ignores_missing_files(tmp_path: Path) -> None:
    strict = touch_private(tmp_path / "a")
    strict.chmod(0o400)
    assert tighten_file(strict) is False and _mode(strict) == 0o400
    assert tighten_file(tmp_path / "missing") is False
    assert _mode(private_dir(tmp_path / "d")) == 0o700


@pytest.mark.usefixtures("loose_umask")
def test_store_open_makes_the_sqlite_files_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    for suffix in ("", "-wal", "-shm"):  # an empty database and journal, world-readable
        (home / f"tidal.db{suffix}").touch(mode=0o644)
    with Store.open(home=home) as store:
        store.audit.count()
        for suffix in ("", "-wal", "-shm"):
            assert _mode(home / f"tidal.db{suffix}") == 0o600, suffix
    assert _mode(home) == 0o700
    fresh = tmp_path / "fresh"
    with Store.open(home=fresh) as store:
        store.audit.count()
        assert _mode(fresh / "tidal.db") == 0o600
        assert _mode(fresh / "tidal.db-wal") == 0o600  # SQLite copies the database's mode


@pytest.mark.usefixtures("loose_umask")
def test_the_cli_creates_its_files_private_under_a_loose_umask(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "TIDAL_HOME": str(home)}
    env.pop("TIDAL_DATABASE_URL", None)
    run = subprocess.run(
        [sys.executable, "-m", "tidal", "dnc", "add", "2125550100", "--source", "asked"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert _mode(home) == 0o700
    assert _mode(home / "audit.jsonl") == 0o600
    for path in home.rglob("*"):  # the registry's folders and files too (umask 077)
        assert not _mode(path) & 0o077, path
