"""SQLAlchemy models: one table per record kind the contact center keeps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from tidal.store._types import BigIntegerKey, PortableJSON, UTCDateTime
from tidal.store.const import Role

# Explicit constraint names, so that migrations can alter them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base of every Tidal table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: PortableJSON,
    }


ROLE_VALUES = ", ".join(f"'{role.value}'" for role in Role)


class UserRow(Base):
    """A person who signs in: an admin, a supervisor or an agent."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"role IN ({ROLE_VALUES})", name="role"),
        Index("ix_users_name_key", "name_key", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # The name case-folded (tidal.config.name_key): what two users must not share.
    name_key: Mapped[str] = mapped_column(String(255), server_default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Written into every token; bumping it revokes every token issued before.
    token_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class AgentRow(Base):
    """An agent of the center: their group and skill levels, and the user who signs in as them."""

    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agent_id: Mapped[str] = mapped_column(String(100), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    group: Mapped[str] = mapped_column(String(100))
    skills: Mapped[dict[str, Any]] = mapped_column(default=dict)
    phone: Mapped[str | None] = mapped_column(String(255), default=None)  # CONTRACTS 7


class QueueRow(Base):
    """A queue's configuration, as the core's config layer validates it."""

    __tablename__ = "queues"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)


class CampaignRow(Base):
    """An outbound campaign's configuration."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)


class FlowRow(Base):
    """A call flow (IVR) as its YAML source, validated by `tidal.config.parse_flow` on write."""

    __tablename__ = "flows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    source: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)


class LeadRow(Base):
    """A lead of a campaign: its E.164 numbers, custom data and lifecycle state."""

    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    numbers: Mapped[list[str]] = mapped_column(PortableJSON, default=list)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[str] = mapped_column(String(40), index=True)


class InteractionRow(Base):
    """One contact's leg through a queue: the fields of `InteractionRecord`."""

    __tablename__ = "interactions"
    __table_args__ = (
        Index("ix_interactions_queue_arrived_at", "queue", "arrived_at"),
        Index("ix_interactions_caller", "caller"),
        Index("ix_interactions_contact_id", "contact_id"),
    )

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True)
    contact_id: Mapped[int] = mapped_column(BigInteger)
    channel: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(20))
    queue: Mapped[str] = mapped_column(String(100))
    arrived_at: Mapped[float] = mapped_column(Double)
    outcome: Mapped[str] = mapped_column(String(40))
    answered_at: Mapped[float | None] = mapped_column(Double)
    ended_at: Mapped[float | None] = mapped_column(Double)
    wrap_ended_at: Mapped[float | None] = mapped_column(Double)
    agent_id: Mapped[str | None] = mapped_column(String(100))
    agent_group: Mapped[str | None] = mapped_column(String(100))
    estimated_wait: Mapped[float | None] = mapped_column(Double)
    callback_requested_at: Mapped[float | None] = mapped_column(Double)
    caller: Mapped[str] = mapped_column(String(40), default="")
    disposition: Mapped[str | None] = mapped_column(String(100))
    trunk: Mapped[str | None] = mapped_column(String(100))
    did: Mapped[str | None] = mapped_column(String(40))


class AgentSessionRow(Base):
    """One agent's login session: the fields of `AgentSessionRecord`."""

    __tablename__ = "agent_sessions"
    __table_args__ = (Index("ix_agent_sessions_agent_id_logged_in_at", "agent_id", "logged_in_at"),)

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True)
    agent_id: Mapped[str] = mapped_column(String(100))
    group: Mapped[str] = mapped_column(String(100))
    logged_in_at: Mapped[float] = mapped_column(Double)
    logged_out_at: Mapped[float] = mapped_column(Double)
    ready_seconds: Mapped[float] = mapped_column(Double)
    reserved_seconds: Mapped[float] = mapped_column(Double)
    talk_seconds: Mapped[float] = mapped_column(Double)
    wrap_seconds: Mapped[float] = mapped_column(Double)
    not_ready_seconds: Mapped[float] = mapped_column(Double)
    contacts_handled: Mapped[int] = mapped_column(Integer)


class EventRow(Base):
    """One event fed to the core, appended before its commands run; never updated."""

    __tablename__ = "event_log"

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    at: Mapped[float] = mapped_column(Double)  # the `now` the core was given, in seconds
    kind: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]] = mapped_column()


class AuditRow(Base):
    """One compliance-relevant fact (`AuditEntry`); never updated."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_number", "number"),
    )

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True)
    at: Mapped[datetime] = mapped_column()
    action: Mapped[str] = mapped_column(String(60))
    actor: Mapped[str] = mapped_column(String(100))
    number: Mapped[int | None] = mapped_column(BigInteger)
    campaign: Mapped[str | None] = mapped_column(String(100))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


APPEND_ONLY_TABLES = (EventRow.__tablename__, AuditRow.__tablename__)
