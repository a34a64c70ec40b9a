"""Named errors of the call-flow interpreter: an event that does not fit is never ignored."""

from __future__ import annotations

from tidal.core.errors import CoreError, IllegalTransition
from tidal.core.values import ContactId


class IllegalFlowEvent(IllegalTransition):
    """A runtime fed a flow an event its current node cannot take (digits during a play)."""

    def __init__(self, contact_id: ContactId, state: str, event: str, node: str | None) -> None:
        where = state if node is None else f"{state} (node {node})"
        super().__init__("flow of contact", contact_id, where, event)
        self.node = node


class InvalidDigits(CoreError, ValueError):
    """A runtime passed DTMF text with characters that are not keys (0-9, *, #)."""
