"""The seam between a center and whoever carries its calls: commands out, events in.

The live runtime hands an adapter the core's commands (`execute`); the adapter feeds
back what happened on the lines as core events (`Host.try_submit`). Simulated callers
(`tidal.telephony.sim`) and real SIP trunks and phones sit behind the same protocol.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from tidal.core.campaigns import Dial, DialAnswered, Dialer
    from tidal.core.center import Center
    from tidal.core.commands import Command
    from tidal.core.events import Event


class Host(Protocol):
    """What an adapter may use of the runtime: read the center, take ids, feed events."""

    @property
    def center(self) -> Center:
        """The center as the log says it is (read only)."""
        ...

    @property
    def dialer(self) -> Dialer | None:
        """The campaigns' dialer, if the center has campaigns (read only)."""
        ...

    def now(self) -> float:
        """Wall-clock seconds since the epoch, as the core is given them."""
        ...

    def new_contact_id(self) -> int:
        """A contact id never used before."""
        ...

    def agent_phone(self, agent_id: str) -> str | None:
        """The agent's phone from their profile (`browser`, `registered`, a SIP URI)."""
        ...

    def try_submit(self, event: Event | DialAnswered) -> list[Command] | None:
        """Feed an event; None when the core (or the store) did not take it."""
        ...


class Telephony(Protocol):
    """Who carries calls: simulated callers, or SIP trunks and phones."""

    def attach(self, host: Host) -> None:
        """Learn the runtime to feed events into."""

    def resume(self) -> None:
        """After replay (or a rebuild): pick up the calls and agents the center holds."""

    async def start(self) -> None:
        """Begin producing events (callers arriving, simulated agents working)."""

    def execute(self, command: Command | Dial, now: float) -> None:
        """Carry out a command that concerns calls or phones."""

    async def stop(self) -> None:
        """Stop producing events and release what is held."""


class NoTelephony:
    """No calls at all: events come only from the API (tests, a read-only node)."""

    def attach(self, host: Host) -> None:
        """Nothing to learn."""

    def resume(self) -> None:
        """Nothing to resume."""

    async def start(self) -> None:
        """Nothing to start."""

    def execute(self, command: Command | Dial, now: float) -> None:
        """Nothing to do."""

    async def stop(self) -> None:
        """Nothing to stop."""
