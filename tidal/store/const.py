"""Constants of the store: environment variables, default locations, limits."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

DATABASE_URL_ENV = "TIDAL_DATABASE_URL"
HOME_ENV = "TIDAL_HOME"
DEFAULT_HOME = Path(".tidal")
SQLITE_FILENAME = "tidal.db"

SQLITE_BUSY_TIMEOUT_MS = 5000
REPLAY_BATCH_SIZE = 1000
DEFAULT_PAGE_SIZE = 100

# Taken with pg_advisory_xact_lock so that several nodes starting at once migrate in turn.
MIGRATION_LOCK_ID = 0x7ADA1


class Role(StrEnum):
    """What a user may do: administer, supervise, or take contacts."""

    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    AGENT = "agent"
