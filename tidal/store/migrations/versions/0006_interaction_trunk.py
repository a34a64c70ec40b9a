"""Interactions of real calls carry their trunk and the number dialled (CONTRACTS section 7).

Revision ID: 0006_interaction_trunk
Revises: 0005_agent_phone
Create Date: 2026-12-04

Nullable: simulated calls, chats and older records have neither.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_interaction_trunk"
down_revision: str | None = "0005_agent_phone"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add interactions.trunk and interactions.did."""
    op.add_column("interactions", sa.Column("trunk", sa.String(100), nullable=True))
    op.add_column("interactions", sa.Column("did", sa.String(40), nullable=True))


def downgrade() -> None:
    """Drop them."""
    with op.batch_alter_table("interactions") as batch:
        batch.drop_column("did")
        batch.drop_column("trunk")
