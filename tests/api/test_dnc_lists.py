"""The internal Do-Not-Call lists and the consents on file: listed, searched, paged."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Site


def _add(center: Site, number: str, **extra: str) -> None:
    answer = center.client.post(
        "/api/v1/dnc", json={"number": number, **extra}, headers=center.auth("sam")
    )
    assert answer.status_code == 201, answer.text


def _get(center: Site, path: str, user: str = "sam") -> Any:
    return center.client.get(path, headers=center.auth(user))


def test_the_internal_list_is_searched_and_paged(center: Site) -> None:
    for i in range(5):
        _add(center, f"+1212555{i:04d}", reason=f"asked {i}")
    _add(center, "+13055550002", campaign="renewals", reason="campaign opt-out")
    page = _get(center, "/api/v1/dnc?limit=2&offset=1").json()
    assert page["total"] == 6 and page["limit"] == 2 and page["offset"] == 1
    assert [e["number"] for e in page["items"]] == ["+12125550001", "+12125550002"]
    found = _get(center, "/api/v1/dnc?number=(212) 555-0003").json()
    assert found["items"] == [
        {
            "number": "+12125550003",
            "campaign": None,
            "source": "asked 3",
            "added_at": found["items"][0]["added_at"],
        }
    ]
    both = _get(center, "/api/v1/dnc?number=0002").json()["items"]
    assert [(e["number"], e["campaign"]) for e in both] == [
        ("+12125550002", None),
        ("+13055550002", "renewals"),
    ]
    other = _get(center, "/api/v1/dnc?campaign=winback").json()
    assert other["total"] == 5  # the company-wide list only


def test_a_removed_number_leaves_the_list(center: Site) -> None:
    _add(center, "+14155550100")
    assert _get(center, "/api/v1/dnc?number=4155550100").json()["total"] == 1
    removed = center.client.delete(
        "/api/v1/dnc/+14155550100?reason=entered by mistake", headers=center.auth("ada")
    )
    assert removed.status_code == 200, removed.text
    assert _get(center, "/api/v1/dnc?number=4155550100").json()["total"] == 0


def test_consents_are_listed_with_when_they_lapse(center: Site) -> None:
    for number, kind in (("+16025550101", "written"), ("+16025550102", "inquiry")):
        answer = center.client.post(
            "/api/v1/dnc/consent",
            json={"number": number, "kind": kind, "source": f"form {number[-3:]}"},
            headers=center.auth("sam"),
        )
        assert answer.status_code == 201, answer.text
    page = _get(center, "/api/v1/dnc/consent?number=602555").json()
    assert page["total"] == 2
    written, inquiry = page["items"]
    assert (written["kind"], written["expires_at"], written["valid"]) == ("written", None, True)
    assert (inquiry["kind"], inquiry["source"], inquiry["valid"]) == ("inquiry", "form 102", True)
    assert inquiry["expires_at"] > inquiry["granted_at"]
    assert _get(center, "/api/v1/dnc/consent?number=6025550102&limit=1").json()["total"] == 1


def test_bad_searches_and_roles(center: Site) -> None:
    for path in ("/api/v1/dnc?number=abc", "/api/v1/dnc/consent?number=--"):
        answer = _get(center, path)
        assert answer.status_code == 422, path
        assert answer.json()["detail"][0]["loc"] == ["query", "number"]
    assert _get(center, "/api/v1/dnc?limit=0").status_code == 422
    assert _get(center, "/api/v1/dnc", user="alice").status_code == 403
    assert _get(center, "/api/v1/dnc/consent", user="alice").status_code == 403
    assert center.client.get("/api/v1/dnc").status_code == 401
