"""Scheduled callbacks: due order, agent-owned ones wait for their agent, moves and cancels."""

from __future__ import annotations

from tidal.core.campaigns import CallbackBook, ScheduledCallback


def test_callbacks_come_due_in_time_order() -> None:
    book = CallbackBook()
    book.book(ScheduledCallback(200.0, "b", callback_id=2))
    book.book(ScheduledCallback(100.0, "a", callback_id=1))
    assert book.next_due() == 100.0
    assert [c.lead_id for c in book.due(150.0)] == ["a"]
    assert [c.lead_id for c in book.due(250.0)] == ["b"]
    assert len(book) == 0


def test_an_agent_owned_callback_waits_until_its_agent_is_free() -> None:
    book = CallbackBook()
    book.book(ScheduledCallback(100.0, "mine", "alice", callback_id=1))
    book.book(ScheduledCallback(100.0, "anyone", callback_id=2))
    assert [c.lead_id for c in book.due(100.0, {"bob"})] == ["anyone"]
    assert len(book) == 1
    assert [c.lead_id for c in book.due(300.0, {"alice"})] == ["mine"]


def test_a_moved_callback_comes_due_at_its_new_time_only() -> None:
    book = CallbackBook()
    book.book(ScheduledCallback(100.0, "a", callback_id=1, booked_by="alice", note="ask for Jo"))
    book.book(ScheduledCallback(150.0, "b", callback_id=2))
    before = book.revision
    moved = book.reschedule(1, 500.0)
    assert (moved.due, moved.note, moved.booked_by) == (500.0, "ask for Jo", "alice")
    assert book.revision > before  # screens redraw
    assert book.next_due() == 150.0  # the old entry of 1 is skipped
    assert [c.lead_id for c in book.due(400.0)] == ["b"]
    assert [c.callback_id for c in book.pending()] == [1]
    assert [c.lead_id for c in book.due(500.0)] == ["a"]
    assert book.next_due() is None


def test_a_cancelled_callback_never_comes_due() -> None:
    book = CallbackBook()
    book.book(ScheduledCallback(100.0, "a", callback_id=1))
    assert 1 in book
    assert book.cancel(1).lead_id == "a"
    assert 1 not in book and len(book) == 0 and book.get(1) is None
    assert book.due(1000.0) == [] and book.next_due() is None
