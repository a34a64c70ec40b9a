"""Files only their owner may read: `$TIDAL_HOME` 0700, everything written in it 0600.

The home holds password hashes and the signing secret (`tidal.db`, `secret.key`),
callers' numbers (`tidal.db`, `audit.jsonl`, recordings, exports) and the consent and
Do-Not-Call trail. Another local user must read none of it, whatever the umask of the
shell that started Tidal, and whatever modes an older version left behind: every
writer creates its files through `open_private`, and `secure_home` tightens what is
already there when the server or a command starts, logging each file it changed.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import IO, Any, Final

PRIVATE_DIR_MODE: Final = 0o700
PRIVATE_FILE_MODE: Final = 0o600
PRIVATE_UMASK: Final = 0o077

# What `secure_home` tightens: the files Tidal writes in the home, and the folders whose
# every file is private (recordings, exports).
HOME_FILES: Final = (
    "tidal.db",
    "tidal.db-wal",
    "tidal.db-shm",
    "tidal.db-journal",
    "audit.jsonl",
    "secret.key",
    "demo-logins.json",
    "demo-report.html",
)
HOME_FOLDERS: Final = ("recordings", "exports")

log = logging.getLogger("tidal.files")


def _too_open(mode: int, wanted: int) -> bool:
    return bool(stat.S_IMODE(mode) & ~wanted)


def tighten(path: Path, wanted: int) -> bool:
    """Take group and other bits off `path` (not following a symlink); True when changed."""
    try:
        found = path.lstat()
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(found.st_mode) or not _too_open(found.st_mode, wanted):
        return False
    path.chmod(stat.S_IMODE(found.st_mode) & wanted)
    log.warning(
        "tightened mode path=%s from=%s to=%s",
        path,
        oct(stat.S_IMODE(found.st_mode)),
        oct(stat.S_IMODE(found.st_mode) & wanted),
    )
    return True


def tighten_file(path: Path) -> bool:
    """An existing file made 0600 if it was looser (a missing one is left missing)."""
    return tighten(path, PRIVATE_FILE_MODE)


def private_dir(path: Path) -> Path:
    """`path` and its missing parents created, `path` itself 0700 (tightened if looser)."""
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    tighten(path, PRIVATE_DIR_MODE)
    return path


def open_private(path: Path, mode: str = "a", **options: Any) -> IO[Any]:
    """`path` opened as `open()` would, created 0600 and tightened to it if it was looser.

    Missing folders are created 0700; an existing folder is left as it is (it may be
    one the user chose, such as `--out /tmp/clean.csv`). `mode` is a writing mode.
    """
    path.parent.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    flags = os.O_CREAT | os.O_WRONLY
    if "+" in mode:
        flags = os.O_CREAT | os.O_RDWR
    if mode.startswith("a"):
        flags |= os.O_APPEND
    elif mode.startswith("w"):
        flags |= os.O_TRUNC
    elif mode.startswith("x"):
        flags |= os.O_EXCL
    else:
        raise ValueError(f"open_private writes; {mode!r} is not a writing mode")
    descriptor = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), PRIVATE_FILE_MODE)
    try:
        found = os.fstat(descriptor)
        if _too_open(found.st_mode, PRIVATE_FILE_MODE):
            os.fchmod(descriptor, stat.S_IMODE(found.st_mode) & PRIVATE_FILE_MODE)
            log.warning(
                "tightened mode path=%s from=%s to=%s",
                path,
                oct(stat.S_IMODE(found.st_mode)),
                oct(stat.S_IMODE(found.st_mode) & PRIVATE_FILE_MODE),
            )
        return os.fdopen(descriptor, mode.replace("x", "w"), **options)
    except BaseException:
        os.close(descriptor)
        raise


def touch_private(path: Path) -> Path:
    """`path` existing and 0600 (an empty file when it was missing)."""
    with open_private(path, "ab"):
        pass
    return path


def secure_home(home: Path) -> list[Path]:
    """The home made 0700 and the files Tidal keeps in it 0600; returns what was changed."""
    private_dir(home)
    changed: list[Path] = []
    for name in HOME_FILES:
        if tighten_file(home / name):
            changed.append(home / name)
    for name in HOME_FOLDERS:
        folder = home / name
        if not folder.is_dir() or folder.is_symlink():
            continue
        for root, folders, files in os.walk(folder):
            base = Path(root)
            if tighten(base, PRIVATE_DIR_MODE):
                changed.append(base)
            for file in files:
                if tighten_file(base / file):
                    changed.append(base / file)
            folders[:] = [f for f in folders if not (base / f).is_symlink()]
    return changed


def private_umask() -> int:
    """Set the process umask to 077 (files 0600, folders 0700); returns the previous one."""
    return os.umask(PRIVATE_UMASK)
