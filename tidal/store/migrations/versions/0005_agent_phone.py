"""Agents have a phone: `browser`, `registered`, or a static SIP URI (CONTRACTS section 7).

Revision ID: 0005_agent_phone
Revises: 0004_user_access
Create Date: 2026-12-04

Nullable: an agent without one is reached on the desktop only (simulated telephony,
or a center that has not set phones up yet).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_agent_phone"
down_revision: str | None = "0004_user_access"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add agents.phone."""
    op.add_column("agents", sa.Column("phone", sa.String(255), nullable=True))


def downgrade() -> None:
    """Drop agents.phone."""
    with op.batch_alter_table("agents") as batch:
        batch.drop_column("phone")
