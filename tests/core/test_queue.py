"""The contact line: FIFO, O(1) removal, returns to the head."""

from tidal.core import Contact, ContactQueue, QueueSpec


def _contact(contact_id: int, at: float) -> Contact:
    return Contact(contact_id, "q", "", at)


def test_line_is_first_come_first_served_with_removal_and_requeue() -> None:
    line = ContactQueue(QueueSpec("q"))
    for i in range(1, 5):
        line.push(_contact(i, float(i)))
    line.remove(2)
    head = line.pop_head()
    assert head.contact_id == 1
    line.push_front(head)
    assert [c.contact_id for c in line] == [1, 3, 4]
    assert len(line) == 3


def test_admits_checks_every_minimum_level() -> None:
    spec = QueueSpec("billing", skills={"billing": 3, "spanish": 1})
    assert spec.admits({"billing": 3, "spanish": 2})
    assert not spec.admits({"billing": 2, "spanish": 5})
    assert not spec.admits({"billing": 9})
    assert QueueSpec("any").admits({})
