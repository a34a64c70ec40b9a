"""Simulated telephony in real time: callers arrive, simulated agents answer and wrap up."""

from __future__ import annotations

import asyncio
from collections import Counter

from tidal.config import Scenario
from tidal.core.values import Outcome
from tidal.live.runtime import LiveCenter
from tidal.live.sim_telephony import SimTelephony, bot_ids
from tidal.store import Store


def test_bots_are_named_by_group(center_config: Scenario) -> None:
    assert bot_ids(center_config) == {
        "support-01": ("support", {"billing": 5}),
        "support-02": ("support", {"billing": 5}),
    }


async def test_a_fast_day_produces_calls_answers_and_abandons(
    center_config: Scenario, store: Store
) -> None:
    # 3,600 calls an hour on two agents at 100x: about 100 callers in a second, far more
    # than two agents can take, so some are answered and the rest abandon after 60 s.
    telephony = SimTelephony(center_config, seed=3, speed=100.0)
    runtime = LiveCenter(center_config, store, telephony=telephony, tick_seconds=0.2)
    stream = runtime.bus.subscribe()
    await runtime.start()
    assert {a["state"] for a in runtime.agents_view()} <= {"ready", "reserved"}
    await asyncio.sleep(1.5)
    await runtime.stop()
    outcomes = Counter(r.outcome for r in store.interactions.list(limit=1000))
    assert telephony.calls_started > 50
    assert outcomes[Outcome.ANSWERED] >= 2
    assert outcomes[Outcome.ABANDONED] >= 10
    answered = [r for r in store.interactions.list(limit=1000) if r.outcome is Outcome.ANSWERED]
    assert all(r.agent_id in ("support-01", "support-02") for r in answered)
    assert all(r.disposition in ("resolved", "unresolved") for r in answered)
    kinds = Counter(
        m["type"] for m in [stream._queue.get_nowait() for _ in range(stream.pending())]
    )
    assert kinds["tick"] >= 3 and kinds["offer"] >= 2


async def test_restart_picks_up_the_calls_in_progress(
    center_config: Scenario, store: Store
) -> None:
    first = LiveCenter(
        center_config, store, telephony=SimTelephony(center_config, seed=5, speed=50.0)
    )
    await first.start()
    await asyncio.sleep(0.3)
    # Crash: nothing is stopped cleanly; the new process replays the log.
    for handle in first._timers.values():
        handle.cancel()
    await first.telephony.stop()
    held = set(first.center.contacts)
    second = LiveCenter(
        center_config, store, telephony=SimTelephony(center_config, seed=6, speed=50.0)
    )
    await second.start()
    assert held <= set(second.center.contacts) | _recorded(store)
    await asyncio.sleep(2.0)  # 100 simulated seconds: every held call ends or abandons
    await second.stop()
    assert held <= _recorded(store)


def _recorded(store: Store) -> set[int]:
    return {r.contact_id for r in store.interactions.list(limit=10_000)}
