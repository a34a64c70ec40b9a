"""Outbound KPIs per campaign, as CONTRACTS section 4 defines them."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from tidal.core import AgentSessionRecord, Direction, InteractionRecord


@dataclass(frozen=True, slots=True)
class CampaignKPIs:
    """Dial outcomes, abandonment, contact and conversion of one campaign."""

    dials: int
    human_answers: int
    machine_answers: int
    no_answers: int
    busy: int
    invalid: int
    connects: int
    abandoned: int
    abandon_rate: float
    contact_rate: float
    conversions: int
    conversion_rate: float
    connects_per_agent_hour: float
    dnc_blocked: int
    window_blocked: int
    conversions_per_hour: float = 0.0  # conversions / hours logged in by its agents

    def as_json(self) -> dict[str, int | float]:
        """The campaign object of `tidal simulate --json`, keys in contract order."""
        return {
            "dials": self.dials,
            "human_answers": self.human_answers,
            "machine_answers": self.machine_answers,
            "no_answers": self.no_answers,
            "busy": self.busy,
            "invalid": self.invalid,
            "connects": self.connects,
            "abandoned": self.abandoned,
            "abandon_rate": self.abandon_rate,
            "contact_rate": self.contact_rate,
            "conversions": self.conversions,
            "conversion_rate": self.conversion_rate,
            "connects_per_agent_hour": self.connects_per_agent_hour,
            "dnc_blocked": self.dnc_blocked,
            "window_blocked": self.window_blocked,
        }


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def campaign_kpis(counts: Mapping[str, int], agent_seconds: float) -> CampaignKPIs:
    """abandon_rate = abandoned / human answers (TSR); contact_rate = human answers / dials;
    conversion_rate = conversions / connects; connects and conversions per hour logged in
    by its agents.
    """
    human = counts["human_answers"]
    agent_hours = agent_seconds / 3600.0
    return CampaignKPIs(
        dials=counts["dials"],
        human_answers=human,
        machine_answers=counts["machine_answers"],
        no_answers=counts["no_answers"],
        busy=counts["busy"],
        invalid=counts["invalid"],
        connects=counts["connects"],
        abandoned=counts["abandoned"],
        abandon_rate=_ratio(counts["abandoned"], human),
        contact_rate=_ratio(human, counts["dials"]),
        conversions=counts["conversions"],
        conversion_rate=_ratio(counts["conversions"], counts["connects"]),
        connects_per_agent_hour=_ratio(counts["connects"], agent_hours),
        dnc_blocked=counts["dnc_blocked"],
        window_blocked=counts["window_blocked"],
        conversions_per_hour=_ratio(counts["conversions"], agent_hours),
    )


def campaign_agent_seconds(
    sessions: Iterable[AgentSessionRecord],
    groups: Collection[str],
    agents: Collection[str] = frozenset(),
) -> float:
    """Seconds logged in by the agents working a campaign: the sessions of the groups
    whose outbound mode lists it, and of the agents given its skill one by one (a
    blended agent's whole session counts)."""
    return sum(s.logged_in_seconds for s in sessions if s.group in groups or s.agent_id in agents)


def telephony_seconds(records: Iterable[InteractionRecord]) -> float:
    """Seconds on the line of a campaign's answered dials, from the answer to the hang-up.

    Carriers bill from the answer; the outbound interaction records are the dials a
    person answered (connected or dropped), so machine-answered and unanswered dials,
    which leave no record, are not in it.
    """
    return sum(
        r.ended_at - r.arrived_at
        for r in records
        if r.direction is Direction.OUTBOUND and r.ended_at is not None
    )


@dataclass(frozen=True, slots=True)
class CampaignSpend:
    """What a campaign cost over a period and what each conversion cost."""

    agent_hours: float
    telephony_minutes: float
    spend: float  # agent hours x agent_hour + telephony minutes x telephony_minute
    cost_per_acquisition: float | None  # spend / conversions; None without conversions


def campaign_spend(
    agent_seconds: float,
    line_seconds: float,
    conversions: int,
    *,
    agent_hour: float,
    telephony_minute: float,
) -> CampaignSpend:
    """Spend = agent hours x the agent-hour cost + telephony minutes x the minute cost;
    cost per acquisition = spend / conversions (None when nothing converted)."""
    if agent_seconds < 0 or line_seconds < 0 or conversions < 0:
        raise ValueError(
            f"seconds and conversions are counts, got agent_seconds={agent_seconds}, "
            f"line_seconds={line_seconds}, conversions={conversions}"
        )
    hours, minutes = agent_seconds / 3600.0, line_seconds / 60.0
    spend = hours * agent_hour + minutes * telephony_minute
    return CampaignSpend(hours, minutes, spend, spend / conversions if conversions else None)
