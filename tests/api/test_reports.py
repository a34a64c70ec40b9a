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
    # every key of the live view keeps its meaning; FCR and the resolved flag join them
    assert rows["sales"] == {
        "queue": "sales",
        **sales,
        "fcr": None,  # no contact of today has had its 7 days yet
        "fcr_judged": 0,
        "repeat_contacts": 0,
        "resolved_flag_rate": 0.0,  # two answered, none flagged resolved
    }
    assert answer.json()["fcr_window"] == 7 * 86400
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
    # no dialer counters (the fake runs no dialer), one answered dial on record, no costs
    assert [(r["campaign"], r["dials"], r["outcome_answered"], r["spend"]) for r in rows] == [
        ("renewals", "0", "1", "")
    ]


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


def _customer(
    cid: int, queue: str, arrived: float, caller: str, disposition: str | None
) -> InteractionRecord:
    return InteractionRecord(
        cid, Channel.VOICE, Direction.INBOUND, queue, arrived, Outcome.ANSWERED,
        arrived + 5, arrived + 300, arrived + 330, "a1", "sales", caller=caller,
        disposition=disposition,
    )  # fmt: skip


THREE_DAYS_AGO = NOW - 3 * 86400
EARLIER = datetime.fromtimestamp(THREE_DAYS_AGO, UTC).date().isoformat()


def test_fcr_counts_a_customer_back_within_the_window_on_any_queue(center: Site) -> None:
    add = center.runtime.store.interactions.add
    add(_customer(11, "sales", THREE_DAYS_AGO, "+13125550001", "resolved"))
    add(_customer(12, "support", THREE_DAYS_AGO + 3600, "+13125550001", "unresolved"))
    add(_customer(13, "sales", THREE_DAYS_AGO + 7200, "+13125550002", None))

    def report(window: str) -> dict[str, dict[str, object]]:
        answer = center.client.get(
            "/api/v1/reports/queues",
            params={"from": EARLIER, "to": EARLIER, "fcr_window": window},
            headers=center.auth("sam"),
        )
        assert answer.status_code == 200, answer.text
        return {row["queue"]: row for row in answer.json()["items"]}

    day = report("24h")
    assert (day["sales"]["fcr"], day["sales"]["fcr_judged"], day["sales"]["repeat_contacts"]) == (
        0.5,
        2,
        1,
    )
    assert day["sales"]["resolved_flag_rate"] == 0.5  # the agent called the repeat resolved
    assert (day["support"]["fcr"], day["support"]["resolved_flag_rate"]) == (1.0, 0.0)
    assert day["sales"]["offered"] == 2  # the period's own figures are unchanged
    week = report("7d")  # three days on, no window of a week is over yet: not judged
    assert (week["sales"]["fcr"], week["sales"]["fcr_judged"]) == (None, 0)


@pytest.mark.parametrize("window", ["a week", "0", "-1d"])
def test_a_bad_fcr_window_is_422(center: Site, window: str) -> None:
    answer = center.client.get(
        "/api/v1/reports/queues", params={"fcr_window": window}, headers=center.auth("sam")
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", "fcr_window"]


def test_interval_report_cuts_the_day_until_now(center: Site) -> None:
    answer = center.client.get(
        f"/api/v1/reports/intervals?queue=sales&interval=30&from={DAY}", headers=center.auth("sam")
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["queue"], body["interval"]) == ("sales", 30)
    rows = body["items"]
    assert len(rows) == 16  # 00:00 to 08:00 (now), in half hours
    assert (
        rows[14]["start"] == f"{DAY}T07:00:00+00:00" and rows[14]["end"] == f"{DAY}T07:30:00+00:00"
    )
    sales = queue_kpis(RECORDS[:3], threshold=30.0, now=NOW).as_json()
    assert {k: rows[14][k] for k in sales} == sales
    assert sum(row["offered"] for row in rows) == 3
    hourly = center.client.get(
        f"/api/v1/reports/intervals?queue=sales&interval=60&from={DAY}&format=csv",
        headers=center.auth("ada"),
    )
    assert hourly.headers["content-type"].startswith("text/csv")
    assert 'filename="tidal-intervals-sales-60min-' in hourly.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(hourly.text)))
    assert len(table) == 8 and table[7]["offered"] == "3" and table[7]["abandoned"] == "1"


@pytest.mark.parametrize(
    ("query", "field"),
    [("queue=sales&interval=45", "interval"), ("queue=billing", "queue"), ("interval=15", "queue")],
)
def test_a_bad_interval_report_is_422_naming_the_field(
    center: Site, query: str, field: str
) -> None:
    answer = center.client.get(f"/api/v1/reports/intervals?{query}", headers=center.auth("sam"))
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", field]


def test_interval_report_is_for_supervisors(center: Site) -> None:
    answer = center.client.get(
        "/api/v1/reports/intervals?queue=sales", headers=center.auth("alice")
    )
    assert answer.status_code == 403


def test_campaign_report_has_contact_rate_conversions_per_hour_and_cost(center: Site) -> None:
    runtime = center.runtime
    runtime.store.campaigns.put(
        "renewals",
        {
            "name": "renewals",
            "caller_id": "+12025550100",
            "costs": {"agent_hour": 20.0, "telephony_minute": 0.5},
        },
    )
    runtime.dial_counts = {
        "renewals": {"dials": 40, "human_answers": 10, "connects": 9, "abandoned": 1,
                     "conversions": 4, "machine_answers": 6, "no_answers": 20, "busy": 3,
                     "invalid": 1},
        "winback": {"dials": 5, "human_answers": 0},
    }  # fmt: skip
    runtime.working_groups = {"renewals": ["sales"]}
    try:
        answer = center.client.get(
            f"/api/v1/reports/campaigns?from={DAY}", headers=center.auth("sam")
        )
    finally:
        runtime.dial_counts, runtime.working_groups = {}, {}
        runtime.store.campaigns.put("renewals", {"name": "renewals", "caller_id": "+12025550100"})
    rows = {row["campaign"]: row for row in answer.json()["items"]}
    renewals = rows["renewals"]
    assert renewals["dials"] == 40 and renewals["contact_rate"] == 0.25
    assert renewals["abandon_rate"] == pytest.approx(0.1)
    assert renewals["agent_hours"] == 1.0  # a1's session of today (sales)
    assert renewals["conversions_per_hour"] == 4.0
    assert renewals["telephony_minutes"] == pytest.approx(100 / 60)  # answer to hang-up
    spend = 1.0 * 20.0 + 100 / 60 * 0.5
    assert renewals["spend"] == pytest.approx(spend)
    assert renewals["cost_per_acquisition"] == pytest.approx(spend / 4)
    assert renewals["outcome_answered"] == 1
    winback = rows["winback"]  # dialled, nobody answered, no costs: no spend, no CPA
    assert (winback["contact_rate"], winback["spend"], winback["cost_per_acquisition"]) == (
        0.0,
        None,
        None,
    )


def test_agents_given_a_campaign_skill_count_their_hours_for_it(center: Site) -> None:
    store = center.runtime.store
    # Its own campaign: under xdist this module's tests may run on different workers.
    store.campaigns.put("renewals", {"name": "renewals", "caller_id": "+12025550100"})
    store.agents.add("a9", "floaters", {"campaign:renewals": 1}, None)
    five_days_ago = NOW - 5 * 86400
    store.sessions.add(
        AgentSessionRecord("a9", "floaters", five_days_ago, five_days_ago + 1800, 0, 0, 0, 0, 0, 0)
    )
    store.sessions.add(  # another floater without the skill: not the campaign's hours
        AgentSessionRecord("a8", "floaters", five_days_ago, five_days_ago + 900, 0, 0, 0, 0, 0, 0)
    )
    day = datetime.fromtimestamp(five_days_ago, UTC).date().isoformat()
    answer = center.client.get(
        f"/api/v1/reports/campaigns?from={day}&to={day}", headers=center.auth("sam")
    )
    rows = {row["campaign"]: row for row in answer.json()["items"]}
    assert rows["renewals"]["agent_hours"] == 0.5


def test_a_campaign_call_still_open_is_no_inbound_queue_row(center: Site) -> None:
    # The Center lists a connected campaign call among its open contacts with the
    # campaign's own queue, before the dialer marks its record outbound.
    four_days_ago = NOW - 4 * 86400
    center.runtime.store.interactions.add(
        _customer(40, "campaign:renewals", four_days_ago, "+14155550100", None)
    )
    day = datetime.fromtimestamp(four_days_ago, UTC).date().isoformat()
    answer = center.client.get(
        f"/api/v1/reports/queues?from={day}&to={day}", headers=center.auth("sam")
    )
    assert [row["queue"] for row in answer.json()["items"]] == ["sales", "support"]
