"""The stream bus: the runtime publishes JSON-ready messages, each subscriber filters.

Messages about one agent (their state, their offers) go only to the subscriptions of
that agent and to the unrestricted ones: with a thousand agent desktops connected, a
message is not filtered a thousand times. Messages about nobody in particular (the
per-second tick) go to everyone, through each subscription's filter.

A subscriber that reads too slowly (a frozen browser tab) must never slow the center
down: its queue is bounded, the oldest messages are dropped, and the drop is counted
so the client can resynchronise from the REST views.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

Message = dict[str, Any]
MessageFilter = Callable[[Message], Message | None]

SUBSCRIBER_QUEUE = 1000


class Subscription:
    """One subscriber's view of the stream: an async iterator of filtered messages."""

    def __init__(
        self, bus: Bus, keep: MessageFilter, maxsize: int, agent_id: str | None = None
    ) -> None:
        self._bus = bus
        self.agent_id = agent_id
        self._keep = keep
        self._queue: asyncio.Queue[Message] = asyncio.Queue(maxsize)
        self.dropped = 0

    def offer(self, message: Message) -> None:
        """Queue the message if the filter keeps it; drop the oldest when full."""
        kept = self._keep(message)
        if kept is None:
            return
        if self._queue.full():
            self._queue.get_nowait()
            self.dropped += 1
        self._queue.put_nowait(kept)

    async def get(self) -> Message:
        """The next message (waits for one)."""
        return await self._queue.get()

    def pending(self) -> int:
        """Messages waiting to be read."""
        return self._queue.qsize()

    def close(self) -> None:
        """Stop receiving messages."""
        self._bus.unsubscribe(self)

    def __aiter__(self) -> AsyncIterator[Message]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Message]:
        while True:
            yield await self._queue.get()


class Bus:
    """Fan-out of stream messages to every subscription, on the runtime's loop."""

    def __init__(self) -> None:
        self._everything: list[Subscription] = []
        self._by_agent: dict[str, list[Subscription]] = {}
        self.published = 0

    def subscribe(
        self,
        keep: MessageFilter = lambda m: m,
        maxsize: int = SUBSCRIBER_QUEUE,
        *,
        agent_id: str | None = None,
    ) -> Subscription:
        """A new subscription that receives what `keep` returns for each message.

        With `agent_id`, only that agent's messages and messages about no agent reach
        `keep`; without, every message does.
        """
        subscription = Subscription(self, keep, maxsize, agent_id)
        if agent_id is None:
            self._everything.append(subscription)
        else:
            self._by_agent.setdefault(agent_id, []).append(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        """Forget a subscription (idempotent)."""
        if subscription.agent_id is None:
            if subscription in self._everything:
                self._everything.remove(subscription)
            return
        mine = self._by_agent.get(subscription.agent_id, [])
        if subscription in mine:
            mine.remove(subscription)
        if not mine:
            self._by_agent.pop(subscription.agent_id, None)

    @property
    def subscribers(self) -> int:
        """How many subscriptions are open."""
        return len(self._everything) + sum(len(s) for s in self._by_agent.values())

    def publish(self, message: Message, *, supervisors_only: bool = False) -> None:
        """Hand the message to the subscriptions it concerns now (never blocks).

        `supervisors_only` keeps it from every agent's subscription (e.g. a record of
        a caller who hung up before anyone answered).
        """
        self.published += 1
        for subscription in self._everything:
            subscription.offer(message)
        if supervisors_only:
            return
        agent_id = message.get("agent_id")
        if agent_id is None:
            for subscriptions in self._by_agent.values():
                for subscription in subscriptions:
                    subscription.offer(message)
        else:
            for subscription in self._by_agent.get(agent_id, ()):
                subscription.offer(message)
