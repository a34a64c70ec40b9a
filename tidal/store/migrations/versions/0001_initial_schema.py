"""Initial schema: users, agents, queues, campaigns, leads, interactions, sessions, logs.

Revision ID: 0001
Revises:
Create Date: 2026-11-23

The types are spelled out here rather than imported from the models, so this revision
keeps creating the same schema when the models move on.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC_TIME = sa.DateTime(timezone=True)
APPEND_ONLY_TABLES = ("event_log", "audit_log")


def upgrade() -> None:
    """Create every table, its indexes, and the triggers that keep the logs append-only."""
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.CheckConstraint("role IN ('admin', 'supervisor', 'agent')", name=op.f("ck_users_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )
    op.create_table(
        "agents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.String(100), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("group", sa.String(100), nullable=False),
        sa.Column("skills", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_agents_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agents")),
        sa.UniqueConstraint("agent_id", name=op.f("uq_agents_agent_id")),
    )
    for table in ("queues", "campaigns"):
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("name", sa.String(100), nullable=False),
            sa.Column("config", JSON, nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
            sa.UniqueConstraint("name", name=op.f(f"uq_{table}_name")),
        )
    op.create_table(
        "leads",
        sa.Column("id", KEY, nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("numbers", JSON, nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.Column("state", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_leads_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads")),
    )
    op.create_index(op.f("ix_leads_campaign_id"), "leads", ["campaign_id"])
    op.create_index(op.f("ix_leads_state"), "leads", ["state"])

    op.create_table(
        "interactions",
        sa.Column("id", KEY, nullable=False),
        sa.Column("contact_id", sa.BigInteger(), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("direction", sa.String(20), nullable=False),
        sa.Column("queue", sa.String(100), nullable=False),
        sa.Column("arrived_at", sa.Double(), nullable=False),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("answered_at", sa.Double(), nullable=True),
        sa.Column("ended_at", sa.Double(), nullable=True),
        sa.Column("wrap_ended_at", sa.Double(), nullable=True),
        sa.Column("agent_id", sa.String(100), nullable=True),
        sa.Column("agent_group", sa.String(100), nullable=True),
        sa.Column("estimated_wait", sa.Double(), nullable=True),
        sa.Column("callback_requested_at", sa.Double(), nullable=True),
        sa.Column("caller", sa.String(40), nullable=False),
        sa.Column("disposition", sa.String(100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interactions")),
    )
    op.create_index("ix_interactions_queue_arrived_at", "interactions", ["queue", "arrived_at"])
    op.create_index("ix_interactions_caller", "interactions", ["caller"])
    op.create_index("ix_interactions_contact_id", "interactions", ["contact_id"])

    op.create_table(
        "agent_sessions",
        sa.Column("id", KEY, nullable=False),
        sa.Column("agent_id", sa.String(100), nullable=False),
        sa.Column("group", sa.String(100), nullable=False),
        *(
            sa.Column(name, sa.Double(), nullable=False)
            for name in (
                "logged_in_at",
                "logged_out_at",
                "ready_seconds",
                "reserved_seconds",
                "talk_seconds",
                "wrap_seconds",
                "not_ready_seconds",
            )
        ),
        sa.Column("contacts_handled", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_sessions")),
    )
    op.create_index(
        "ix_agent_sessions_agent_id_logged_in_at", "agent_sessions", ["agent_id", "logged_in_at"]
    )

    op.create_table(
        "event_log",
        sa.Column("id", KEY, autoincrement=True, nullable=False),
        sa.Column("at", sa.Double(), nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("payload", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_log")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", KEY, nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=True),
        sa.Column("campaign", sa.String(100), nullable=True),
        sa.Column("details", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_number", "audit_log", ["number"])

    for table in APPEND_ONLY_TABLES:
        _forbid_update_and_delete(table)


def _forbid_update_and_delete(table: str) -> None:
    """Make the database itself refuse UPDATE and DELETE on an append-only log."""
    message = f"{table} is append-only"
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{message}'; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
        )
        return
    for operation in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )


def downgrade() -> None:
    """Drop everything this revision created."""
    for table in APPEND_ONLY_TABLES:
        op.drop_table(table)
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP FUNCTION {table}_append_only()")
    for table in ("agent_sessions", "interactions", "leads", "agents", "users"):
        op.drop_table(table)
    for table in ("queues", "campaigns"):
        op.drop_table(table)
