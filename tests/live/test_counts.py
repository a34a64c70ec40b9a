"""Campaign counter totals by the hour: what a campaign report over a period is cut from."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from tidal.live.counts import HOUR, CounterHistory, Totals


class Dialer:
    """Totals that grow as dials are made, like `Dialer.counts`."""

    def __init__(self) -> None:
        self.dials = 0

    def totals(self) -> Totals:
        return {"renewals": {"dials": self.dials}}


def _run(history: CounterHistory, dialer: Dialer, times: list[float]) -> None:
    for now in times:  # each event makes one dial once decided
        history.observe(now, dialer.totals)
        dialer.dials += 1


def test_a_period_gets_the_dials_made_in_its_hours() -> None:
    history, dialer = CounterHistory(), Dialer()
    _run(history, dialer, [10.0, 20.0, HOUR + 5, 2 * HOUR + 1, 5 * HOUR + 30])
    assert history.between(0.0, HOUR, dialer.totals) == {"renewals": {"dials": 2}}
    assert history.between(HOUR, 3 * HOUR, dialer.totals) == {"renewals": {"dials": 2}}
    # hours without an event: the totals did not move
    assert history.between(3 * HOUR, 5 * HOUR, dialer.totals) == {"renewals": {"dials": 0}}
    assert history.between(5 * HOUR, math.inf, dialer.totals) == {"renewals": {"dials": 1}}
    assert history.between(-math.inf, math.inf, dialer.totals) == {"renewals": {"dials": 5}}
    assert history.between(9 * HOUR, 10 * HOUR, dialer.totals) == {"renewals": {"dials": 0}}


def test_a_campaign_added_later_counts_from_zero() -> None:
    history = CounterHistory()
    history.observe(0.0, lambda: {"a": {"dials": 3}})
    totals = {"a": {"dials": 4}, "b": {"dials": 2}}
    history.observe(HOUR, lambda: totals)
    assert history.between(0.0, math.inf, lambda: totals) == {
        "a": {"dials": 1},
        "b": {"dials": 2},
    }


@given(st.lists(st.floats(min_value=0, max_value=48 * HOUR), max_size=50), st.integers(0, 48))
def test_two_adjacent_periods_add_up_to_the_whole(times: list[float], cut: int) -> None:
    history, dialer = CounterHistory(), Dialer()
    _run(history, dialer, sorted(times))
    whole = history.between(0.0, 49 * HOUR, dialer.totals).get("renewals", {}).get("dials", 0)
    left = history.between(0.0, cut * HOUR, dialer.totals).get("renewals", {}).get("dials", 0)
    right = (
        history.between(cut * HOUR, 49 * HOUR, dialer.totals).get("renewals", {}).get("dials", 0)
    )
    assert left + right == whole == len(times)
    assert left == sum(1 for t in times if t < cut * HOUR)
