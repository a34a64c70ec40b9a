"""The wallboard's figures are the report's: at any moment of a live run they agree.

A live center with simulated callers and agents runs in real time (sped up); at
random moments (seeded) the clock is held still and the live queue view (what the
wallboard and the stream's ticks show) is compared with the queue report for the same
period, today, computed as `GET /api/v1/reports/queues` computes it. Contacts still
waiting, ringing, talking or in wrap-up count the same way in both.
"""

from __future__ import annotations

import asyncio
import random
import time
from pathlib import Path

from tidal.api._common import Period
from tidal.api.routers.reports import queue_rows, stored_records
from tidal.config import parse_scenario
from tidal.live.runtime import LiveCenter
from tidal.store import Store
from tidal.telephony.sim import SimTelephony

# Busy enough that at any moment some callers wait, some talk and some have given up;
# a 1 s threshold because the live clock is the wall clock (the callers are sped up).
CENTER = """
name: truth-center
start: "2026-11-23T08:00:00-05:00"
agents:
  - group: support
    count: 3
    skills: {billing: 5, tech: 5}
    wrap_up: {dist: constant, value: 5}
queues:
  - name: billing
    skills: {billing: 1}
    service_level: {target: 0.8, threshold: 1}
    arrivals: {rate_per_hour: 300}
    handle_time: {dist: exponential, mean: 40}
    patience: {dist: exponential, mean: 30}
  - name: tech
    skills: {tech: 1}
    service_level: {target: 0.8, threshold: 1}
    arrivals: {rate_per_hour: 200}
    handle_time: {dist: exponential, mean: 60}
    patience: {dist: exponential, mean: 60}
"""
SPEED = 20.0
NOON_NEW_YORK = 1_795_021_200.0  # 2026-11-19 12:00 -05:00: far from midnight
FIGURES = ("offered", "answered", "abandoned", "service_level", "abandon_rate", "asa")


class HeldClock:
    """The wall clock's pace from noon in New York, which the test can hold still."""

    def __init__(self) -> None:
        self._origin = time.time()
        self.held: float | None = None

    def __call__(self) -> float:
        if self.held is not None:
            return self.held
        return NOON_NEW_YORK + (time.time() - self._origin)


async def test_live_queue_figures_equal_the_report_at_random_moments(tmp_path: Path) -> None:
    config = parse_scenario(CENTER, "truth.yaml")
    clock = HeldClock()
    rng = random.Random(2026)
    with Store.open(home=tmp_path) as store:
        telephony = SimTelephony(config, seed=5, speed=SPEED)
        runtime = LiveCenter(config, store, telephony=telephony, clock=clock, home=tmp_path)
        await runtime.start()
        compared = 0
        in_progress_seen = 0
        try:
            for _ in range(10):
                await asyncio.sleep(rng.uniform(0.2, 0.8))
                clock.held = clock()  # nothing runs on the loop until we await again
                now = clock.held
                live = {view["name"]: view for view in runtime.queues_view()}
                period = Period(runtime._today_start, float("inf"))
                records = stored_records(store, period) + runtime.center.open_interactions(now)
                report = {row["queue"]: row for row in queue_rows(runtime, records, now, period)}
                in_progress_seen += len(runtime.center.contacts)
                clock.held = None
                assert set(live) == set(report) == {"billing", "tech"}
                for name, row in report.items():
                    shown = {key: live[name][f"{key}_today"] for key in FIGURES}
                    assert shown == {key: row[key] for key in FIGURES}, (name, now)
                compared += 1
        finally:
            await runtime.stop()
            await telephony.stop()
    assert compared == 10
    assert in_progress_seen > 0  # the moments did catch contacts not yet ended
    assert sum(report[name]["offered"] for name in report) >= 10
