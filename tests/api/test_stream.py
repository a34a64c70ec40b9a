"""The WebSocket stream: a bad token closes with 1008; messages are filtered by role."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect

from tests.api.conftest import Site, agent_view
from tidal.api import Principal, message_filter
from tidal.store import Role

QUEUES = [{"name": "sales", "waiting": 2}, {"name": "support", "waiting": 5}]
MESSAGES: list[dict[str, Any]] = [
    {"type": "agent", **agent_view("a1")},
    {"type": "agent", **agent_view("a2")},
    {"type": "offer", "agent_id": "a2", "contact_id": 8, "caller": "+12125550100"},
    {"type": "offer", "agent_id": "a1", "contact_id": 7, "caller": "+12125550101"},
    {"type": "offer_cancelled", "agent_id": "a2", "contact_id": 8, "reason": "abandoned"},
    {"type": "interaction", "agent_id": "a2", "contact_id": 6, "caller": "+12125550102"},
    {"type": "interaction", "agent_id": None, "contact_id": 5, "outcome": "abandoned"},
    {"type": "tick", "at": 1.0, "queues": QUEUES, "agents": {"ready": 2}, "campaigns": []},
    {"type": "campaign", "name": "renewals", "dial_rate": 3.0},
]
END = {"type": "tick", "at": 99.0, "queues": [], "agents": {}, "campaigns": []}


def received(center: Site, user: str) -> list[dict[str, Any]]:
    """What a user's stream delivers of MESSAGES, up to the END tick."""
    center.runtime.bus.messages[:] = [*MESSAGES, END]
    got = []
    with center.client.websocket_connect(f"/api/v1/stream?token={center.tokens[user]}") as ws:
        while True:
            message = ws.receive_json()
            if message.get("type") == "tick" and message.get("at") == 99.0:
                return got
            got.append(message)


@pytest.mark.parametrize("user", ["ada", "sam"])
def test_managers_receive_everything(fresh: Site, user: str) -> None:
    assert received(fresh, user) == MESSAGES


def test_an_agent_receives_only_their_own_and_their_queues(fresh: Site) -> None:
    alice = received(fresh, "alice")
    assert alice == [
        MESSAGES[0],
        MESSAGES[3],
        {"type": "tick", "at": 1.0, "queues": [{"name": "sales", "waiting": 2}]},
    ]
    bob = received(fresh, "bob")
    assert bob == [
        MESSAGES[1],
        MESSAGES[2],
        MESSAGES[4],
        MESSAGES[5],
        {"type": "tick", "at": 1.0, "queues": [{"name": "support", "waiting": 5}]},
    ]
    nora = received(fresh, "nora")  # an agent user without a profile
    assert nora == [{"type": "tick", "at": 1.0, "queues": []}]


def test_the_subscription_is_closed_with_the_socket(fresh: Site) -> None:
    received(fresh, "sam")
    assert fresh.runtime.bus.subscriptions[-1].closed


@pytest.mark.parametrize("token", ["", "garbage", "eyJhbGciOiJIUzI1NiJ9.e30.x"])
def test_a_bad_token_closes_with_1008(center: Site, token: str) -> None:
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        center.client.websocket_connect(f"/api/v1/stream?token={token}") as ws,
    ):
        ws.receive_json()
    assert closed.value.code == 1008


def test_no_token_closes_with_1008(center: Site) -> None:
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        center.client.websocket_connect("/api/v1/stream") as ws,
    ):
        ws.receive_json()
    assert closed.value.code == 1008


def test_the_filter_is_idempotent() -> None:
    only = message_filter(Principal(1, "alice", Role.AGENT, "a1"), {"sales"})
    for message in MESSAGES:
        once = only(message)
        assert once is None or only(once) == once


def test_an_agent_subscribes_for_their_agent_only(fresh: Site) -> None:
    received(fresh, "alice")
    received(fresh, "sam")
    alice, sam = fresh.runtime.bus.subscriptions[-2:]
    assert alice.agent_id == "a1" and sam.agent_id is None


def test_a_tick_is_reduced_once_for_every_agent_serving_the_same_queues() -> None:
    from tidal.api import Principal, message_filter
    from tidal.api._stream import encode
    from tidal.store import Role

    tick = {"type": "tick", "at": 1.0, "queues": [{"name": "billing"}, {"name": "tech"}]}
    ann = message_filter(Principal(1, "ann", Role.AGENT, "ann"), ["billing"])
    bob = message_filter(Principal(2, "bob", Role.AGENT, "bob"), ["billing"])
    reduced = ann(tick)
    assert reduced == {"type": "tick", "at": 1.0, "queues": [{"name": "billing"}]}
    assert bob(tick) is reduced and ann(reduced) is reduced  # filtering twice is safe
    assert encode(reduced) is encode(bob(tick))
