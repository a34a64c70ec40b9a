"""Callbacks in the live runtime: booked, moved and called off through logged events, so
a restart's replay holds the same pending callbacks and due timers; agents' screens hear
of every change.

One center with an inbound queue and a progressive campaign, one agent working both.
Telephony is off; the clock stands at noon in New York and moves when the test says.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from tidal.config import Scenario, load_calling_rules, parse_scenario
from tidal.core.campaigns import DialAnswered, DialResult
from tidal.core.compliance import CallingWindows, Compliance, MemoryRegistry
from tidal.core.events import (
    AgentLoggedIn,
    AgentReady,
    CallbackCancelled,
    CallbackRescheduled,
    CallbackScheduled,
    CallEnded,
    ContactArrived,
    OfferAccepted,
    TimerFired,
    WrapUpDone,
)
from tidal.live.bus import Subscription
from tidal.live.runtime import LiveCenter
from tidal.store import Store
from tidal.telephony import NoTelephony

CENTER = """
name: callbacks
start: "2026-11-23T08:00:00-05:00"
agents:
  - group: sales
    count: 1
    skills: {billing: 5}
    modes: [inbound, outbound]
    campaigns: [renewals]
queues:
  - name: billing
    skills: {billing: 1}
    service_level: {target: 0.8, threshold: 20}
blending: {policy: reserve, reserve: 0}
campaigns:
  - name: renewals
    dial_mode: progressive
    max_abandon_rate: 0.03
    caller_id: "+12025550100"
"""
NOON = datetime.fromisoformat("2026-11-23T12:00:00-05:00").timestamp()
HOUR = 3600.0


class Clock:
    now = NOON

    def __call__(self) -> float:
        return self.now


def _runtime(config: Scenario, store: Store, home: Path, clock: Clock) -> LiveCenter:
    fresh = datetime.fromtimestamp(NOON - 86400).astimezone()
    gate = Compliance(
        MemoryRegistry(set(), refreshed_at=fresh), CallingWindows(load_calling_rules())
    )
    return LiveCenter(
        config,
        store,
        telephony=NoTelephony(),
        clock=clock,
        tick_seconds=0,
        compliance=gate,
        home=home,
    )


def _callback_messages(stream: Subscription) -> list[dict[str, Any]]:
    messages = [stream._queue.get_nowait() for _ in range(stream.pending())]
    return [m for m in messages if m["type"] == "callbacks"]


def _pending(runtime: LiveCenter) -> list[tuple[int, float, str | None, str | None]]:
    return [(c["id"], c["due"], c["agent_id"], c["note"]) for c in runtime.callbacks()]


async def test_booked_moved_and_cancelled_callbacks_replay_the_same(tmp_path: Path) -> None:
    config = parse_scenario(CENTER, "callbacks.yaml")
    clock = Clock()
    with Store.open(home=tmp_path) as store:
        store.campaigns.put("renewals", config.campaigns[0].model_dump(mode="json"))
        store.leads.add_many("renewals", [(["+12122010001"], {"name": "Ada Lovelace"})])
        first = _runtime(config, store, tmp_path, clock)
        await first.start()
        stream = first.bus.subscribe(agent_id="ag1")
        first.submit(AgentLoggedIn("ag1", "sales", {"billing": 5}))
        first.submit(AgentReady("ag1"))
        assert first.dialer is not None
        [call] = first.dialer.in_flight("renewals")
        first.submit(DialAnswered(call, DialResult.HUMAN))
        first.submit(OfferAccepted(call, "ag1"))
        first.submit(CallEnded(call))
        first.submit(
            WrapUpDone("ag1", "callback", call, callback_at=NOON + 22 * HOUR, note="ask for Ada")
        )
        [booked] = _callback_messages(stream)
        assert [c["id"] for c in booked["items"]] == [call]  # the desktop's list, at once
        assert booked["items"][0]["customer"] == "Ada Lovelace"

        first.submit(ContactArrived(7, "billing", "+13105550100"))
        first.submit(OfferAccepted(7, "ag1"))
        first.submit(CallEnded(7))
        first.submit(WrapUpDone("ag1", "callback", 7))
        first.submit(CallbackScheduled(100, "billing", "+13105550100", NOON + 2 * HOUR, "ag1"))
        first.submit(CallbackScheduled(101, "billing", "+13105550101", NOON + 3 * HOUR, "ag1"))
        first.submit(CallbackRescheduled(100, NOON + 4 * HOUR, "ag1"))
        first.submit(CallbackCancelled(101, "ag1"))
        first.submit(CallbackRescheduled(call, NOON + 23 * HOUR))  # a supervisor's
        before = _pending(first)
        assert before == [
            (100, NOON + 4 * HOUR, "ag1", None),
            (call, NOON + 23 * HOUR, "ag1", "ask for Ada"),
        ]
        last = _callback_messages(stream)[-1]
        assert [(c["id"], c["due"]) for c in last["items"]] == [(i, d) for i, d, _, _ in before]
        await first.stop()

        second = _runtime(config, store, tmp_path, clock)
        await second.start()
        assert _pending(second) == before
        assert second._timer_deadlines["due:100"] == NOON + 4 * HOUR  # re-armed as moved
        assert "due:101" not in second._timer_deadlines  # called off: never due
        assert second.dialer is not None
        assert second.dialer.lead("renewals", "1").next_at == NOON + 23 * HOUR

        # Due: the inbound callback enters its queue and leaves the list.
        stream = second.bus.subscribe(agent_id="ag1")
        clock.now = NOON + 4 * HOUR
        second.submit(TimerFired("due:100"))
        assert [c["id"] for c in second.callbacks("ag1")] == [call]
        assert 100 in second.center.contacts
        [due] = _callback_messages(stream)
        assert [c["id"] for c in due["items"]] == [call]
        await second.stop()
