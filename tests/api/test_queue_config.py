"""A queue of the center file that nobody saved through the API: its configuration is
read from the running center, so the admin's form can open it (the real runtime)."""

from __future__ import annotations

from tests.api.test_live import Live, live  # noqa: F401  (the fixture)


def test_a_center_file_queue_is_read_from_the_running_center(live: Live) -> None:  # noqa: F811
    assert live.runtime.store.queues.get("billing") is None  # never saved through the API
    answer = live.get("ada", "/api/v1/queues/billing/config")
    assert answer.status_code == 200, answer.text
    config = answer.json()["config"]
    assert config["service_level"] == {"target": 0.8, "threshold": 20.0}
    assert config["arrivals"] == {"rate_per_hour": 60.0}  # the world keys come along
    assert live.get("ada", "/api/v1/queues/nope/config").status_code == 404
    assert live.get("alice", "/api/v1/queues/billing/config").status_code == 403
