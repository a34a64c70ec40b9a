"""Every route refuses the roles that may not use it (403) and admits the others."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import ROLE_USER, Site
from tidal.store import Role

ADMIN = {Role.ADMIN}
MANAGERS = {Role.ADMIN, Role.SUPERVISOR}
ANY = {Role.ADMIN, Role.SUPERVISOR, Role.AGENT}

# (method, path, keyword arguments of the request, roles admitted)
ROUTES: list[tuple[str, str, dict[str, Any], set[Role]]] = [
    ("GET", "/api/v1/me", {}, ANY),
    ("GET", "/api/v1/users", {}, ADMIN),
    ("POST", "/api/v1/users", {"json": {}}, ADMIN),
    ("GET", "/api/v1/users/nobody", {}, ADMIN),
    ("PATCH", "/api/v1/users/nobody", {"json": {}}, ADMIN),
    ("DELETE", "/api/v1/users/nobody", {}, ADMIN),
    ("POST", "/api/v1/users/nobody/sign-out", {}, ADMIN),
    ("GET", "/api/v1/agents", {}, MANAGERS),
    ("POST", "/api/v1/agents", {"json": {}}, ADMIN),
    ("GET", "/api/v1/queues", {}, ANY),
    ("GET", "/api/v1/queues/sales/config", {}, MANAGERS),
    ("POST", "/api/v1/queues", {"json": {}}, ADMIN),
    ("PUT", "/api/v1/queues/sales", {"json": {}}, MANAGERS),
    ("GET", "/api/v1/campaigns", {}, MANAGERS),
    ("POST", "/api/v1/campaigns", {"json": {}}, ADMIN),
    ("PUT", "/api/v1/campaigns/renewals", {"json": {}}, ADMIN),
    ("GET", "/api/v1/campaigns/renewals/leads", {}, MANAGERS),
    ("POST", "/api/v1/campaigns/renewals/leads", {"files": {"file": ("x.csv", b"")}}, ADMIN),
    ("GET", "/api/v1/dnc/2125550100", {}, MANAGERS),
    ("POST", "/api/v1/dnc", {"json": {}}, MANAGERS),
    ("DELETE", "/api/v1/dnc/2125550100", {}, ADMIN),  # lifts an opt-out: admin only
    ("POST", "/api/v1/dnc/registry", {"files": {"file": ("x.txt", b"")}}, ADMIN),
    ("POST", "/api/v1/dnc/consent", {"json": {}}, MANAGERS),
    ("DELETE", "/api/v1/dnc/consent/2125550100", {}, MANAGERS),
    ("GET", "/api/v1/flows", {}, MANAGERS),
    ("GET", "/api/v1/flows/main", {}, MANAGERS),
    ("PUT", "/api/v1/flows/main", {"content": b"name: main\n"}, ADMIN),
    ("GET", "/api/v1/reports/queues", {}, MANAGERS),
    ("GET", "/api/v1/reports/agents", {}, MANAGERS),
    ("GET", "/api/v1/reports/campaigns", {}, MANAGERS),
    ("GET", "/api/v1/audit", {}, ADMIN),
    ("GET", "/api/v1/interactions", {}, ANY),
]


@pytest.mark.parametrize(("method", "path", "request_args", "admitted"), ROUTES)
@pytest.mark.parametrize("role", list(Role))
def test_route_admits_only_its_roles(
    center: Site,
    method: str,
    path: str,
    request_args: dict[str, Any],
    admitted: set[Role],
    role: Role,
) -> None:
    answer = center.client.request(
        method, path, headers=center.auth(ROLE_USER[role]), **request_args
    )
    if role in admitted:
        assert answer.status_code not in (401, 403), answer.text
    else:
        assert answer.status_code == 403, answer.text
        assert "may not" in answer.json()["detail"]


@pytest.mark.parametrize(("method", "path", "request_args", "admitted"), ROUTES)
def test_route_without_a_token_is_401(
    center: Site, method: str, path: str, request_args: dict[str, Any], admitted: set[Role]
) -> None:
    answer = center.client.request(method, path, **request_args)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == "Bearer"
