"""The event log is the truth: after accepted, refused and failed events, live == replay.

The core changes memory when it decides; a commit that fails afterwards must not leave
memory ahead of the log. These tests make appends fail (at random in a hypothesis
property; for real by stopping PostgreSQL, by making the SQLite files immutable, by
text PostgreSQL cannot store) and compare what the live center shows with what a fresh
center rebuilt from the same log shows.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import event as event_note
from hypothesis import strategies as st
from sqlalchemy.exc import OperationalError

from tests.live.conftest import ManualClock
from tests.postgres import PostgresServer
from tidal.api import create_app
from tidal.config import Scenario
from tidal.core.agent_state import AgentState
from tidal.core.contact import ContactState
from tidal.core.errors import CoreError
from tidal.core.events import (
    AgentLoggedIn,
    AgentLoggedOut,
    AgentNotReady,
    AgentReady,
    CallEnded,
    CallerAbandoned,
    ContactArrived,
    OfferAccepted,
    OfferDeclined,
    TimerFired,
    WrapUpDone,
)
from tidal.live.codec import LiveEvent, encode
from tidal.live.health import StoreUnavailable
from tidal.live.runtime import LiveCenter
from tidal.store import Store

AGENTS = ("a1", "a2", "a3")


def snapshot(runtime: LiveCenter) -> dict[str, Any]:
    """Everything a screen or the API can read of the center, at the clock's now."""
    center = runtime.center
    return {
        "agents": runtime.agents_view(),
        "queues": runtime.queues_view(),
        "contacts": {c: runtime.contact_view(c) for c in sorted(center.contacts)},
        "offers": {a: runtime.offer_for(a) for a in AGENTS},
        "timers": dict(runtime._timer_deadlines),
        "state_counts": runtime.agent_state_counts(),
    }


def replayed(config: Scenario, store: Store, clock: ManualClock) -> dict[str, Any]:
    """What a center rebuilt from the log alone shows."""
    fresh = LiveCenter(config, store, clock=clock)
    fresh.rebuild()
    return snapshot(fresh)


def feasible(runtime: LiveCenter) -> list[str]:
    """The actions that can happen now (and a stranger's step, which the core refuses)."""
    center = runtime.center
    states = {a: center.agents[a].state for a in AGENTS if a in center.agents}
    contacts = {contact.state for contact in center.contacts.values()}
    possible = ["arrive", "stranger"]
    if len(states) < len(AGENTS) or AgentState.LOGGED_OUT in states.values():
        possible.append("log_in")
    if AgentState.NOT_READY in states.values():
        possible += ["ready", "log_out"]
    if AgentState.READY in states.values():
        possible.append("not_ready")
    if ContactState.OFFERED in contacts:
        possible += ["accept", "accept", "decline"]
    if ContactState.CONNECTED in contacts:
        possible += ["end", "end"]
    if AgentState.WRAP_UP in states.values():
        possible += ["wrap", "wrap"]
    if ContactState.QUEUED in contacts:
        possible.append("abandon")
    if runtime._timer_deadlines:
        possible.append("timer")
    return possible


def event_for(action: str, pick: int, runtime: LiveCenter, next_id: int) -> LiveEvent:
    """One thing that could happen next (or a stranger's step the core must refuse)."""
    center = runtime.center

    def agents_in(*states: AgentState) -> list[str]:
        found = [a for a in AGENTS if a in center.agents and center.agents[a].state in states]
        return found or list(AGENTS)

    if action == "log_in":
        missing = [a for a in AGENTS if a not in center.agents] + agents_in(AgentState.LOGGED_OUT)
        agent_id = missing[pick % len(missing)]
    elif action in ("ready", "log_out"):
        pool = agents_in(AgentState.NOT_READY)
        agent_id = pool[pick % len(pool)]
    elif action == "not_ready":
        pool = agents_in(AgentState.READY)
        agent_id = pool[pick % len(pool)]
    else:
        agent_id = AGENTS[pick % len(AGENTS)]

    def contacts_in(*states: ContactState) -> list[int]:
        return sorted(c for c, contact in center.contacts.items() if contact.state in states)

    def choose(candidates: list[int]) -> int:
        return candidates[pick % len(candidates)] if candidates else 10_000 + pick

    if action == "arrive":
        return ContactArrived(next_id, "billing", f"+1212555{next_id % 10_000:04d}")
    if action == "log_in":
        return AgentLoggedIn(agent_id, "support", {"billing": 5})
    if action == "ready":
        return AgentReady(agent_id)
    if action == "not_ready":
        return AgentNotReady(agent_id, "lunch")
    if action == "log_out":
        return AgentLoggedOut(agent_id)
    if action in ("accept", "decline"):
        contact_id = choose(contacts_in(ContactState.OFFERED))
        contact = center.contacts.get(contact_id)
        owner = contact.agent_id if contact is not None and contact.agent_id else agent_id
        kind = OfferAccepted if action == "accept" else OfferDeclined
        return kind(contact_id, owner)
    if action == "end":
        return CallEnded(choose(contacts_in(ContactState.CONNECTED)))
    if action == "wrap":
        wrapping = [
            a for a, agent in sorted(center.agents.items()) if agent.state is AgentState.WRAP_UP
        ]
        owner = wrapping[pick % len(wrapping)] if wrapping else agent_id
        return WrapUpDone(owner, "resolved")
    if action == "abandon":
        return CallerAbandoned(choose(contacts_in(ContactState.QUEUED, ContactState.OFFERED)))
    if action == "timer":
        timers = sorted(runtime._timer_deadlines)
        return TimerFired(timers[pick % len(timers)] if timers else f"ring:{pick}")
    return OfferAccepted(10_000 + pick, agent_id)  # a contact nobody has: refused


class FlakyAppend:
    """The event log's append, failing when told to, before anything reaches the database
    (a full disk, a lost connection): the failure the runtime must not diverge on."""

    def __init__(self, store: Store) -> None:
        self.real = store.events.append_with_records
        self.fail_next = False

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.fail_next:
            self.fail_next = False
            raise OperationalError("INSERT INTO events ...", {}, OSError(28, "No space left"))
        return self.real(*args, **kwargs)


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty SQLite database to copy for each example (migrations are slow)."""
    home = tmp_path_factory.mktemp("template")
    Store.open(home=home).close()
    return home / "tidal.db"


STEPS = st.lists(
    st.tuples(
        st.integers(0, 1000),  # which of the feasible actions
        st.integers(0, 50),
        st.floats(0.0, 40.0),
        st.integers(0, 4),  # 0: this step's append fails (one in five)
    ),
    min_size=1,
    max_size=45,
)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_live_state_equals_a_replay_of_the_log_whatever_fails(
    center_config: Scenario, template_db: Path, steps: list[tuple[int, int, float, int]]
) -> None:
    with tempfile.TemporaryDirectory() as home:
        shutil.copy(template_db, Path(home) / "tidal.db")
        clock = ManualClock()
        with Store.open(home=Path(home)) as store:
            flaky = FlakyAppend(store)
            store.events.append_with_records = flaky  # type: ignore[method-assign]
            runtime = LiveCenter(center_config, store, clock=clock)
            runtime.rebuild()
            accepted = 0
            next_id = 1
            for choice, pick, dt, failure in steps:
                clock.advance(dt)
                possible = feasible(runtime)
                action = possible[choice % len(possible)]
                event = event_for(action, pick, runtime, next_id)
                if isinstance(event, ContactArrived):
                    next_id += 1
                flaky.fail_next = failure == 0
                try:
                    runtime.submit(event)
                    accepted += 1
                except CoreError:
                    pass
                except StoreUnavailable:
                    assert failure == 0
                    event_note(f"failed commit of {type(event).__name__}")
                assert snapshot(runtime) == replayed(center_config, store, clock), (action, event)
                assert runtime.integrity.unavailable is None
            assert store.events.last_id() == accepted == runtime.events_handled
            assert runtime.integrity.replay_refused == 0


def _offered_call(runtime: LiveCenter, clock: ManualClock) -> int:
    """An agent ready and a caller: the call is offered to the agent (contact 1)."""
    runtime.submit(AgentLoggedIn("a1", "support", {"billing": 5}))
    runtime.submit(AgentReady("a1"))
    clock.advance(1)
    runtime.submit(ContactArrived(1, "billing", "+12125550100"))
    return 1


def _in_wrap_up(runtime: LiveCenter, clock: ManualClock) -> None:
    contact_id = _offered_call(runtime, clock)
    runtime.submit(OfferAccepted(contact_id, "a1"))
    clock.advance(30)
    runtime.submit(CallEnded(contact_id))


# -- real failures --------------------------------------------------------------------------


@pytest.fixture
def postgres_store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """A store on the session's throwaway PostgreSQL server."""
    server: PostgresServer = request.getfixturevalue("postgresql_server")
    name = f"tidal_integrity_{abs(hash(request.node.name)) % 10**9}"
    url = server.new_database(name)
    try:
        with Store.open(url) as store:
            yield store
    finally:
        server.drop_database(name)


def test_a_nul_in_a_disposition_that_postgres_refuses_leaves_no_divergence(
    center_config: Scenario, postgres_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """The issue's case: PostgreSQL refuses text with NUL at commit; the center must not
    keep the agent ready while the log never heard of the disposition."""
    clock = ManualClock()
    runtime = LiveCenter(center_config, postgres_store, clock=clock)
    runtime.rebuild()
    _in_wrap_up(runtime, clock)
    with caplog.at_level(logging.ERROR), pytest.raises(StoreUnavailable):
        runtime.submit(WrapUpDone("a1", "res\u0000olved"))
    assert "could not be committed" in caplog.text
    assert "res\u0000olved" not in caplog.text  # the payload never reaches the log
    assert runtime.agent_view("a1")["state"] == "wrap_up"  # type: ignore[index]
    assert snapshot(runtime) == replayed(center_config, postgres_store, clock)
    runtime.submit(WrapUpDone("a1", "resolved"))  # the clean retry is taken
    assert runtime.agent_view("a1")["state"] == "ready"  # type: ignore[index]
    assert snapshot(runtime) == replayed(center_config, postgres_store, clock)
    assert runtime.integrity.commit_failures == 1 and runtime.health()["status"] == "ok"


@pytest.fixture
def own_postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server of this test's own, to stop and start again."""
    server = PostgresServer.create()
    if server is None:
        pytest.skip("PostgreSQL binaries not found: install Debian's `postgresql` package")
    try:
        yield server
    finally:
        server.destroy()


def _outage_and_recovery(
    runtime: LiveCenter,
    store: Store,
    config: Scenario,
    clock: ManualClock,
    *,
    down: Any,
    up: Any,
    readable: bool,
) -> None:
    """The store goes away mid-call and comes back: refuse, report, then rebuild.

    `readable`: whether the log can still be read while writes fail (a read-only file):
    then the center rebuilds at once and keeps trying each event; otherwise (the database
    is gone) it refuses events until the ticker's retry finds the log again.
    """
    contact_id = _offered_call(runtime, clock)
    down()
    clock.advance(2)
    with pytest.raises(StoreUnavailable):
        runtime.submit(OfferAccepted(contact_id, "a1"))
    health = runtime.health()
    assert health["status"] == "degraded" and health["store_writable"] is False
    assert health["accepting_events"] is readable
    if readable:
        assert snapshot(runtime) == replayed(config, store, clock)
    else:
        # Screens keep the last picture (not an empty center; it may show the step that
        # was not kept) while /healthz says events are refused.
        assert [a["agent_id"] for a in snapshot(runtime)["agents"]] == ["a1"]
    with pytest.raises(StoreUnavailable):
        runtime.submit(AgentNotReady("a1", "lunch"))
    assert runtime.retry_rebuild() is readable  # the log is whole, or too soon and down
    up()
    clock.advance(10)
    assert runtime.retry_rebuild() is True
    assert runtime.health()["accepting_events"] is True
    assert snapshot(runtime) == replayed(config, store, clock)
    view = runtime.agent_view("a1")
    assert view is not None and view["state"] == "reserved"  # the accept was never kept
    runtime.submit(OfferAccepted(contact_id, "a1"))
    assert snapshot(runtime) == replayed(config, store, clock)
    assert runtime.health() == {
        "status": "ok",
        "reasons": [],
        "replay_refused": 0,
        "commit_failures": 2 if readable else 1,
        "accepting_events": True,
        "store_writable": True,
    }


def test_postgres_stopped_mid_call_refuses_events_then_rebuilds_from_the_log(
    center_config: Scenario, own_postgres: PostgresServer
) -> None:
    url = own_postgres.new_database("tidal_outage")
    clock = ManualClock()
    with Store.open(url) as store:
        runtime = LiveCenter(center_config, store, clock=clock)
        runtime.rebuild()
        _outage_and_recovery(
            runtime,
            store,
            center_config,
            clock,
            down=own_postgres.stop,
            up=own_postgres.start,
            readable=False,
        )


def _chattr(flag: str, *paths: Path) -> None:
    subprocess.run(["chattr", flag, *map(str, paths)], check=True, capture_output=True)


def _needs_immutable_files(directory: Path) -> None:
    """Skip (with the reason) where the file system has no immutable attribute."""
    probe = directory / "probe"
    probe.write_text("x")
    try:
        _chattr("+i", probe)
        _chattr("-i", probe)
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.skip(f"this file system has no immutable attribute: {error}")
    probe.unlink()


def test_sqlite_files_made_read_only_mid_call_refuse_events_then_rebuild(
    center_config: Scenario, tmp_path: Path
) -> None:
    """Read-only for root too: the immutable attribute (ext4), on the open database."""
    clock = ManualClock()
    with Store.open(home=tmp_path) as store:
        runtime = LiveCenter(center_config, store, clock=clock)
        runtime.rebuild()
        _needs_immutable_files(tmp_path)
        files = [p for p in tmp_path.glob("tidal.db*") if p.is_file()]
        try:
            _outage_and_recovery(
                runtime,
                store,
                center_config,
                clock,
                down=lambda: _chattr("+i", *files),
                up=lambda: _chattr("-i", *files),
                readable=True,
            )
        finally:
            subprocess.run(["chattr", "-i", *map(str, files)], capture_output=True)


# -- a log that is not whole ------------------------------------------------------------------


def test_a_logged_event_refused_on_replay_is_reported_not_skipped_silently(
    center_config: Scenario, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = ManualClock()
    with Store.open(home=tmp_path) as store:
        for event in (AgentLoggedIn("a1", "support", {"billing": 5}), OfferAccepted(77, "a1")):
            kind, payload = encode(event)
            store.events.append(kind, payload, clock())  # a log no center accepted whole
        runtime = LiveCenter(center_config, store, clock=clock)
        with caplog.at_level(logging.ERROR):
            runtime.rebuild()
        assert "event 2 (OfferAccepted) refused on replay" in caplog.text
        with TestClient(create_app(runtime, tmp_path)) as client:
            health = client.get("/healthz")
            assert health.status_code == 200  # still taking events, but not whole
            body = health.json()
            assert body["status"] == "degraded" and body["replay_refused"] == 1
            assert "event 2 (OfferAccepted) refused on replay" in body["reasons"][0]
            metrics = client.get("/metrics").text
            assert "tidal_replay_refused_events_total 1.0" in metrics
            assert "tidal_degraded 1.0" in metrics


def test_healthz_answers_503_while_the_store_cannot_take_events(
    center_config: Scenario, tmp_path: Path
) -> None:
    clock = ManualClock()
    with Store.open(home=tmp_path) as store:
        runtime = LiveCenter(center_config, store, clock=clock)
        runtime.rebuild()
        with TestClient(create_app(runtime, tmp_path)) as client:
            assert client.get("/healthz").json() == {"status": "ok"}
            _needs_immutable_files(tmp_path)
            files = [p for p in tmp_path.glob("tidal.db*") if p.is_file()]
            _chattr("+i", *files)
            try:
                with pytest.raises(StoreUnavailable):
                    runtime.submit(AgentLoggedIn("a1", "support", {"billing": 5}))
                answer = client.get("/healthz")
                assert answer.status_code == 503
                assert answer.json()["store_writable"] is False
                assert "tidal_event_commit_failures_total 1.0" in client.get("/metrics").text
            finally:
                _chattr("-i", *files)
