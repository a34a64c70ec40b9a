"""Simulated calls per wall second: Tidal's simulator vs a minimal SimPy M/M/c+M model.

Both run the same load at 50, 200 and 1,000 agents: Poisson arrivals sized for about
95% occupancy, exponential talk (mean 180 s), wrap-up 30 s, exponential patience
(mean 300 s). The SimPy model is what a planner would otherwise write: a
`simpy.Resource` of agents and one process per caller. Ours routes by skills, runs
the agent state machine and keeps interaction records and metrics.

Prints one JSON object on stdout. Usage: python bench/sim_speed.py [--calls N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import time
from typing import Any

import simpy

from tidal.config import parse_scenario
from tidal.sim import Simulation

TALK = 180.0
WRAP = 30.0
PATIENCE = 300.0
LOAD = 0.97  # offered Erlangs per agent; abandonment brings occupancy near 95%


def arrival_rate(agents: int) -> float:
    """Calls per second for the target load."""
    return LOAD * agents / (TALK + WRAP)


def tidal_run(agents: int, calls: int, seed: int) -> dict[str, Any]:
    """One run of our simulator; calls/s counts offered calls over wall time."""
    rate = arrival_rate(agents)
    duration = calls / rate
    scenario = parse_scenario(
        f"""
name: bench-{agents}
seed: {seed}
duration: {duration:.0f}
agents:
  - group: support
    count: {agents}
    skills: {{support: 5}}
    wrap_up: {{dist: constant, value: {WRAP}}}
queues:
  - name: support
    skills: {{support: 1}}
    arrivals: {{rate_per_hour: {rate * 3600:.6f}}}
    handle_time: {{dist: exponential, mean: {TALK}}}
    patience: {{dist: exponential, mean: {PATIENCE}}}
""",
        "bench.yaml",
    )
    simulation = Simulation(scenario, sample_interval=0)
    started = time.perf_counter()
    result = simulation.run()
    wall = time.perf_counter() - started
    figures = result.as_json()
    queue = figures["queues"]["support"]
    return {
        "calls": queue["offered"],
        "wall_seconds": round(wall, 3),
        "calls_per_second": round(queue["offered"] / wall),
        "events_per_second": round(figures["events_processed"] / wall),
        "occupancy": round(figures["agents"]["support"]["occupancy"], 4),
        "abandon_rate": round(queue["abandon_rate"], 4),
        "service_level": round(queue["service_level"], 4),
    }


def simpy_run(agents: int, calls: int, seed: int) -> dict[str, Any]:
    """The same load as a minimal SimPy M/M/c+M model."""
    rng = random.Random(seed)
    env = simpy.Environment()
    pool = simpy.Resource(env, capacity=agents)
    rate = arrival_rate(agents)
    duration = calls / rate
    stats = {"offered": 0, "answered": 0, "abandoned": 0, "within": 0, "busy": 0.0}

    def caller(env: simpy.Environment) -> Any:
        arrived = env.now
        stats["offered"] += 1
        patience = rng.expovariate(1 / PATIENCE)
        with pool.request() as request:
            outcome = yield request | env.timeout(patience)
            if request not in outcome:
                stats["abandoned"] += 1
                return
            stats["answered"] += 1
            if env.now - arrived <= 20:
                stats["within"] += 1
            hold = rng.expovariate(1 / TALK) + WRAP
            stats["busy"] += hold
            yield env.timeout(hold)

    def source(env: simpy.Environment) -> Any:
        while True:
            yield env.timeout(rng.expovariate(rate))
            env.process(caller(env))

    env.process(source(env))
    started = time.perf_counter()
    env.run(until=duration)
    wall = time.perf_counter() - started
    offered = stats["offered"]
    return {
        "calls": offered,
        "wall_seconds": round(wall, 3),
        "calls_per_second": round(offered / wall),
        "occupancy": round(min(1.0, stats["busy"] / (agents * duration)), 4),
        "abandon_rate": round(stats["abandoned"] / offered, 4),
        "service_level": round(stats["within"] / offered, 4),
    }


def best_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest of repeated runs (least disturbed by the rest of the machine)."""
    return max(runs, key=lambda r: r["calls_per_second"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=150_000, help="calls per run")
    parser.add_argument("--repeat", type=int, default=3, help="runs per model and size")
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 1000])
    args = parser.parse_args()
    sizes: dict[str, Any] = {}
    for agents in args.sizes:
        ours = best_of([tidal_run(agents, args.calls, seed) for seed in range(args.repeat)])
        theirs = best_of([simpy_run(agents, args.calls, seed) for seed in range(args.repeat)])
        sizes[str(agents)] = {
            "tidal": ours,
            "simpy": theirs,
            "speedup": round(ours["calls_per_second"] / theirs["calls_per_second"], 2),
        }
    at_1000 = sizes.get("1000", {}).get("tidal", {}).get("calls_per_second")
    speedup_1000 = sizes.get("1000", {}).get("speedup")
    print(
        json.dumps(
            {
                "benchmark": "sim_speed",
                "python": platform.python_version(),
                "machine": platform.machine(),
                "calls_per_run": args.calls,
                "repeat": args.repeat,
                "load_per_agent_erlangs": LOAD,
                "sizes": sizes,
                "target": {
                    "calls_per_second_at_1000": 20_000,
                    "at_least_simpy_at_1000": True,
                    "met": bool(
                        at_1000 and at_1000 >= 20_000 and speedup_1000 and speedup_1000 >= 1.0
                    ),
                },
            }
        )
    )


if __name__ == "__main__":
    main()
