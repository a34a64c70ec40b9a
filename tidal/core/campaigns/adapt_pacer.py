"""A VICIdial-ADAPT-like pacer: a dial level (lines per active agent) moved every 15 s.

VICIdial's ADAPT modes keep a drop percentage for *today* and, every 15 seconds, raise
the dial level while agents sit waiting and lower it when drops near the limit; lines
dialled are level x active agents (ready or talking) minus calls in progress. It is
the baseline our model-based pacer is measured against in `bench/pacing.py`.
"""

from __future__ import annotations

from tidal.core.campaigns.pacing import PacingView


class AdaptPacer:
    """Dial level controller in the style of VICIdial's ADAPT_AVERAGE."""

    def __init__(
        self,
        *,
        interval: float = 15.0,
        start_level: float = 1.0,
        max_level: float = 4.0,
        step: float = 0.1,
    ) -> None:
        self.interval = interval
        self.level = start_level
        self.max_level = max_level
        self.step = step
        self._next_update: float | None = None
        self._free_sum = 0.0
        self._samples = 0

    def calls_to_place(self, view: PacingView) -> int:
        """Level x active agents minus calls in progress; the level moves every interval."""
        if self._next_update is None:
            self._next_update = view.now + self.interval
        self._free_sum += view.free_agents
        self._samples += 1
        if view.now >= self._next_update:
            self._update(view)
            self._next_update = view.now + self.interval
        if view.headroom < 1:
            return view.progressive_calls
        active = view.free_agents + len(view.talking)
        in_progress = len(view.ringing) + view.waiting_humans + len(view.talking)
        return max(view.progressive_calls, round(self.level * active) - in_progress)

    def _update(self, view: PacingView) -> None:
        drop = view.abandoned / view.human_answers if view.human_answers else 0.0
        waiting = self._free_sum / max(1, self._samples)
        self._free_sum = 0.0
        self._samples = 0
        if drop >= view.target:
            self.level = max(1.0, self.level - self.step * (1.0 + 20.0 * (drop - view.target)))
        elif waiting >= 1.0:
            self.level = min(self.max_level, self.level + self.step * min(waiting, 3.0))
        elif waiting < 0.2 and view.waiting_humans > 0:
            self.level = max(1.0, self.level - self.step / 2)
