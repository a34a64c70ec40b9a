"""First-contact resolution and customer satisfaction.

FCR counts a contact as resolved first time when the same caller does not come back,
on any queue or channel, within a window (default 7 days; a simulated day uses a
shorter one). Contacts whose window runs past the end of the data are left out
rather than guessed. CSAT is the mean 1-5 score of post-call surveys and the share
of 4s and 5s ("top two boxes").
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from tidal.core import ContactId, InteractionRecord

RESOLVED: Final = "resolved"  # the disposition an agent gives a contact they call resolved


@dataclass(frozen=True, slots=True)
class Resolution:
    """FCR over the answered contacts whose window could be observed in full."""

    judged: int
    resolved_first_time: int
    repeat_contacts: int  # contacts that came within the window after an answered one
    fcr: float | None


def first_contact_resolution(
    records: Iterable[InteractionRecord],
    window: float,
    end: float,
    *,
    of_queue: str | None = None,
    since: float = float("-inf"),
    until: float = float("inf"),
) -> Resolution:
    """FCR of `of_queue`'s answered contacts (all queues if None) that arrived in
    [since, until), judged over every record: a repeat may come after `until`, so pass
    the records up to `end` (the end of the data, at most `until` + `window`).
    """
    everything = list(records)
    arrivals: dict[str, list[float]] = defaultdict(list)
    for record in everything:
        if record.caller:
            arrivals[record.caller].append(record.arrived_at)
    for times in arrivals.values():
        times.sort()
    judged = resolved = repeats = 0
    for record in everything:
        if of_queue is not None and record.queue != of_queue:
            continue
        if not since <= record.arrived_at < until:
            continue
        if record.answered_at is None or not record.caller or record.ended_at is None:
            continue
        if record.ended_at + window > end:
            continue  # the window is not over when the data ends
        times = arrivals[record.caller]
        after = bisect_right(times, record.ended_at)
        came_back = after < len(times) and times[after] <= record.ended_at + window
        judged += 1
        resolved += not came_back
        repeats += came_back
    return Resolution(judged, resolved, repeats, resolved / judged if judged else None)


def agent_reported_resolution(records: Iterable[InteractionRecord]) -> float | None:
    """Share of dispositioned contacts the agents called resolved (to set beside FCR)."""
    given = [r.disposition for r in records if r.disposition is not None]
    return sum(1 for d in given if d == RESOLVED) / len(given) if given else None


def resolved_flag_rate(records: Iterable[InteractionRecord]) -> float | None:
    """Share of answered contacts the agent flagged resolved (None when none was answered).

    Over the answered rather than the dispositioned: a contact left without a
    disposition is not one the agent called resolved.
    """
    answered = flagged = 0
    for record in records:
        if record.answered_at is not None:
            answered += 1
            flagged += record.disposition == RESOLVED
    return flagged / answered if answered else None


@dataclass(frozen=True, slots=True)
class Satisfaction:
    """Post-call survey results."""

    answers: int
    mean: float | None
    top_two_box: float | None  # share of 4s and 5s


def csat(scores: Mapping[ContactId, int], contacts: Iterable[ContactId]) -> Satisfaction:
    """Survey results of the given contacts (those without an answer are skipped)."""
    answers = [scores[c] for c in contacts if c in scores]
    if not answers:
        return Satisfaction(0, None, None)
    top = sum(1 for a in answers if a >= 4)
    return Satisfaction(len(answers), sum(answers) / len(answers), top / len(answers))
