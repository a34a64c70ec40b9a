"""Tokens sent in the stream's query string never reach the server's logs."""

from __future__ import annotations

import logging

import pytest

from tests.api.conftest import Site
from tidal.api._logging import redact


def test_uvicorn_log_lines_mask_the_token(center: Site, caplog: pytest.LogCaptureFixture) -> None:
    token = center.tokens["alice"]
    with caplog.at_level(logging.INFO):
        logging.getLogger("uvicorn.error").info(
            '%s - "WebSocket %s" [accepted]', "127.0.0.1:5000", f"/api/v1/stream?token={token}"
        )
        logging.getLogger("uvicorn.access").info(
            '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", f"/x?a=1&token={token}", "1.1", 200
        )
    text = caplog.text
    assert token not in text
    assert "/api/v1/stream?token=***" in text
    assert "/x?a=1&token=*** HTTP/1.1" in text


JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlX2hlcmU"


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        (f"/api/v1/stream?tok%65n={JWT}", "/api/v1/stream?tok%65n=***"),
        (f"/api/v1/stream?%74%6F%6B%65%6E={JWT}", "/api/v1/stream?%74%6F%6B%65%6E=***"),
        (f"/api/v1/stream?tok%2565n={JWT}", "/api/v1/stream?tok%2565n=***"),  # twice encoded
        (f"/api/v1/stream?TOKEN={JWT}", "/api/v1/stream?TOKEN=***"),
        ("/x?access_token=abc&b=2", "/x?access_token=***&b=2"),
        ("/x?password=hunter2&user=ada", "/x?password=***&user=ada"),
        ("/x?new_password=hunter2", "/x?new_password=***"),
        ("/x?pass%77ord=hunter2", "/x?pass%77ord=***"),
        ("/x?client_secret=s3&api_key=k", "/x?client_secret=***&api_key=***"),
        (f"/x?t={JWT}", "/x?t=***"),  # a JWT under any name
        (f"/x?t=e%79J{JWT[3:]}", "/x?t=***"),  # ... even percent-encoded
        (f"a JWT in prose {JWT} here", "a JWT in prose *** here"),
        ("Authorization: Bearer abc.def-ghi", "Authorization: Bearer ***"),
        ("/api/v1/interactions?limit=5&offset=10", "/api/v1/interactions?limit=5&offset=10"),
        ("/api/v1/dnc/2125550100?campaign=renewals", "/api/v1/dnc/2125550100?campaign=renewals"),
    ],
)
def test_secrets_are_masked_however_they_are_spelled(line: str, masked: str) -> None:
    assert redact(line) == masked
