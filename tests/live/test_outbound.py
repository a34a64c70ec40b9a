"""Campaigns in the live center: the production dialer, the real gate, replay of lead states.

A center with one progressive campaign, three outbound-only simulated agents and the
simulator's called parties, fifty times real time. The clock is the wall clock moved to
noon in New York, so the calling windows are open on the East Coast and still closed in
Hawaii. The registry under the home holds one lead's number, the internal list (in the
audit trail, as `tidal dnc add` writes it) another.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tidal.config import Scenario, load_calling_rules, parse_scenario
from tidal.core.campaigns import LeadState
from tidal.core.compliance import CallingWindows, Compliance, Decision, MemoryRegistry, Reason
from tidal.core.values import Direction
from tidal.dnc import AuditLog, Registry, import_registry
from tidal.live.codec import GATE_KEY, decode, decode_decisions, encode, encode_decisions
from tidal.live.outbound import LeadsLoaded
from tidal.live.runtime import LiveCenter
from tidal.store import Store
from tidal.telephony import NoTelephony
from tidal.telephony.sim import SimTelephony

CENTER = """
name: outbound-center
start: "2026-11-23T08:00:00-05:00"
duration: 8h
agents:
  - group: sales
    count: 3
    skills: {}
    modes: [outbound]
    campaigns: [renewals]
    wrap_up: {dist: constant, value: 2}
  - group: desk
    count: 1
    skills: {billing: 5}
    wrap_up: {dist: constant, value: 2}
queues:
  - name: billing
    skills: {billing: 1}
    service_level: {target: 0.8, threshold: 20}
    arrivals: {rate_per_hour: 1}
    handle_time: {dist: constant, value: 30}
campaigns:
  - name: renewals
    dial_mode: progressive
    max_abandon_rate: 0.03
    caller_id: "+12025550100"
    leads: {count: 10, area_codes: [212]}
    outcomes: {human: 0.6, machine: 0.1, no_answer: 0.1, busy: 0.1, invalid: 0.1}
    time_to_answer: {dist: uniform, low: 4, high: 8}
    no_answer_timeout: 20
    talk_time: {dist: constant, value: 20}
    conversion: 0.2
    retry: {busy: 3600, no_answer: 3600, machine: 3600, max_attempts: 2}
"""
NOON_NEW_YORK = datetime.fromisoformat("2026-11-23T12:00:00-05:00").timestamp()
SPEED = 50.0
REGISTRY_NUMBER = "+12122009999"
INTERNAL_NUMBER = "+12122008888"
HAWAII_NUMBER = "+18082001000"  # 07:00 in Honolulu: not yet callable


class NoonClock:
    """The wall clock's pace, from noon in New York."""

    def __init__(self) -> None:
        self._origin = time.time()

    def __call__(self) -> float:
        return NOON_NEW_YORK + (time.time() - self._origin)


@pytest.fixture
def config() -> Scenario:
    return parse_scenario(CENTER, "outbound-center.yaml")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A home with a fresh registry (one number) and an internal DNC entry."""
    registry_file = tmp_path / "registry.txt"
    registry_file.write_text("212,2009999\n")
    at = datetime.fromtimestamp(NOON_NEW_YORK).astimezone()
    import_registry(
        Registry(tmp_path / "dnc" / "registry"), registry_file, now=at, whole_registry=True
    )
    lists = Compliance(MemoryRegistry(set()), CallingWindows(load_calling_rules()))
    lists.add_internal_dnc(int(INTERNAL_NUMBER[2:]), at=at, actor="test", source="complaint")
    AuditLog(tmp_path / "audit.jsonl").append(lists.drain_audit())
    return tmp_path


def _seed(store: Store, config: Scenario) -> None:
    campaign = config.campaigns[0]
    store.campaigns.put(campaign.name, campaign.model_dump(mode="json"))
    numbers = [REGISTRY_NUMBER, INTERNAL_NUMBER, HAWAII_NUMBER]
    numbers += [f"+1212201{i:04d}" for i in range(40)]
    store.leads.add_many(campaign.name, [([n], {"name": f"Lead {n}"}) for n in numbers])


def _states(runtime: LiveCenter) -> dict[str, LeadState]:
    assert runtime.dialer is not None
    run = runtime.dialer.campaigns["renewals"]
    return {lead_id: lead.state for lead_id, lead in run.leads.items()}


def _crash(runtime: LiveCenter) -> None:
    """Stop as `kill -9` would: nothing more happens, nothing is cleaned up."""
    for handle in runtime._timers.values():
        handle.cancel()
    if runtime._ticker is not None:
        runtime._ticker.cancel()


async def test_a_live_campaign_dials_connects_and_survives_a_restart(
    config: Scenario, home: Path
) -> None:
    clock = NoonClock()
    with Store.open(home=home) as store:
        _seed(store, config)
        telephony = SimTelephony(config, seed=11, speed=SPEED)
        first = LiveCenter(
            config, store, telephony=telephony, clock=clock, home=home, tick_seconds=0.2
        )
        stream = first.bus.subscribe()
        await first.start()
        deadline = time.monotonic() + 12.0
        while time.monotonic() < deadline:
            await asyncio.sleep(0.2)
            assert first.dialer is not None
            counts = first.dialer.counts("renewals")
            if counts["connects"] >= 6 and counts["dials"] >= 15:
                break
        tick = first.tick_message()
        _crash(first)
        await telephony.stop()

        assert first.dialer is not None
        counts = first.dialer.counts("renewals")
        assert counts["dials"] >= 15 and counts["connects"] >= 6
        assert counts["dnc_blocked"] >= 2 and counts["window_blocked"] >= 1
        dialled = {number for _, number in telephony.dialled}
        assert not dialled & {REGISTRY_NUMBER, INTERNAL_NUMBER, HAWAII_NUMBER}
        assert telephony.regulator.as_json()["calling_window"] == 0
        assert telephony.dials == counts["dials"]
        assert first.dial_totals()["dials"] == counts["dials"]  # what /metrics counts
        # What the campaign report takes for a period: today's counters, none the day before.
        assert first.campaign_counts(NOON_NEW_YORK - 3600, math.inf)["renewals"] == counts
        yesterday = first.campaign_counts(NOON_NEW_YORK - 86400, NOON_NEW_YORK - 3600)
        assert yesterday["renewals"]["dials"] == 0
        assert first.campaign_groups("renewals") == ["sales"]

        # Outbound records with the simulated agents' dispositions.
        records = [
            r for r in store.interactions.list(limit=1000) if r.direction is Direction.OUTBOUND
        ]
        assert len(records) >= 5
        assert {r.agent_id for r in records if r.agent_id} <= {"sales-01", "sales-02", "sales-03"}
        dispositions = Counter(r.disposition for r in records if r.agent_id)
        assert set(dispositions) <= {"sale", "no_sale", "answering_machine", "dnc", "callback"}

        # The wallboard's row.
        (row,) = tick["campaigns"]
        assert row["name"] == "renewals" and row["dial_mode"] == "progressive"
        assert row["dials"] >= 15 and row["connects"] >= 6 and row["dial_rate"] >= 1
        assert 0.0 <= row["abandon_rate_30d"] <= 1.0
        messages = [stream._queue.get_nowait() for _ in range(stream.pending())]
        assert any(m["type"] == "tick" and m["campaigns"] for m in messages)

        # Lead states as the log left them, then the same after a replay.
        before = _states(first)
        assert Counter(before.values())[LeadState.DONE] >= 3  # the two listed numbers at least
        in_flight = first.dialer.in_flight("renewals")
        # The lists change after the dials (complaints, a registry refresh): the replay keeps
        # what was decided then, from the gate's answers logged with each event; it does
        # not ask today's lists and refuse logged dials (an integrity failure).
        later = datetime.fromtimestamp(clock()).astimezone()
        lists = Compliance(MemoryRegistry(set()), CallingWindows(load_calling_rules()))
        for number in sorted(dialled):
            lists.add_internal_dnc(int(number[2:]), at=later, actor="test", source="complaint")
        AuditLog(home / "audit.jsonl").append(lists.drain_audit())
        refreshed = home / "registry-refresh.txt"
        refreshed.write_text("".join(f"{n[2:5]},{n[5:]}\n" for n in sorted(dialled)))
        import_registry(
            Registry(home / "dnc" / "registry"), refreshed, now=later, whole_registry=True
        )
        second = LiveCenter(config, store, telephony=NoTelephony(), clock=clock, home=home)
        second._replay()
        assert second.integrity.replay_refused == 0, second.integrity.reasons
        assert _states(second) == before
        assert second.dialer is not None
        assert second.dialer.counts("renewals") == counts
        assert second.campaign_counts(0.0, math.inf)["renewals"] == counts  # rebuilt from the log
        assert second.dialer.in_flight("renewals") == in_flight


async def test_replayed_calls_in_flight_are_answered_after_a_restart(
    config: Scenario, home: Path
) -> None:
    clock = NoonClock()
    with Store.open(home=home) as store:
        _seed(store, config)
        first_phone = SimTelephony(config, seed=12, speed=SPEED)
        first = LiveCenter(config, store, telephony=first_phone, clock=clock, home=home)
        await first.start()
        await asyncio.sleep(0.5)
        _crash(first)
        await first_phone.stop()
        assert first.dialer is not None
        assert first.dialer.counts("renewals")["dials"] >= 1
        second_phone = SimTelephony(config, seed=13, speed=SPEED)
        second = LiveCenter(config, store, telephony=second_phone, clock=clock, home=home)
        await second.start()
        held = set(second.dialer.in_flight("renewals")) if second.dialer else set()
        await asyncio.sleep(3.0)
        await second.stop()
        assert second.dialer is not None
        # Every call that was ringing or talking at the crash has ended since.
        assert not held & set(second.dialer.in_flight("renewals"))


def test_campaign_events_round_trip_through_the_codec() -> None:
    from tidal.core.campaigns import DialAnswered, DialResult

    for event in (DialAnswered(7, DialResult.MACHINE), LeadsLoaded("renewals", 42)):
        kind, payload = encode(event)
        again: Any = decode(kind, payload)
        assert again == event
        if isinstance(again, DialAnswered):
            assert again.result is DialResult.MACHINE
    window = datetime.fromisoformat("2026-11-23T08:00:00-05:00")
    decisions = [
        Decision(True, 2125550100, (), ("consent",)),
        Decision(False, 8082001000, (Reason.CALLING_WINDOW,), (), window),
    ]
    assert decode_decisions(encode_decisions(decisions)) == decisions
    kind, payload = encode(LeadsLoaded("renewals", 3))
    payload[GATE_KEY] = encode_decisions(decisions)
    assert decode(kind, payload) == LeadsLoaded("renewals", 3)  # the answers ride beside it


async def test_leads_uploaded_while_running_are_dialled(config: Scenario, home: Path) -> None:
    clock = NoonClock()
    with Store.open(home=home) as store:
        campaign = config.campaigns[0]
        store.campaigns.put(campaign.name, campaign.model_dump(mode="json"))
        telephony = SimTelephony(config, seed=14, speed=SPEED)
        runtime = LiveCenter(
            config, store, telephony=telephony, clock=clock, home=home, tick_seconds=0.1
        )
        await runtime.start()
        assert runtime.dialer is not None
        assert runtime.dialer.counts("renewals")["dials"] == 0  # no leads yet
        store.leads.add_many("renewals", [([f"+1212202{i:04d}"], {}) for i in range(5)])

        def answered() -> int:
            return sum(event.kind == "DialAnswered" for event in store.events.since(0))

        # Dials go out within a tick of the upload; their answers come after the
        # simulated time to answer: wait for both (bounded), not just the dials.
        for _ in range(100):
            await asyncio.sleep(0.1)
            if runtime.dialer.counts("renewals")["dials"] >= 3 and answered() >= 1:
                break
        await runtime.stop()
        assert runtime.dialer.counts("renewals")["dials"] >= 3
        kinds = Counter(event.kind for event in store.events.since(0))
        assert kinds["LeadsLoaded"] == 1 and kinds["DialAnswered"] >= 1


async def test_a_paused_campaign_stops_dialing_and_stays_paused_after_a_restart(
    config: Scenario, home: Path
) -> None:
    from tidal.core.campaigns import CampaignState, CampaignStateSet, IdleReason

    kind, payload = encode(CampaignStateSet("renewals", CampaignState.PAUSED))
    assert decode(kind, payload) == CampaignStateSet("renewals", CampaignState.PAUSED)
    assert payload["state"] == "paused"
    clock = NoonClock()
    with Store.open(home=home) as store:
        _seed(store, config)
        telephony = SimTelephony(config, seed=15, speed=SPEED)
        first = LiveCenter(
            config, store, telephony=telephony, clock=clock, home=home, tick_seconds=0.1
        )
        await first.start()
        assert first.dialer is not None
        for _ in range(100):
            await asyncio.sleep(0.1)
            if first.dialer.counts("renewals")["dials"] >= 2:
                break
        assert first.campaign_state("renewals") == "running"
        assert first.set_campaign_state("renewals", CampaignState.PAUSED) == "paused"
        paused_at = first.dialer.counts("renewals")["dials"]
        await asyncio.sleep(1.5)  # 75 s of the world at 50x: agents free up meanwhile
        assert first.dialer.counts("renewals")["dials"] == paused_at
        [row] = first.campaigns_view()
        assert row["state"] == "paused" and row["idle_text"] == "paused by a supervisor"
        assert row["idle_reason"] == str(IdleReason.PAUSED)
        _crash(first)
        await telephony.stop()
        again = SimTelephony(config, seed=16, speed=SPEED)
        second = LiveCenter(
            config, store, telephony=again, clock=clock, home=home, tick_seconds=0.1
        )
        await second.start()
        assert second.campaign_state("renewals") == "paused"  # replayed from the log
        assert second.dialer is not None
        replayed = second.dialer.counts("renewals")["dials"]
        assert replayed == paused_at
        await asyncio.sleep(0.5)
        assert second.dialer.counts("renewals")["dials"] == replayed
        second.set_campaign_state("renewals", CampaignState.RUNNING)
        for _ in range(100):
            await asyncio.sleep(0.1)
            if second.dialer.counts("renewals")["dials"] > replayed:
                break
        await second.stop()
        assert second.dialer.counts("renewals")["dials"] > replayed
        assert second.campaign_state("nope") is None
