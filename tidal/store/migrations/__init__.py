"""Alembic migrations of the Tidal store (applied by `Store.open`)."""
