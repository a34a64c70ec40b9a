"""Call flows: the YAML source of each IVR flow, edited through the API.

Revision ID: 0003_api_flows
Revises: 0001
Create Date: 2026-11-23

Named 0003 so that a 0002 of the live runtime can land beside it; whichever lands
second sets its `down_revision` to the other.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_api_flows"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the flows table."""
    op.create_table(
        "flows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flows")),
        sa.UniqueConstraint("name", name=op.f("uq_flows_name")),
    )


def downgrade() -> None:
    """Drop the flows table."""
    op.drop_table("flows")
