"""A live center on a throwaway SQLite store, with a clock the test moves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tidal.config import Scenario, parse_scenario
from tidal.store import Store

CENTER_YAML = """
name: test-center
start: "2026-11-23T08:00:00-05:00"
duration: 8h
agents:
  - group: support
    count: 2
    skills: {billing: 5}
    wrap_up: {dist: constant, value: 5}
queues:
  - name: billing
    skills: {billing: 1}
    service_level: {target: 0.8, threshold: 20}
    arrivals: {rate_per_hour: 3600}
    handle_time: {dist: constant, value: 30}
    patience: {dist: constant, value: 60}
"""


class ManualClock:
    """Wall-clock seconds that move only when the test says so."""

    def __init__(self, start: float = 1_795_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def center_config() -> Scenario:
    return parse_scenario(CENTER_YAML, "test-center.yaml")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(home=tmp_path) as opened:
        yield opened


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()
