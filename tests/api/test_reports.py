"""Reports (JSON and CSV, from tidal.metrics) and the Prometheus /metrics text."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.api.conftest import NOW, Site, agent_view
from tidal.core import AgentSessionRecord, Channel, Direction, InteractionRecord, Outcome
from tidal.metrics import queue_kpis

DAY = datetime.fromtimestamp(NOW, UTC).date().isoformat()


def _record(contact_id: int, queue: str, wait: float, outcome: Outcome) -> InteractionRecord:
    arrived = NOW - 3600 + contact_id * 60
    if outcome is Outcome.ANSWERED:
        return InteractionRecord(
            contact_id, Channel.VOICE, Direction.INBOUND, queue, arrived, outcome,
            arrived + wait, arrived + wait + 120, arrived + wait + 150, "a1", "sales",
        )  # fmt: skip
    return InteractionRecord(
        contact_id, Channel.VOICE, Direction.INBOUND, queue, arrived, outcome,
        ended_at=arrived + wait,
    )  # fmt: skip


RECORDS = [
    _record(1, "sales", 10, Outcome.ANSWERED),
    _record(2, "sales", 40, Outcome.ANSWERED),
    _record(3, "sales", 50, Outcome.ABANDONED),
    _record(4, "support", 5, Outcome.ANSWERED),
    InteractionRecord(
        5,
        Channel.VOICE,
        Direction.OUTBOUND,
        "renewals",
        NOW - 600,
        Outcome.ANSWERED,
        NOW - 590,
        NOW - 500,
        NOW - 480,
        "a1",
        "sales",
        caller="+12125550100",
    ),
]


@pytest.fixture(scope="module", autouse=True)
def history(center: Site) -> None:
    store = center.runtime.store
    for record in RECORDS:
        store.interactions.add(record)
    store.sessions.add(
        AgentSessionRecord("a1", "sales", NOW - 7200, NOW - 3600, 1200, 0, 1500, 300, 600, 3)
    )
    # a day earlier: outside the report
    store.interactions.add(
        _record(6, "sales", 1, Outcome.ANSWERED)._replace(arrived_at=NOW - 86400 * 2)
    )


def test_queue_report_uses_the_metrics_definitions(center: Site) -> None:
    answer = center.client.get(
        f"/api/v1/reports/queues?from={DAY}&to={DAY}", headers=center.auth("sam")
    )
    assert answer.status_code == 200
    rows = {row["queue"]: row for row in answer.json()["items"]}
    assert set(rows) == {"sales", "support"}
    sales = queue_kpis(RECORDS[:3], threshold=30.0, now=NOW).as_json()
    assert rows["sales"] == {"queue": "sales", **sales}
    assert rows["sales"]["service_level"] == pytest.approx(1 / 3)
    assert rows["sales"]["abandoned"] == 1


def test_queue_report_as_csv(center: Site) -> None:
    answer = center.client.get(
        f"/api/v1/reports/queues?from={DAY}&format=csv", headers=center.auth("ada")
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [r["queue"] for r in rows] == ["sales", "support"]
    assert rows[0]["offered"] == "3" and rows[1]["answered"] == "1"


def test_agent_and_campaign_reports(center: Site) -> None:
    agents = center.client.get(
        f"/api/v1/reports/agents?from={DAY}", headers=center.auth("sam")
    ).json()["items"]
    assert agents == [
        {
            "group": "sales",
            "count": 1,
            "logged_in_seconds": 3600.0,
            "talk_seconds": 1500.0,
            "wrap_seconds": 300.0,
            "idle_seconds": 1200.0,
            "occupancy": 0.5,
            "talk_fraction": 1500 / 3600,
        }
    ]
    campaigns = center.client.get(
        f"/api/v1/reports/campaigns?from={DAY}&format=csv", headers=center.auth("sam")
    )
    rows = list(csv.DictReader(io.StringIO(campaigns.text)))
    assert rows == [{"campaign": "renewals", "leads": "0", "dials": "1", "outcome_answered": "1"}]


def test_a_bad_period_or_format_is_422(center: Site) -> None:
    get = center.client.get
    bad_day = get("/api/v1/reports/queues?from=2027-13-01", headers=center.auth("sam"))
    assert bad_day.status_code == 422
    assert bad_day.json()["detail"][0]["loc"] == ["query", "from"]
    bad_format = get("/api/v1/reports/queues?format=xml", headers=center.auth("sam"))
    assert bad_format.status_code == 422
    assert bad_format.json()["detail"][0]["loc"] == ["query", "format"]


def test_metrics_are_prometheus_text(fresh: Site) -> None:
    fresh.runtime.queues.extend(
        [
            {"name": "sales", "waiting": 3, "longest_wait": 42.5},
            {"name": "support", "waiting": 0, "longest_wait": 0.0},
        ]
    )
    fresh.runtime.agents.update(
        {
            "a1": agent_view("a1", "talking"),
            "a2": agent_view("a2", "ready"),
            "a3": agent_view("a3", "ready"),
        }
    )
    answer = fresh.client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(answer.text)
        for s in family.samples
    }
    assert samples[("tidal_queue_waiting", (("queue", "sales"),))] == 3
    assert samples[("tidal_queue_longest_wait_seconds", (("queue", "sales"),))] == 42.5
    assert samples[("tidal_agents", (("state", "ready"),))] == 2
    assert samples[("tidal_agents", (("state", "wrap_up"),))] == 0
    key = ("tidal_contacts_total", (("outcome", "answered"), ("queue", "sales")))
    assert samples[key] == 3
    assert samples[("tidal_dials_total", ())] == 1
    assert samples[("tidal_abandons_total", ())] == 1
