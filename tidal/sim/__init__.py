"""The discrete-event simulator: the production brain in simulated time."""

from tidal.sim._engine import Simulation, UnsupportedScenario, simulate
from tidal.sim._result import Sample, SimulationResult

__all__ = ["Sample", "Simulation", "SimulationResult", "UnsupportedScenario", "simulate"]
