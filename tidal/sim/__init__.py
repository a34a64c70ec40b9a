"""The discrete-event simulator: the production brain in simulated time.

Besides the simulation itself, the simulated world is public (arrival processes, the
IVR's callers, the public a campaign calls, the regulator, seeded sampling streams):
the simulated telephony adapter (`tidal.telephony.sim`) plays it in real time.
"""

from tidal.sim._arrivals import ArrivalProcess
from tidal.sim._engine import Simulation, UnsupportedScenario, simulate
from tidal.sim._ivr import OFFER_CALLBACK, IvrWorld, load_scenario_flows
from tidal.sim._outbound import CampaignWorld, Regulator
from tidal.sim._result import Sample, SimulationResult
from tidal.sim._streams import Sampler, sampler, stream_generator

__all__ = [
    "OFFER_CALLBACK",
    "ArrivalProcess",
    "CampaignWorld",
    "IvrWorld",
    "Regulator",
    "Sample",
    "Sampler",
    "Simulation",
    "SimulationResult",
    "UnsupportedScenario",
    "load_scenario_flows",
    "sampler",
    "simulate",
    "stream_generator",
]
