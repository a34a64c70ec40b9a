"""Constants of the HTTP API: paths, token lifetime, paging limits."""

from __future__ import annotations

from typing import Final

API_PREFIX: Final = "/api/v1"
TOKEN_URL: Final = f"{API_PREFIX}/auth/token"
SECRET_FILENAME: Final = "secret.key"
SECRET_BYTES: Final = 32
TOKEN_ALGORITHM: Final = "HS256"
TOKEN_LIFETIME_SECONDS: Final = 12 * 3600
DEFAULT_LIMIT: Final = 100
MAX_LIMIT: Final = 1000
# The largest `?offset=`: beyond any list, and inside SQLite's and PostgreSQL's bigint.
MAX_OFFSET: Final = 2**53 - 1
# Records read per query when a report or export walks a whole period.
REPORT_BATCH: Final = 1000
# WebSocket close code for a missing or bad token (RFC 6455: policy violation).
WS_POLICY_VIOLATION: Final = 1008
# The actor recorded in audit entries for a change made through the API.
ACTOR_PREFIX: Final = "api:"
