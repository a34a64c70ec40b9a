"""Events of outbound dialing, fed to `Dialer.handle(event, now)` beside the Center's."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tidal.core.values import ContactId


class DialResult(StrEnum):
    """How a dial stopped ringing; human and machine are the AMD's verdict."""

    HUMAN = "human"
    MACHINE = "machine"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class DialAnswered:
    """The telephony's report on a dial: a person, a machine, or why nobody answered."""

    call_id: ContactId
    result: DialResult
