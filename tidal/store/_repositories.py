"""Repositories: small typed methods over the tables, one class per record kind."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, TypeVar, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from tidal.core.compliance.audit import AuditEntry
from tidal.core.records import AgentSessionRecord, InteractionRecord
from tidal.core.values import Channel, Direction, Outcome
from tidal.store._models import (
    AgentSessionRow,
    AuditRow,
    Base,
    CampaignRow,
    EventRow,
    InteractionRow,
    LeadRow,
    UserRow,
)
from tidal.store.const import DEFAULT_PAGE_SIZE, REPLAY_BATCH_SIZE, Role
from tidal.store.errors import DuplicateUserError, UnknownRoleError

RowT = TypeVar("RowT")
_SESSION_FIELDS = fields(AgentSessionRecord)


@dataclass(frozen=True, slots=True)
class User:
    """A user as the rest of Tidal sees them: never with their password hash."""

    id: int
    name: str
    role: Role
    created_at: datetime


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    """One entry of the event log, as replay reads it back."""

    id: int
    at: float
    kind: str
    payload: dict[str, Any]


def _insert(sessions: sessionmaker[Session], row: Base) -> int:
    """Insert one row and commit it before returning its new id."""
    with sessions() as session:
        session.add(row)
        session.commit()
        row_id: int = row.id  # type: ignore[attr-defined]
        return row_id


def _page(
    sessions: sessionmaker[Session],
    query: Select[Any],
    row_type: type[RowT],
    limit: int,
    offset: int,
) -> Sequence[RowT]:
    """One page of a query's `row_type` rows; refuses a page that cannot be served.

    `query` is typed loosely because `Select`'s type parameter differs between
    SQLAlchemy 2.0 and 2.1; `row_type` restores the rows' type.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    if offset < 0:
        raise ValueError(f"offset must not be negative, got {offset}")
    with sessions() as session:
        return cast(Sequence[RowT], session.scalars(query.limit(limit).offset(offset)).all())


class UserRepository:
    """Users who sign in, with their argon2 password hashes."""

    def __init__(self, sessions: sessionmaker[Session], hasher: PasswordHasher) -> None:
        self._sessions = sessions
        self._hasher = hasher
        # Verified against when the name is unknown, so that a miss costs as much as a hit.
        self._decoy_hash = hasher.hash("tidal-decoy-password")

    def add(self, name: str, role: Role | str, password: str) -> User:
        """Create a user; the password is kept only as an argon2 hash."""
        try:
            checked_role = Role(role)
        except ValueError:
            raise UnknownRoleError(str(role)) from None
        if not name.strip():
            raise ValueError("user name must not be empty")
        if not password:
            raise ValueError(f"password of user {name!r} must not be empty")
        row = UserRow(name=name, role=checked_role.value, password_hash=self._hasher.hash(password))
        with self._sessions() as session:
            session.add(row)
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                raise DuplicateUserError(name) from None
            return _user(row)

    def get(self, name: str) -> User | None:
        """The user of this name, if any."""
        with self._sessions() as session:
            row = session.scalar(select(UserRow).where(UserRow.name == name))
            return None if row is None else _user(row)

    def verify(self, name: str, password: str) -> User | None:
        """The user if `password` is theirs, else None (unknown name or wrong password)."""
        with self._sessions() as session:
            row = session.scalar(select(UserRow).where(UserRow.name == name))
            if row is None:
                self._matches(self._decoy_hash, password)
                return None
            if not self._matches(row.password_hash, password):
                return None
            if self._hasher.check_needs_rehash(row.password_hash):
                row.password_hash = self._hasher.hash(password)
                session.commit()
            return _user(row)

    def _matches(self, password_hash: str, password: str) -> bool:
        """Whether `password` matches the hash; a corrupt hash matches nothing."""
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def _user(row: UserRow) -> User:
    """The public view of a user row."""
    return User(id=row.id, name=row.name, role=Role(row.role), created_at=row.created_at)


class EventLog:
    """The append-only log of every event fed to the core: the record replay rebuilds from."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def append(self, kind: str, payload: Mapping[str, Any], at: float) -> int:
        """Append one event and commit it before returning its id (its place in replay order)."""
        row = EventRow(at=at, kind=kind, payload=dict(payload))
        return _insert(self._sessions, row)

    def append_with_records(
        self,
        kind: str,
        payload: Mapping[str, Any],
        at: float,
        interactions: Sequence[InteractionRecord] = (),
        agent_sessions: Sequence[AgentSessionRecord] = (),
    ) -> int:
        """Append one event and the records it produced in one transaction.

        Either the event and its records are stored, or neither is: replay after a
        crash never writes a record twice and never misses one.
        """
        row = EventRow(at=at, kind=kind, payload=dict(payload))
        with self._sessions() as session:
            session.add(row)
            session.add_all(InteractionRow(**record._asdict()) for record in interactions)
            session.add_all(_session_row(record) for record in agent_sessions)
            session.commit()
            event_id: int = row.id
            return event_id

    def since(self, after_id: int = 0) -> Iterator[LoggedEvent]:
        """Events with an id above `after_id`, in the order they were appended.

        Read in batches by id, each in its own short transaction, so replaying a long
        log neither holds a transaction open nor loads the log into memory.
        """
        last_id = after_id
        while True:
            with self._sessions() as session:
                rows = session.scalars(
                    select(EventRow)
                    .where(EventRow.id > last_id)
                    .order_by(EventRow.id)
                    .limit(REPLAY_BATCH_SIZE)
                ).all()
                batch = [LoggedEvent(r.id, r.at, r.kind, r.payload) for r in rows]
            yield from batch
            if len(batch) < REPLAY_BATCH_SIZE:
                return
            last_id = batch[-1].id

    def last_id(self) -> int:
        """The id of the latest event, 0 if the log is empty."""
        with self._sessions() as session:
            return session.scalar(select(EventRow.id).order_by(EventRow.id.desc()).limit(1)) or 0


class InteractionRepository:
    """Interaction records: what reports, dashboards and screen pops read."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def add(self, record: InteractionRecord) -> int:
        """Store one record; returns its row id."""
        row = InteractionRow(**record._asdict())
        return _insert(self._sessions, row)

    def list(
        self,
        queue: str | None = None,
        since: float | None = None,
        until: float | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
        offset: int = 0,
        caller: str | None = None,
    ) -> list[InteractionRecord]:
        """Records in arrival order, of `queue`/`caller` if given, `since` <= arrival < `until`."""
        query = select(InteractionRow)
        if queue is not None:
            query = query.where(InteractionRow.queue == queue)
        if caller is not None:
            query = query.where(InteractionRow.caller == caller)
        if since is not None:
            query = query.where(InteractionRow.arrived_at >= since)
        if until is not None:
            query = query.where(InteractionRow.arrived_at < until)
        query = query.order_by(InteractionRow.arrived_at, InteractionRow.id)
        return [
            _interaction(row) for row in _page(self._sessions, query, InteractionRow, limit, offset)
        ]


_INTERACTION_FIELDS = InteractionRecord._fields


def _interaction(row: InteractionRow) -> InteractionRecord:
    """The core's record of an interaction row, with its enums restored."""
    values = {name: getattr(row, name) for name in _INTERACTION_FIELDS}
    values["channel"] = Channel(row.channel)
    values["direction"] = Direction(row.direction)
    values["outcome"] = Outcome(row.outcome)
    return InteractionRecord(**values)


def _session_row(record: AgentSessionRecord) -> AgentSessionRow:
    """The row of an agent-session record."""
    return AgentSessionRow(**{f.name: getattr(record, f.name) for f in _SESSION_FIELDS})


class AgentSessionRepository:
    """Agents' login sessions with their time in each state."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def add(self, record: AgentSessionRecord) -> int:
        """Store one session record; returns its row id."""
        return _insert(self._sessions, _session_row(record))

    def list(
        self, agent_id: str | None = None, limit: int = DEFAULT_PAGE_SIZE, offset: int = 0
    ) -> list[AgentSessionRecord]:
        """Session records by login time, of one agent if given."""
        query = select(AgentSessionRow)
        if agent_id is not None:
            query = query.where(AgentSessionRow.agent_id == agent_id)
        query = query.order_by(AgentSessionRow.logged_in_at, AgentSessionRow.id)
        return [
            AgentSessionRecord(**{f.name: getattr(row, f.name) for f in _SESSION_FIELDS})
            for row in _page(self._sessions, query, AgentSessionRow, limit, offset)
        ]


class LeadRepository:
    """Campaigns' leads: added in batches, with the numbers a campaign already holds."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def campaign_id(self, name: str) -> int:
        """The campaign's row id, creating the campaign when it is new."""
        with self._sessions.begin() as session:
            row = session.scalars(select(CampaignRow).where(CampaignRow.name == name)).first()
            if row is None:
                row = CampaignRow(name=name, config={})
                session.add(row)
                session.flush()
            return row.id

    def numbers(self, campaign: str) -> set[str]:
        """Every E.164 number the campaign's leads hold (to merge duplicates across lists)."""
        with self._sessions() as session:
            query = (
                select(LeadRow.numbers)
                .join(CampaignRow, LeadRow.campaign_id == CampaignRow.id)
                .where(CampaignRow.name == campaign)
            )
            return {number for numbers in session.scalars(query) for number in numbers}

    def add_many(
        self, campaign: str, leads: Sequence[tuple[Sequence[str], Mapping[str, Any]]]
    ) -> int:
        """Add (numbers, data) leads to a campaign in one transaction, state `new`."""
        campaign_id = self.campaign_id(campaign)
        with self._sessions.begin() as session:
            session.add_all(
                LeadRow(
                    campaign_id=campaign_id, numbers=list(numbers), data=dict(data), state="new"
                )
                for numbers, data in leads
            )
        return len(leads)

    def count(self, campaign: str) -> int:
        """How many leads the campaign has."""
        with self._sessions() as session:
            query = (
                select(func.count(LeadRow.id))
                .join(CampaignRow, LeadRow.campaign_id == CampaignRow.id)
                .where(CampaignRow.name == campaign)
            )
            return int(session.scalar(query) or 0)


class AuditLog:
    """The append-only audit log: every refusal and every change to DNC or consent data."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def append(self, entry: AuditEntry) -> int:
        """Append one entry and commit it; returns its id."""
        row = AuditRow(
            at=entry.at,
            action=entry.action,
            actor=entry.actor,
            number=entry.number,
            campaign=entry.campaign,
            details=dict(entry.details),
        )
        return _insert(self._sessions, row)

    def list(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        action: str | None = None,
        number: int | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
        offset: int = 0,
    ) -> list[AuditEntry]:
        """Entries in time order, filtered by action and number, `since` <= at < `until`."""
        query = select(AuditRow)
        if since is not None:
            query = query.where(AuditRow.at >= since)
        if until is not None:
            query = query.where(AuditRow.at < until)
        if action is not None:
            query = query.where(AuditRow.action == action)
        if number is not None:
            query = query.where(AuditRow.number == number)
        query = query.order_by(AuditRow.at, AuditRow.id)
        return [
            AuditEntry(
                at=row.at,
                action=row.action,
                actor=row.actor,
                number=row.number,
                campaign=row.campaign,
                details=row.details,
            )
            for row in _page(self._sessions, query, AuditRow, limit, offset)
        ]
