"""Scenario files: the validated description of a contact center that the simulator runs."""

from tidal.config._distributions import (
    ConstantDist,
    Distribution,
    EmpiricalDist,
    ExponentialDist,
    GammaDist,
    LognormalDist,
    UniformDist,
)
from tidal.config._durations import Duration, DurationError, parse_duration
from tidal.config._errors import ConfigError, ConfigIssue
from tidal.config._loader import load_scenario, parse_scenario
from tidal.config._scenario import (
    AgentGroup,
    Arrivals,
    CampaignConfig,
    DialMode,
    LeadsConfig,
    Mode,
    Outcome,
    QueueConfig,
    RetryConfig,
    Scenario,
    ServiceLevelTarget,
)

__all__ = [
    "AgentGroup",
    "Arrivals",
    "CampaignConfig",
    "ConfigError",
    "ConfigIssue",
    "ConstantDist",
    "DialMode",
    "Distribution",
    "Duration",
    "DurationError",
    "EmpiricalDist",
    "ExponentialDist",
    "GammaDist",
    "LeadsConfig",
    "LognormalDist",
    "Mode",
    "Outcome",
    "QueueConfig",
    "RetryConfig",
    "Scenario",
    "ServiceLevelTarget",
    "UniformDist",
    "load_scenario",
    "parse_duration",
    "parse_scenario",
]
