"""The store: opens the database, migrates it to head, and hands out the repositories."""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from alembic import command
from alembic.config import Config
from argon2 import PasswordHasher
from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.orm import sessionmaker

from tidal.config import private_dir, tighten_file, touch_private
from tidal.store._models import CampaignRow, QueueRow
from tidal.store._repositories import (
    AgentRepository,
    AgentSessionRepository,
    AuditLog,
    ConfigRepository,
    EventLog,
    FlowRepository,
    InteractionRepository,
    LeadRepository,
    UserRepository,
)
from tidal.store.const import (
    DATABASE_URL_ENV,
    DEFAULT_HOME,
    HOME_ENV,
    SQLITE_BUSY_TIMEOUT_MS,
    SQLITE_FILENAME,
)

SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
MIGRATIONS = Path(__file__).parent / "migrations"


def resolve_url(url: str | None = None, home: Path | None = None) -> URL:
    """The database to open: `url`, else $TIDAL_DATABASE_URL, else SQLite under the home.

    The home is `home`, else $TIDAL_HOME, else ./.tidal. A bare `postgresql://` URL
    gets the psycopg (3) driver.
    """
    chosen = url or os.environ.get(DATABASE_URL_ENV)
    if not chosen:
        directory = private_dir(home or Path(os.environ.get(HOME_ENV) or DEFAULT_HOME))
        return URL.create("sqlite", database=str(directory / SQLITE_FILENAME))
    parsed = make_url(chosen)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _private_sqlite(url: URL) -> None:
    """The database file created 0600 before SQLite opens it, and its -wal/-shm tightened.

    SQLite gives the -wal and -shm files it creates the mode of the database file, so a
    private database keeps its journal private too; ones left looser by an older
    version are tightened here.
    """
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    touch_private(path)
    for suffix in SQLITE_SIDE_FILES:
        tighten_file(path.with_name(path.name + suffix))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL for concurrent readers, enforced foreign keys, and fsync at checkpoints only.

    With WAL and synchronous=NORMAL a commit survives a crash of the process
    (`kill -9`); only a power loss can take back the last commits.
    """
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def migration_config() -> Config:
    """An Alembic configuration built in code: no alembic.ini is needed at runtime."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (a no-op when it is there)."""
    config = migration_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Store:
    """The contact center's database: users, the event log, interaction records, audit."""

    def __init__(self, engine: Engine, hasher: PasswordHasher | None = None) -> None:
        self.engine = engine
        sessions = sessionmaker(engine, expire_on_commit=False)
        # argon2's defaults; tests pass cheaper parameters to stay fast.
        self.users = UserRepository(sessions, hasher or PasswordHasher())
        self.events = EventLog(sessions)
        self.interactions = InteractionRepository(sessions)
        self.sessions = AgentSessionRepository(sessions)
        self.audit = AuditLog(sessions)
        self.leads = LeadRepository(sessions)
        self.agents = AgentRepository(sessions)
        self.queues = ConfigRepository(sessions, QueueRow)
        self.campaigns = ConfigRepository(sessions, CampaignRow)
        self.flows = FlowRepository(sessions)

    @classmethod
    def open(
        cls, url: str | None = None, home: Path | None = None, hasher: PasswordHasher | None = None
    ) -> Store:
        """Connect to the database (see `resolve_url`) and migrate it to head."""
        resolved = resolve_url(url, home)
        if resolved.get_backend_name() == "sqlite":
            _private_sqlite(resolved)
        # A failed statement's parameters (argon2 hashes, callers' numbers) stay out of
        # exception messages, and so out of every log and traceback.
        engine = create_engine(resolved, hide_parameters=True)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        try:
            migrate(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, hasher)

    @property
    def url(self) -> str:
        """The database URL, with any password masked."""
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
