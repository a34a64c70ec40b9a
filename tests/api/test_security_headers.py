"""Every response carries the security headers; /docs has its own policy, its script hashed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import FakeRuntime, Site
from tidal.api import create_app
from tidal.api._security import PAGE_POLICY, script_hashes
from tidal.web import PAGES, STATIC_DIR, mount

EXPECTED = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def _directives(policy: str) -> dict[str, str]:
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (p.strip() for p in policy.split(";"))
    }


@pytest.fixture(scope="module")
def pages(center: Site) -> TestClient:
    """An app with the web pages mounted, as `tidal serve` builds it."""
    app = create_app(center.runtime, center.home)
    mount(app)
    return TestClient(app)


@pytest.mark.parametrize(
    ("path", "user"),
    [
        ("/healthz", None),
        ("/api/v1/me", "ada"),
        ("/api/v1/me", None),  # a 401 too
        ("/api/v1/nowhere", None),  # and a 404
        ("/openapi.json", None),
    ],
)
def test_api_answers_carry_the_headers(center: Site, path: str, user: str | None) -> None:
    answer = center.client.get(path, headers=center.auth(user) if user else {})
    for name, value in EXPECTED.items():
        assert answer.headers[name] == value, name
    assert answer.headers["content-security-policy"] == PAGE_POLICY


@pytest.mark.parametrize("route", sorted(PAGES))
def test_pages_forbid_inline_script_and_framing(pages: TestClient, route: str) -> None:
    answer = pages.get(route)
    assert answer.status_code == 200
    for name, value in EXPECTED.items():
        assert answer.headers[name] == value, name
    policy = _directives(answer.headers["content-security-policy"])
    assert policy["script-src"] == "'self'"  # no 'unsafe-inline', no hash, no CDN
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "<script>" not in answer.text  # the pages keep to that: no inline script


def test_static_pages_have_no_inline_scripts_or_style_attributes() -> None:
    for page in STATIC_DIR.glob("*.html"):
        html = page.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), page.name
        assert not re.search(r"\sstyle=|\son[a-z]+=", html), page.name


def test_docs_are_served_from_here_with_their_script_hashed(center: Site) -> None:
    answer = center.client.get("/docs")
    assert answer.status_code == 200
    assert "cdn" not in answer.text.lower()
    policy = _directives(answer.headers["content-security-policy"])
    hashes = script_hashes(answer.text)
    assert len(hashes) == 1
    assert policy["script-src"] == f"'self' {hashes[0]}"
    assert policy["frame-ancestors"] == "'none'"
    assert answer.headers["x-frame-options"] == "DENY"
    assets = re.findall(r'(?:src|href)="(/static-docs/[^"]+)"', answer.text)
    assert len(assets) >= 2
    for asset in assets:
        assert center.client.get(asset).status_code == 200, asset
    assert center.client.get("/docs/oauth2-redirect").status_code == 200
    assert center.client.get("/redoc").status_code == 404  # ReDoc would need a CDN


def test_a_fresh_app_sends_them_too(tmp_path: Path, center: Site) -> None:
    with TestClient(create_app(FakeRuntime(center.runtime.store), tmp_path)) as client:
        assert client.get("/healthz").headers["x-content-type-options"] == "nosniff"
