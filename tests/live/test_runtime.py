"""The live runtime: decide, commit with the records, then act; and rebuild from the log."""

from __future__ import annotations

import asyncio

import pytest

from tests.live.conftest import ManualClock
from tidal.config import Scenario
from tidal.core.errors import CoreError
from tidal.core.events import (
    AgentLoggedIn,
    AgentReady,
    CallEnded,
    ContactArrived,
    OfferAccepted,
    WrapUpDone,
)
from tidal.core.values import Outcome
from tidal.live.runtime import LiveCenter
from tidal.store import Store


async def started(config: Scenario, store: Store, clock: ManualClock, **kw: object) -> LiveCenter:
    runtime = LiveCenter(config, store, clock=clock, tick_seconds=0, **kw)  # type: ignore[arg-type]
    await runtime.start()
    return runtime


async def test_a_call_from_offer_to_record(
    center_config: Scenario, store: Store, clock: ManualClock
) -> None:
    runtime = await started(center_config, store, clock)
    stream = runtime.bus.subscribe()
    runtime.submit(AgentLoggedIn("ann", "support", {"billing": 5}))
    runtime.submit(AgentReady("ann"))
    contact_id = runtime.new_contact_id()
    clock.advance(1)
    runtime.submit(ContactArrived(contact_id, "billing", "+12125550101"))
    offer = runtime.offer_for("ann")
    assert offer is not None and offer["contact_id"] == contact_id
    assert offer["caller"] == "+12125550101" and offer["history"] == []
    clock.advance(3)
    runtime.submit(OfferAccepted(contact_id, "ann"))
    clock.advance(60)
    runtime.submit(CallEnded(contact_id))
    clock.advance(10)
    runtime.submit(WrapUpDone("ann", "resolved"))
    records = store.interactions.list()
    assert len(records) == 1
    (record,) = records
    assert record.outcome is Outcome.ANSWERED and record.disposition == "resolved"
    assert record.answered_at is not None and record.answered_at - record.arrived_at == 3
    messages = [stream._queue.get_nowait() for _ in range(stream.pending())]
    kinds = [m["type"] for m in messages]
    assert "offer" in kinds and "interaction" in kinds
    states = [m["state"] for m in messages if m["type"] == "agent"]
    assert states == ["not_ready", "ready", "reserved", "talking", "wrap_up", "ready"]
    # The caller's next call pops their history on the desktop.
    runtime.submit(ContactArrived(runtime.new_contact_id(), "billing", "+12125550101"))
    offer = runtime.offer_for("ann")
    assert offer is not None and [h["contact_id"] for h in offer["history"]] == [contact_id]
    (queue,) = runtime.queues_view()
    assert queue["answered_today"] == 1 and queue["waiting"] == 0
    await runtime.stop()


async def test_a_refused_event_is_not_logged(
    center_config: Scenario, store: Store, clock: ManualClock
) -> None:
    runtime = await started(center_config, store, clock)
    runtime.submit(AgentLoggedIn("ann", "support", {"billing": 5}))
    logged = store.events.last_id()
    with pytest.raises(CoreError):
        runtime.submit(OfferAccepted(99, "ann"))
    with pytest.raises(CoreError):
        runtime.submit(AgentLoggedIn("ann", "support", {"billing": 5}))
    assert store.events.last_id() == logged
    await runtime.stop()


async def test_restart_rebuilds_the_center_from_the_log(
    center_config: Scenario, store: Store, clock: ManualClock
) -> None:
    first = await started(center_config, store, clock)
    for agent in ("ann", "bob"):
        first.submit(AgentLoggedIn(agent, "support", {"billing": 5}))
        first.submit(AgentReady(agent))
    talking = first.new_contact_id()
    first.submit(ContactArrived(talking, "billing", "+13055550101"))
    first.submit(OfferAccepted(talking, first.center.contacts[talking].agent_id or ""))
    ringing = first.new_contact_id()
    first.submit(ContactArrived(ringing, "billing", "+13055550102"))
    waiting = first.new_contact_id()
    first.submit(ContactArrived(waiting, "billing", "+13055550103"))
    before = {a: (v["state"], v["contact_id"]) for a, v in _agents(first).items()}
    # No stop(): the process dies; a new one opens the same store.
    second = await started(center_config, store, clock)
    assert {a: (v["state"], v["contact_id"]) for a, v in _agents(second).items()} == before
    assert set(second.center.contacts) == {talking, ringing, waiting}
    assert second.new_contact_id() > waiting
    # The ring timer survived: when it runs out the offer is taken back and re-offered.
    assert any(t.startswith("ring:") for t in second._timer_deadlines)
    await second.stop()


async def test_overdue_timers_fire_on_start(
    center_config: Scenario, store: Store, clock: ManualClock
) -> None:
    first = await started(center_config, store, clock, ring_timeout=5.0)
    first.submit(AgentLoggedIn("ann", "support", {"billing": 5}))
    first.submit(AgentReady("ann"))
    contact_id = first.new_contact_id()
    first.submit(ContactArrived(contact_id, "billing", "+13125550101"))
    assert first.center.agents["ann"].state == "reserved"
    clock.advance(30)  # down for 30 s: the 5 s ring timer is overdue
    second = await started(center_config, store, clock, ring_timeout=5.0)
    await asyncio.sleep(0.05)
    # The offer rang out while the server was down: one miss, and the caller is offered
    # again (to ann, the only agent), with a fresh ring timer.
    kinds = [e.kind for e in store.events.since(0)]
    assert kinds[-1] == "TimerFired"
    assert second.center.agents["ann"].misses == 1
    assert second.offer_for("ann") is not None
    await second.stop()


def _agents(runtime: LiveCenter) -> dict[str, dict[str, object]]:
    return {view["agent_id"]: view for view in runtime.agents_view()}
