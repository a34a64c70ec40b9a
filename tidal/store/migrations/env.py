"""Alembic environment: migrates the connection `Store.open` hands over, or a URL for dev use.

At runtime `tidal.store.migrate` passes an open connection in `config.attributes`;
`alembic -x url=...` (with a script_location pointing here) works for writing revisions.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine, text

from tidal.store._models import Base
from tidal.store.const import MIGRATION_LOCK_ID


def run_migrations(connection: Connection) -> None:
    """Apply pending revisions on `connection`, one node at a time on PostgreSQL."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
        context.run_migrations()


def main() -> None:
    """Entry point Alembic runs: use the given connection, else a URL from `-x url=`."""
    connection = context.config.attributes.get("connection")
    if isinstance(connection, Connection):
        run_migrations(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or context.config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise RuntimeError("no connection given: pass -x url=<database URL>")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            run_migrations(conn)
            conn.commit()
    finally:
        engine.dispose()


main()
