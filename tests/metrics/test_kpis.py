"""KPI definitions of CONTRACTS section 4 on hand-made records, checked to the digit."""

import pytest

from tidal.core import AgentSessionRecord, Channel, Direction, InteractionRecord, Outcome
from tidal.metrics import agent_kpis, interval_kpis, queue_kpis


def _answered(cid: int, arrived: float, answered: float, ended: float, wrapped: float | None):
    return InteractionRecord(
        cid, Channel.VOICE, Direction.INBOUND, "q", arrived, Outcome.ANSWERED,
        answered_at=answered, ended_at=ended, wrap_ended_at=wrapped, agent_id="a", agent_group="g",
    )  # fmt: skip


def _abandoned(cid: int, arrived: float, left: float) -> InteractionRecord:
    return InteractionRecord(
        cid, Channel.VOICE, Direction.INBOUND, "q", arrived, Outcome.ABANDONED, ended_at=left
    )


def test_queue_kpis_follow_the_contract() -> None:
    records = [
        _answered(1, 0.0, 5.0, 105.0, 125.0),  # waited 5 s, handled 100 + 20
        _answered(2, 10.0, 40.0, 100.0, 110.0),  # waited 30 s (beyond 20 s)
        _answered(3, 20.0, 35.0, 80.0, None),  # waited 15 s, still in wrap-up: no AHT
        _abandoned(4, 30.0, 33.0),  # left after 3 s: counts against SL
        InteractionRecord(5, Channel.VOICE, Direction.INBOUND, "q", 90.0, Outcome.IN_PROGRESS),
    ]
    kpis = queue_kpis(records, threshold=20.0, now=200.0)
    assert (kpis.offered, kpis.answered, kpis.abandoned) == (5, 3, 1)
    assert kpis.answered_within_threshold == 2
    assert kpis.service_level == pytest.approx(2 / 5)
    assert kpis.asa == pytest.approx((5 + 30 + 15) / 3)
    assert kpis.abandon_rate == pytest.approx(1 / 5)
    assert kpis.aht == pytest.approx((120 + 70) / 2)
    assert kpis.max_wait == pytest.approx(110.0)  # contact 5 has waited since 90
    assert list(kpis.as_json()) == [
        "offered",
        "answered",
        "abandoned",
        "answered_within_threshold",
        "service_level",
        "asa",
        "abandon_rate",
        "aht",
        "max_wait",
    ]


def test_empty_queue_has_zero_rates_not_errors() -> None:
    kpis = queue_kpis([], threshold=20.0, now=0.0)
    assert (kpis.service_level, kpis.asa, kpis.aht, kpis.max_wait) == (0.0, 0.0, 0.0, 0.0)


def test_agent_kpis_occupancy_and_talk_fraction() -> None:
    sessions = [
        AgentSessionRecord("a1", "g", 0.0, 3600.0, 600.0, 0.0, 2400.0, 600.0, 0.0, 10),
        AgentSessionRecord("a2", "g", 0.0, 1800.0, 300.0, 0.0, 1200.0, 0.0, 300.0, 5),
    ]
    kpis = agent_kpis(sessions)
    assert kpis.count == 2
    assert kpis.logged_in_seconds == 5400.0
    assert kpis.occupancy == pytest.approx((2400 + 600 + 1200) / 5400)
    assert kpis.talk_fraction == pytest.approx(3600 / 5400)
    assert kpis.idle_seconds == 900.0


def test_intervals_split_by_arrival_time() -> None:
    records = [_answered(1, 10.0, 12.0, 20.0, 25.0), _abandoned(2, 1900.0, 1990.0)]
    rows = interval_kpis(records, 20.0, start=0.0, end=3600.0, interval=1800.0)
    assert [(r.start, r.end) for r in rows] == [(0.0, 1800.0), (1800.0, 3600.0)]
    assert [r.kpis.service_level for r in rows] == [1.0, 0.0]
    with pytest.raises(ValueError, match="interval"):
        interval_kpis(records, 20.0, 0.0, 10.0, 0.0)


def test_short_abandons_are_reported_apart_and_sl2_uses_the_same_definition() -> None:
    from tidal.metrics import abandon_split, service_level_at

    records = [
        _answered(1, 0.0, 10.0, 100.0, 110.0),  # 10 s
        _answered(2, 0.0, 45.0, 100.0, 110.0),  # 45 s
        _abandoned(3, 0.0, 2.0),  # a 2 s hang-up: short
        _abandoned(4, 0.0, 90.0),
    ]
    split = abandon_split(records, short=5.0)
    assert (split.short, split.long) == (1, 1)
    assert split.long_rate == pytest.approx(1 / 3)  # the short one is left out of offered
    assert service_level_at(records, 20.0) == pytest.approx(1 / 4)
    assert service_level_at(records, 60.0) == pytest.approx(2 / 4)


def test_a_caller_still_waiting_has_waited_until_now_not_the_end_of_the_period() -> None:
    waiting = InteractionRecord(
        7, Channel.VOICE, Direction.INBOUND, "q", 100.0, Outcome.IN_PROGRESS
    )
    (row,) = interval_kpis([waiting], 20.0, start=0.0, end=3600.0, interval=3600.0, now=160.0)
    assert row.kpis.offered == 1 and row.kpis.max_wait == 60.0
    (later,) = interval_kpis([waiting], 20.0, start=0.0, end=3600.0, interval=3600.0)
    assert later.kpis.max_wait == 3500.0
