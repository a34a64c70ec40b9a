"""Helpers to build scenarios in tests without files."""

from __future__ import annotations

from textwrap import dedent

import pytest

from tidal.config import Scenario, parse_scenario


def scenario_from(text: str) -> Scenario:
    """Parse a scenario written inline in a test."""
    return parse_scenario(dedent(text), "test.yaml")


@pytest.fixture
def small_center() -> Scenario:
    """A two-queue center small enough for fast tests."""
    return scenario_from(
        """
        name: small
        seed: 3
        duration: 2h
        agents:
          - group: team
            count: 6
            skills: {a: 3, b: 3}
            wrap_up: {dist: uniform, low: 5, high: 15}
        queues:
          - name: qa
            skills: {a: 1}
            arrivals: {rate_per_hour: 60}
            handle_time: {dist: exponential, mean: 240}
            patience: {dist: exponential, mean: 90}
          - name: qb
            skills: {b: 2}
            priority: 2
            arrivals: {profile: [[0, 20], [60, 50]]}
            handle_time: {dist: gamma, mean: 200, cv: 0.5}
        """
    )
