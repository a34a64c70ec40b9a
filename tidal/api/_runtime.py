"""What the API needs from the live runtime (`tidal.live.LiveCenter`), as a protocol.

Written against docs/live.md so that the API can be built and tested beside the
runtime; views are read by attribute or key, whichever the runtime gives.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from tidal.config import CampaignConfig, PauseReasonConfig, QueueConfig
    from tidal.core import Center
    from tidal.core.campaigns import CampaignState, PreviewDial, PreviewSkipped
    from tidal.core.commands import Command
    from tidal.core.events import Event
    from tidal.live.runtime import LiveCenter
    from tidal.store import Store

Message = dict[str, Any]
MessageFilter = Callable[[Message], Message | None]


class Subscription(Protocol):
    """An async iterator of stream messages for one listener."""

    def __aiter__(self) -> AsyncIterator[Message]: ...


class Bus(Protocol):
    """Fans stream messages out to subscribers."""

    def subscribe(self, keep: MessageFilter, /, *, agent_id: str | None = None) -> Subscription:
        """Messages `keep` returns; with `agent_id`, only that agent's and everyone's."""
        ...


class Runtime(Protocol):
    """The live contact center as the API sees it (docs/live.md, "Runtime")."""

    @property
    def store(self) -> Store: ...

    @property
    def center(self) -> Center: ...

    @property
    def bus(self) -> Bus: ...

    def submit(self, event: Event | PreviewDial | PreviewSkipped) -> list[Command]: ...

    def configure_queue(self, config: QueueConfig) -> None:
        """Add or redefine a queue in the running center, as a logged event."""
        ...

    def configure_campaign(self, config: CampaignConfig) -> None:
        """Add (stopped) or redefine a campaign in the running center, as a logged event."""
        ...

    @property
    def pause_reasons(self) -> Sequence[PauseReasonConfig]:
        """The not-ready reasons agents pick from, the default first."""
        ...

    def configure_pause_reasons(self, reasons: Sequence[PauseReasonConfig]) -> None:
        """Replace the not-ready reasons, as a logged event."""
        ...

    def queue_config(self, name: str) -> QueueConfig | None:
        """The configuration the running center routes a queue by (None: no such queue)."""
        ...

    @property
    def campaign_configs(self) -> Mapping[str, CampaignConfig]:
        """The configuration of every campaign the running center has, by name."""
        ...

    def change_agent(self, agent_id: str, group: str, skills: dict[str, int]) -> None:
        """A profile edit, applied now to the agent if logged in (a logged event)."""
        ...

    def campaign_state(self, name: str) -> str | None:
        """Running, paused or stopped; None for a campaign the center does not run."""
        ...

    def set_campaign_state(self, name: str, state: CampaignState) -> str:
        """Start, pause or stop a running center's campaign, as a logged event."""
        ...

    def lead_states(self, campaign: str) -> dict[int, str] | None:
        """Lead row id -> state for the leads the dialer holds; None when it runs none."""
        ...

    def recycle_leads(self, campaign: str, lead_ids: Sequence[int]) -> None:
        """Give the leads fresh attempts (new, due now), as a logged event."""
        ...

    def campaign_counts(self, start: float, end: float) -> dict[str, dict[str, int]]:
        """Each campaign's dialer counters (dials, answers, conversions...) over a period."""
        ...

    def campaign_groups(self, campaign: str) -> list[str]:
        """The agent groups working a campaign: whose logged-in hours are its agent hours."""
        ...

    def now(self) -> float: ...

    def new_contact_id(self) -> int: ...

    def health(self) -> dict[str, object]: ...

    def agents_view(self) -> Sequence[Any]: ...

    def agent_view(self, agent_id: str) -> Any | None: ...

    def queues_view(self) -> Sequence[Any]: ...

    def contact_view(self, contact_id: int) -> Any | None: ...

    def offer_for(self, agent_id: str) -> Any | None: ...

    def preview_for(self, agent_id: str) -> Any | None: ...

    def dispositions_for(self, queue: str) -> list[str]: ...

    def callbacks(self, agent_id: str | None = None) -> Sequence[Any]:
        """Pending callbacks by due time (those `agent_id` booked, or all)."""
        ...

    def callback(self, callback_id: int) -> Any | None:
        """One pending callback, or None."""
        ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


if TYPE_CHECKING:

    def _live_center_is_a_runtime(live: LiveCenter) -> Runtime:
        """mypy checks here that the live runtime gives what the API uses."""
        return live
