"""The model-based predictive pacer: dial as much as the abandonment budget allows.

At every decision it estimates, from live data, how many agents will be free when the
next person answers (each busy agent from the elapsed time of their call against the
measured talk-time distribution, agents in wrap-up likewise) and how many people the
calls already ringing will bring (answer probability by hour, conditioned on how long
each has rung). A new call is placed while the chance that the people already on the
way outnumber the agents due to be free stays under an allowed marginal abandonment
probability. That allowance is steered by the measured abandonment: each person who
answers nudges it up by the target, each abandonment down, so the campaign's rate
settles at the target whatever bias the model has (the budget is spent when healthy,
tightened when not). Calls that cannot abandon (one per free agent) are always placed,
so with few agents it is never worse than progressive.
"""

from __future__ import annotations

import math

from tidal.core.campaigns.pacing import PacingView

GRACE = 2.0  # seconds a person may wait for an agent before it is an abandonment


def _upper_normal(z: float) -> float:
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
        stats = view.stats
        if view.headroom < 3 or stats.human_answers < self.warm_up_answers:
            return base
        horizon = stats.mean_human_time() + GRACE
        wrap = stats.mean_wrap()
        agents = float(view.free_agents - view.waiting_humans)
        spread = 0.0
        for elapsed in view.talking:
            p = stats.talk_done_within(elapsed, horizon - wrap)
            agents += p
            spread += p * (1.0 - p)
        for elapsed in view.wrapping:
            p = stats.wrap_done_within(elapsed, horizon)
            agents += p
            spread += p * (1.0 - p)
        humans = 0.0
        for elapsed in view.ringing:
            q = stats.human_after(elapsed, view.hour)
            humans += q
            spread += q * (1.0 - q)
        p_new = stats.human_rate(view.hour)
        limit = int(self.max_lines_per_agent * view.staffed_agents) - len(view.ringing)
        calls = 0
        while calls < limit:
            mean = humans + calls * p_new - agents
            sd = math.sqrt(spread + calls * p_new * (1.0 - p_new) + 0.25)
            if _upper_normal((mean + 0.5) / sd) > allowance:
                break
            calls += 1
        return max(base, calls)
