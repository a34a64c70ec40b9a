"""What the API needs from the live runtime (`tidal.live.LiveCenter`), as a protocol.

Written against docs/live.md so that the API can be built and tested beside the
runtime; views are read by attribute or key, whichever the runtime gives.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from tidal.core import Center
    from tidal.core.commands import Command
    from tidal.core.events import Event
    from tidal.store import Store

Message = dict[str, Any]
MessageFilter = Callable[[Message], Message | None]


class Subscription(Protocol):
    """An async iterator of stream messages for one listener."""

    def __aiter__(self) -> AsyncIterator[Message]: ...


class Bus(Protocol):
    """Fans stream messages out to subscribers."""

    def subscribe(self, filter: MessageFilter) -> Subscription: ...


class Runtime(Protocol):
    """The live contact center as the API sees it (docs/live.md, "Runtime")."""

    @property
    def store(self) -> Store: ...

    @property
    def center(self) -> Center: ...

    @property
    def bus(self) -> Bus: ...

    def submit(self, event: Event) -> list[Command]: ...

    def now(self) -> float: ...

    def agents_view(self) -> Sequence[Any]: ...

    def agent_view(self, agent_id: str) -> Any | None: ...

    def queues_view(self) -> Sequence[Any]: ...

    def contact_view(self, contact_id: int) -> Any | None: ...

    def offer_for(self, agent_id: str) -> Any | None: ...
