"""The model-based predictive pacer: dial as much as the abandonment budget allows.

At each decision it estimates, from live data, when the agents will be free (each
busy agent from the elapsed time of their call against the measured talk-time
distribution, agents in wrap-up likewise) and when the people on the calls already
ringing will answer (answer probability by hour, the measured time to answer,
conditioned on how long each call has rung). It checks a few moments ahead, spread
like the time a new call takes to reach a person: a new call is placed while the
chance that, at the moment it would be answered, the people answering before it
outnumber the agents free by then (plus the 2-second grace) stays under an allowed
marginal abandonment probability.

That allowance is steered by the measured abandonment: each person who answers nudges
it up by the target, each abandonment down, so the campaign's rate settles at the
target whatever bias the model has (the budget is spent when healthy, tightened when
not). Calls that cannot abandon (one per free agent) are always placed, so with few
agents it is never worse than progressive.
"""

from __future__ import annotations

import math

from tidal.core.campaigns.pacing import PacingView

GRACE = 2.0  # seconds a person may wait for an agent before it is an abandonment
MOMENTS = 4  # moments ahead checked, at quantiles of the time to reach a person
REFRESH = 1.0  # seconds a computed line count is reused when nothing freed up


def _normal_cdf(z: float) -> float:
    """Phi(z): the standard normal distribution function."""
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


class ModelPacer:
    """Predicts free agents and answering people; keeps marginal abandonment under budget."""

    def __init__(
        self,
        *,
        learning_rate: float = 0.08,
        max_lines_per_agent: float = 6.0,
        warm_up_answers: int = 30,
    ) -> None:
        self.learning_rate = learning_rate
        self.max_lines_per_agent = max_lines_per_agent
        self.warm_up_answers = warm_up_answers
        self.allowance: float | None = None  # allowed P(abandon) of the marginal person
        self._humans = 0
        self._abandoned = 0
        self._judged_at = -math.inf
        self._free = 0

    def _steer(self, view: PacingView) -> float:
        target = view.target
        if self.allowance is None:
            self.allowance = target
        humans = view.human_answers - self._humans
        abandoned = view.abandoned - self._abandoned
        self._humans = view.human_answers
        self._abandoned = view.abandoned
        if humans > 0 or abandoned > 0:
            step = self.learning_rate * (target * humans - abandoned)
            self.allowance = min(0.6, max(target * 0.02, self.allowance * math.exp(step)))
        return self.allowance

    def calls_to_place(self, view: PacingView) -> int:
        """Progressive calls, plus more while the marginal call's abandon risk is in budget."""
        allowance = self._steer(view)
        base = view.progressive_calls
        # With one abandonment left, two from the calls in flight would break the cap.
        if view.headroom < 2 or view.stats.human_answers < self.warm_up_answers:
            return base
        # Judged at most once a second, and whenever an agent came free; in between only
        # the calls that cannot abandon are placed.
        fresh = view.now - self._judged_at >= REFRESH or view.free_agents > self._free
        self._free = view.free_agents
        if not fresh:
            return base
        self._judged_at = view.now
        return max(base, self._extra_calls(view, allowance))

    def _extra_calls(self, view: PacingView, allowance: float) -> int:
        stats = view.stats
        wrap = stats.mean_wrap()
        limit = int(self.max_lines_per_agent * view.staffed_agents) - len(view.ringing)
        moments: list[tuple[float, float, float, float]] = []
        for t in stats.human_time_quantiles(MOMENTS):
            window = t + GRACE
            agents = float(view.free_agents - view.waiting_humans)
            spread = 0.0
            for p in stats.talks_done_within(view.talking, window - wrap):
                agents += p
                spread += p * (1.0 - p)
            for elapsed in view.wrapping:
                p = stats.wrap_done_within(elapsed, window)
                agents += p
                spread += p * (1.0 - p)
            humans = 0.0
            for q in stats.humans_within(view.ringing, t, view.hour):
                humans += q
                spread += q * (1.0 - q)
            moments.append((t, agents, humans, spread))
        p_new = stats.human_rate(view.hour)
        # The other new calls reach a person by the i-th moment with the share (i+1)/n.
        count = len(moments)
        shared = [
            (agents, humans, spread, p_new * (i + 1) / count)
            for i, (_, agents, humans, spread) in enumerate(moments)
        ]

        def too_risky(calls: int) -> bool:
            risk = 0.0
            for agents, humans, spread, q in shared:
                mean = humans + calls * q - agents
                sd = math.sqrt(spread + calls * q * (1.0 - q) + 0.25)
                risk += _normal_cdf((mean + 0.5) / sd)
            return risk / count > allowance

        if limit <= 0 or too_risky(0):
            return 0
        # The risk grows with the calls placed: the most calls still within the allowance.
        low, high = 0, 1
        while high < limit and not too_risky(high):
            low, high = high, min(limit, high * 2)
        if not too_risky(high):
            return high
        while high - low > 1:
            middle = (low + high) // 2
            if too_risky(middle):
                high = middle
            else:
                low = middle
        return low + 1
