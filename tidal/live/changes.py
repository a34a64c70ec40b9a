"""An admin's changes to the running center, as events of the log.

A queue or campaign added or redefined, a logged-in agent's skills edited, or the
list of pause reasons replaced, reaches the core
as an event like any other: it is logged with its time, so a replay rebuilds the
center as it was changed, at the moment it was changed. The payloads are the JSON the
API validated (a queue's stored configuration), so the generic codec keeps them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from tidal.config import CampaignConfig, PauseReasonConfig, QueueConfig, pause_reason_problems
from tidal.core.center import Center
from tidal.core.commands import Command
from tidal.core.errors import UnsupportedChange
from tidal.core.queue import QueueSpec


@dataclass(frozen=True, slots=True)
class QueueConfigured:
    """A queue was added or redefined: `config` is its stored configuration (JSON)."""

    name: str
    config: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class AgentChanged:
    """A logged-in agent's group or skills were edited: it serves its new queues now."""

    agent_id: str
    group: str
    skills: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class CampaignConfigured:
    """A campaign was added (it waits, stopped, for a start) or redefined (it keeps its
    leads, calls and state): `config` is its stored configuration (JSON)."""

    name: str
    config: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class PauseReasonsConfigured:
    """The not-ready reasons agents choose from were replaced (each a stored reason's JSON)."""

    reasons: tuple[Mapping[str, Any], ...]


def pause_reason_configs(event: PauseReasonsConfigured) -> tuple[PauseReasonConfig, ...]:
    """The event's reasons; a logged list this version cannot read is refused, not guessed."""
    try:
        reasons = tuple(PauseReasonConfig.model_validate(dict(r)) for r in event.reasons)
    except ValidationError as error:
        raise UnsupportedChange(f"pause reasons: {error}") from None
    problems = pause_reason_problems(reasons, "reasons")
    if problems or not reasons:
        found = "; ".join(p.message for p in problems) or "the list is empty"
        raise UnsupportedChange(f"pause reasons: {found}")
    return reasons


def campaign_config(event: CampaignConfigured) -> CampaignConfig:
    """The event's campaign; one this version cannot read is refused, not guessed."""
    try:
        config = CampaignConfig.model_validate(dict(event.config))
    except ValidationError as error:
        raise UnsupportedChange(f"campaign {event.name!r}: {error}") from None
    if config.name != event.name:
        raise UnsupportedChange(f"campaign {event.name!r}: the configuration names {config.name!r}")
    return config


def queue_config(event: QueueConfigured) -> QueueConfig:
    """The event's queue; a logged one this version cannot read is refused, not guessed."""
    try:
        config = QueueConfig.model_validate(dict(event.config))
    except ValidationError as error:
        raise UnsupportedChange(f"queue {event.name!r}: {error}") from None
    if config.name != event.name:
        raise UnsupportedChange(f"queue {event.name!r}: the configuration names {config.name!r}")
    return config


def apply_change(
    center: Center, event: QueueConfigured | AgentChanged, now: float
) -> list[Command]:
    """The core's answer to one change (offers to agents who may now take callers)."""
    if isinstance(event, QueueConfigured):
        return center.configure_queue(QueueSpec.from_config(queue_config(event)), now)
    return center.change_agent(event.agent_id, event.group, dict(event.skills), now)
