"""Do-Not-Call: checks, internal list and consent changes (audited), registry upload."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.api.conftest import Site


def upload_registry(center: Site, name: str, content: bytes) -> dict[str, Any]:
    """Upload a registry file as the admin; the import report."""
    answer = center.client.post(
        "/api/v1/dnc/registry",
        files={"file": (name, content, "text/plain")},
        headers=center.auth("ada"),
    )
    assert answer.status_code == 200, answer.text
    report: dict[str, Any] = answer.json()
    return report


@pytest.fixture(scope="module", autouse=True)
def fresh_registry(center: Site) -> None:
    """Area code 415 loaded today, so its numbers are not blocked as stale."""
    upload_registry(center, "full-415.txt", b"415,5550999\n")


def check(center: Site, number: str, **params: str) -> dict[str, object]:
    answer = center.client.get(f"/api/v1/dnc/{number}", params=params, headers=center.auth("sam"))
    assert answer.status_code == 200, answer.text
    result: dict[str, object] = answer.json()
    return result


def trail(center: Site) -> list[dict[str, object]]:
    path = center.home / "audit.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_internal_list_add_check_remove_is_audited(center: Site) -> None:
    post, delete = center.client.post, center.client.delete
    answer = post(
        "/api/v1/dnc",
        json={"number": "(415) 555-0142", "reason": "complaint"},
        headers=center.auth("sam"),
    )
    assert answer.status_code == 201
    assert answer.json() == {"number": "+14155550142", "campaign": None, "changed": True}
    assert check(center, "4155550142") == {
        "+14155550142": {"blocked": True, "reasons": ["internal"]}
    }
    fixed = "/api/v1/dnc/4155550142?reason=entered+by+mistake"
    assert delete(fixed, headers=center.auth("ada")).status_code == 200
    assert check(center, "4155550142")["+14155550142"] == {"blocked": False, "reasons": []}
    assert delete(fixed, headers=center.auth("ada")).status_code == 404
    actions = [(e["action"], e["actor"], e["number"]) for e in trail(center)]
    assert ("internal_dnc_added", "api:sam", "+14155550142") in actions
    assert ("internal_dnc_removed", "api:ada", "+14155550142") in actions
    audit = center.client.get("/api/v1/audit?limit=1000", headers=center.auth("ada")).json()
    assert {"internal_dnc_added", "internal_dnc_removed"} <= {e["action"] for e in audit["items"]}


def test_a_campaign_list(center: Site) -> None:
    body = {"number": "4155550143", "campaign": "renewals"}
    assert (
        center.client.post("/api/v1/dnc", json=body, headers=center.auth("ada")).status_code == 201
    )
    assert check(center, "4155550143")["+14155550143"] == {"blocked": False, "reasons": []}
    blocked = check(center, "4155550143", campaign="renewals")["+14155550143"]
    assert blocked == {"blocked": True, "reasons": ["internal"]}


def test_a_bad_number_is_422_naming_the_field(center: Site) -> None:
    answer = center.client.post("/api/v1/dnc", json={"number": "12345"}, headers=center.auth("ada"))
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "number"]
    assert check(center, "12345") == {"12345": {"blocked": True, "reasons": ["invalid"]}}


def test_registry_upload_reports_bad_lines_and_consent_lifts_the_block(center: Site) -> None:
    registry = b"AreaCode,PhoneNumber\n212,5550177\n212,55501\n"
    report = upload_registry(center, "full-212.txt", registry)
    assert report["numbers_added"] == 1 and report["error_count"] == 1
    (error,) = report["errors"]
    assert error["file"] == "full-212.txt" and error["line"] == 3
    assert check(center, "2125550177")["+12125550177"]["blocked"] is True

    consent = {"number": "2125550177", "kind": "written", "source": "form 42"}
    granted = center.client.post("/api/v1/dnc/consent", json=consent, headers=center.auth("sam"))
    assert granted.status_code == 201
    assert granted.json() == {"number": "+12125550177", "kind": "written", "expires_at": None}
    assert check(center, "2125550177")["+12125550177"] == {"blocked": False, "reasons": ["consent"]}
    revoked = center.client.delete("/api/v1/dnc/consent/2125550177", headers=center.auth("sam"))
    assert revoked.json() == {"number": "+12125550177", "revoked": 1}
    assert check(center, "2125550177")["+12125550177"]["blocked"] is True
    actions = [e["action"] for e in trail(center)]
    assert "consent_granted" in actions and "consent_revoked" in actions


def test_consent_needs_a_known_kind(center: Site) -> None:
    body = {"number": "2125550177", "kind": "verbal", "source": "call"}
    answer = center.client.post("/api/v1/dnc/consent", json=body, headers=center.auth("ada"))
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "kind"]


def test_an_upload_named_dot_dot_stays_in_its_folder(center: Site) -> None:
    assert upload_registry(center, "..", b"415,5550998\n")["numbers_added"] == 1
