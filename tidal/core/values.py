"""Identifier and value types shared by the core's modules."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

AgentId = str
ContactId = int
SkillLevels = Mapping[str, int]


class Channel(StrEnum):
    """The medium of an interaction."""

    VOICE = "voice"
    CHAT = "chat"
    EMAIL = "email"
    SMS = "sms"


class Direction(StrEnum):
    """Who started the interaction."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"


class Outcome(StrEnum):
    """How an interaction ended; `in_progress` marks one still open when a run stops."""

    ANSWERED = "answered"
    ABANDONED = "abandoned"
    CALLBACK_FAILED = "callback_failed"  # every call back went unanswered
    OVERFLOWED = "overflowed"  # left the queue by a rule: full, waited too long, unstaffed
    VOICEMAIL = "voicemail"  # sent to a voicemail box by an overflow rule
    IN_PROGRESS = "in_progress"
