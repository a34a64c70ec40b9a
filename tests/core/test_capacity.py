"""Capacity per channel: three chats at once, a voice call alone, per-contact wrap-up."""

import pytest

from tidal.core import (
    AgentLoggedIn,
    AgentLoggedOut,
    AgentNotReady,
    AgentReady,
    AgentState,
    CallEnded,
    Center,
    Channel,
    ContactArrived,
    OfferAccepted,
    OfferDeclined,
    OfferToAgent,
    QueueSpec,
    RecordAgentSession,
    RecordInteraction,
    TimerFired,
    UnknownContact,
    WrapUpDone,
)
from tidal.core.capacity import Capacity


def _center(**options: object) -> Center:
    return Center(
        [
            QueueSpec("phone", {"support": 1}, priority=1),
            QueueSpec("chat", {"support": 1}, priority=1, channel=Channel.CHAT),
            QueueSpec("chat-vip", {"support": 1}, priority=2, channel=Channel.CHAT),
        ],
        **options,  # type: ignore[arg-type]
    )


def _ready(center: Center, agent_id: str, now: float, **capacity: int) -> list[object]:
    center.handle(AgentLoggedIn(agent_id, "g", {"support": 5}, capacity), now)
    return list(center.handle(AgentReady(agent_id), now))


def _offers(commands: list[object]) -> list[tuple[int, str]]:
    return [(c.contact_id, c.agent_id) for c in commands if isinstance(c, OfferToAgent)]


def _talk(center: Center, contact_id: int, agent_id: str, now: float) -> None:
    center.handle(OfferAccepted(contact_id, agent_id), now)


def _chatting(center: Center, agent_id: str, contacts: tuple[int, ...], now: float) -> None:
    """A fresh three-chat agent on these chats, each answered as it is offered."""
    _ready(center, agent_id, 0.0, chat=3)
    for contact_id in contacts:
        center.handle(ContactArrived(contact_id, "chat"), now)
        _talk(center, contact_id, agent_id, now)


def test_a_chat_agent_takes_three_chats_at_once_and_not_a_fourth() -> None:
    center = _center()
    _ready(center, "a1", 0.0, chat=3)
    for contact_id in (1, 2, 3):
        commands = center.handle(ContactArrived(contact_id, "chat"), float(contact_id))
        assert _offers(commands) == [(contact_id, "a1")]
        _talk(center, contact_id, "a1", float(contact_id))
    assert _offers(center.handle(ContactArrived(4, "chat"), 5.0)) == []
    assert center.queue_length("chat") == 1
    assert center.agents["a1"].state is AgentState.TALKING
    # Wrap-up is per chat: the slot frees when that chat's wrap-up ends, not its talk.
    assert center.handle(CallEnded(2), 10.0) == []
    commands = center.handle(WrapUpDone("a1", None, 2), 12.0)
    assert _offers(commands) == [(4, "a1")]
    assert [type(c) for c in commands] == [RecordInteraction, OfferToAgent]
    assert commands[0].record.channel is Channel.CHAT  # type: ignore[attr-defined]


def test_a_chatting_agent_takes_no_voice_call_until_every_chat_is_done() -> None:
    center = _center()
    _ready(center, "a1", 0.0, chat=3)
    center.handle(ContactArrived(1, "chat"), 1.0)
    _talk(center, 1, "a1", 1.0)
    assert _offers(center.handle(ContactArrived(2, "phone"), 2.0)) == []
    # Still offered chats from any chat queue it serves, best priority first.
    center.handle(ContactArrived(3, "chat"), 3.0)
    center.handle(ContactArrived(4, "chat-vip"), 3.0)
    assert center.agents["a1"].load == {"chat": 3}
    center.handle(CallEnded(1), 10.0)
    assert _offers(center.handle(WrapUpDone("a1", None, 1), 11.0)) == []  # 3 and 4 still held
    for contact_id in (3, 4):
        _talk(center, contact_id, "a1", 12.0)
        center.handle(CallEnded(contact_id), 20.0)
    assert _offers(center.handle(WrapUpDone("a1", None, 3), 21.0)) == []
    assert _offers(center.handle(WrapUpDone("a1", None, 4), 22.0)) == [(2, "a1")]


def test_a_voice_call_blocks_chats() -> None:
    center = _center()
    _ready(center, "a1", 0.0, chat=3)
    assert _offers(center.handle(ContactArrived(1, "phone"), 1.0)) == [(1, "a1")]
    assert _offers(center.handle(ContactArrived(2, "chat"), 2.0)) == []  # ringing voice
    _talk(center, 1, "a1", 2.0)
    assert _offers(center.handle(ContactArrived(3, "chat"), 3.0)) == []
    center.handle(CallEnded(1), 60.0)
    assert _offers(center.handle(ContactArrived(4, "chat"), 61.0)) == []  # voice wrap-up too
    # The call is done: the agent takes all three waiting chats at once.
    assert _offers(center.handle(WrapUpDone("a1"), 70.0)) == [(2, "a1"), (3, "a1"), (4, "a1")]


def test_least_loaded_chat_agent_first_then_longest_idle() -> None:
    center = _center()
    _ready(center, "a1", 0.0, chat=3)
    _ready(center, "a2", 1.0, chat=3)
    owners = [_offers(center.handle(ContactArrived(i, "chat"), 2.0 + i))[0][1] for i in range(4)]
    assert owners == ["a1", "a2", "a1", "a2"]


def test_decline_and_ring_no_answer_apply_to_one_contact() -> None:
    center = _center(ring_timeout=15.0, max_misses=5)
    _ready(center, "a1", 0.0, chat=3)
    _ready(center, "a2", 0.0, chat=1)
    center.handle(ContactArrived(1, "chat"), 1.0)  # a1
    center.handle(ContactArrived(2, "chat"), 1.0)  # a2
    _talk(center, 1, "a1", 2.0)
    assert _offers(center.handle(ContactArrived(3, "chat"), 3.0)) == [(3, "a1")]
    # a1 declines chat 3: a2 is full, so it returns to the head of the line and, a1
    # being the only agent with room, comes straight back to it; chat 1 goes on.
    commands = center.handle(OfferDeclined(3, "a1"), 4.0)
    assert _offers(commands) == [(3, "a1")]
    assert center.agents["a1"].work == {1: AgentState.TALKING, 3: AgentState.RESERVED}
    # It rings out: the ring-no-answer is chat 3's alone.
    center.handle(TimerFired("ring:3"), 19.0)
    assert center.agents["a1"].work[1] is AgentState.TALKING
    assert center.contacts[1].agent_id == "a1"


def test_too_many_misses_take_a_multitasking_agent_off_after_its_other_chats() -> None:
    center = _center(max_misses=1)
    _ready(center, "a1", 0.0, chat=3)
    center.handle(ContactArrived(1, "chat"), 1.0)
    _talk(center, 1, "a1", 1.0)
    center.handle(ContactArrived(2, "chat"), 2.0)
    assert _offers(center.handle(OfferDeclined(2, "a1"), 3.0)) == []  # no more offers
    assert center.queue_length("chat") == 1
    center.handle(CallEnded(1), 10.0)
    center.handle(WrapUpDone("a1", None, 1), 11.0)
    assert center.agents["a1"].state is AgentState.NOT_READY
    assert center.agents["a1"].reason == "declined"


def test_log_out_waits_until_every_contact_is_wrapped_up() -> None:
    center = _center()
    _chatting(center, "a1", (1, 2), 2.0)
    assert center.handle(AgentLoggedOut("a1"), 5.0) == []
    assert _offers(center.handle(ContactArrived(3, "chat"), 6.0)) == []  # no new chats
    center.handle(CallEnded(1), 10.0)
    assert center.handle(WrapUpDone("a1", None, 1), 20.0)[1:] == []  # one chat left
    assert "a1" in center.agents
    center.handle(CallEnded(2), 30.0)
    commands = center.handle(WrapUpDone("a1", None, 2), 40.0)
    assert "a1" not in center.agents
    [session] = [c.record for c in commands if isinstance(c, RecordAgentSession)]
    assert session.contacts_handled == 2


def test_a_break_while_chatting_stops_new_chats_and_ready_takes_them_again() -> None:
    center = _center()
    _ready(center, "a1", 0.0, chat=3)
    center.handle(ContactArrived(1, "chat"), 1.0)
    center.handle(AgentNotReady("a1", "lunch"), 2.0)
    assert _offers(center.handle(ContactArrived(2, "chat"), 3.0)) == []
    assert _offers(center.handle(AgentReady("a1"), 4.0)) == [(2, "a1")]  # changed their mind


def test_concurrent_chats_are_booked_once_in_the_agent_session() -> None:
    center = _center()
    _ready(center, "a1", 0.0, chat=3)
    center.handle(ContactArrived(1, "chat"), 10.0)
    _talk(center, 1, "a1", 10.0)
    center.handle(ContactArrived(2, "chat"), 20.0)
    _talk(center, 2, "a1", 20.0)
    center.handle(CallEnded(1), 50.0)  # still talking on chat 2
    center.handle(CallEnded(2), 60.0)
    center.handle(WrapUpDone("a1", None, 1), 70.0)
    center.handle(WrapUpDone("a1", None, 2), 80.0)
    [session] = center.open_sessions(100.0)
    # Two chats of 40 s each overlap: 50 s with at least one chat open, not 80.
    assert session.talk_seconds == 50.0
    assert session.wrap_seconds == 20.0
    assert session.ready_seconds == 10.0 + 20.0
    assert session.contacts_handled == 2


def test_an_agent_a_waiting_call_is_due_to_drains_its_chats_first() -> None:
    center = _center()
    _chatting(center, "a1", (1, 2), 1.0)
    center.handle(ContactArrived(3, "phone"), 2.0)  # waits: a1 is chatting
    center.handle(ContactArrived(4, "chat"), 3.0)
    center.handle(OfferAccepted(4, "a1"), 3.0)
    center.handle(CallEnded(1), 10.0)
    # A slot is free, but the oldest contact for a1 is the call: it drains.
    assert _offers(center.handle(WrapUpDone("a1", None, 1), 11.0)) == []
    assert center.agents["a1"].draining
    assert _offers(center.handle(ContactArrived(5, "chat"), 12.0)) == []
    for contact_id in (2, 4):
        center.handle(CallEnded(contact_id), 20.0)
    assert _offers(center.handle(WrapUpDone("a1", None, 2), 21.0)) == []
    assert _offers(center.handle(WrapUpDone("a1", None, 4), 22.0)) == [(3, "a1")]
    assert not center.agents["a1"].draining


def test_wrap_up_done_without_a_contact_needs_a_single_one_in_wrap_up() -> None:
    center = _center()
    _chatting(center, "a1", (1, 2), 1.0)
    for contact_id in (1, 2):
        center.handle(CallEnded(contact_id), 5.0)
    with pytest.raises(UnknownContact, match="2 contacts in wrap-up"):
        center.handle(WrapUpDone("a1"), 6.0)


def test_capacity_zero_keeps_an_agent_off_a_channel() -> None:
    center = _center()
    _ready(center, "a1", 0.0, voice=0, chat=2)
    assert _offers(center.handle(ContactArrived(1, "phone"), 1.0)) == []
    assert center.staffed("phone") == 0
    assert center.staffed("chat") == 1


def test_voice_is_exclusive_and_other_channels_mix() -> None:
    capacity = Capacity({"chat": 3, "email": 2})
    assert capacity.has_room("chat", {"chat": 2, "email": 2}, 4)
    assert not capacity.has_room("chat", {"chat": 3}, 3)
    assert not capacity.has_room("voice", {"chat": 1}, 1)
    assert not capacity.has_room("chat", {"voice": 1}, 1)
    assert capacity.limit("sms") == 1  # a channel left out allows one
    assert capacity.concurrent(["voice"]) == 1
    assert capacity.concurrent(["voice", "chat", "email"]) == 5
    with pytest.raises(ValueError, match=r"capacity of 'voice' must be 0\.\.1, got 2"):
        Capacity({"voice": 2})
    with pytest.raises(ValueError, match="'fax' is not a valid Channel"):
        Capacity({"fax": 1})
