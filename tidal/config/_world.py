"""The simulated world inside a center file: optional for a live center, needed to simulate.

A center file describes a real center (queues, skills, routing, campaigns' rules). The
keys that describe the world around it (how many callers come, how long they talk,
what the called public does) matter only to `tidal simulate` and simulated telephony.
This module names them, finds the missing ones (for `file:line field: needed to
simulate`), and hands the simulator typed, present values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from tidal.config._distributions import Distribution
from tidal.config._errors import Loc, format_path
from tidal.config._scenario import (
    Arrivals,
    CampaignConfig,
    Outcome,
    QueueConfig,
    Scenario,
)

NEEDED_TO_SIMULATE: Final = "needed to simulate"
# What a simulation needs of each part of the file (patience, resolution and conversion
# have a meaning when left out: callers never hang up, no repeat calls, no sales).
QUEUE_WORLD_KEYS: Final = (("arrivals",), ("handle_time",))
CAMPAIGN_WORLD_KEYS: Final = (
    ("leads", "count"),
    ("leads", "area_codes"),
    ("outcomes",),
    ("time_to_answer",),
    ("talk_time",),
)
SCENARIO_WORLD_KEYS: Final = (("duration",),)


class MissingWorld(ValueError):
    """A key the simulation needs is not in the center file."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"{path}: {NEEDED_TO_SIMULATE}")


def _value(item: object, key: tuple[str, ...]) -> object:
    value = item
    for part in key:
        value = getattr(value, part)
    return value


def simulation_gaps(scenario: Scenario, *, queues: bool = True) -> list[Loc]:
    """Where the file lacks what a simulation needs (scenario locations, file order).

    `queues=False` leaves the inbound side alone (a center whose campaigns alone are
    simulated); every campaign and the day's duration are still checked.
    """
    gaps: list[Loc] = [key for key in SCENARIO_WORLD_KEYS if _value(scenario, key) is None]
    if queues:
        for index, queue in enumerate(scenario.queues):
            gaps += [("queues", index, *k) for k in QUEUE_WORLD_KEYS if _value(queue, k) is None]
    for index, campaign in enumerate(scenario.campaigns):
        gaps += [
            ("campaigns", index, *k) for k in CAMPAIGN_WORLD_KEYS if _value(campaign, k) is None
        ]
    return gaps


@dataclass(frozen=True, slots=True)
class QueueWorld:
    """The callers of one queue, as the simulator plays them."""

    arrivals: Arrivals
    handle_time: Distribution
    patience: Distribution | None


@dataclass(frozen=True, slots=True)
class CalledPublic:
    """The public one campaign calls, as the simulator plays it."""

    count: int
    area_codes: tuple[int, ...]
    outcomes: dict[Outcome, float]
    time_to_answer: Distribution
    talk_time: Distribution


def queue_world(queue: QueueConfig, where: str = "queue") -> QueueWorld:
    """A queue's world, or MissingWorld naming the first key it lacks."""
    if queue.arrivals is None:
        raise MissingWorld(f"{where}.arrivals")
    if queue.handle_time is None:
        raise MissingWorld(f"{where}.handle_time")
    return QueueWorld(queue.arrivals, queue.handle_time, queue.patience)


def campaign_world(campaign: CampaignConfig, where: str = "campaign") -> CalledPublic:
    """A campaign's called public, or MissingWorld naming the first key it lacks."""
    leads = campaign.leads
    if leads.count is None:
        raise MissingWorld(f"{where}.leads.count")
    if leads.area_codes is None:
        raise MissingWorld(f"{where}.leads.area_codes")
    if campaign.outcomes is None:
        raise MissingWorld(f"{where}.outcomes")
    if campaign.time_to_answer is None:
        raise MissingWorld(f"{where}.time_to_answer")
    if campaign.talk_time is None:
        raise MissingWorld(f"{where}.talk_time")
    return CalledPublic(
        leads.count,
        tuple(leads.area_codes),
        dict(campaign.outcomes),
        campaign.time_to_answer,
        campaign.talk_time,
    )


def simulated_duration(scenario: Scenario) -> float:
    """The simulated day's length, or MissingWorld."""
    if scenario.duration is None:
        raise MissingWorld("duration")
    return float(scenario.duration)


def require_world(scenario: Scenario, *, queues: bool = True) -> None:
    """Raise MissingWorld for the first gap (programmatic callers; files get every gap
    with its line from `parse_scenario(..., simulate=True)`)."""
    gaps = simulation_gaps(scenario, queues=queues)
    if gaps:
        raise MissingWorld(format_path(gaps[0]))
