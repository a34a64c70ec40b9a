"""Interaction records and contact history: an agent only ever reads their own."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import NOW, Site, agent_view
from tidal.core import Channel, Direction, InteractionRecord, Outcome


@pytest.fixture(scope="module", autouse=True)
def records(center: Site) -> None:
    """Five records: three of a1 (two from one caller), one of a2, one abandoned."""
    add = center.runtime.store.interactions.add
    for contact_id, agent, caller, arrived in (
        (1, "a1", "+12125550100", NOW - 3000),
        (2, "a2", "+12125550101", NOW - 2000),
        (3, "a1", "+12125550100", NOW - 1000),
        (4, "a1", "+12125550102", NOW - 500),
    ):
        add(
            InteractionRecord(
                contact_id, Channel.VOICE, Direction.INBOUND, "sales", arrived,
                Outcome.ANSWERED, arrived + 10, arrived + 100, arrived + 110, agent,
                "sales", caller=caller, disposition="resolved",
            )
        )  # fmt: skip
    add(
        InteractionRecord(
            5, Channel.VOICE, Direction.INBOUND, "support", NOW - 100, Outcome.ABANDONED,
            ended_at=NOW - 40, caller="+12125550100",
        )
    )  # fmt: skip


def ids(page: dict[str, Any]) -> list[int]:
    return [item["contact_id"] for item in page["items"]]


def test_a_manager_lists_every_record_with_filters(center: Site) -> None:
    get = center.client.get
    everything = get("/api/v1/interactions", headers=center.auth("sam")).json()
    assert ids(everything) == [1, 2, 3, 4, 5] and everything["total"] == 5
    by_agent = get("/api/v1/interactions?agent=a1&limit=2", headers=center.auth("sam")).json()
    assert ids(by_agent) == [1, 3] and by_agent["total"] == 3
    by_queue = get("/api/v1/interactions?queue=support", headers=center.auth("ada")).json()
    assert ids(by_queue) == [5]
    caller = get("/api/v1/interactions?caller=%2B12125550100", headers=center.auth("sam")).json()
    assert ids(caller) == [1, 3, 5]


def test_interactions_by_period(center: Site) -> None:
    frm = "2027-01-15T07:43:20+00:00"  # NOW - 1000
    answer = center.client.get(
        "/api/v1/interactions", params={"from": frm}, headers=center.auth("sam")
    ).json()
    assert ids(answer) == [3, 4, 5]
    bad = center.client.get("/api/v1/interactions?from=yesterday", headers=center.auth("sam"))
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["query", "from"]


def test_an_agent_lists_only_their_own(center: Site) -> None:
    get = center.client.get
    own = get("/api/v1/interactions", headers=center.auth("alice")).json()
    assert ids(own) == [1, 3, 4] and own["total"] == 3
    assert ids(get("/api/v1/interactions?agent=a1", headers=center.auth("alice")).json()) == [
        1,
        3,
        4,
    ]
    queue = get("/api/v1/interactions?queue=support", headers=center.auth("alice")).json()
    assert ids(queue) == []
    assert get("/api/v1/interactions?agent=a2", headers=center.auth("alice")).status_code == 403
    assert get("/api/v1/interactions", headers=center.auth("nora")).status_code == 403


def test_history_of_a_number(fresh: Site) -> None:
    get = fresh.client.get
    url = "/api/v1/contacts/+12125550100/history"
    assert ids(get(url, headers=fresh.auth("sam")).json()) == [1, 3, 5]
    # an agent only for the contact ringing them or the one they handle
    assert get(url, headers=fresh.auth("alice")).status_code == 403
    fresh.runtime.offers["a1"] = {"contact_id": 9, "caller": "+12125550100"}
    assert ids(get(url, headers=fresh.auth("alice")).json()) == [1, 3, 5]
    assert get(url, headers=fresh.auth("bob")).status_code == 403
    fresh.runtime.agents["a2"] = agent_view("a2", "talking", contact_id=10)
    fresh.runtime.contacts[10] = {"contact_id": 10, "caller": "+12125550100"}
    assert get(url, headers=fresh.auth("bob")).status_code == 200
    other = "/api/v1/contacts/+12125550102/history"
    assert get(other, headers=fresh.auth("bob")).status_code == 403


def test_a_contact_search_by_number_however_written_agent_day_and_disposition(
    center: Site,
) -> None:
    def search(user: str = "sam", **params: str) -> dict[str, Any]:
        answer = center.client.get("/api/v1/interactions", params=params, headers=center.auth(user))
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()
        return result

    assert ids(search(number="(212) 555-0100")) == [1, 3, 5]
    assert ids(search(number="+12125550100", agent="a1")) == [1, 3]
    assert ids(search(disposition="resolved", agent="a1", limit="2", offset="1")) == [3, 4]
    assert search(disposition="resolved")["total"] == 4
    assert ids(search(disposition="escalated")) == []
    day = "2027-01-15"  # NOW's day (UTC)
    assert ids(search(number="212.555.0100", **{"from": day, "to": day})) == [1, 3, 5]
    assert ids(search(number="+12125550100", **{"to": "2027-01-14"})) == []
    # an agent searching gets their own contacts only, whatever they ask
    assert ids(search("alice", number="+12125550100")) == [1, 3]
    assert (
        center.client.get(
            "/api/v1/interactions?number=%2B12125550100&agent=a2", headers=center.auth("alice")
        ).status_code
        == 403
    )


def test_two_different_numbers_in_one_search_are_422(center: Site) -> None:
    answer = center.client.get(
        "/api/v1/interactions",
        params={"number": "+12125550101", "caller": "+12125550100"},
        headers=center.auth("sam"),
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", "number"]
    empty = center.client.get("/api/v1/interactions?disposition=", headers=center.auth("sam"))
    assert empty.status_code == 422
    assert empty.json()["detail"][0]["loc"] == ["query", "disposition"]
