"""The contact line: FIFO, O(1) removal, returns to the head."""

from tidal.core import Contact, ContactQueue, QueueSpec


def _contact(contact_id: int, at: float, priority: int = 0) -> Contact:
    return Contact(contact_id, "q", "", at, priority)


def test_line_is_first_come_first_served_with_removal_and_requeue() -> None:
    line = ContactQueue(QueueSpec("q"))
    contacts = [_contact(i, float(i)) for i in range(1, 5)]
    for contact in contacts:
        line.push(contact)
    line.remove(contacts[1])
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


def test_higher_contact_priority_is_served_first_then_first_come() -> None:
    line = ContactQueue(QueueSpec("q"))
    for contact in (_contact(1, 1.0), _contact(2, 2.0, priority=5), _contact(3, 3.0, priority=5)):
        line.push(contact)
    line.push(_contact(4, 4.0, priority=-1))
    assert [c.contact_id for c in line] == [2, 3, 1, 4]
    assert line.pop_head().contact_id == 2
    assert len(line) == 3
