"""Keep bearer tokens, passwords and other secrets out of the server's logs.

The stream takes its token in the query string (`/api/v1/stream?token=`: browsers
cannot set headers on a WebSocket), and Uvicorn logs request paths with their query
strings as they arrived, percent-encoding and all: `?tok%65n=` is the `token`
parameter to the server, so a mask that matched the raw text only was bypassed. The
filter on the server's loggers therefore decodes each query key (repeatedly, so a
doubly encoded one is caught too) before deciding whether its value is a secret, and
masks anything shaped like a JWT or an `Authorization` header wherever it appears.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Final
from urllib.parse import unquote_plus

MASKED: Final = "***"
SERVER_LOGGERS: Final = ("uvicorn.access", "uvicorn.error")

# Query keys whose value is a secret, once decoded and lower-cased; and words that make
# any key a secret (`new_password`, `client_secret`, `x-api-key`).
SECRET_KEYS: Final = frozenset({"token", "access_token", "jwt", "key", "auth", "sig", "pwd"})
SECRET_WORDS: Final = ("token", "passw", "secret", "api_key", "apikey", "signature", "session")

# One `key=value` of a query string (or of a form body echoed in a message).
QUERY_PAIR: Final = re.compile(
    r"(?P<lead>^|[?&;\s\"'(,])(?P<key>[^=&;\s\"'?#(),]+)=(?P<value>[^&;\s\"'#]*)"
)
# Three base64url segments, the first a JSON object's start: a JWT (or a JWS).
JWT: Final = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
AUTHORIZATION: Final = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+")
DECODE_ROUNDS: Final = 4


def _decoded(text: str) -> str:
    """`text` percent-decoded until it stops changing (a few rounds at most)."""
    for _ in range(DECODE_ROUNDS):
        decoded = unquote_plus(text)
        if decoded == text:
            break
        text = decoded
    return text


def is_secret_key(key: str) -> bool:
    """Whether a query key (as sent, possibly percent-encoded) names a secret."""
    name = _decoded(key).strip().lower()
    return name in SECRET_KEYS or any(word in name for word in SECRET_WORDS)


def _pair(match: re.Match[str]) -> str:
    key, value = match["key"], match["value"]
    if value and (is_secret_key(key) or JWT.search(_decoded(value))):
        value = MASKED
    return f"{match['lead']}{key}={value}"


def redact(text: str) -> str:
    """The text with secret query values, JWTs and Authorization credentials masked."""
    text = QUERY_PAIR.sub(_pair, text)
    text = JWT.sub(MASKED, text)
    return AUTHORIZATION.sub(lambda m: f"{m[1]} {MASKED}", text)


class RedactTokens(logging.Filter):
    """Masks secrets in a record's message and arguments; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place."""
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_masked(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _masked(arg) for key, arg in record.args.items()}
        return True


def _masked(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


def install_token_redaction(names: tuple[str, ...] = SERVER_LOGGERS) -> None:
    """Put the filter on the server's loggers, once."""
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
