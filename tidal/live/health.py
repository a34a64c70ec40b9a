"""Whether the live center can be trusted: the log whole, the store reachable.

A replay that refuses a logged event means the log and the decisions part ways: that is
an integrity failure to be reported (`/healthz`, `/metrics`, the error log), never a
line in the log and business as usual. A commit that fails means memory ran ahead of
the log: the runtime rebuilds itself from the log, and until it can, refuses events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

# Reasons kept for /healthz: the first few say enough, the counters say how many.
MAX_REASONS: Final = 10


class StoreUnavailable(Exception):
    """The event could not be committed; nothing of it was kept (API: 503)."""


@dataclass(slots=True)
class Integrity:
    """Counters and reasons behind `/healthz` and the `tidal_*` integrity metrics."""

    replay_refused: int = 0
    commit_failures: int = 0
    rebuilds: int = 0
    unavailable: str | None = None  # why events are refused right now, if they are
    write_error: str | None = None  # the last commit failed (cleared by the next success)
    reasons: list[str] = field(default_factory=list)

    def refused_on_replay(self, event_id: int, kind: str, message: str) -> None:
        """A logged event the core refused when replayed: the log is not whole."""
        self.replay_refused += 1
        if len(self.reasons) < MAX_REASONS:
            self.reasons.append(f"event {event_id} ({kind}) refused on replay: {message}")

    def commit_failed(self, why: str) -> None:
        """An event's commit failed; the center is rebuilt from the log."""
        self.commit_failures += 1
        self.write_error = why

    def carried_over(self) -> Integrity:
        """A fresh record for a rebuild: replay refusals are counted anew, failures kept."""
        return Integrity(
            commit_failures=self.commit_failures,
            rebuilds=self.rebuilds + 1,
            write_error=self.write_error,
        )

    @property
    def degraded(self) -> bool:
        """Whether `/healthz` must say so."""
        return (
            self.replay_refused > 0 or self.unavailable is not None or self.write_error is not None
        )

    def report(self) -> dict[str, Any]:
        """What `/healthz` answers."""
        reasons = list(self.reasons)
        if self.write_error is not None:
            reasons.insert(0, self.write_error)
        if self.unavailable is not None:
            reasons.insert(0, self.unavailable)
        return {
            "status": "degraded" if self.degraded else "ok",
            "reasons": reasons,
            "replay_refused": self.replay_refused,
            "commit_failures": self.commit_failures,
            "accepting_events": self.unavailable is None,
            "store_writable": self.write_error is None,
        }
