"""Repeat calls, first-contact resolution and CSAT in the simulator."""

from __future__ import annotations

import pytest

from tests.sim.conftest import scenario_from
from tidal.core import Channel, Direction, InteractionRecord, Outcome
from tidal.metrics import csat, first_contact_resolution
from tidal.sim import simulate

SCENARIO = """
name: fcr
seed: 9
duration: 40h
agents: [{group: team, count: 12, skills: {s: 1}}]
queues:
  - name: q
    skills: {s: 1}
    arrivals: {rate_per_hour: 100}
    handle_time: {dist: exponential, mean: 240}
    resolution:
      first_contact: 0.7
      repeat: 1.0
      repeat_after: {dist: constant, value: 600}
      window: 3600
      survey: 0.5
"""


def test_unresolved_callers_come_back_and_fcr_measures_it() -> None:
    result = simulate(scenario_from(SCENARIO))
    figures = result.as_json()["queues"]["q"]
    # Every unresolved caller returns 10 minutes later, inside the 1-hour window, so the
    # measured FCR is the configured 70%. ~5,000 answered contacts: sd ~0.0065; +-0.03.
    assert figures["fcr"] == pytest.approx(0.7, abs=0.03)
    # Repeats add load: 100 fresh calls an hour become about 100 / 0.7 offered.
    assert figures["offered"] / 40 == pytest.approx(100 / 0.7, rel=0.06)
    assert figures["repeat_contacts"] > 0
    # Agents call 30% of the unresolved "resolved": they report 0.7 + 0.3 x 0.3 = 0.79,
    # above the measured FCR, as contact centers find when they compare the two.
    assert figures["agent_reported_fcr"] == pytest.approx(0.79, abs=0.03)
    # CSAT: 0.7 x 4.33 + 0.3 x 2.8 = 3.87 with short waits; ~3,500 answers, sd ~0.02.
    assert figures["csat"] == pytest.approx(3.87, abs=0.08)


def _record(cid: int, caller: str, arrived: float, ended: float) -> InteractionRecord:
    return InteractionRecord(
        cid, Channel.VOICE, Direction.INBOUND, "q", arrived, Outcome.ANSWERED,
        answered_at=arrived, ended_at=ended, wrap_ended_at=ended, caller=caller,
    )  # fmt: skip


def test_fcr_counts_a_return_within_the_window_on_any_queue_and_skips_open_windows() -> None:
    records = [
        _record(1, "+1", 0.0, 100.0),  # comes back at 500: not resolved first time
        _record(2, "+1", 500.0, 600.0),  # not back before 600 + 1000: resolved
        _record(3, "+2", 0.0, 100.0),  # back at 2000, after the window: resolved
        _record(4, "+2", 2000.0, 2100.0),  # window ends at 3100 > end: not judged
    ]
    result = first_contact_resolution(records, window=1000.0, end=3000.0)
    assert (result.judged, result.resolved_first_time, result.repeat_contacts) == (3, 2, 1)
    assert result.fcr == pytest.approx(2 / 3)


def test_csat_mean_and_top_two_box() -> None:
    satisfaction = csat({1: 5, 2: 4, 3: 1}, [1, 2, 3, 4])
    assert satisfaction.answers == 3
    assert satisfaction.mean == pytest.approx(10 / 3)
    assert satisfaction.top_two_box == pytest.approx(2 / 3)
