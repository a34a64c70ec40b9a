"""Scheduled callbacks: due order, and agent-owned ones wait for their agent."""

from __future__ import annotations

from tidal.core.campaigns import CallbackBook, ScheduledCallback


def test_callbacks_come_due_in_time_order() -> None:
    book = CallbackBook()
    book.book(ScheduledCallback(200.0, "b"))
    book.book(ScheduledCallback(100.0, "a"))
    assert book.next_due() == 100.0
    assert [c.lead_id for c in book.due(150.0)] == ["a"]
    assert [c.lead_id for c in book.due(250.0)] == ["b"]
    assert len(book) == 0


def test_an_agent_owned_callback_waits_until_its_agent_is_free() -> None:
    book = CallbackBook()
    book.book(ScheduledCallback(100.0, "mine", "alice"))
    book.book(ScheduledCallback(100.0, "anyone"))
    assert [c.lead_id for c in book.due(100.0, {"bob"})] == ["anyone"]
    assert len(book) == 1
    assert [c.lead_id for c in book.due(300.0, {"alice"})] == ["mine"]
