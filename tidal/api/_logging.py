"""Keep bearer tokens out of the server's logs.

The stream takes its token in the query string (`/api/v1/stream?token=`: browsers
cannot set headers on a WebSocket), and Uvicorn logs request paths with their query
strings, so its loggers get a filter that masks the value of every `token=`.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Final

TOKEN_IN_QUERY: Final = re.compile(r"(?i)(\b(?:access_)?token=)[^&\s\"']*")
MASK: Final = r"\1***"
SERVER_LOGGERS: Final = ("uvicorn.access", "uvicorn.error")


def redact(text: str) -> str:
    """The text with every `token=` value masked."""
    return TOKEN_IN_QUERY.sub(MASK, text)


class RedactTokens(logging.Filter):
    """Masks token values in a record's message and arguments; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place."""
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_masked(arg) for arg in record.args)
        return True


def _masked(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


def install_token_redaction(names: tuple[str, ...] = SERVER_LOGGERS) -> None:
    """Put the filter on the server's loggers, once."""
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
