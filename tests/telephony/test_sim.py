"""Simulated telephony in real time: callers arrive, simulated agents answer and wrap up."""

from __future__ import annotations

import asyncio
from collections import Counter

from tidal.config import Scenario
from tidal.core.values import Outcome
from tidal.live.runtime import LiveCenter
from tidal.store import Store
from tidal.telephony.sim import SimTelephony, bot_ids


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


FLOW_CENTER = """
name: ivr-center
start: "2026-11-23T08:00:00-05:00"
duration: 8h
agents:
  - group: desk
    count: 3
    skills: {english: 1, spanish: 1, french: 1}
    wrap_up: {dist: constant, value: 2}
queues:
  - {name: english, flow: multi-language, skills: {english: 1}, arrivals: {rate_per_hour: 1800},
     handle_time: {dist: constant, value: 30}}
  - {name: spanish, skills: {spanish: 1}, arrivals: {rate_per_hour: 0},
     handle_time: {dist: constant, value: 30}}
  - {name: french, skills: {french: 1}, arrivals: {rate_per_hour: 0},
     handle_time: {dist: constant, value: 30}}
  - {name: miami, skills: {spanish: 1}, arrivals: {rate_per_hour: 0},
     handle_time: {dist: constant, value: 30}}
flows:
  - file: flows/multi-language.yaml
    callers:
      choices:
        language_menu: {"1": 0.5, "2": 0.5}
      digits: {account_en: "48213377", account_es: "52917740"}
"""


async def test_callers_go_through_the_call_flow_and_their_input_pops_up(store: Store) -> None:
    from pathlib import Path

    from tidal.config import parse_scenario

    examples = Path(__file__).resolve().parents[2] / "examples"
    config = parse_scenario(FLOW_CENTER, "ivr-center.yaml")
    telephony = SimTelephony(config, seed=11, speed=100.0, base_dir=examples)
    runtime = LiveCenter(config, store, telephony=telephony, tick_seconds=0)
    offers = runtime.bus.subscribe(lambda m: m if m["type"] == "offer" else None)
    await runtime.start()
    await asyncio.sleep(1.5)  # 150 s of calls through a menu and an account prompt
    await runtime.stop()
    popped = [offers._queue.get_nowait() for _ in range(offers.pending())]
    assert popped, "no caller made it through the flow to an agent"
    assert {o["queue"] for o in popped} <= {"english", "spanish", "miami"}
    for offer in popped:
        ivr = offer["ivr"]
        assert ivr["language"] in ("en", "es")
        assert ivr["account"] == ("48213377" if ivr["language"] == "en" else "52917740")
