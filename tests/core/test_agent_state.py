"""The agent state table: legal steps move, illegal ones raise a named error."""

import pytest

from tidal.core import TRANSITIONS, Agent, AgentAction, AgentState, IllegalTransition


def test_a_call_cycle_books_time_in_each_state() -> None:
    agent = Agent("a1", "support", {}, now=0.0)
    agent.apply(AgentAction.LOG_IN, 0.0)
    agent.apply(AgentAction.GO_READY, 5.0)
    agent.apply(AgentAction.RESERVE, 15.0)
    agent.apply(AgentAction.ACCEPT, 17.0)
    agent.apply(AgentAction.END_CALL, 77.0)
    agent.apply(AgentAction.FINISH_WRAP_UP, 97.0)
    assert agent.state is AgentState.READY
    assert agent.seconds_in(AgentState.NOT_READY, 100.0) == 5.0
    assert agent.seconds_in(AgentState.READY, 100.0) == 10.0 + 3.0  # current stretch counts
    assert agent.seconds_in(AgentState.RESERVED, 100.0) == 2.0
    assert agent.seconds_in(AgentState.TALKING, 100.0) == 60.0
    assert agent.seconds_in(AgentState.WRAP_UP, 100.0) == 20.0


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (state, action)
        for state in AgentState
        for action in AgentAction
        if (state, action) not in TRANSITIONS
    ],
)
def test_every_step_outside_the_table_raises(state: AgentState, action: AgentAction) -> None:
    agent = Agent("a1", "support", {}, now=0.0)
    agent.state = state
    with pytest.raises(IllegalTransition) as caught:
        agent.apply(action, 1.0)
    assert caught.value.state == state
    assert caught.value.action == action
    assert agent.state is state  # nothing moved


def test_an_agent_cannot_take_a_second_call_while_talking() -> None:
    agent = Agent("a1", "support", {}, now=0.0)
    for action in (AgentAction.LOG_IN, AgentAction.GO_READY, AgentAction.RESERVE):
        agent.apply(action, 0.0)
    agent.apply(AgentAction.ACCEPT, 1.0)
    with pytest.raises(IllegalTransition, match="'reserve' is not allowed in state 'talking'"):
        agent.apply(AgentAction.RESERVE, 2.0)


def test_states_are_strings_as_stored() -> None:
    assert AgentState.READY == "ready"
    assert AgentState("wrap_up") is AgentState.WRAP_UP
