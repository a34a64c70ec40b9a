"""Outbound KPIs per campaign, as CONTRACTS section 4 defines them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


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
    conversion_rate = conversions / connects; connects per hour logged in by its agents.
    """
    human = counts["human_answers"]
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
        connects_per_agent_hour=_ratio(counts["connects"], agent_seconds / 3600.0),
        dnc_blocked=counts["dnc_blocked"],
        window_blocked=counts["window_blocked"],
    )
