"""Tokens sent in the stream's query string never reach the server's logs."""

from __future__ import annotations

import logging

import pytest

from tests.api.conftest import Site


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
