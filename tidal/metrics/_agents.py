"""Agent KPIs per group, as CONTRACTS section 4 defines them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tidal.core import AgentSessionRecord


@dataclass(frozen=True, slots=True)
class AgentKPIs:
    """Time use of one agent group."""

    count: int
    logged_in_seconds: float
    talk_seconds: float
    wrap_seconds: float
    idle_seconds: float
    occupancy: float
    talk_fraction: float

    def as_json(self) -> dict[str, int | float]:
        """The agent-group object of `tidal simulate --json`, keys in contract order."""
        return {
            "count": self.count,
            "logged_in_seconds": self.logged_in_seconds,
            "talk_seconds": self.talk_seconds,
            "wrap_seconds": self.wrap_seconds,
            "idle_seconds": self.idle_seconds,
            "occupancy": self.occupancy,
            "talk_fraction": self.talk_fraction,
        }


def agent_kpis(sessions: Iterable[AgentSessionRecord]) -> AgentKPIs:
    """Occupancy = (talk + wrap) / logged in; talk fraction = talk / logged in.

    `idle_seconds` is time ready and waiting for a contact; `count` is distinct agents.
    """
    agents: set[str] = set()
    logged_in = talk = wrap = idle = 0.0
    for session in sessions:
        agents.add(session.agent_id)
        logged_in += session.logged_in_seconds
        talk += session.talk_seconds
        wrap += session.wrap_seconds
        idle += session.ready_seconds
    return AgentKPIs(
        count=len(agents),
        logged_in_seconds=logged_in,
        talk_seconds=talk,
        wrap_seconds=wrap,
        idle_seconds=idle,
        occupancy=(talk + wrap) / logged_in if logged_in else 0.0,
        talk_fraction=talk / logged_in if logged_in else 0.0,
    )
