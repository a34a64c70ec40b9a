"""Repositories on both backends: users, event log, interactions, sessions, audit."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, StatementError

from tests.store.conftest import Backend
from tidal.core.compliance.audit import AuditEntry
from tidal.core.records import AgentSessionRecord, InteractionRecord
from tidal.core.values import Channel, Direction, Outcome
from tidal.store import DuplicateUserError, Role, Store, UnknownRoleError


@pytest.fixture
def store(backend: Backend) -> Iterator[Store]:
    opened = Store.open(backend.url, backend.home)
    yield opened
    opened.close()


# --- users -----------------------------------------------------------------------------


def test_user_is_added_and_verified_by_password(store: Store) -> None:
    added = store.users.add("alice", "supervisor", "correct horse")
    assert added.role is Role.SUPERVISOR
    assert added.created_at.tzinfo is not None
    verified = store.users.verify("alice", "correct horse")
    assert verified == added


def test_wrong_password_or_unknown_user_verifies_to_none(store: Store) -> None:
    store.users.add("alice", Role.AGENT, "correct horse")
    assert store.users.verify("alice", "Correct horse") is None
    assert store.users.verify("alice", "") is None
    assert store.users.verify("bob", "correct horse") is None


def test_duplicate_user_name_is_a_named_error(store: Store) -> None:
    store.users.add("alice", Role.ADMIN, "one password")
    with pytest.raises(DuplicateUserError, match="'alice' already exists"):
        store.users.add("alice", Role.AGENT, "another password")
    assert store.users.verify("alice", "one password") is not None  # the first one is intact


def test_unknown_role_is_refused_with_the_valid_ones(store: Store) -> None:
    with pytest.raises(UnknownRoleError, match="admin, supervisor, agent"):
        store.users.add("alice", "root", "pw")


def test_password_is_stored_only_as_an_argon2_hash(store: Store) -> None:
    store.users.add("alice", Role.AGENT, "correct horse")
    with store.engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM users WHERE name = 'alice'")).mappings().one()
    assert row["password_hash"].startswith("$argon2id$")
    assert all("correct horse" not in str(value) for value in row.values())


# --- event log -------------------------------------------------------------------------


def test_event_log_replays_in_append_order_after_a_crash(backend: Backend) -> None:
    appended = []
    store = Store.open(backend.url, backend.home)
    for i in range(5):
        payload = {"contact_id": i, "queue": "sales", "skills": {"es": 2}}
        appended.append((store.events.append("contact_arrived", payload, at=100.0 + i / 3), i))
    # The process goes away without closing anything; a new engine opens the store.
    del store
    reopened = Store.open(backend.url, backend.home)
    try:
        replay = list(reopened.events.since())
        assert [e.id for e in replay] == [event_id for event_id, _ in appended]
        assert [e.payload["contact_id"] for e in replay] == [0, 1, 2, 3, 4]
        assert [e.at for e in replay] == [100.0 + i / 3 for i in range(5)]  # floats exact
        assert replay[0].payload == {"contact_id": 0, "queue": "sales", "skills": {"es": 2}}
        assert [e.id for e in reopened.events.since(appended[2][0])] == [
            appended[3][0],
            appended[4][0],
        ]
        assert reopened.events.last_id() == appended[-1][0]
    finally:
        reopened.close()


KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from tidal.store import Store
store = Store.open(sys.argv[1] or None, Path(sys.argv[2]))
for i in range(3):
    store.events.append("contact_arrived", {"contact_id": i}, at=float(i))
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_events_appended_by_a_killed_process_are_all_replayed(backend: Backend) -> None:
    """`kill -9` right after the appends: every appended event is in the log on restart."""
    writer = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, backend.url or "", str(backend.home)],
        cwd=Path(__file__).parents[2],
        capture_output=True,
        text=True,
        check=False,
    )
    assert writer.returncode == -signal.SIGKILL, writer.stderr
    with Store.open(backend.url, backend.home) as store:
        assert [e.payload["contact_id"] for e in store.events.since()] == [0, 1, 2]


def test_event_log_replay_crosses_batches(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tidal.store._repositories.REPLAY_BATCH_SIZE", 3)
    ids = [store.events.append("timer_fired", {"timer_id": f"t{i}"}, at=float(i)) for i in range(8)]
    assert [e.id for e in store.events.since()] == ids


@pytest.mark.parametrize("statement", ["UPDATE {table} SET actor = 'x'", "DELETE FROM {table}"])
@pytest.mark.parametrize("table", ["event_log", "audit_log"])
def test_logs_are_append_only_in_the_database(store: Store, table: str, statement: str) -> None:
    store.events.append("agent_ready", {"agent_id": "a1"}, at=1.0)
    store.audit.append(AuditEntry(at=datetime.now(UTC), action="dnc_add", actor="admin"))
    sql = statement.format(table=table)
    if table == "event_log":
        sql = sql.replace("actor", "kind")
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text(sql))


# --- interactions and sessions ---------------------------------------------------------


def _record(contact_id: int, queue: str, arrived_at: float, **fields: object) -> InteractionRecord:
    return InteractionRecord(
        contact_id=contact_id,
        channel=Channel.VOICE,
        direction=Direction.INBOUND,
        queue=queue,
        arrived_at=arrived_at,
        outcome=Outcome.ANSWERED,
        **fields,  # type: ignore[arg-type]
    )


def test_interaction_round_trip_equals_the_original(store: Store) -> None:
    full = _record(
        7,
        "support",
        1_700_000_000.125,
        answered_at=1_700_000_012.5,
        ended_at=1_700_000_190.0,
        wrap_ended_at=1_700_000_220.75,
        agent_id="agent-3",
        agent_group="tier1",
        estimated_wait=11.0,
        callback_requested_at=1_700_000_005.0,
        caller="+15551234567",
        disposition="resolved",
    )
    minimal = _record(8, "support", 1_700_000_001.0)._replace(outcome=Outcome.ABANDONED)
    store.interactions.add(full)
    store.interactions.add(minimal)
    read = store.interactions.list(queue="support")
    assert read == [full, minimal]
    assert type(read[0].outcome) is Outcome and type(read[0].channel) is Channel
    assert read[0].talk_seconds == full.talk_seconds


def test_interactions_filter_by_queue_time_and_page(store: Store) -> None:
    for i in range(10):
        store.interactions.add(_record(i, "sales" if i % 2 else "support", float(100 - i)))
    sales = store.interactions.list(queue="sales")
    assert [r.arrived_at for r in sales] == [91.0, 93.0, 95.0, 97.0, 99.0]
    window = store.interactions.list(since=93.0, until=97.0)
    assert [r.arrived_at for r in window] == [93.0, 94.0, 95.0, 96.0]
    page = store.interactions.list(limit=3, offset=2)
    assert [r.arrived_at for r in page] == [93.0, 94.0, 95.0]
    with pytest.raises(ValueError, match="limit"):
        store.interactions.list(limit=0)


def test_interactions_by_caller(store: Store) -> None:
    store.interactions.add(_record(1, "sales", 1.0, caller="+15550000001"))
    store.interactions.add(_record(2, "support", 2.0, caller="+15550000002"))
    store.interactions.add(_record(3, "support", 3.0, caller="+15550000001"))
    assert [r.contact_id for r in store.interactions.list(caller="+15550000001")] == [1, 3]


def test_agent_session_round_trip(store: Store) -> None:
    record = AgentSessionRecord(
        agent_id="agent-1",
        group="tier1",
        logged_in_at=0.5,
        logged_out_at=28_800.25,
        ready_seconds=10_000.0,
        reserved_seconds=120.5,
        talk_seconds=15_000.0,
        wrap_seconds=2_000.0,
        not_ready_seconds=1_679.25,
        contacts_handled=57,
    )
    store.sessions.add(record)
    store.sessions.add(AgentSessionRecord("agent-2", "tier2", 1, 2, 0, 0, 0, 0, 1, 0))
    assert store.sessions.list(agent_id="agent-1") == [record]
    assert len(store.sessions.list()) == 2


# --- audit -----------------------------------------------------------------------------


def test_audit_append_and_list(store: Store) -> None:
    base = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    entries = [
        AuditEntry(base, "dial_refused", "core", 5551234567, "renewals", {"rule": "dnc"}),
        AuditEntry(base + timedelta(minutes=1), "dnc_add", "alice", 5551234567, None, {}),
        AuditEntry(base + timedelta(minutes=2), "dial_refused", "core", 5559876543, "renewals"),
    ]
    for entry in entries:
        store.audit.append(entry)
    assert store.audit.list() == entries
    assert store.audit.list(action="dial_refused") == [entries[0], entries[2]]
    assert store.audit.list(number=5551234567) == entries[:2]
    assert store.audit.list(since=base + timedelta(minutes=1)) == entries[1:]
    assert store.audit.list(until=base + timedelta(minutes=1)) == entries[:1]
    assert store.audit.list()[0].as_json()["number"] == "+15551234567"


def test_audit_times_come_back_in_utc_whatever_zone_went_in(store: Store) -> None:
    paris = timezone(timedelta(hours=1))
    store.audit.append(AuditEntry(datetime(2026, 11, 23, 15, 0, tzinfo=paris), "x", "y"))
    (read,) = store.audit.list()
    assert read.at == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    assert read.at.tzinfo == UTC


def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        store.audit.append(AuditEntry(datetime(2026, 11, 23, 14, 0), "x", "y"))


def test_leads_are_added_per_campaign_with_their_numbers(store: Store) -> None:
    assert (
        store.leads.add_many(
            "renewals",
            [(["+12125550100", "+12125550101"], {"name": "Ann"}), (["+13055550102"], {})],
        )
        == 2
    )
    store.leads.add_many("winback", [(["+14155550103"], {"name": "Di"})])
    assert store.leads.count("renewals") == 2
    assert store.leads.numbers("renewals") == {"+12125550100", "+12125550101", "+13055550102"}
    assert store.leads.numbers("unknown") == set()
    assert store.leads.campaign_id("renewals") == store.leads.campaign_id("renewals")
