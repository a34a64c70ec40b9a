"""Each ACD strategy chooses the agent it promises, without scanning all agents."""

from __future__ import annotations

import random

import pytest

from tidal.core import (
    AgentLoggedIn,
    AgentReady,
    CallEnded,
    Center,
    ContactArrived,
    OfferAccepted,
    OfferToAgent,
    QueueSpec,
    Strategy,
    WrapUpDone,
)
from tidal.core.agent_state import OCCUPANCY_WINDOW, Agent, AgentAction


def _center(strategy: Strategy, **spec: object) -> Center:
    queue = QueueSpec("q", {"s": 1}, strategy=strategy, **spec)  # type: ignore[arg-type]
    return Center([queue], rng=random.Random(1))


def _login(center: Center, agent_id: str, now: float, level: int = 1) -> None:
    center.handle(AgentLoggedIn(agent_id, "g", {"s": level}), now)
    center.handle(AgentReady(agent_id), now)


def _serve(center: Center, contact_id: int, now: float, talk: float) -> str:
    """A contact arrives, is answered at once and completes; returns the agent."""
    [offer] = center.handle(ContactArrived(contact_id, "q"), now)
    assert isinstance(offer, OfferToAgent)
    center.handle(OfferAccepted(contact_id, offer.agent_id), now)
    center.handle(CallEnded(contact_id), now + talk)
    center.handle(WrapUpDone(offer.agent_id), now + talk)
    return offer.agent_id


def _next_agent(center: Center, contact_id: int, now: float) -> str:
    [offer] = center.handle(ContactArrived(contact_id, "q"), now)
    assert isinstance(offer, OfferToAgent)
    return offer.agent_id


def test_round_robin_moves_on_after_the_last_agent_chosen() -> None:
    center = _center(Strategy.ROUND_ROBIN)
    for i, name in enumerate(["a", "b", "c"]):
        _login(center, name, float(i))
    served = [_serve(center, n, 10.0 + n, 1.0) for n in range(1, 7)]
    assert served == ["a", "b", "c", "a", "b", "c"]


def test_fewest_calls_prefers_the_agent_with_the_lightest_count() -> None:
    center = _center(Strategy.FEWEST_CALLS)
    _login(center, "a", 0.0)
    assert _serve(center, 1, 1.0, 5.0) == "a"
    assert _serve(center, 2, 10.0, 5.0) == "a"
    _login(center, "b", 20.0)  # ready later, but fewer calls
    assert _next_agent(center, 3, 30.0) == "b"


def test_least_occupied_prefers_the_agent_who_was_least_busy_lately() -> None:
    center = _center(Strategy.LEAST_OCCUPIED)
    _login(center, "busy", 0.0)
    _login(center, "idle", 0.0)
    # "busy" takes a long call, then both idle; "busy" became ready later, so
    # longest-idle would pick "idle" too: make "idle" the more recently ready one.
    assert _serve(center, 1, 0.0, 600.0) == "busy"
    assert _serve(center, 2, 700.0, 10.0) == "idle"
    # Now "idle" was ready last (710) yet is far less occupied: it gets the call.
    assert _next_agent(center, 3, 800.0) == "idle"


def test_occupancy_measure_decays_with_the_window() -> None:
    agent = Agent("a", "g", {}, 0.0)
    for action in (AgentAction.LOG_IN, AgentAction.GO_READY, AgentAction.RESERVE):
        agent.apply(action, 0.0)
    agent.apply(AgentAction.ACCEPT, 0.0)
    agent.apply(AgentAction.END_CALL, OCCUPANCY_WINDOW)
    agent.apply(AgentAction.FINISH_WRAP_UP, OCCUPANCY_WINDOW)
    # Busy for one window from zero: 1 - 1/e; then idle for one window: times 1/e.
    assert agent.occupancy_at(OCCUPANCY_WINDOW) == pytest.approx(1 - 1 / 2.718281828459045)
    assert agent.occupancy_at(2 * OCCUPANCY_WINDOW) == pytest.approx(
        (1 - 1 / 2.718281828) / 2.718281828
    )


def test_top_down_takes_the_first_ready_agent_of_the_list() -> None:
    center = _center(Strategy.TOP_DOWN, agent_order=("senior", "mid"))
    _login(center, "junior", 0.0)
    _login(center, "mid", 1.0)
    _login(center, "senior", 2.0)
    assert _next_agent(center, 1, 3.0) == "senior"
    assert _next_agent(center, 2, 3.0) == "mid"
    assert _next_agent(center, 3, 3.0) == "junior"


def test_most_skilled_takes_the_highest_level_then_longest_idle() -> None:
    center = _center(Strategy.MOST_SKILLED)
    _login(center, "novice", 0.0, level=2)
    _login(center, "expert-late", 5.0, level=9)
    _login(center, "expert-early", 6.0, level=9)
    assert _next_agent(center, 1, 10.0) == "expert-late"
    assert _next_agent(center, 2, 10.0) == "expert-early"
    assert _next_agent(center, 3, 10.0) == "novice"


def test_random_spreads_contacts_and_is_reproducible_with_the_seed() -> None:
    def run() -> list[str]:
        center = _center(Strategy.RANDOM)
        for name in "abcd":
            _login(center, name, 0.0)
        return [_serve(center, n, float(n), 0.5) for n in range(1, 201)]

    first = run()
    assert first == run()
    counts = {name: first.count(name) for name in "abcd"}
    assert all(30 <= c <= 70 for c in counts.values()), counts  # 50 +- 4 sd of binomial


def test_config_names_every_strategy() -> None:
    from typing import get_args

    from tidal.config._scenario import RoutingStrategy

    assert set(get_args(RoutingStrategy)) == {s.value for s in Strategy}
