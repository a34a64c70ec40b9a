"""Body limits: an oversize body is 413 before authentication, and uploads have their own.

The module's app is built with `$TIDAL_MAX_UPLOAD_BYTES` at 200 kB so an upload just
under and just over its limit can be sent; JSON routes keep the 1 MiB default.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api.conftest import Site
from tidal.api._limits import (
    DEFAULT_MAX_UPLOAD_BYTES,
    MAX_BODY_BYTES,
    MAX_UPLOAD_ENV,
    UploadLimitError,
    upload_limit,
)

UPLOAD_BYTES = 200_000
FLOW = "name: padded\nstart: bye\nnodes:\n  bye: {hangup: true}\n"


@pytest.fixture(scope="module", autouse=True)
def small_upload_limit() -> Iterator[None]:
    """Set before the module's `center` fixture builds the app (autouse runs first)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(MAX_UPLOAD_ENV, str(UPLOAD_BYTES))
        yield


def chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    """A body of `total` bytes sent chunked (no Content-Length)."""
    sent = 0
    while sent < total:
        part = min(size, total - sent)
        sent += part
        yield b" " * part


def assert_too_large(answer: object, limit: int) -> None:
    assert getattr(answer, "status_code", None) == 413, getattr(answer, "text", answer)
    (issue,) = answer.json()["detail"]  # type: ignore[attr-defined]
    assert issue["loc"] == ["body"] and f"{limit} bytes" in issue["msg"]


def test_an_unauthenticated_oversize_body_is_413_not_401(center: Site) -> None:
    body = b"{" + b" " * (MAX_BODY_BYTES + 1) + b"}"
    answer = center.client.post(
        "/api/v1/queues", content=body, headers={"Content-Type": "application/json"}
    )
    assert_too_large(answer, MAX_BODY_BYTES)
    # The same route, small body, no token: authentication answers as before.
    assert center.client.post("/api/v1/queues", json={}).status_code == 401


def test_a_chunked_oversize_body_is_413_too(center: Site) -> None:
    for headers in ({}, center.auth("ada")):
        answer = center.client.post(
            "/api/v1/queues",
            content=chunks(MAX_BODY_BYTES + 1),
            headers={**headers, "Content-Type": "application/json"},
        )
        assert_too_large(answer, MAX_BODY_BYTES)


def test_a_flow_just_under_the_upload_limit_is_taken_just_over_is_413(center: Site) -> None:
    headers = {**center.auth("ada"), "Content-Type": "application/yaml"}
    padding = UPLOAD_BYTES - len(FLOW) - 100
    under = FLOW + "#" * padding + "\n"
    assert MAX_BODY_BYTES > UPLOAD_BYTES > len(under.encode()) > UPLOAD_BYTES - 200
    taken = center.client.put("/api/v1/flows/padded", content=under, headers=headers)
    assert taken.status_code in (200, 201), taken.text
    over = FLOW + "#" * (UPLOAD_BYTES + 1)
    assert_too_large(
        center.client.put("/api/v1/flows/padded", content=over, headers=headers), UPLOAD_BYTES
    )
    chunked = center.client.put(
        "/api/v1/flows/padded", content=chunks(UPLOAD_BYTES + 1), headers=headers
    )
    assert_too_large(chunked, UPLOAD_BYTES)
    unauthenticated = center.client.put("/api/v1/flows/padded", content=over)
    assert_too_large(unauthenticated, UPLOAD_BYTES)


def test_a_lead_list_just_under_the_upload_limit_is_taken(center: Site) -> None:
    campaign = {
        "name": "big",
        "caller_id": "+12025550100",
        "leads": {"count": 10, "area_codes": [212]},
        "outcomes": {"human": 1.0},
        "time_to_answer": {"dist": "constant", "value": 5},
        "talk_time": {"dist": "constant", "value": 60},
    }
    assert center.client.put(
        "/api/v1/campaigns/big", json=campaign, headers=center.auth("ada")
    ).status_code in (200, 201)
    row = "Ann,2125550100,10001\n"
    lines = ["name,phone,zip\n"] + [row] * ((UPLOAD_BYTES - 1000) // len(row))
    text = "".join(lines).encode()

    def upload(content: bytes) -> object:
        return center.client.post(
            "/api/v1/campaigns/big/leads",
            files={"file": ("leads.csv", content, "text/csv")},
            headers=center.auth("ada"),
        )

    taken = upload(text)
    assert taken.status_code == 200, taken.text  # type: ignore[attr-defined]
    assert taken.json()["rows"] == len(lines) - 1  # type: ignore[attr-defined]
    assert_too_large(upload(text + text), UPLOAD_BYTES)


def test_the_upload_limit_comes_from_the_environment() -> None:
    assert upload_limit({}) == DEFAULT_MAX_UPLOAD_BYTES
    assert upload_limit({MAX_UPLOAD_ENV: "1048576"}) == 1048576
    for bad in ("-1", "0", "64M", "1e6"):
        with pytest.raises(UploadLimitError, match=MAX_UPLOAD_ENV):
            upload_limit({MAX_UPLOAD_ENV: bad})
