"""Audit entries: every refusal and every change to DNC or consent data, explainable later."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One compliance-relevant fact: who did or decided what, when, about which number."""

    at: datetime
    action: str
    actor: str
    number: int | None = None
    campaign: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict (numbers in E.164, times in ISO 8601)."""
        return {
            "at": self.at.isoformat(),
            "action": self.action,
            "actor": self.actor,
            "number": None if self.number is None else f"+1{self.number:010d}",
            "campaign": self.campaign,
            "details": dict(self.details),
        }
