"""Store.open: where the database is, migrations from empty and on reopen, SQLite pragmas."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from tests.store.conftest import Backend
from tidal.store import Store, resolve_url

TABLES = {
    "users",
    "agents",
    "queues",
    "campaigns",
    "flows",
    "leads",
    "interactions",
    "agent_sessions",
    "event_log",
    "audit_log",
    "alembic_version",
}


def test_migrations_create_the_schema_from_empty(backend: Backend) -> None:
    with Store.open(backend.url, backend.home) as store:
        inspector = inspect(store.engine)
        assert set(inspector.get_table_names()) == TABLES
        indexes = {i["name"]: i["column_names"] for i in inspector.get_indexes("interactions")}
        assert indexes["ix_interactions_queue_arrived_at"] == ["queue", "arrived_at"]
        assert indexes["ix_interactions_caller"] == ["caller"]


def test_reopening_is_idempotent_and_keeps_data(backend: Backend) -> None:
    with Store.open(backend.url, backend.home) as store:
        store.events.append("contact_arrived", {"contact_id": 1}, at=10.0)
        with store.engine.connect() as conn:
            head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    for _ in range(2):
        with Store.open(backend.url, backend.home) as store:
            with store.engine.connect() as conn:
                versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
            assert [v for (v,) in versions] == [head]
            assert [e.kind for e in store.events.since()] == ["contact_arrived"]


def test_the_models_match_the_migrated_schema(backend: Backend) -> None:
    """Alembic's autogenerate finds nothing to do: models and revisions agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from tidal.store._models import Base

    with Store.open(backend.url, backend.home) as store, store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        assert compare_metadata(context, Base.metadata) == []


def test_default_is_a_sqlite_file_under_tidal_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TIDAL_DATABASE_URL", raising=False)
    monkeypatch.setenv("TIDAL_HOME", str(tmp_path / "home"))
    with Store.open() as store:
        assert store.engine.url.database == str(tmp_path / "home" / "tidal.db")
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
            assert conn.execute(text("PRAGMA synchronous")).scalar_one() == 1  # NORMAL
    assert (tmp_path / "home" / "tidal.db").exists()


def test_home_defaults_to_dot_tidal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TIDAL_DATABASE_URL", raising=False)
    monkeypatch.delenv("TIDAL_HOME", raising=False)
    monkeypatch.chdir(tmp_path)
    assert resolve_url().database == str(Path(".tidal") / "tidal.db")
    assert (tmp_path / ".tidal").is_dir()


def test_database_url_from_the_environment_wins_over_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIDAL_DATABASE_URL", "postgresql://u:secret@db.example/tidal")
    url = resolve_url(home=tmp_path)
    assert url.drivername == "postgresql+psycopg"
    assert url.host == "db.example"
    assert resolve_url("sqlite:///x.db").database == "x.db"  # an explicit URL wins over both


def test_downgrade_to_base_and_upgrade_again(backend: Backend) -> None:
    """Every revision's downgrade undoes it, so the chain can be walked both ways."""
    from alembic import command

    from tidal.store._store import migrate, migration_config

    with Store.open(backend.url, backend.home) as store:
        with store.engine.begin() as conn:
            config = migration_config()
            config.attributes["connection"] = conn
            command.downgrade(config, "base")
        assert set(inspect(store.engine).get_table_names()) == {"alembic_version"}
        migrate(store.engine)
        assert set(inspect(store.engine).get_table_names()) == TABLES


def test_every_page_reads_a_listing_whole_across_page_boundaries() -> None:
    from tidal.store import every_page

    items = list(range(7))
    calls: list[tuple[int, int]] = []

    def fetch(limit: int, offset: int) -> list[int]:
        calls.append((limit, offset))
        return items[offset : offset + limit]

    assert list(every_page(fetch, 3)) == items
    assert calls == [(3, 0), (3, 3), (3, 6)]
    calls.clear()
    items = list(range(6))  # an exact multiple: one more (empty) page ends it
    assert list(every_page(fetch, 3)) == items
    assert calls == [(3, 0), (3, 3), (3, 6)]
