"""The audit viewer's route: filters by action, actor, number and date, paged."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Site


def _audit(center: Site, query: str = "", user: str = "ada") -> Any:
    return center.client.get(f"/api/v1/audit?{query}", headers=center.auth(user))


def test_entries_are_filtered_and_paged(center: Site) -> None:
    for user, number in (("sam", "+12125550201"), ("ada", "+12125550202"), ("sam", "+12125550203")):
        added = center.client.post(
            "/api/v1/dnc", json={"number": number}, headers=center.auth(user)
        )
        assert added.status_code == 201, added.text
    mine = _audit(center, "action=internal_dnc_added&actor=api:sam").json()
    assert mine["total"] == 2
    assert [e["number"] for e in mine["items"]] == ["+12125550201", "+12125550203"]
    newest = _audit(center, "action=internal_dnc_added&order=newest&limit=1").json()
    assert newest["total"] == 3 and newest["items"][0]["number"] == "+12125550203"
    second = _audit(center, "action=internal_dnc_added&limit=1&offset=1").json()["items"]
    assert [e["number"] for e in second] == ["+12125550202"]
    one = _audit(center, "number=(212) 555-0202").json()
    assert [e["actor"] for e in one["items"]] == ["api:ada"]
    today = one["items"][0]["at"][:10]
    assert _audit(center, f"number=2125550202&from={today}&to={today}").json()["total"] == 1
    assert _audit(center, "number=2125550202&from=2000-01-01&to=2000-01-02").json()["total"] == 0


def test_bad_filters_are_422_and_only_admins_read_it(center: Site) -> None:
    for query, field in (
        ("from=yesterday", "from"),
        ("number=12", "number"),
        ("order=up", "order"),
    ):
        answer = _audit(center, query)
        assert answer.status_code == 422, query
        assert answer.json()["detail"][0]["loc"] == ["query", field]
    assert _audit(center, user="sam").status_code == 403
