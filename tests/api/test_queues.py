"""Queues: live views for every role, configuration validated by tidal.config."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Site
from tidal.core.errors import CoreError

QUEUE: dict[str, Any] = {
    "name": "billing",
    "skills": {"billing": 1},
    "arrivals": {"rate_per_hour": 60},
    "handle_time": {"dist": "exponential", "mean": 180},
}


def test_every_role_sees_the_queue_views(fresh: Site) -> None:
    fresh.runtime.queues.extend(
        [{"name": "sales", "waiting": 2, "longest_wait": 12.0}, {"name": "support"}]
    )
    for user in ("alice", "sam", "ada"):
        page = fresh.client.get("/api/v1/queues?limit=1", headers=fresh.auth(user)).json()
        assert page["total"] == 2
        (sales,) = page["items"]
        assert sales["name"] == "sales" and sales["waiting"] == 2
        assert sales["longest_wait"] == 12.0 and sales["service_level_today"] == 0.0


def test_create_and_replace_a_queue(center: Site) -> None:
    post, put = center.client.post, center.client.put
    assert post("/api/v1/queues", json=QUEUE, headers=center.auth("ada")).status_code == 201
    assert post("/api/v1/queues", json=QUEUE, headers=center.auth("ada")).status_code == 409
    changed = {**QUEUE, "priority": 2}
    answer = put("/api/v1/queues/billing", json=changed, headers=center.auth("sam"))
    assert answer.status_code == 200 and answer.json()["config"]["priority"] == 2
    config = center.client.get("/api/v1/queues/billing/config", headers=center.auth("sam"))
    assert config.json()["config"]["priority"] == 2
    # a supervisor may change a queue, not create one
    new = {**QUEUE, "name": "fraud"}
    assert put("/api/v1/queues/fraud", json=new, headers=center.auth("sam")).status_code == 404
    assert put("/api/v1/queues/fraud", json=new, headers=center.auth("ada")).status_code == 201
    # each change reached the running center, in order
    assert [(q.name, q.priority) for q in center.runtime.configured[-3:]] == [
        ("billing", 0),
        ("billing", 2),
        ("fraud", 0),
    ]


def test_a_queue_the_running_center_refuses_is_not_stored(fresh: Site) -> None:
    fresh.runtime.refusal = CoreError("queues cannot change under a router given from outside")
    body = {**QUEUE, "name": "refused"}
    answer = fresh.client.post("/api/v1/queues", json=body, headers=fresh.auth("ada"))
    assert answer.status_code == 409
    assert fresh.runtime.store.queues.get("refused") is None


def test_a_bad_queue_is_422_with_field_paths(center: Site) -> None:
    body = {**QUEUE, "name": "bad", "strategy": "fastest", "handle_time": {"dist": "normal"}}
    answer = center.client.post("/api/v1/queues", json=body, headers=center.auth("ada"))
    assert answer.status_code == 422
    locs = [tuple(e["loc"]) for e in answer.json()["detail"]]
    assert ("body", "strategy") in locs
    assert any(loc[:2] == ("body", "handle_time") for loc in locs)
