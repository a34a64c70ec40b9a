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
# The server's cap on a token's life, whatever its `exp` claims: iat + this.
TOKEN_MAX_LIFETIME_SECONDS: Final = 12 * 3600
# How far in the future a token's `iat` may be (clocks of several nodes drift a little).
TOKEN_CLOCK_LEEWAY_SECONDS: Final = 60
# How long a user's state (disabled, generation, role) is trusted from memory before it
# is read again; a change made through this server's API drops it at once.
ACCESS_CACHE_SECONDS: Final = 1.0
# How often the revocation watcher reads the users with an open stream (one query for all);
# a change through the API wakes their streams at once.
STREAM_ACCESS_CHECK_SECONDS: Final = 1.0
# Failed sign-ins allowed in a moving window, per user name and per client address.
SIGNIN_FAILURES_PER_NAME: Final = "5/15 minutes"
SIGNIN_FAILURES_PER_ADDRESS: Final = "30/15 minutes"
# argon2 checks at once (64 MiB each with the defaults), and how many may wait for one.
PASSWORD_CHECKS_AT_ONCE: Final = 4
PASSWORD_CHECKS_WAITING: Final = 64
# Seconds a client is told to wait when every password-check slot and queue place is taken.
SIGNIN_BUSY_RETRY_SECONDS: Final = 1
