"""Changes while the center runs: a queue added or redefined, an agent's skills edited."""

import pytest

from tidal.core import (
    AgentLoggedIn,
    AgentReady,
    Center,
    ContactArrived,
    ExpansionStep,
    OfferToAgent,
    QueueSpec,
    StartTimer,
    TimerFired,
    UnknownAgent,
    UnknownQueue,
    UnsupportedChange,
)
from tidal.core.routing import PoolRouter


def _ready(center: Center, agent_id: str, skills: dict[str, int], now: float = 0.0) -> None:
    center.handle(AgentLoggedIn(agent_id, "g", skills), now)
    center.handle(AgentReady(agent_id), now)


def test_a_queue_added_while_running_takes_calls_and_counts_its_staff() -> None:
    center = Center([QueueSpec("billing", {"billing": 1})])
    _ready(center, "a1", {"tech": 2})
    with pytest.raises(UnknownQueue):
        center.handle(ContactArrived(1, "tech"), 1.0)
    assert center.configure_queue(QueueSpec("tech", {"tech": 1}), 2.0) == []
    assert center.staffed("tech") == 1
    assert center.staffed("billing") == 0
    assert center.handle(ContactArrived(2, "tech"), 3.0) == [OfferToAgent(2, "a1", "tech")]


def test_a_waiting_caller_is_offered_at_once_when_the_queue_no_longer_needs_the_skill() -> None:
    center = Center([QueueSpec("billing", {"billing": 3})])
    _ready(center, "a1", {"billing": 1})
    commands = center.handle(ContactArrived(1, "billing", priority=0), 1.0)
    commands = center.handle(ContactArrived(2, "billing", priority=1), 2.0)
    assert not any(isinstance(c, OfferToAgent) for c in commands)
    # The higher-priority caller goes first, as it would have without the change.
    assert center.configure_queue(QueueSpec("billing", {"billing": 1}), 5.0) == [
        OfferToAgent(2, "a1", "billing")
    ]
    assert center.queue_length("billing") == 1


def test_an_agent_given_a_skill_takes_the_caller_waiting_for_it() -> None:
    center = Center([QueueSpec("billing", {"billing": 1}), QueueSpec("tech", {"tech": 1})])
    _ready(center, "a1", {"billing": 1})
    center.handle(ContactArrived(1, "tech"), 1.0)
    assert center.staffed("tech") == 0
    assert center.change_agent("a1", "g", {"tech": 2}, 4.0) == [OfferToAgent(1, "a1", "tech")]
    assert center.staffed("tech") == 1 and center.staffed("billing") == 0
    with pytest.raises(UnknownAgent):
        center.change_agent("nobody", "g", {}, 5.0)


def test_a_step_timer_of_a_step_taken_away_does_nothing() -> None:
    steps = (ExpansionStep(30.0, skills={"billing": 1}),)
    center = Center([QueueSpec("billing", {"billing": 5}, steps=steps)])
    commands = center.handle(ContactArrived(1, "billing"), 0.0)
    assert StartTimer("expand:1", 30.0) in commands
    center.configure_queue(QueueSpec("billing", {"billing": 5}), 10.0)
    assert center.handle(TimerFired("expand:1"), 30.0) == []
    assert center.queue_length("billing") == 1


def test_a_router_from_outside_cannot_be_reconfigured() -> None:
    specs = [QueueSpec("billing", {"billing": 1})]
    center = Center(specs, router=PoolRouter(specs))
    with pytest.raises(UnsupportedChange):
        center.configure_queue(QueueSpec("tech", {}), 0.0)
