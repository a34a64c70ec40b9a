"""Blending: when a blended agent (inbound and outbound) may be counted for outbound.

Inbound comes first: the pacer must not dial for an agent an inbound caller is about
to need. A blending policy answers how
many of the ready blended agents the pacer may count; it is a protocol, so a center
may bring its own (a target ASA, a forecast).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class InboundView:
    """The inbound side of the blended agents, at one instant."""

    ready_blended: int  # blended agents ready now
    staffed_blended: int  # blended agents on the phones
    waiting: int  # callers waiting in the inbound queues these agents serve
    oldest_wait: float  # seconds the longest-waiting of them has waited
    threshold: float  # the tightest service-level threshold of those queues
    service_level: float  # measured recently (answered within threshold / offered)
    target: float  # the service-level target


class BlendingPolicy(Protocol):
    """How many ready blended agents the pacer may count for outbound."""

    def outbound_agents(self, view: InboundView) -> int:
        """At most `view.ready_blended`."""
        ...


class NoBlendingPolicy:
    """Every ready blended agent counts for outbound (the 'without policy' baseline)."""

    def outbound_agents(self, view: InboundView) -> int:
        """All of them."""
        return view.ready_blended


class ReservePolicy:
    """Keep a reserve of ready blended agents for inbound; more when service level slips.

    None are lent while an inbound caller waits; otherwise `reserve` stay back, plus one
    for every `step` the measured service level is below its target.
    """

    def __init__(self, reserve: int = 2, step: float = 0.05) -> None:
        if reserve < 0:
            raise ValueError(f"reserve must be >= 0 (got {reserve})")
        self.reserve = reserve
        self.step = step

    def outbound_agents(self, view: InboundView) -> int:
        """Ready blended agents beyond the reserve, or none while callers wait."""
        if view.waiting > 0:
            return 0
        shortfall = max(0.0, view.target - view.service_level)
        reserve = self.reserve + int(shortfall / self.step + 0.999)
        return max(0, view.ready_blended - reserve)
