"""Users can be disabled and signed out everywhere; names are unique regardless of case.

Revision ID: 0004_user_access
Revises: 0003_api_flows
Create Date: 2026-12-03

`name_key` is the case-folded NFKC form of the name (`tidal.config.name_key`), unique,
so that "Alice" and "alice" cannot both exist and either signs in as the one user.
`token_generation` is written into every token; bumping it revokes every token issued
before. Existing names get a key computed leniently (no validation), and two existing
names with one key stop the upgrade with both names, for an admin to rename one first.
Columns are added and dropped in place (no batch copy of `users`: on SQLite that would
drop the table and set every agent's `user_id` to NULL through the foreign key).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_user_access"
down_revision: str | None = "0003_api_flows"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().casefold()


def upgrade() -> None:
    """Add name_key (filled, then unique), disabled and token_generation to users."""
    op.add_column("users", sa.Column("name_key", sa.String(255), nullable=False, server_default=""))
    op.add_column(
        "users", sa.Column("disabled", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column(
        "users",
        sa.Column("token_generation", sa.Integer(), nullable=False, server_default="0"),
    )
    bind = op.get_bind()
    seen: dict[str, str] = {}
    for user_id, name in bind.execute(sa.text("SELECT id, name FROM users ORDER BY id")):
        key = _key(name)
        if key in seen:
            raise RuntimeError(
                f"users {seen[key]!r} and {name!r} differ only in case or Unicode form; "
                "rename one of them before upgrading"
            )
        seen[key] = name
        bind.execute(
            sa.text("UPDATE users SET name_key = :key WHERE id = :id"), {"key": key, "id": user_id}
        )
    op.create_index("ix_users_name_key", "users", ["name_key"], unique=True)


def downgrade() -> None:
    """Drop the three columns (and the key's index)."""
    op.drop_index("ix_users_name_key", table_name="users")
    for column in ("token_generation", "disabled", "name_key"):
        op.drop_column("users", column)
