"""An admin's changes reach the running center as logged events, and replay keeps them.

A queue created while the center runs takes calls at once; an agent given a skill
takes the caller waiting for it; a restart (a replay of the log) rebuilds both, at
the moment they were made, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.live.conftest import ManualClock
from tests.live.test_integrity import replayed, snapshot
from tests.postgres import PostgresServer
from tidal.config import QueueConfig, Scenario
from tidal.core.agent_state import AgentState
from tidal.core.errors import UnknownQueue
from tidal.core.events import AgentLoggedIn, AgentReady, ContactArrived
from tidal.live.runtime import LiveCenter
from tidal.store import Store

TECH = QueueConfig.model_validate(
    {"name": "tech", "skills": {"tech": 1}, "service_level": {"target": 0.9, "threshold": 30}}
)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request: pytest.FixtureRequest, store: Store) -> Iterator[Store]:
    if request.param == "sqlite":
        yield store
        return
    server: PostgresServer = request.getfixturevalue("postgresql_server")
    name = f"tidal_changes_{abs(hash(request.node.name)) % 10**9}"
    url = server.new_database(name)
    try:
        with Store.open(url) as opened:
            yield opened
    finally:
        server.drop_database(name)


def test_a_queue_created_while_running_takes_calls_and_survives_a_replay(
    center_config: Scenario, any_store: Store, clock: ManualClock
) -> None:
    runtime = LiveCenter(center_config, any_store, clock=clock)
    runtime.submit(AgentLoggedIn("a1", "support", {"tech": 3}))
    runtime.submit(AgentReady("a1"))
    with pytest.raises(UnknownQueue):
        runtime.submit(ContactArrived(1, "tech", "+12125550101"))
    clock.advance(5)
    runtime.configure_queue(TECH)
    clock.advance(5)
    runtime.submit(ContactArrived(2, "tech", "+12125550102"))
    assert runtime.center.agents["a1"].state is AgentState.RESERVED
    [tech] = [q for q in runtime.queues_view() if q["name"] == "tech"]
    assert tech["staffed"] == 1 and tech["target"] == 0.9
    assert replayed(center_config, any_store, clock) == snapshot(runtime)


def test_a_redefined_queue_offers_its_waiting_caller_at_once(
    center_config: Scenario, any_store: Store, clock: ManualClock
) -> None:
    runtime = LiveCenter(center_config, any_store, clock=clock)
    runtime.submit(AgentLoggedIn("a1", "support", {"billing": 1}))
    runtime.submit(AgentReady("a1"))
    strict = QueueConfig.model_validate({"name": "billing", "skills": {"billing": 5}})
    runtime.configure_queue(strict)
    runtime.submit(ContactArrived(1, "billing", "+12125550101"))
    assert runtime.center.agents["a1"].state is AgentState.READY  # not skilled enough now
    clock.advance(10)
    runtime.change_agent("a1", "support", {"billing": 7})
    assert runtime.center.agents["a1"].state is AgentState.RESERVED
    assert replayed(center_config, any_store, clock) == snapshot(runtime)


def test_an_edit_to_an_agent_not_logged_in_logs_nothing(
    center_config: Scenario, store: Store, clock: ManualClock
) -> None:
    runtime = LiveCenter(center_config, store, clock=clock)
    runtime.change_agent("nobody", "support", {"billing": 1})
    assert list(store.events.since(0)) == []
