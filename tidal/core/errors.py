"""Named errors of the core: an illegal step is raised, never silently ignored."""

from __future__ import annotations


class CoreError(Exception):
    """Base of every error the core raises on a bad event."""


class IllegalTransition(CoreError):
    """An agent or contact was asked to make a step its state table does not allow."""

    def __init__(self, kind: str, ident: object, state: str, action: str) -> None:
        super().__init__(f"{kind} {ident!r}: '{action}' is not allowed in state '{state}'")
        self.kind = kind
        self.ident = ident
        self.state = state
        self.action = action


class UnknownAgent(CoreError):
    """An event named an agent the center has never seen log in."""


class UnknownContact(CoreError):
    """An event named a contact the center is not handling."""


class UnknownCallback(CoreError):
    """An event named a callback nobody booked (or one already made and gone)."""


class CallbackNotPending(CoreError):
    """A callback already came due: it is in line, being dialled or done, past changing."""


class NotYourCallback(CoreError):
    """An agent tried to change a callback another agent booked."""


class UnknownQueue(CoreError):
    """A contact was sent to a queue the center was not configured with."""


class UnknownCampaign(CoreError):
    """An event named a campaign the center is not running."""


class DuplicateId(CoreError):
    """An event tried to create an agent or contact whose id is already in use."""


class UnsupportedChange(CoreError):
    """A change to a running center that this center cannot make (say so, do not guess)."""
