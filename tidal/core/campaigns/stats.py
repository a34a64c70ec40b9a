"""Live estimates a pacer learns from: answer rates by hour, answer times, talk and wrap.

Everything is measured from the campaign's own recent calls; before enough calls are
seen, the priors given at construction stand in (a pacer that knows nothing dials
progressively).
"""

from __future__ import annotations

import math
from bisect import bisect_right, insort
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

HUMAN: Final = "human"
WINDOW: Final = 600  # observations kept per series


@dataclass(slots=True)
class _Series:
    """The newest observations of one quantity, also kept sorted for quantiles."""

    values: deque[float] = field(default_factory=deque)
    ordered: list[float] = field(default_factory=list)
    total: float = 0.0

    def add(self, value: float) -> None:
        if len(self.values) >= WINDOW:
            old = self.values.popleft()
            self.ordered.pop(bisect_right(self.ordered, old) - 1)
            self.total -= old
        self.values.append(value)
        insort(self.ordered, value)
        self.total += value

    def __len__(self) -> int:
        return len(self.values)

    def mean(self, prior: float) -> float:
        return self.total / len(self.values) if self.values else prior

    def count_above(self, x: float) -> int:
        return len(self.ordered) - bisect_right(self.ordered, x)

    def count_between(self, low: float, high: float) -> int:
        """Observations v with low < v <= high."""
        if high <= low:
            return 0
        return bisect_right(self.ordered, high) - bisect_right(self.ordered, low)


class CampaignStats:
    """What the campaign's calls have shown so far."""

    __slots__ = (
        "_dials_by_hour",
        "_humans_by_hour",
        "dials",
        "human_answers",
        "human_time",
        "prior_human_rate",
        "prior_human_time",
        "prior_talk",
        "prior_wrap",
        "resolved_time",
        "talk",
        "wrap",
    )

    def __init__(
        self,
        *,
        prior_human_rate: float = 0.2,
        prior_human_time: float = 12.0,
        prior_talk: float = 150.0,
        prior_wrap: float = 20.0,
    ) -> None:
        self.prior_human_rate = prior_human_rate
        self.prior_human_time = prior_human_time
        self.prior_talk = prior_talk
        self.prior_wrap = prior_wrap
        self.dials = 0
        self.human_answers = 0
        self._dials_by_hour: dict[int, int] = {}
        self._humans_by_hour: dict[int, int] = {}
        self.human_time = _Series()  # dial -> classified human, seconds
        self.resolved_time = _Series()  # dial -> any result, seconds
        self.talk = _Series()
        self.wrap = _Series()

    def dialled(self, hour: int) -> None:
        """One dial placed in local hour `hour` of the campaign's clock."""
        self.dials += 1
        self._dials_by_hour[hour] = self._dials_by_hour.get(hour, 0) + 1

    def resolved(self, kind: str, seconds: float, hour: int) -> None:
        """A dial ended ringing with `kind` after `seconds`."""
        self.resolved_time.add(seconds)
        if kind == HUMAN:
            self.human_answers += 1
            self._humans_by_hour[hour] = self._humans_by_hour.get(hour, 0) + 1
            self.human_time.add(seconds)

    def handled(self, talk: float, wrap: float) -> None:
        """A connected call's talk and wrap-up time."""
        self.talk.add(talk)
        self.wrap.add(wrap)

    def human_rate(self, hour: int | None = None) -> float:
        """Share of dials a person answers: this hour's if measured enough, else overall.

        Shrunk towards the prior (a Beta prior worth 50 dials) so a few early calls do
        not swing it.
        """
        weight = 50.0
        overall = (self.human_answers + weight * self.prior_human_rate) / (self.dials + weight)
        if hour is None:
            return overall
        dials = self._dials_by_hour.get(hour, 0)
        humans = self._humans_by_hour.get(hour, 0)
        return (humans + weight * overall) / (dials + weight)

    def mean_human_time(self) -> float:
        """Mean seconds from dial to a person on the line."""
        return self.human_time.mean(self.prior_human_time)

    def human_after(self, elapsed: float, hour: int | None = None) -> float:
        """Chance a call still ringing after `elapsed` seconds ends with a person."""
        total = len(self.resolved_time)
        if total < 50 or len(self.human_time) < 10:
            return self.human_rate(hour)
        rate = self.human_rate(hour)
        humans_left = self.human_time.count_above(elapsed) / len(self.human_time)
        any_left = self.resolved_time.count_above(elapsed) / total
        if any_left <= 0.0:
            return 0.0
        return min(1.0, rate * humans_left / any_left)

    def humans_after(self, elapsed: Iterable[float], hour: int | None = None) -> list[float]:
        """`human_after` of many ringing calls at once (one pass over the statistics)."""
        rate = self.human_rate(hour)
        total = len(self.resolved_time)
        humans = len(self.human_time)
        if total < 50 or humans < 10:
            return [rate for _ in elapsed]
        human_times = self.human_time.ordered
        all_times = self.resolved_time.ordered
        chances: list[float] = []
        for e in elapsed:
            any_left = total - bisect_right(all_times, e)
            if any_left <= 0:
                chances.append(0.0)
                continue
            left = humans - bisect_right(human_times, e)
            chances.append(min(1.0, rate * (left / humans) * (total / any_left)))
        return chances

    def human_time_quantiles(self, count: int) -> list[float]:
        """`count` evenly spread quantiles of the time from dial to a person answering."""
        ordered = self.human_time.ordered
        if len(ordered) < 10:
            mean = self.prior_human_time
            return [mean * (0.5 + (i + 0.5) / count) for i in range(count)]
        size = len(ordered)
        return [ordered[min(size - 1, int((i + 0.5) / count * size))] for i in range(count)]

    def humans_within(
        self, elapsed: Iterable[float], horizon: float, hour: int | None = None
    ) -> list[float]:
        """Chance each call ringing for `elapsed` s brings a person within `horizon` s."""
        rate = self.human_rate(hour)
        total = len(self.resolved_time)
        humans = len(self.human_time)
        if total < 50 or humans < 10:
            return [rate for _ in elapsed]
        human_times = self.human_time.ordered
        all_times = self.resolved_time.ordered
        chances: list[float] = []
        for e in elapsed:
            any_left = total - bisect_right(all_times, e)
            if any_left <= 0:
                chances.append(0.0)
                continue
            soon = bisect_right(human_times, e + horizon) - bisect_right(human_times, e)
            chances.append(min(1.0, rate * (soon / humans) * (total / any_left)))
        return chances

    def talks_done_within(self, elapsed: Iterable[float], horizon: float) -> list[float]:
        """`talk_done_within` of many busy agents at once."""
        talk = self.talk
        if len(talk) < 20:
            return [self.talk_done_within(e, horizon) for e in elapsed]
        ordered = talk.ordered
        size = len(ordered)
        chances: list[float] = []
        for e in elapsed:
            below = bisect_right(ordered, e)
            alive = size - below
            if alive == 0:
                chances.append(1.0)
            elif horizon <= 0:
                chances.append(0.0)
            else:
                chances.append((bisect_right(ordered, e + horizon) - below) / alive)
        return chances

    def mean_wrap(self) -> float:
        """Mean after-call work, seconds."""
        return self.wrap.mean(self.prior_wrap)

    def talk_done_within(self, elapsed: float, horizon: float) -> float:
        """Chance a call talking for `elapsed` s has ended within `horizon` s from now."""
        talk = self.talk
        if len(talk) < 20:  # exponential prior: memoryless
            mean = self.prior_talk
            return 1.0 - math.exp(-horizon / mean) if horizon > 0 else 0.0
        alive = talk.count_above(elapsed)
        if alive == 0:
            return 1.0
        return talk.count_between(elapsed, elapsed + horizon) / alive

    def wrap_done_within(self, elapsed: float, horizon: float) -> float:
        """Chance a wrap-up going for `elapsed` s has ended within `horizon` s."""
        wrap = self.wrap
        if len(wrap) < 20:
            return 1.0 if horizon >= self.prior_wrap - elapsed else 0.0
        alive = wrap.count_above(elapsed)
        if alive == 0:
            return 1.0
        return wrap.count_between(elapsed, elapsed + horizon) / alive
