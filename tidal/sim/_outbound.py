"""The outbound side of the simulated world: lead lists, called parties, AMD, the regulator.

The dialer is the production one (`tidal.core.campaigns.Dialer`); this module plays
everyone it calls. Each campaign's synthetic leads get numbers from its area codes, a
share of them on a national registry the gate consults; each dial rings, is answered
by a person or a machine after the time to answer, or rings out, is busy or invalid;
AMD gives its verdict (right or wrong) after its detection time. The regulator counts
violations from what really happened, whatever the dialer believed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import phonenumbers
from phonenumbers import timezone as phone_zones

from tidal.config import CampaignConfig, Scenario, campaign_world
from tidal.core.campaigns import (
    CampaignLead,
    DialResult,
)
from tidal.core.compliance import nanp_number
from tidal.sim._streams import Sampler, sampler, stream_generator

WINDOW_OPENS = time(8, 0)
WINDOW_CLOSES = time(21, 0)
BUSY_SECONDS = 4.0  # a busy tone is heard a few seconds after the dial
INVALID_SECONDS = 2.0  # special information tone
MACHINE_TALK_SECONDS = 8.0  # an agent given a machine hangs up after the greeting


def synthetic_leads(campaign: CampaignConfig, seed: int) -> tuple[list[CampaignLead], set[int]]:
    """The campaign's leads (one number each, distinct) and the numbers on the registry."""
    rng = stream_generator(seed, f"leads:{campaign.name}")
    public = campaign_world(campaign, f"campaign {campaign.name!r}")
    count = public.count
    codes = np.asarray(public.area_codes, dtype=np.int64)
    numbers: list[int] = []
    seen: set[int] = set()
    while len(numbers) < count:
        need = count - len(numbers)
        npa = rng.choice(codes, need)
        nxx = rng.integers(200, 1000, need)  # a valid exchange: 200-999
        line = rng.integers(0, 10_000, need)
        for number in (npa * 10**7 + nxx * 10**4 + line).tolist():
            if number not in seen and (number // 10**4) % 1000 not in _SPECIAL_EXCHANGES:
                seen.add(number)
                numbers.append(int(number))
    on_registry = rng.random(count) < campaign.leads.dnc_fraction
    registry = {n for n, flagged in zip(numbers, on_registry.tolist(), strict=True) if flagged}
    leads = [
        CampaignLead(f"{campaign.name}-{i + 1:06d}", (f"+1{number}",))
        for i, number in enumerate(numbers)
    ]
    return leads, registry


_SPECIAL_EXCHANGES = frozenset({211, 311, 411, 511, 611, 711, 811, 911, 555, 950, 958, 959, 976})


@dataclass(slots=True)
class CalledParty:
    """What one dial meets: the truth, and what the telephony reports and when."""

    truth: str  # human, machine, no_answer, busy, invalid
    result: DialResult
    after: float  # seconds from the dial to the report


class CampaignWorld:
    """The people (and machines) one campaign calls."""

    def __init__(self, campaign: CampaignConfig, seed: int) -> None:
        self.campaign = campaign
        name = campaign.name
        rng = stream_generator(seed, f"outcomes:{name}")
        self._uniform = _uniform_sampler(rng)
        public = campaign_world(campaign, f"campaign {name!r}")
        kinds = list(public.outcomes)
        weights = np.asarray([public.outcomes[k] for k in kinds], dtype=np.float64)
        self._kinds = kinds
        self._cumulative = np.cumsum(weights / weights.sum()).tolist()
        self._answer = sampler(public.time_to_answer, seed, f"time_to_answer:{name}")
        self._talk = sampler(public.talk_time, seed, f"talk_time:{name}")
        self.timeout = float(campaign.no_answer_timeout)

    def dial(self) -> CalledParty:
        """What happens to one dial."""
        draw = self._uniform()
        kind = self._kinds[-1]
        for candidate, bound in zip(self._kinds, self._cumulative, strict=True):
            if draw < bound:
                kind = candidate
                break
        amd = self.campaign.amd
        if kind in ("human", "machine"):
            answer = self._answer()
            if answer > self.timeout:
                return CalledParty("no_answer", DialResult.NO_ANSWER, self.timeout)
            if not amd.enabled:
                return CalledParty(kind, DialResult.HUMAN, answer)
            accuracy = amd.human_accuracy if kind == "human" else amd.machine_accuracy
            right = self._uniform() < accuracy
            heard_as_human = (kind == "human") == right
            verdict = DialResult.HUMAN if heard_as_human else DialResult.MACHINE
            return CalledParty(kind, verdict, answer + float(amd.detection_time))
        if kind == "no_answer":
            return CalledParty(kind, DialResult.NO_ANSWER, self.timeout)
        if kind == "busy":
            return CalledParty(kind, DialResult.BUSY, BUSY_SECONDS)
        return CalledParty(kind, DialResult.INVALID, INVALID_SECONDS)

    def talk(self, truth: str) -> float:
        """How long the conversation lasts (a machine: until the agent hears it)."""
        return self._talk() if truth == "human" else MACHINE_TALK_SECONDS

    def disposition(self, truth: str) -> str:
        """The agent's disposition: sale, DNC request, callback or no sale."""
        if truth != "human":
            return "answering_machine"
        draw = self._uniform()
        campaign = self.campaign
        if draw < campaign.conversion:
            return "sale"
        draw -= campaign.conversion
        if draw < campaign.dnc_request:
            return "dnc"
        draw -= campaign.dnc_request
        if draw < campaign.callback_request:
            return "callback"
        return "no_sale"


def _uniform_sampler(rng: np.random.Generator) -> Sampler:
    import functools
    import itertools

    batches = (rng.random(4096).tolist() for _ in itertools.count())
    return functools.partial(next, itertools.chain.from_iterable(batches))


@cache
def _zones_of(area: int) -> tuple[ZoneInfo, ...]:
    """Every time zone of an area code, from libphonenumber (not the gate's tables)."""
    parsed = phonenumbers.parse(f"+1{area}2000000")
    zones: list[ZoneInfo] = []
    for name in phone_zones.time_zones_for_geographical_number(parsed):
        try:
            zones.append(ZoneInfo(name))
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return tuple(zones)


@dataclass(slots=True)
class Regulator:
    """Counts violations from what really happened (CONTRACTS section 3)."""

    start: datetime
    registry: set[int] = field(default_factory=set)
    dnc: int = 0
    calling_window: int = 0
    human_answers: dict[str, int] = field(default_factory=dict)
    abandoned: dict[str, int] = field(default_factory=dict)
    caps: dict[str, float] = field(default_factory=dict)

    def dialled(self, number: str, now: float) -> None:
        """A phone rings: on the registry? outside 08:00-21:00 in any of its zones?"""
        parsed = nanp_number(number)
        if parsed is None:
            return
        if parsed in self.registry:
            self.dnc += 1
        moment = self.start + timedelta(seconds=now)
        for zone in _zones_of(parsed // 10**7):
            local = moment.astimezone(zone).time()
            if not WINDOW_OPENS <= local < WINDOW_CLOSES:
                self.calling_window += 1
                break

    def answered(self, campaign: str) -> None:
        """A person answered a call of `campaign`."""
        self.human_answers[campaign] = self.human_answers.get(campaign, 0) + 1

    def dropped(self, campaign: str) -> None:
        """A person who answered was not connected to an agent within 2 seconds."""
        self.abandoned[campaign] = self.abandoned.get(campaign, 0) + 1

    def abandon_cap(self) -> int:
        """Abandonments beyond each campaign's cap over the simulated period."""
        excess = 0
        for campaign, cap in self.caps.items():
            allowed = int(cap * self.human_answers.get(campaign, 0) + 1e-9)
            excess += max(0, self.abandoned.get(campaign, 0) - allowed)
        return excess

    def as_json(self) -> dict[str, int]:
        """The `violations` object."""
        return {
            "dnc": self.dnc,
            "calling_window": self.calling_window,
            "abandon_cap": self.abandon_cap(),
        }


def scenario_registry(
    scenario: Scenario, seed: int
) -> tuple[dict[str, list[CampaignLead]], set[int]]:
    """Every campaign's leads and the union of their registry numbers."""
    leads: dict[str, list[CampaignLead]] = {}
    registry: set[int] = set()
    for campaign in scenario.campaigns:
        leads[campaign.name], on_registry = synthetic_leads(campaign, seed)
        registry |= on_registry
    return leads, registry
