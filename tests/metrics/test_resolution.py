"""First-contact resolution from repeat contacts, beside the agents' own resolved flag."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tidal.core import Channel, Direction, InteractionRecord, Outcome
from tidal.metrics import RESOLVED, first_contact_resolution, resolved_flag_rate

DAY = 86400.0


def _answered(
    cid: int, caller: str, arrived: float, *, queue: str = "q", disposition: str | None = None
) -> InteractionRecord:
    return InteractionRecord(
        cid, Channel.VOICE, Direction.INBOUND, queue, arrived, Outcome.ANSWERED,
        answered_at=arrived + 10, ended_at=arrived + 100, wrap_ended_at=arrived + 120,
        caller=caller, disposition=disposition,
    )  # fmt: skip


def test_only_contacts_of_the_period_are_judged_but_repeats_after_it_count() -> None:
    records = [
        _answered(1, "+1", 0.0),  # in the period; back on day 3: a repeat
        _answered(2, "+1", 3 * DAY, queue="other"),  # after the period, another queue
        _answered(3, "+2", 100.0),  # in the period, never back: resolved
        _answered(4, "+3", 2 * DAY),  # after the period: not judged
    ]
    judged = first_contact_resolution(records, 7 * DAY, 20 * DAY, of_queue="q", until=DAY)
    assert (judged.judged, judged.resolved_first_time, judged.repeat_contacts) == (2, 1, 1)
    assert judged.fcr == 0.5


def test_a_window_not_over_when_the_data_ends_is_not_judged() -> None:
    records = [_answered(1, "+1", 0.0), _answered(2, "+2", 5 * DAY)]
    judged = first_contact_resolution(records, 7 * DAY, 8 * DAY)
    assert judged.judged == 1 and judged.fcr == 1.0
    assert first_contact_resolution(records, 7 * DAY, DAY).fcr is None


def test_resolved_flag_rate_is_over_the_answered() -> None:
    waiting = InteractionRecord(9, Channel.VOICE, Direction.INBOUND, "q", 0.0, Outcome.IN_PROGRESS)
    records = [
        _answered(1, "+1", 0.0, disposition=RESOLVED),
        _answered(2, "+2", 0.0, disposition="unresolved"),
        _answered(3, "+3", 0.0),  # no disposition yet: not flagged resolved
        _answered(4, "+4", 0.0, disposition=RESOLVED),
        waiting,
    ]
    assert resolved_flag_rate(records) == 0.5
    assert resolved_flag_rate([waiting]) is None


contacts = st.lists(
    st.tuples(
        st.sampled_from(["+1", "+2", "+3", ""]),
        st.floats(min_value=0, max_value=30 * DAY),
        st.sampled_from([None, RESOLVED, "unresolved"]),
    ),
    max_size=40,
)


@given(contacts, st.floats(min_value=0, max_value=10 * DAY), st.floats(0, 40 * DAY))
def test_fcr_is_a_share_and_every_judged_contact_is_resolved_or_repeated(
    rows: list[tuple[str, float, str | None]], window: float, end: float
) -> None:
    records = [_answered(i, c, at, disposition=d) for i, (c, at, d) in enumerate(rows)]
    judged = first_contact_resolution(records, window, end)
    assert judged.judged == judged.resolved_first_time + judged.repeat_contacts
    assert judged.fcr is None if judged.judged == 0 else 0.0 <= judged.fcr <= 1.0
    flagged = resolved_flag_rate(records)
    assert flagged is None if not records else 0.0 <= flagged <= 1.0
