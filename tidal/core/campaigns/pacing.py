"""Pacing: how many calls a campaign places now. A protocol, so users can bring their own.

The dialer builds a `PacingView` (agents free, busy with elapsed times, calls ringing,
the abandonment budget, live statistics) and asks its pacer `calls_to_place(view)`.
Whatever a pacer answers, the dialer still caps it by the trunk, sends every dial
through the compliance gate, and never lets a pacer that can abandon dial beyond the
agents free once the 30-day ledger has no room.

A campaign names a pacer as `module:Class` (built with no arguments); the built-in
ones are `progressive`, `power`, `adapt` and `model` (see `pacer_for`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from tidal.core.campaigns.stats import CampaignStats
from tidal.core.plugins import PluginError, load_plugin


class PacerError(PluginError):
    """A `module:Class` pacer that cannot be loaded or is not a pacer."""


@dataclass(frozen=True, slots=True)
class PacingView:
    """What a pacer may look at, at one instant."""

    now: float
    hour: int  # local hour of the campaign's clock (answer rates differ by hour)
    free_agents: int  # agents who may take this campaign's next person right now
    staffed_agents: int  # agents on the phones for this campaign (not on a break)
    talking: tuple[float, ...]  # elapsed talk seconds of each busy agent
    wrapping: tuple[float, ...]  # elapsed wrap-up seconds of each agent in wrap-up
    ringing: tuple[float, ...]  # seconds since each unanswered call of the campaign was dialled
    waiting_humans: int  # people who answered and wait for an agent (at most 2 s)
    abandoned: int  # today's, of this campaign
    human_answers: int  # today's
    headroom: int  # abandonments the 30-day ledger still allows
    cap: float  # the campaign's max abandon rate
    target: float  # the rate a pacer should aim at (below the cap)
    stats: CampaignStats

    @property
    def progressive_calls(self) -> int:
        """Calls that cannot abandon: one per free agent not already waited for."""
        return max(0, self.free_agents - len(self.ringing) - self.waiting_humans)


@runtime_checkable
class Pacer(Protocol):
    """Decides how many new calls to place; may keep its own state between calls."""

    def calls_to_place(self, view: PacingView) -> int:
        """How many calls to dial now (the dialer caps it by trunk and gate)."""
        ...


class ProgressivePacer:
    """One call per free agent: never abandons, wastes agents' time on ringing."""

    def calls_to_place(self, view: PacingView) -> int:
        """Free agents minus calls already ringing for them."""
        return view.progressive_calls


class PowerPacer:
    """A fixed number of lines per free agent (power dialing, or a fixed dial ratio)."""

    def __init__(self, lines_per_agent: float = 2.0) -> None:
        if lines_per_agent < 1.0:
            raise ValueError(f"lines_per_agent must be >= 1 (got {lines_per_agent})")
        self.lines_per_agent = lines_per_agent

    def calls_to_place(self, view: PacingView) -> int:
        """Keep `lines_per_agent` x free agents calls ringing."""
        lines = math.floor(self.lines_per_agent * view.free_agents + 1e-9)
        return max(0, lines - len(view.ringing) - view.waiting_humans)


def load_pacer(spec: str) -> Pacer:
    """Build the pacer a campaign names as `module:Class` (no constructor arguments)."""
    try:
        pacer = load_plugin(spec, "pacer")
    except PluginError as error:
        raise PacerError(str(error)) from error
    if not isinstance(pacer, Pacer):
        class_name = spec.partition(":")[2]
        raise PacerError(f"pacer {spec!r}: {class_name} has no calls_to_place(view) method")
    return pacer
