"""Agent capacity per channel: how many contacts of each channel an agent holds at once.

What blocks what, in two rules (as Twilio TaskRouter multi-tasking and Genesys
utilization do it):

- An *exclusive* channel (voice) is taken only by an agent holding nothing else,
  and while an agent holds it nothing else is offered. Its capacity is 0 or 1.
- Every other channel (chat, email, sms) is taken while the agent holds fewer than
  its capacity of that channel and no exclusive contact; non-exclusive channels mix
  (three chats and an email at once if the capacity says so).

A channel the capacity does not name allows one contact (`DEFAULT_CAPACITY`), so an
agent without a capacity behaves exactly as one who takes one contact at a time.
A capacity of 0 means the agent never gets that channel's contacts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from tidal.core.values import Channel

EXCLUSIVE_CHANNELS: Final = frozenset({Channel.VOICE})
DEFAULT_CAPACITY: Final = 1


class Capacity:
    """An agent's limits per channel, and the one rule deciding whether it has room."""

    __slots__ = ("_limits",)

    def __init__(self, limits: Mapping[str, int] | None = None) -> None:
        limits = dict(limits or {})
        for channel, limit in limits.items():
            Channel(channel)  # raises ValueError on an unknown channel
            if limit < 0 or (channel in EXCLUSIVE_CHANNELS and limit > 1):
                top = "1" if channel in EXCLUSIVE_CHANNELS else "any"
                raise ValueError(f"capacity of {channel!r} must be 0..{top}, got {limit}")
        self._limits = limits

    def limit(self, channel: str) -> int:
        """How many contacts of `channel` the agent may hold at once."""
        return self._limits.get(channel, DEFAULT_CAPACITY)

    def concurrent(self, channels: Iterable[str]) -> int:
        """The most contacts the agent can hold at once over these channels.

        1 means the agent is single-tasking: each contact blocks all others.
        """
        shared = sum(self.limit(c) for c in set(channels) if c not in EXCLUSIVE_CHANNELS)
        alone = any(self.limit(c) for c in set(channels) if c in EXCLUSIVE_CHANNELS)
        return max(shared, int(alone))

    def has_room(self, channel: str, load: Mapping[str, int], holding: int) -> bool:
        """Whether an agent holding `holding` contacts, `load` per channel, may take one more."""
        if channel in EXCLUSIVE_CHANNELS:
            return holding == 0 and self.limit(channel) > 0
        if holding and any(load.get(c, 0) for c in EXCLUSIVE_CHANNELS):
            return False
        return load.get(channel, 0) < self.limit(channel)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Capacity) and self._limits == other._limits

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._limits.items())))

    def __repr__(self) -> str:
        return f"Capacity({self._limits!r})"
