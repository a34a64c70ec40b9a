"""Tokens stop working at once: disabled, deleted, signed out, re-roled; the server caps their life.

On SQLite and PostgreSQL. Also: the last enabled admin is kept, names are unique
regardless of case, and an open stream closes when its token stops admitting its user.
"""

from __future__ import annotations

import json
import time

import jwt
import pytest
from starlette.websockets import WebSocketDisconnect

from tests.api.access_site import AccessSite
from tests.api.conftest import PASSWORD
from tidal.api import TokenIssuer, load_secret

ME = "/api/v1/me"


def _user(access: AccessSite, name: str) -> str:
    return f"/api/v1/users/{name}"


@pytest.mark.parametrize(
    ("change", "body"),
    [("PATCH", {"disabled": True}), ("DELETE", None), ("POST-sign-out", None)],
)
def test_a_disabled_deleted_or_signed_out_users_tokens_are_401_at_once(
    access: AccessSite, change: str, body: dict[str, bool] | None
) -> None:
    admin = access.token("ada")
    tokens = [access.token("alice"), access.token("alice")]  # two devices
    assert all(access.call("GET", ME, t).status_code == 200 for t in tokens)
    if change == "POST-sign-out":
        answer = access.call("POST", "/api/v1/users/alice/sign-out", admin)
    else:
        answer = access.call(change, "/api/v1/users/alice", admin, json=body)
    assert answer.status_code in (200, 204), answer.text
    for token in tokens:
        refused = access.call("GET", ME, token)
        assert refused.status_code == 401
        assert refused.headers["WWW-Authenticate"] == "Bearer"
    assert access.call("GET", ME, admin).status_code == 200  # nobody else is affected


def test_an_enabled_again_user_signs_in_anew_and_old_tokens_stay_dead(access: AccessSite) -> None:
    admin = access.token("ada")
    old = access.token("alice")
    access.call("PATCH", "/api/v1/users/alice", admin, json={"disabled": True})
    listed = access.call("GET", "/api/v1/users", admin).json()["items"]
    assert {u["name"]: u["disabled"] for u in listed}["alice"] is True
    assert access.sign_in("alice").status_code == 401
    access.call("PATCH", "/api/v1/users/alice", admin, json={"disabled": False})
    assert access.call("GET", ME, old).status_code == 401
    assert access.call("GET", ME, access.token("alice")).json()["agent_id"] == "a1"


def test_a_change_made_outside_the_api_is_seen_within_the_cache_time(access: AccessSite) -> None:
    token = access.token("alice")
    assert access.call("GET", ME, token).status_code == 200
    access.store.users.update("alice", disabled=True)  # as `tidal users disable` does
    deadline = time.monotonic() + 10
    while access.call("GET", ME, token).status_code == 200:
        assert time.monotonic() < deadline, "the disabled user's token still works"
        time.sleep(0.1)


def test_sign_out_me_ends_every_session_of_the_caller(access: AccessSite) -> None:
    first, second = access.token("sam"), access.token("sam")
    assert access.call("POST", "/api/v1/me/sign-out", first).status_code == 200
    assert access.call("GET", ME, first).status_code == 401
    assert access.call("GET", ME, second).status_code == 401


def test_a_role_change_takes_effect_at_once(access: AccessSite) -> None:
    admin, sam = access.token("ada"), access.token("sam")
    assert access.call("GET", "/api/v1/users", sam).status_code == 403
    access.call("PATCH", "/api/v1/users/sam", admin, json={"role": "admin"})
    assert access.call("GET", "/api/v1/users", sam).status_code == 200
    access.call("PATCH", "/api/v1/users/sam", admin, json={"role": "agent"})
    assert access.call("GET", "/api/v1/users", sam).status_code == 403


def test_a_new_password_signs_out_and_is_audited_without_the_password(access: AccessSite) -> None:
    admin, old = access.token("ada"), access.token("alice")
    answer = access.call(
        "PATCH", "/api/v1/users/alice", admin, json={"password": "Fresh-Secret-99"}
    )
    assert answer.status_code == 200
    assert access.call("GET", ME, old).status_code == 401
    assert access.sign_in("alice").status_code == 401
    assert access.sign_in("alice", "Fresh-Secret-99").status_code == 200
    (entry,) = access.store.audit.list(action="user_changed")
    assert entry.actor == "api:ada"
    assert dict(entry.details) == {"name": "alice", "changes": {"password": "reset"}}
    trail = (access.home / "audit.jsonl").read_text()
    assert "Fresh-Secret-99" not in trail and "user_changed" in trail


def test_the_last_enabled_admin_cannot_disable_demote_or_delete_themself(
    access: AccessSite,
) -> None:
    admin = access.token("ada")
    for method, body in (
        ("PATCH", {"disabled": True}),
        ("PATCH", {"role": "supervisor"}),
        ("DELETE", None),
    ):
        answer = access.call(method, "/api/v1/users/ada", admin, json=body)
        assert answer.status_code == 409, answer.text
        assert "last enabled admin" in answer.json()["detail"]
    assert access.call("GET", ME, admin).json()["role"] == "admin"
    access.call("PATCH", "/api/v1/users/sam", admin, json={"role": "admin"})
    assert access.call("DELETE", "/api/v1/users/ada", admin).status_code == 204
    assert access.call("GET", ME, admin).status_code == 401


def test_unknown_users_are_404_and_only_admins_manage_users(access: AccessSite) -> None:
    admin, sam = access.token("ada"), access.token("sam")
    for method, path in (
        ("PATCH", "/api/v1/users/ghost"),
        ("DELETE", "/api/v1/users/ghost"),
        ("POST", "/api/v1/users/ghost/sign-out"),
    ):
        kwargs = {"json": {"disabled": True}} if method == "PATCH" else {}
        assert access.call(method, path, admin, **kwargs).status_code == 404
        assert access.call(method, path.replace("ghost", "alice"), sam, **kwargs).status_code == 403


def test_the_server_caps_a_tokens_life_whatever_it_claims(access: AccessSite) -> None:
    user = access.store.users.get("alice")
    assert user is not None
    secret = load_secret(access.home)
    now = int(time.time())
    base = {"sub": "alice", "uid": user.id, "gen": user.token_generation, "role": "agent"}
    forged_long = {**base, "iat": now - 13 * 3600, "exp": now + 10 * 86400}
    from_the_future = {**base, "iat": now + 3600, "exp": now + 7200}
    fresh = {**base, "iat": now, "exp": now + 3600}
    for claims, status in ((forged_long, 401), (from_the_future, 401), (fresh, 200)):
        token = jwt.encode(claims, secret, algorithm="HS256")
        assert access.call("GET", ME, token).status_code == status, claims
    issued = jwt.decode(access.token("alice"), secret, algorithms=["HS256"])
    assert issued["exp"] - issued["iat"] == 12 * 3600
    assert (issued["uid"], issued["gen"]) == (user.id, 0)
    assert TokenIssuer(secret, lifetime=10 * 86400).lifetime == 12 * 3600


def test_a_token_of_an_old_generation_or_without_one_is_401(access: AccessSite) -> None:
    user = access.store.users.get("alice")
    assert user is not None
    secret = load_secret(access.home)
    now = int(time.time())
    for claims in (
        {"sub": "alice", "uid": user.id, "gen": -1, "iat": now, "exp": now + 60},
        {"sub": "alice", "iat": now, "exp": now + 60},  # a token of before revision 0004
    ):
        token = jwt.encode(claims, secret, algorithm="HS256")
        assert access.call("GET", ME, token).status_code == 401


# --- names ------------------------------------------------------------------------------


def test_user_names_are_unique_regardless_of_case_and_sign_in_in_any_form(
    access: AccessSite,
) -> None:
    admin = access.token("ada")
    body = {"name": "\uff23arol", "role": "agent", "password": "carol-password"}  # fullwidth C
    made = access.call("POST", "/api/v1/users", admin, json=body)
    assert made.status_code == 201 and made.json()["name"] == "Carol"
    for taken in ("carol", "CAROL", "Carol "):
        again = access.call("POST", "/api/v1/users", admin, json={**body, "name": taken})
        assert again.status_code == 409
    for form in ("carol", "CAROL", "\uff23AROL"):
        assert access.sign_in(form, "carol-password").status_code == 200
    assert access.call("GET", "/api/v1/users/CAROL", admin).json()["name"] == "Carol"


def test_a_rename_keeps_tokens_and_refuses_a_taken_name(access: AccessSite) -> None:
    admin, alice = access.token("ada"), access.token("alice")
    renamed = access.call("PATCH", "/api/v1/users/alice", admin, json={"name": "Alicia"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Alicia"
    assert access.call("GET", ME, alice).json()["name"] == "Alicia"
    taken = access.call("PATCH", "/api/v1/users/alicia", admin, json={"name": "SAM"})
    assert taken.status_code == 409


@pytest.mark.parametrize(
    "name", ["ev\u0000e", "ev\u200be", "\u202eeve", "e/ve", "x" * 65, "tab\tbed", " "]
)
def test_a_bad_user_name_is_422_naming_the_field(access: AccessSite, name: str) -> None:
    body = {"name": name, "role": "agent", "password": "long-enough-pw"}
    answer = access.call("POST", "/api/v1/users", access.token("ada"), json=body)
    assert answer.status_code == 422
    assert [e["loc"] for e in answer.json()["detail"]] == [["body", "name"]]
    assert access.store.users.count() == 3


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/users/a%2Fb",
        "/api/v1/queues/sales%2Fconfig/config",
        "/api/v1/campaigns/x%2fleads",
        "/api/v1/flows/main%5Cmenu",
        "/api/v1/agents/a1%2Fstate",
    ],
)
def test_a_name_with_an_encoded_slash_in_a_path_is_422(access: AccessSite, path: str) -> None:
    answer = access.call("GET", path, access.token("ada"))
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["path"]


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/api/v1/users/a%00b", "name"),
        ("/api/v1/queues/sa%E2%80%8Bles/config", "name"),
        ("/api/v1/flows/ma%07in", "name"),
        ("/api/v1/campaigns/re%E2%80%AEnew/leads", "name"),
        ("/api/v1/agents/a%001", "agent_id"),
    ],
)
def test_a_path_name_with_control_or_format_characters_is_422_naming_it(
    access: AccessSite, path: str, param: str
) -> None:
    answer = access.call("GET", path, access.token("ada"))
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"] == ["path", param]


def test_agent_profile_names_follow_the_name_rules(access: AccessSite) -> None:
    admin = access.token("ada")
    bad = {"agent_id": "a\u200b2", "group": "sa/les", "skills": {"bi\u0000ll": 2}, "user": "sam"}
    answer = access.call("POST", "/api/v1/agents", admin, json=bad)
    assert answer.status_code == 422
    locs = {tuple(e["loc"][:2]) for e in answer.json()["detail"]}
    assert {("body", "agent_id"), ("body", "group"), ("body", "skills")} <= locs
    good = {"agent_id": "a2", "group": "sales", "skills": {"sales": 2}, "user": "SAM"}
    made = access.call("POST", "/api/v1/agents", admin, json=good)
    assert made.status_code == 201 and made.json()["user"] == "sam"
    assert access.call("GET", ME, access.token("sam")).json()["agent_id"] == "a2"


# --- the stream ---------------------------------------------------------------------------


def _stream_closes(access: AccessSite, token: str, change: object) -> int:
    """Open the stream, make the change, and answer the close code the stream ends with."""
    with access.client.websocket_connect(f"/api/v1/stream?token={token}") as ws:
        assert callable(change)
        change()
        with pytest.raises(WebSocketDisconnect) as closed:
            while True:
                ws.receive_json()
    return closed.value.code


@pytest.mark.parametrize("change", ["disable", "delete", "sign-out"])
def test_an_open_stream_is_closed_when_its_user_loses_access(
    access: AccessSite, change: str
) -> None:
    admin = access.token("ada")
    sam = access.token("sam")
    access.runtime.bus.messages[:] = [{"type": "offer", "caller": "+12125550100"}]
    requests = {
        "disable": ("PATCH", "/api/v1/users/sam", {"json": {"disabled": True}}),
        "delete": ("DELETE", "/api/v1/users/sam", {}),
        "sign-out": ("POST", "/api/v1/users/sam/sign-out", {}),
    }
    method, path, kwargs = requests[change]
    code = _stream_closes(access, sam, lambda: access.call(method, path, admin, **kwargs))
    assert code == 1008
    assert access.runtime.bus.subscriptions[-1].closed


def test_an_open_stream_is_closed_after_a_change_made_outside_the_api(
    access: AccessSite,
) -> None:
    sam = access.token("sam")
    code = _stream_closes(access, sam, lambda: access.store.users.update("sam", disabled=True))
    assert code == 1008


def test_audit_of_user_changes_names_the_admin(access: AccessSite) -> None:
    admin = access.token("ada")
    access.call(
        "POST", "/api/v1/users", admin, json={"name": "dan", "role": "agent", "password": PASSWORD}
    )
    access.call("PATCH", "/api/v1/users/dan", admin, json={"disabled": True})
    access.call("POST", "/api/v1/users/dan/sign-out", admin)
    access.call("DELETE", "/api/v1/users/dan", admin)
    actions = [
        (e.action, e.actor, e.details.get("name"))
        for e in access.store.audit.list(limit=1000)
        if e.action.startswith("user_")
    ]
    assert actions == [
        ("user_created", "api:ada", "dan"),
        ("user_changed", "api:ada", "dan"),
        ("user_signed_out", "api:ada", "dan"),
        ("user_deleted", "api:ada", "dan"),
    ]
    lines = [json.loads(x) for x in (access.home / "audit.jsonl").read_text().splitlines()]
    assert [x["action"] for x in lines if x["action"].startswith("user_")] == [
        a for a, _, _ in actions
    ]


def test_queue_campaign_flow_and_agent_names_are_unique_regardless_of_case(
    access: AccessSite,
) -> None:
    from pathlib import Path

    from tests.api.test_campaigns import CAMPAIGN
    from tests.api.test_queues import QUEUE

    admin = access.token("ada")
    assert access.call("POST", "/api/v1/queues", admin, json=QUEUE).status_code == 201
    lookalike = {**QUEUE, "name": "BILLING"}
    for method, path in (("POST", "/api/v1/queues"), ("PUT", "/api/v1/queues/BILLING")):
        answer = access.call(method, path, admin, json=lookalike)
        assert answer.status_code == 409 and "regardless of case" in answer.json()["detail"]
    assert access.call("POST", "/api/v1/campaigns", admin, json=CAMPAIGN).status_code == 201
    shouted = {**CAMPAIGN, "name": "Renewals"}
    assert access.call("PUT", "/api/v1/campaigns/Renewals", admin, json=shouted).status_code == 409
    example = Path(__file__).parents[2] / "examples" / "flows" / "support-line.yaml"
    source = example.read_text()
    assert access.call("PUT", "/api/v1/flows/support-line", admin, content=source).is_success
    other = source.replace("name: support-line", "name: Support-Line")
    assert access.call("PUT", "/api/v1/flows/Support-Line", admin, content=other).status_code == 409
    agent = {"agent_id": "A1", "group": "sales", "skills": {}, "user": "sam"}
    assert access.call("POST", "/api/v1/agents", admin, json=agent).status_code == 409
    assert [q.name for q in access.store.queues.list()] == ["billing"]
