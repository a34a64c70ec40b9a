"""The store: SQLAlchemy models, repositories, the event log and Alembic migrations.

SQLite under $TIDAL_HOME by default, PostgreSQL when $TIDAL_DATABASE_URL names one;
`Store.open` migrates the schema to head before handing out the repositories.
"""

from tidal.store._repositories import (
    AgentProfile,
    AgentRepository,
    AgentSessionRepository,
    AuditLog,
    ConfigRepository,
    EventLog,
    Flow,
    FlowRepository,
    InteractionRepository,
    Lead,
    LeadRepository,
    LoggedEvent,
    NamedConfig,
    User,
    UserRepository,
    every_page,
)
from tidal.store._store import Store, migrate, resolve_url
from tidal.store.const import Role, SignInOutcome
from tidal.store.errors import (
    DuplicateAgentError,
    DuplicateUserError,
    LastAdminError,
    StoreError,
    UnknownRoleError,
    UnknownUserError,
)

__all__ = [
    "AgentProfile",
    "AgentRepository",
    "AgentSessionRepository",
    "AuditLog",
    "ConfigRepository",
    "DuplicateAgentError",
    "DuplicateUserError",
    "EventLog",
    "Flow",
    "FlowRepository",
    "InteractionRepository",
    "LastAdminError",
    "Lead",
    "LeadRepository",
    "LoggedEvent",
    "NamedConfig",
    "Role",
    "SignInOutcome",
    "Store",
    "StoreError",
    "UnknownRoleError",
    "UnknownUserError",
    "User",
    "UserRepository",
    "every_page",
    "migrate",
    "resolve_url",
]
