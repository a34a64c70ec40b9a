"""The stream bus: the runtime publishes JSON-ready messages, each subscriber filters.

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

    def __init__(self, bus: Bus, keep: MessageFilter, maxsize: int) -> None:
        self._bus = bus
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
        self._subscriptions: list[Subscription] = []
        self.published = 0

    def subscribe(
        self, keep: MessageFilter = lambda m: m, maxsize: int = SUBSCRIBER_QUEUE
    ) -> Subscription:
        """A new subscription that receives what `keep` returns for each message."""
        subscription = Subscription(self, keep, maxsize)
        self._subscriptions.append(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        """Forget a subscription (idempotent)."""
        if subscription in self._subscriptions:
            self._subscriptions.remove(subscription)

    @property
    def subscribers(self) -> int:
        """How many subscriptions are open."""
        return len(self._subscriptions)

    def publish(self, message: Message) -> None:
        """Hand the message to every subscription now (never blocks)."""
        self.published += 1
        for subscription in self._subscriptions:
            subscription.offer(message)
