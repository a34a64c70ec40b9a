"""What happens after a simulated call: resolved or not, a repeat call, a survey answer.

First-contact resolution changes the load: unresolved callers come back and are
offered again, so a planner can see what raising FCR saves. Survey scores follow a
simple model: resolved callers mostly give 4-5, unresolved ones spread low, and a
wait beyond the queue's threshold costs a point four times in ten.
"""

from __future__ import annotations

from tidal.config import ResolutionConfig
from tidal.sim._streams import batched, sampler, stream_generator

# Score shares for 1..5, as seen in published contact-center CSAT distributions.
RESOLVED_SCORES = (0.02, 0.03, 0.10, 0.30, 0.55)
UNRESOLVED_SCORES = (0.20, 0.20, 0.30, 0.20, 0.10)
LONG_WAIT_PENALTY = 0.4  # chance a wait past the threshold costs one point


class Aftercare:
    """One queue's after-call world, on its own random streams."""

    def __init__(self, config: ResolutionConfig, seed: int, queue: str) -> None:
        self.config = config
        rng = stream_generator(seed, f"aftercare:{queue}")
        self._coin = batched(lambda n: rng.random(n))
        self.repeat_delay = sampler(config.repeat_after, seed, f"repeat-after:{queue}")

    def resolved(self) -> bool:
        """Whether the call settled the matter."""
        return self._coin() < self.config.first_contact

    def disposition(self, resolved: bool) -> str:
        """What the agent records: agents call some unresolved contacts resolved."""
        if resolved or self._coin() < self.config.over_reported:
            return "resolved"
        return "unresolved"

    def calls_again(self) -> bool:
        """Whether an unresolved caller calls again."""
        return self._coin() < self.config.repeat

    def survey(self, resolved: bool, waited_long: bool) -> int | None:
        """The caller's 1-5 survey answer, or None if they skip the survey."""
        if self._coin() >= self.config.survey:
            return None
        draw = self._coin()
        score = 5
        for value, share in enumerate(RESOLVED_SCORES if resolved else UNRESOLVED_SCORES, 1):
            if draw < share:
                score = value
                break
            draw -= share
        if waited_long and score > 1 and self._coin() < LONG_WAIT_PENALTY:
            score -= 1
        return score
