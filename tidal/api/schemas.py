"""The runtime's views as the API documents them (docs/live.md, "Views").

Fields the runtime adds later pass through (`extra="allow"`), so the pages can use a
new figure before this file names it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from tidal.core.agent_state import AgentState


class View(BaseModel):
    """Base of the views: extra fields pass through."""

    model_config = ConfigDict(extra="allow", from_attributes=True)


class AgentView(View):
    """An agent's live state."""

    agent_id: str
    group: str | None = None
    skills: dict[str, int] | None = None  # what the center routes by now (None: logged out)
    state: AgentState
    since: float | None = None
    reason: str | None = None
    contact_id: int | None = None
    queue: str | None = None
    caller: str | None = None  # of the contact the agent is on
    # A break (not_ready, with its reason) or log-out asked for during an offer, a call
    # or wrap-up: taken when that work ends, no new offer meanwhile.
    pending: AgentState | None = None
    pending_reason: str | None = None


class QueueView(View):
    """A queue's live figures and today's."""

    name: str
    waiting: int = 0
    longest_wait: float = 0.0
    staffed: int = 0
    ready: int = 0
    occupancy: float = 0.0  # busy share of the agents on the phones for it, now
    callbacks_pending: int = 0  # callers waiting to be called back, and callbacks booked
    offered_today: int = 0
    answered_today: int = 0
    abandoned_today: int = 0
    service_level_today: float = 0.0
    abandon_rate_today: float = 0.0
    asa_today: float = 0.0
    handled_today: int = 0
    aht_today: float = 0.0
    threshold: float | None = None
    target: float | None = None


class OfferView(View):
    """The contact ringing an agent, with its screen pop."""

    contact_id: int
    queue: str | None = None
    caller: str | None = None
    arrived_at: float | None = None
    waited: float | None = None
    ring_timeout: float | None = None
    ivr: dict[str, Any] = {}
    history: list[dict[str, Any]] = []
    customer: dict[str, Any] = {}  # who it is: the lead's name and fields, earlier contacts
    script: str | None = None  # an outbound call's campaign script, the lead's fields filled in
    dispositions: list[str] = []  # what the agent may close it with (its queue's, campaign's)


class InteractionOut(View):
    """A finished interaction record (the store's fields)."""

    contact_id: int
    channel: str
    direction: str
    queue: str
    arrived_at: float
    outcome: str
    answered_at: float | None = None
    ended_at: float | None = None
    wrap_ended_at: float | None = None
    agent_id: str | None = None
    agent_group: str | None = None
    estimated_wait: float | None = None
    callback_requested_at: float | None = None
    caller: str = ""
    disposition: str | None = None
    trunk: str | None = None  # real calls: the carrier trunk and the number dialled
    did: str | None = None
