"""Signing in: tokens, 401s, the secret file, `/me`."""

from __future__ import annotations

import stat
import time
from datetime import UTC, datetime

import jwt
import pytest

from tests.api.conftest import PASSWORD, Site
from tidal.api import TokenIssuer, load_secret
from tidal.store import Role, User


def test_healthz_needs_no_token(center: Site) -> None:
    answer = center.client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}


def test_a_token_is_an_hs256_jwt_for_twelve_hours(center: Site) -> None:
    claims = jwt.decode(
        center.tokens["ada"], (center.home / "secret.key").read_bytes(), algorithms=["HS256"]
    )
    assert claims["sub"] == "ada"
    assert claims["exp"] - claims["iat"] == 12 * 3600


@pytest.mark.parametrize(
    ("username", "password"), [("ada", "wrong password"), ("nobody", PASSWORD), ("ada", "")]
)
def test_wrong_password_or_unknown_user_is_401(center: Site, username: str, password: str) -> None:
    answer = center.client.post(
        "/api/v1/auth/token", data={"username": username, "password": password}
    )
    assert answer.status_code in (401, 422)
    if answer.status_code == 401:
        assert answer.headers["WWW-Authenticate"] == "Bearer"
        assert "access_token" not in answer.json()


def test_no_token_is_401_with_bearer_challenge(center: Site) -> None:
    answer = center.client.get("/api/v1/me")
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "token",
    [
        "not-a-jwt",
        jwt.encode({"sub": "ada", "iat": 0, "exp": 2**40}, b"x" * 64, algorithm="HS256"),
        jwt.encode({"sub": "ada", "iat": 0, "exp": 2**40}, "", algorithm="none"),
    ],
    ids=["garbage", "other-secret", "unsigned"],
)
def test_a_bad_token_is_401(center: Site, token: str) -> None:
    answer = center.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == "Bearer"


def test_an_expired_token_is_401(center: Site) -> None:
    issuer = TokenIssuer(load_secret(center.home))
    ada = center.runtime.store.users.get("ada")
    assert ada is not None
    token = issuer.issue(ada, now=time.time() - 13 * 3600)
    answer = center.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401


def test_a_token_for_a_user_that_does_not_exist_is_401(center: Site) -> None:
    ghost = User(id=10_000, name="ghost", role=Role.ADMIN, created_at=datetime.now(UTC))
    token = TokenIssuer(load_secret(center.home)).issue(ghost)
    answer = center.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401


def test_the_secret_is_created_once_with_mode_0600(center: Site) -> None:
    path = center.home / "secret.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_secret(center.home) == path.read_bytes()


def test_me_names_the_user_role_and_agent(center: Site) -> None:
    assert center.client.get("/api/v1/me", headers=center.auth("alice")).json() == {
        "name": "alice",
        "role": "agent",
        "agent_id": "a1",
    }
    assert center.client.get("/api/v1/me", headers=center.auth("sam")).json() == {
        "name": "sam",
        "role": "supervisor",
        "agent_id": None,
    }


def test_the_openapi_document_is_served(center: Site) -> None:
    paths = center.client.get("/openapi.json").json()["paths"]
    assert "/api/v1/auth/token" in paths
    assert "/api/v1/campaigns/{name}/leads" in paths
