"""One definition of every KPI, used by simulator reports, wallboards and exports."""

from tidal.metrics._agents import AgentKPIs, agent_kpis
from tidal.metrics._ewt import EwtAccuracy, ewt_accuracy
from tidal.metrics._inbound import QueueKPIs, queue_kpis
from tidal.metrics._intervals import IntervalKPIs, interval_kpis

__all__ = [
    "AgentKPIs",
    "EwtAccuracy",
    "IntervalKPIs",
    "QueueKPIs",
    "agent_kpis",
    "ewt_accuracy",
    "interval_kpis",
    "queue_kpis",
]
