"""Blending policies: how many ready blended agents outbound may count."""

from __future__ import annotations

import pytest

from tidal.core.campaigns import InboundView, NoBlendingPolicy, ReservePolicy


def _view(ready: int, waiting: int = 0, level: float = 0.9) -> InboundView:
    return InboundView(ready, 10, waiting, 0.0, 20.0, level, 0.8)


def test_the_reserve_stays_back_for_inbound() -> None:
    assert ReservePolicy(2).outbound_agents(_view(5)) == 3
    assert ReservePolicy(2).outbound_agents(_view(1)) == 0


def test_no_agent_is_lent_while_inbound_callers_wait() -> None:
    assert ReservePolicy(0).outbound_agents(_view(5, waiting=1)) == 0


def test_a_slipping_service_level_grows_the_reserve() -> None:
    assert ReservePolicy(1, step=0.05).outbound_agents(_view(6, level=0.7)) == 3


def test_without_a_policy_every_ready_agent_is_lent() -> None:
    assert NoBlendingPolicy().outbound_agents(_view(5, waiting=3)) == 5


def test_a_negative_reserve_is_refused() -> None:
    with pytest.raises(ValueError, match="reserve must be >= 0"):
        ReservePolicy(-1)
