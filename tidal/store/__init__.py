"""The store: SQLAlchemy models, repositories, the event log and Alembic migrations.

SQLite under $TIDAL_HOME by default, PostgreSQL when $TIDAL_DATABASE_URL names one;
`Store.open` migrates the schema to head before handing out the repositories.
"""

from tidal.store._repositories import (
    AgentSessionRepository,
    AuditLog,
    EventLog,
    InteractionRepository,
    LeadRepository,
    LoggedEvent,
    User,
    UserRepository,
)
from tidal.store._store import Store, migrate, resolve_url
from tidal.store.const import Role
from tidal.store.errors import DuplicateUserError, StoreError, UnknownRoleError

__all__ = [
    "AgentSessionRepository",
    "AuditLog",
    "DuplicateUserError",
    "EventLog",
    "InteractionRepository",
    "LeadRepository",
    "LoggedEvent",
    "Role",
    "Store",
    "StoreError",
    "UnknownRoleError",
    "User",
    "UserRepository",
    "migrate",
    "resolve_url",
]
