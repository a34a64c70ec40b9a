"""The scenario file: a contact center's agents, queues and campaigns over one simulated day."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Annotated, Final, Literal, TypeVar, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tidal.config._distributions import ConstantDist, Distribution
from tidal.config._durations import Duration
from tidal.config._errors import Problem, did_you_mean, format_path, raise_problems, show_value
from tidal.config._telephony import TelephonyConfig
from tidal.config._text import SafeName, SafeText, ScriptText

Mode = Literal["inbound", "outbound"]
DialMode = Literal["preview", "progressive", "power", "predictive"]
RoutingStrategy = Literal[
    "longest_idle",
    "round_robin",
    "fewest_calls",
    "least_occupied",
    "top_down",
    "random",
    "most_skilled",
]
Outcome = Literal["human", "machine", "no_answer", "busy", "invalid"]
ChannelName = Literal["voice", "chat", "email", "sms"]
# A voice call has the agent to itself (tidal.core.capacity.EXCLUSIVE_CHANNELS).
EXCLUSIVE_CHANNEL_NAMES: tuple[ChannelName, ...] = ("voice",)
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
DEFAULT_START = datetime.fromisoformat("2026-11-23T08:00:00+00:00")
OUTCOME_SUM_TOLERANCE = 1e-6
MIN_RING_SECONDS = 15.0  # TSR: 15 seconds or four rings before a call is given up
_E164 = re.compile(r"\+[1-9]\d{6,14}")

_Item = TypeVar("_Item")

Name = SafeName
SkillLevel = Annotated[int, Field(ge=1, le=10)]
Fraction = Annotated[float, Field(ge=0, le=1)]


def _custom(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, "{reason}", {"reason": message})


def _check_area_code(code: int) -> int:
    if not 200 <= code <= 999:
        raise _custom("area_code", f"{code} is not a 3-digit area code (200-999)")
    return code


def _check_caller_id(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        raise _custom(
            "caller_id",
            f'quote the number, e.g. "+{value}" (unquoted, YAML reads it as a plain number)',
        )
    if isinstance(value, str) and not _E164.fullmatch(value):
        raise _custom("caller_id", f"{value!r} is not an E.164 number like +12025550100")
    return value


def _check_profile_step(value: object) -> object:
    if not isinstance(value, list | tuple) or len(value) != 2:
        shown = show_value(value)
        raise _custom("profile_step", f"expected [minute_offset, rate_per_hour], got {shown}")
    return value


AreaCode = Annotated[int, AfterValidator(_check_area_code)]
ProfileStep = Annotated[
    tuple[float, Annotated[float, Field(ge=0)]], BeforeValidator(_check_profile_step)
]
CallerId = Annotated[str, BeforeValidator(_check_caller_id)]


def _duplicates(names: Sequence[str], field: str, kind: str, where: str) -> list[Problem]:
    """One problem for every repeat of a name that must be unique."""
    first: dict[str, int] = {}
    problems: list[Problem] = []
    for index, name in enumerate(names):
        if name in first:
            earlier = format_path((where, first[name]))
            message = f"duplicate {kind} {name!r} (also {earlier})"
            problems.append(Problem((where, index, field), message, name))
        else:
            first[name] = index
    return problems


def _inbound_only() -> list[Mode]:
    return ["inbound"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServiceLevelTarget(_Model):
    """The promise a queue is run to: `target` of calls answered within `threshold` seconds."""

    target: float = Field(default=0.8, gt=0, le=1)
    threshold: Duration = 20.0
    second_threshold: Duration | None = None  # a second figure (SL2), e.g. 60 s
    short_abandon: Duration = 5.0  # callers leaving sooner are reported apart


class Arrivals(_Model):
    """How often calls come in: a constant Poisson rate or a piecewise-constant day profile."""

    rate_per_hour: float | None = Field(default=None, ge=0)
    profile: list[ProfileStep] | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> Arrivals:
        problems: list[Problem] = []
        if (self.rate_per_hour is None) == (self.profile is None):
            given = "both" if self.profile is not None else "neither"
            problems.append(Problem((), f"give exactly one of rate_per_hour or profile ({given})"))
        if self.profile is not None:
            if not self.profile:
                problems.append(Problem(("profile",), "profile needs at least one [0, rate] pair"))
            elif self.profile[0][0] != 0:
                offset = self.profile[0][0]
                message = f"the first minute offset must be 0 (got {offset:g})"
                problems.append(Problem(("profile", 0), message, offset))
            for index in range(1, len(self.profile)):
                before, offset = self.profile[index - 1][0], self.profile[index][0]
                if offset <= before:
                    message = f"minute offsets must increase ({offset:g} follows {before:g})"
                    problems.append(Problem(("profile", index), message, offset))
        raise_problems("Arrivals", problems)
        return self

    def rate_at(self, seconds_from_start: float) -> float:
        """Calls per hour at a moment of the run; the last profile rate holds to the end."""
        if self.profile is None:
            return self.rate_per_hour or 0.0
        minutes = seconds_from_start / 60.0
        rate = self.profile[0][1]
        for offset, step_rate in self.profile:
            if offset > minutes:
                break
            rate = step_rate
        return rate

    def max_rate(self) -> float:
        """Peak calls per hour, the envelope an arrival sampler thins from."""
        if self.profile is None:
            return self.rate_per_hour or 0.0
        return max(rate for _, rate in self.profile)


class AgentGroup(_Model):
    """Agents with the same skills and modes: the unit staffing and routing decisions use."""

    group: Name
    count: int = Field(ge=0)
    skills: dict[str, SkillLevel] = Field(default_factory=dict)
    modes: list[Mode] = Field(default_factory=_inbound_only, min_length=1)
    campaigns: list[str] = Field(default_factory=list)
    wrap_up: Distribution = ConstantDist(value=0.0)
    # Contacts per channel each agent holds at once, e.g. {voice: 1, chat: 3}; a channel
    # left out allows 1, and 0 keeps the group off that channel's queues.
    capacity: dict[ChannelName, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)

    @field_validator("capacity")
    @classmethod
    def _voice_is_exclusive(cls, capacity: dict[ChannelName, int]) -> dict[ChannelName, int]:
        problems = [
            Problem(
                (channel,),
                f"a {channel} contact has the agent to itself: capacity must be 0 or 1, "
                f"got {limit}",
                limit,
            )
            for channel, limit in capacity.items()
            if channel in EXCLUSIVE_CHANNEL_NAMES and limit > 1
        ]
        raise_problems("AgentGroup.capacity", problems)
        return capacity

    def takes(self, channel: ChannelName) -> bool:
        """Whether the group's capacity lets it take contacts of `channel`."""
        return self.capacity.get(channel, 1) > 0

    @field_validator("modes")
    @classmethod
    def _modes_once(cls, modes: list[Mode]) -> list[Mode]:
        problems = [
            Problem((index,), f"mode {mode!r} is listed twice", mode)
            for index, mode in enumerate(modes)
            if mode in modes[:index]
        ]
        raise_problems("AgentGroup.modes", problems)
        return modes

    @property
    def inbound(self) -> bool:
        """Whether the group takes calls from queues."""
        return "inbound" in self.modes

    @property
    def outbound(self) -> bool:
        """Whether the group works outbound campaigns."""
        return "outbound" in self.modes

    def meets(self, requirements: dict[str, int]) -> bool:
        """Whether the group's skill levels meet every minimum in `requirements`."""
        return all(self.skills.get(skill, 0) >= level for skill, level in requirements.items())


def _uniform(low: float, high: float) -> Distribution:
    from tidal.config._distributions import UniformDist

    return UniformDist(dist="uniform", low=low, high=high)


class CallerBehaviour(_Model):
    """How simulated callers go through a call flow: keys, typing, patience with prompts."""

    # node -> key -> share of callers pressing it; the rest give no input (timeout)
    choices: dict[str, dict[str, Fraction]] = Field(default_factory=dict)
    digits: dict[str, str] = Field(default_factory=dict)  # collect node -> what is typed
    key_delay: Distribution = Field(default_factory=lambda: _uniform(1.0, 4.0))
    seconds_per_character: Annotated[float, Field(gt=0)] = 0.06  # prompt length in time
    voicemail_seconds: Duration = 30.0
    virtual_hold_after: Duration | None = None  # offer the queue's callback after this wait
    callback_answer: Fraction = 0.85  # share of calls back that the customer answers
    callback_ring: Distribution = Field(default_factory=lambda: _uniform(5.0, 20.0))

    @field_validator("choices")
    @classmethod
    def _shares_at_most_one(
        cls, choices: dict[str, dict[str, float]]
    ) -> dict[str, dict[str, float]]:
        for node, keys in choices.items():
            total = sum(keys.values())
            if total > 1 + OUTCOME_SUM_TOLERANCE:
                raise _custom("choices_sum", f"shares of node {node!r} add up to {total:g} > 1")
        return choices


class ScenarioFlow(_Model):
    """A call flow file the scenario's callers go through, and how they behave in it."""

    file: Annotated[str, Field(min_length=1)]  # relative to the scenario file
    callers: CallerBehaviour = Field(default_factory=CallerBehaviour)


class ExpansionStepConfig(_Model):
    """After `after` seconds of waiting, widen who may answer: lower levels or more groups."""

    after: Annotated[Duration, Field(gt=0)]
    skills: dict[str, SkillLevel] | None = None
    groups: list[Name] = Field(default_factory=list)


class ResolutionConfig(_Model):
    """What happens after a call: resolved or not, callers calling again, survey answers."""

    first_contact: Fraction = 0.8  # share of answered calls that resolve the matter
    repeat: Fraction = 0.6  # share of unresolved callers who call again
    repeat_after: Distribution = Field(
        default_factory=lambda: _uniform(600.0, 7200.0)
    )  # delay before they do
    window: Duration = 86400.0  # FCR: resolved if the caller does not return within this
    survey: Fraction = 0.0  # share of answered callers who answer the post-call survey
    over_reported: Fraction = 0.3  # unresolved calls agents still disposition "resolved"


class OverflowConfig(_Model):
    """Where callers go when a queue rule sends them out."""

    kind: Literal["queue", "voicemail", "callback", "hangup"] = "hangup"
    target: str = ""  # the queue's name, or the voicemail box


# An inbound queue's dispositions when its file names none.
INBOUND_DISPOSITIONS: Final = ("resolved", "unresolved", "escalated", "callback", "wrong_number")


class QueueConfig(_Model):
    """An inbound line: who may answer it, how busy it is, how long calls take and last."""

    name: Name
    skills: dict[str, SkillLevel] = Field(default_factory=dict)
    priority: int = 0
    service_level: ServiceLevelTarget = ServiceLevelTarget()
    # The simulated world (optional for a live center; `tidal simulate` and simulated
    # telephony need arrivals and handle_time: see WORLD_KEYS).
    arrivals: Arrivals | None = None
    handle_time: Distribution | None = None
    patience: Distribution | None = None
    strategy: RoutingStrategy = "longest_idle"
    agent_order: list[str] = Field(default_factory=list)  # agent ids, for top_down
    steps: list[ExpansionStepConfig] = Field(default_factory=list)
    flow: Name | None = None  # callers of this arrival stream go through this flow first
    max_queue_length: int | None = Field(default=None, ge=0)
    max_wait: Duration | None = None
    join_when_unstaffed: bool = True
    leave_when_unstaffed: bool = False
    overflow: OverflowConfig = Field(default_factory=OverflowConfig)
    sticky_agent: Duration | None = None  # a returning caller gets their last agent if free
    resolution: ResolutionConfig | None = None  # model repeat calls, FCR and CSAT
    wrap_up: Duration | None = None  # the ACD ends wrap-up after this; groups' own may be shorter
    channel: ChannelName = "voice"  # the medium: which of the agents' capacity a contact takes
    # What an agent may close one of its contacts with (a support line has no "sale").
    dispositions: list[Name] = Field(
        default_factory=lambda: list(INBOUND_DISPOSITIONS), min_length=1
    )

    @field_validator("dispositions")
    @classmethod
    def _distinct_dispositions(cls, codes: list[str]) -> list[str]:
        if len(set(codes)) != len(codes):
            raise _custom("dispositions", "a disposition is listed twice")
        return codes

    @field_validator("steps")
    @classmethod
    def _steps_widen_in_time_order(
        cls, steps: list[ExpansionStepConfig]
    ) -> list[ExpansionStepConfig]:
        for previous, step in itertools.pairwise(steps):
            if step.after <= previous.after:
                raise _custom(
                    "steps_order",
                    f"step after {step.after:g} s must come later than the one after "
                    f"{previous.after:g} s",
                )
        return steps


class LeadsConfig(_Model):
    """The synthetic lead list a campaign dials: how many, where, how many on the registry."""

    count: int | None = Field(default=None, ge=0)
    area_codes: list[AreaCode] | None = Field(default=None, min_length=1)
    dnc_fraction: Fraction = 0.0


class RetryConfig(_Model):
    """When a lead is dialled again after each kind of failed attempt, and how many times."""

    busy: Duration = 600.0
    no_answer: Duration = 3600.0
    machine: Duration = 7200.0
    dropped: Duration = 3600.0  # a person answered but no agent was free (abandoned)
    max_attempts: int = Field(default=3, ge=1)
    max_attempts_per_day: int | None = Field(default=None, ge=1)
    number_daily_cap: int | None = Field(default=None, ge=1)
    number_lifetime_cap: int | None = Field(default=None, ge=1)


class DispositionConfig(_Model):
    """A campaign's own disposition, or its override of a system one (same code)."""

    code: Name
    final: bool
    human_contact: bool = False
    sale: bool = False
    dnc_request: bool = False
    callback: bool = False
    retry_after: Duration | None = None

    @model_validator(mode="after")
    def _consistent_flags(self) -> DispositionConfig:
        if self.final and self.retry_after is not None:
            raise _custom("disposition", "a final disposition has no retry_after")
        if not self.final and not self.callback and self.retry_after is None:
            raise _custom("disposition", "a disposition that is not final needs retry_after")
        return self


class PauseReasonConfig(_Model):
    """A not-ready reason an agent picks (`code` is what reports and the log keep)."""

    code: Name
    label: Annotated[SafeText, Field(min_length=1, max_length=60)]
    paid: bool = False  # paid breaks count as work time in the payroll export


DEFAULT_PAUSE_REASONS: Final = (
    PauseReasonConfig(code="break", label="Break", paid=True),
    PauseReasonConfig(code="lunch", label="Lunch"),
    PauseReasonConfig(code="meeting", label="Meeting", paid=True),
    PauseReasonConfig(code="training", label="Training", paid=True),
    PauseReasonConfig(code="coaching", label="Coaching", paid=True),
    PauseReasonConfig(code="other", label="Other"),
)
MAX_PAUSE_REASONS: Final = 50


def pause_reason_problems(reasons: Sequence[PauseReasonConfig], where: str) -> list[Problem]:
    """Codes must be unique: a report by reason would otherwise mix two of them."""
    return _duplicates([r.code for r in reasons], "code", "pause reason", where)


def _default_pause_reasons() -> list[PauseReasonConfig]:
    return list(DEFAULT_PAUSE_REASONS)


class AmdConfig(_Model):
    """Answering-machine detection: when it decides, how often it is right, what then.

    Defaults follow Asterisk's AMD(): it listens up to 2.5 s of initial silence and a
    1.5 s greeting, so a verdict comes about 2.5 s after the answer.
    """

    enabled: bool = True
    detection_time: Duration = 2.5
    human_accuracy: Fraction = 0.98  # people classified as people
    machine_accuracy: Fraction = 0.90  # machines classified as machines
    on_machine: Literal["hang_up", "leave_message"] = "hang_up"


class TrunkConfig(_Model):
    """The campaign's trunk: calls started per second and lines at once."""

    max_calls_per_second: float | None = Field(default=None, gt=0)
    max_lines: int | None = Field(default=None, ge=1)


def _check_pacer(value: str | None) -> str | None:
    if value is None or value in PACERS:
        return value
    module, _, cls = value.partition(":")
    if not module or not cls or not cls.isidentifier():
        names = ", ".join(PACERS)
        raise _custom("pacer", f"{value!r} is not one of {names} nor of the form module:Class")
    return value


PACERS: tuple[str, ...] = ("progressive", "power", "adapt", "model")

Money = Annotated[float, Field(ge=0, allow_inf_nan=False)]
"""An amount in the center's currency: a finite, non-negative number."""


class CampaignCosts(_Model):
    """What a campaign's work costs: an agent hour logged in and a telephony minute.

    Reports turn these into spend and cost per acquisition (docs/reports.md).
    """

    agent_hour: Money
    telephony_minute: Money


class CampaignConfig(_Model):
    """An outbound campaign: how it dials, what the called parties do, the abandon cap."""

    name: Name
    dial_mode: DialMode = "progressive"
    max_abandon_rate: Fraction = 0.03
    caller_id: CallerId
    # The called public (optional for a live center, whose leads are uploaded and whose
    # calls answer for real; `tidal simulate` needs them: see WORLD_KEYS).
    leads: LeadsConfig = LeadsConfig()
    outcomes: dict[Outcome, Annotated[float, Field(ge=0)]] | None = None
    time_to_answer: Distribution | None = None
    no_answer_timeout: Duration = 25.0
    talk_time: Distribution | None = None
    conversion: Fraction = 0.0
    retry: RetryConfig = RetryConfig()
    # Extensions (optional): the pacing algorithm (a built-in name or module:Class),
    # lines per free agent in power mode, the abandonment rate predictive pacing aims
    # at (default 87% of the cap), AMD, the trunk, the safe-harbour identity, preview
    # reading time, and the share of conversations ending in a DNC request or callback.
    pacer: Annotated[str | None, AfterValidator(_check_pacer)] = None
    lines_per_agent: Annotated[float, Field(ge=1)] = 2.0
    abandon_target: Fraction | None = None
    amd: AmdConfig = AmdConfig()
    trunk: TrunkConfig = TrunkConfig()
    seller_name: str | None = None
    callback_number: CallerId | None = None
    preview_time: Duration = 10.0
    dnc_request: Fraction = 0.0
    callback_request: Fraction = 0.0
    dispositions: list[DispositionConfig] = Field(default_factory=list)
    # What the agent reads beside the call: `{field}` takes the lead's field of that name.
    script: ScriptText | None = None
    # What an agent hour and a telephony minute cost: spend and cost per acquisition.
    costs: CampaignCosts | None = None

    @field_validator("no_answer_timeout")
    @classmethod
    def _four_rings(cls, timeout: float) -> float:
        if timeout < MIN_RING_SECONDS:
            raise _custom(
                "no_answer_timeout",
                f"{timeout:g} s is under the {MIN_RING_SECONDS:g} s (four rings) a call must ring",
            )
        return timeout

    @field_validator("outcomes")
    @classmethod
    def _outcomes_sum_to_one(
        cls, outcomes: dict[Outcome, float] | None
    ) -> dict[Outcome, float] | None:
        if outcomes is None:
            return None
        try:
            total = math.fsum(outcomes.values())
        except OverflowError:  # shares near the largest float: far from summing to 1
            total = math.inf
        if abs(total - 1.0) > OUTCOME_SUM_TOLERANCE:
            raise _custom("outcomes_sum", f"outcomes must sum to 1 (they sum to {total:.6g})")
        return {outcome: float(outcomes.get(outcome, 0.0)) for outcome in OUTCOMES}


class BlendingConfig(_Model):
    """When blended agents may be counted for outbound (extension).

    `reserve` keeps `reserve` ready blended agents for inbound (more while service
    level is under target, none lent while callers wait); `none` lends every ready
    blended agent; `module:Class` names a policy of your own.
    """

    policy: str = "reserve"
    reserve: int = Field(default=2, ge=0)

    @field_validator("policy")
    @classmethod
    def _known_policy(cls, policy: str) -> str:
        if policy in ("reserve", "none"):
            return policy
        module, _, name = policy.partition(":")
        if not module or not name.isidentifier():
            raise _custom("policy", f"{policy!r} is not reserve, none, or module:Class")
        return policy


class Scenario(_Model):
    """A whole simulated day: the file behind `tidal simulate` (CONTRACTS section 2)."""

    name: Name
    seed: int = 0
    start: datetime = DEFAULT_START
    duration: Annotated[Duration, Field(gt=0)] | None = None  # simulated day (WORLD_KEYS)
    agents: list[AgentGroup] = Field(min_length=1)
    queues: list[QueueConfig] = Field(default_factory=list)
    campaigns: list[CampaignConfig] = Field(default_factory=list)
    flows: list[ScenarioFlow] = Field(default_factory=list)
    blending: BlendingConfig = BlendingConfig()
    pause_reasons: list[PauseReasonConfig] = Field(
        default_factory=_default_pause_reasons, min_length=1, max_length=MAX_PAUSE_REASONS
    )
    telephony: TelephonyConfig | None = None  # real SIP (CONTRACTS section 7)

    @field_validator("start")
    @classmethod
    def _start_has_offset(cls, start: datetime) -> datetime:
        if start.tzinfo is None or start.utcoffset() is None:
            raise _custom(
                "naive_start", "start must include a UTC offset, e.g. 2026-11-23T08:00:00-05:00"
            )
        return start

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        problems = [
            *_duplicates([g.group for g in self.agents], "group", "group", "agents"),
            *_duplicates([q.name for q in self.queues], "name", "queue", "queues"),
            *_duplicates([c.name for c in self.campaigns], "name", "campaign", "campaigns"),
            *pause_reason_problems(self.pause_reasons, "pause_reasons"),
            *self._campaign_problems(),
            *self._queue_problems(),
        ]
        raise_problems("Scenario", problems)
        return self

    def _campaign_problems(self) -> list[Problem]:
        known = [c.name for c in self.campaigns]
        listing = ", ".join(known) if known else "none defined"
        problems: list[Problem] = []
        for index, group in enumerate(self.agents):
            for position, name in enumerate(group.campaigns):
                if name not in known:
                    hint = did_you_mean(name, known)
                    message = f"unknown campaign {name!r}{hint} (campaigns: {listing})"
                    loc = ("agents", index, "campaigns", position)
                    problems.append(Problem(loc, message, name))
            if group.outbound and not group.campaigns:
                message = "a group with outbound in modes must list at least one campaign"
                problems.append(Problem(("agents", index, "campaigns"), message, group.campaigns))
        return problems

    def _queue_problems(self) -> list[Problem]:
        problems: list[Problem] = []
        groups = ", ".join(group.group for group in self.agents)
        names = [q.name for q in self.queues]
        for index, queue in enumerate(self.queues):
            overflow = queue.overflow
            if overflow.kind == "queue" and (
                overflow.target not in names or overflow.target == queue.name
            ):
                hint = did_you_mean(overflow.target, names)
                message = f"overflow target {overflow.target!r} is not another queue{hint}"
                loc = ("queues", index, "overflow", "target")
                problems.append(Problem(loc, message, overflow.target))
            elif overflow.kind == "queue" and self.queue(overflow.target).channel != queue.channel:
                target = self.queue(overflow.target)
                message = (
                    f"overflow target {overflow.target!r} is a {target.channel} queue; "
                    f"{queue.name!r} takes {queue.channel}"
                )
                loc = ("queues", index, "overflow", "target")
                problems.append(Problem(loc, message, overflow.target))
            skilled = [g for g in self.agents if g.inbound and g.meets(queue.skills)]
            if skilled and not any(group.takes(queue.channel) for group in skilled):
                listed = ", ".join(group.group for group in skilled)
                message = (
                    f"no agent group that has the skills takes {queue.channel} "
                    f"(capacity {queue.channel}: 0 in {listed})"
                )
                problems.append(Problem(("queues", index, "channel"), message, queue.channel))
            if skilled:
                continue
            if queue.skills:
                needs = " and ".join(f"{skill}>={level}" for skill, level in queue.skills.items())
                message = f"no inbound agent group has {needs} (groups: {groups})"
                problems.append(Problem(("queues", index, "skills"), message, queue.skills))
            else:
                message = f"no agent group takes inbound calls (groups: {groups})"
                problems.append(Problem(("queues", index, "name"), message, queue.name))
        return problems

    def group(self, name: str) -> AgentGroup:
        """The agent group called `name` (KeyError if there is none)."""
        return _find(self.agents, name, lambda group: group.group, "agent group")

    def queue(self, name: str) -> QueueConfig:
        """The queue called `name` (KeyError if there is none)."""
        return _find(self.queues, name, lambda queue: queue.name, "queue")

    def campaign(self, name: str) -> CampaignConfig:
        """The campaign called `name` (KeyError if there is none)."""
        return _find(self.campaigns, name, lambda campaign: campaign.name, "campaign")


def _find(items: Iterable[_Item], name: str, name_of: Callable[[_Item], str], kind: str) -> _Item:
    for item in items:
        if name_of(item) == name:
            return item
    raise KeyError(f"no {kind} named {name!r}")
