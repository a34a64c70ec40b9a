"""Users: listing with pages, creating, validation errors with field paths."""

from __future__ import annotations

from tests.api.conftest import USERS, Site


def test_create_a_user_and_sign_in_as_them(center: Site) -> None:
    body = {"name": "carol", "role": "supervisor", "password": "s3cret-enough"}
    answer = center.client.post("/api/v1/users", json=body, headers=center.auth("ada"))
    assert answer.status_code == 201
    assert answer.json()["name"] == "carol"
    assert answer.json()["role"] == "supervisor"
    assert "password" not in answer.text and "argon2" not in answer.text
    token = center.client.post(
        "/api/v1/auth/token", data={"username": "carol", "password": "s3cret-enough"}
    )
    assert token.status_code == 200


def test_a_taken_name_is_409(center: Site) -> None:
    body = {"name": "ada", "role": "admin", "password": "another-password"}
    answer = center.client.post("/api/v1/users", json=body, headers=center.auth("ada"))
    assert answer.status_code == 409
    assert "already exists" in answer.json()["detail"]


def test_a_bad_body_is_422_with_field_paths_and_no_echo(center: Site) -> None:
    body = {"name": "dave", "role": "boss", "password": "pw-7x"}
    answer = center.client.post("/api/v1/users", json=body, headers=center.auth("ada"))
    assert answer.status_code == 422
    locs = {tuple(e["loc"]) for e in answer.json()["detail"]}
    assert locs == {("body", "role"), ("body", "password")}
    assert "pw-7x" not in answer.text  # the password sent is never echoed


def test_a_missing_field_is_named(center: Site) -> None:
    answer = center.client.post("/api/v1/users", json={"name": "erin"}, headers=center.auth("ada"))
    assert answer.status_code == 422
    assert {tuple(e["loc"]) for e in answer.json()["detail"]} == {
        ("body", "role"),
        ("body", "password"),
    }


def test_users_are_paged(center: Site) -> None:
    first = center.client.get("/api/v1/users?limit=2", headers=center.auth("ada")).json()
    assert first["limit"] == 2 and first["offset"] == 0
    assert len(first["items"]) == 2
    assert first["total"] >= len(USERS)
    rest = center.client.get("/api/v1/users?limit=1000&offset=2", headers=center.auth("ada")).json()
    names = [u["name"] for u in first["items"] + rest["items"]]
    assert len(names) == first["total"]
    assert names == sorted(names)
    assert set(USERS) <= set(names)


def test_paging_limits_are_validated(center: Site) -> None:
    for query in ("limit=0", "limit=1001", "offset=-1", "limit=ten"):
        answer = center.client.get(f"/api/v1/users?{query}", headers=center.auth("ada"))
        assert answer.status_code == 422, query
        assert answer.json()["detail"][0]["loc"][0] == "query"
