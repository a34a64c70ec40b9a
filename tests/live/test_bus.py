"""The stream bus: messages reach the subscriptions they concern, slow readers lose the oldest."""

from __future__ import annotations

from tidal.live.bus import Bus, Message


def drain(subscription: object) -> list[Message]:
    queue = subscription._queue  # type: ignore[attr-defined]
    return [queue.get_nowait() for _ in range(queue.qsize())]


async def test_agent_messages_reach_only_that_agent_and_supervisors() -> None:
    bus = Bus()
    everyone = bus.subscribe()
    ann = bus.subscribe(agent_id="ann")
    bob = bus.subscribe(lambda m: m if m["type"] == "tick" else None, agent_id="bob")
    bus.publish({"type": "agent", "agent_id": "ann", "state": "ready"})
    bus.publish({"type": "tick", "queues": []})
    bus.publish({"type": "interaction", "agent_id": None}, supervisors_only=True)
    assert [m["type"] for m in drain(everyone)] == ["agent", "tick", "interaction"]
    assert [m["type"] for m in drain(ann)] == ["agent", "tick"]
    assert [m["type"] for m in drain(bob)] == ["tick"]
    ann.close()
    bob.close()
    everyone.close()
    assert bus.subscribers == 0


async def test_a_slow_reader_keeps_the_newest_messages() -> None:
    bus = Bus()
    slow = bus.subscribe(maxsize=3)
    for i in range(5):
        bus.publish({"type": "tick", "n": i})
    assert [m["n"] for m in drain(slow)] == [2, 3, 4]
    assert slow.dropped == 2
