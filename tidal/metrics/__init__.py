"""One definition of every KPI, used by simulator reports, wallboards and exports."""

from tidal.metrics._agents import AgentKPIs, agent_kpis
from tidal.metrics._ewt import EwtAccuracy, ewt_accuracy
from tidal.metrics._inbound import (
    AbandonSplit,
    QueueKPIs,
    abandon_split,
    inbound_by_queue,
    queue_kpis,
    service_level_at,
)
from tidal.metrics._intervals import IntervalKPIs, interval_kpis
from tidal.metrics._ivr import CallbackKPIs, IvrKPIs, callback_kpis, ivr_kpis
from tidal.metrics._outbound import (
    CampaignKPIs,
    CampaignSpend,
    campaign_agent_seconds,
    campaign_kpis,
    campaign_spend,
    telephony_seconds,
)
from tidal.metrics._resolution import (
    RESOLVED,
    Resolution,
    Satisfaction,
    agent_reported_resolution,
    csat,
    first_contact_resolution,
    resolved_flag_rate,
)

__all__ = [
    "RESOLVED",
    "AbandonSplit",
    "AgentKPIs",
    "CallbackKPIs",
    "CampaignKPIs",
    "CampaignSpend",
    "EwtAccuracy",
    "IntervalKPIs",
    "IvrKPIs",
    "QueueKPIs",
    "Resolution",
    "Satisfaction",
    "abandon_split",
    "agent_kpis",
    "agent_reported_resolution",
    "callback_kpis",
    "campaign_agent_seconds",
    "campaign_kpis",
    "campaign_spend",
    "csat",
    "ewt_accuracy",
    "first_contact_resolution",
    "inbound_by_queue",
    "interval_kpis",
    "ivr_kpis",
    "queue_kpis",
    "resolved_flag_rate",
    "service_level_at",
    "telephony_seconds",
]
