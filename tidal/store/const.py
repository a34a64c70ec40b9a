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


class SignInOutcome(StrEnum):
    """What a sign-in attempt came to, as the audit trail records it."""

    SIGNED_IN = "signed_in"
    WRONG_PASSWORD = "wrong_password"
    UNKNOWN_USER = "unknown_user"
    DISABLED = "disabled"
