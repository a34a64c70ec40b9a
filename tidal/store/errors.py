"""Errors raised by the store, named for what went wrong."""

from __future__ import annotations

from tidal.store.const import Role


class StoreError(Exception):
    """Base class of the store's errors."""


class DuplicateUserError(StoreError):
    """A user with this name already exists."""

    def __init__(self, name: str) -> None:
        super().__init__(f"user {name!r} already exists")
        self.name = name


class UnknownRoleError(StoreError, ValueError):
    """A role that is not one of admin, supervisor, agent."""

    def __init__(self, role: str) -> None:
        valid = ", ".join(r.value for r in Role)
        super().__init__(f"unknown role {role!r}: expected one of {valid}")
        self.role = role


class DuplicateAgentError(StoreError):
    """An agent profile with this id, or for this user, already exists."""

    def __init__(self, agent_id: str, why: str) -> None:
        super().__init__(f"agent {agent_id!r}: {why}")
        self.agent_id = agent_id


class UnknownUserError(StoreError, LookupError):
    """No user has this name."""

    def __init__(self, name: str) -> None:
        super().__init__(f"no user {name!r}")
        self.name = name


class LastAdminError(StoreError):
    """The change would leave the center without an enabled admin."""

    def __init__(self, name: str, change: str) -> None:
        super().__init__(
            f"cannot {change} {name!r}: they are the last enabled admin "
            "(make another user an enabled admin first)"
        )
        self.name = name
