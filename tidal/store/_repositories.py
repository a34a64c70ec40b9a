"""Repositories: small typed methods over the tables, one class per record kind."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, Generic, TypeVar, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Select, String, func, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from tidal.config import TextError, name_key, normalize_name
from tidal.core.compliance.audit import AuditEntry
from tidal.core.records import AgentSessionRecord, InteractionRecord
from tidal.core.values import Channel, Direction, Outcome
from tidal.store._models import (
    AgentRow,
    AgentSessionRow,
    AuditRow,
    Base,
    CampaignRow,
    EventRow,
    FlowRow,
    InteractionRow,
    LeadRow,
    QueueRow,
    UserRow,
)
from tidal.store.const import DEFAULT_PAGE_SIZE, REPLAY_BATCH_SIZE, Role, SignInOutcome
from tidal.store.errors import (
    DuplicateAgentError,
    DuplicateUserError,
    LastAdminError,
    UnknownRoleError,
    UnknownUserError,
)

RowT = TypeVar("RowT")
_SESSION_FIELDS = fields(AgentSessionRecord)


@dataclass(frozen=True, slots=True)
class User:
    """A user as the rest of Tidal sees them: never with their password hash."""

    id: int
    name: str
    role: Role
    created_at: datetime
    disabled: bool = False
    token_generation: int = 0


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    """One entry of the event log, as replay reads it back."""

    id: int
    at: float
    kind: str
    payload: dict[str, Any]


def _count(sessions: sessionmaker[Session], query: Select[Any]) -> int:
    """The single integer a count query answers."""
    with sessions() as session:
        return int(session.scalar(query) or 0)


def _insert(sessions: sessionmaker[Session], row: Base) -> int:
    """Insert one row and commit it before returning its new id."""
    with sessions() as session:
        session.add(row)
        session.commit()
        row_id: int = row.id  # type: ignore[attr-defined]
        return row_id


ItemT = TypeVar("ItemT")


def every_page(
    fetch: Callable[[int, int], Sequence[ItemT]], batch: int = REPLAY_BATCH_SIZE
) -> Iterator[ItemT]:
    """Every item of a paged listing: `fetch(limit, offset)` page after page until a short one.

    Reports, the wallboard's day and the dialer's leads read whole listings this way,
    one bounded query at a time.
    """
    offset = 0
    while True:
        page = fetch(batch, offset)
        yield from page
        if len(page) < batch:
            return
        offset += batch


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
    """Users who sign in, with their argon2 password hashes.

    Names are stored NFKC-normalised (`tidal.config.normalize_name`) and found by their
    case-folded key, so "Alice", "alice" and "ＡＬＩＣＥ" are one user, at create, rename
    and sign-in alike.
    """

    def __init__(self, sessions: sessionmaker[Session], hasher: PasswordHasher) -> None:
        self._sessions = sessions
        self._hasher = hasher
        # Verified against when the name is unknown, so that a miss costs as much as a hit.
        self._decoy_hash = hasher.hash("tidal-decoy-password")

    def add(self, name: str, role: Role | str, password: str) -> User:
        """Create a user; the password is kept only as an argon2 hash.

        Raises TextError (a ValueError) for a name that is not a valid name.
        """
        try:
            checked_role = Role(role)
        except ValueError:
            raise UnknownRoleError(str(role)) from None
        clean = _checked_name(name)
        if not password:
            raise ValueError(f"password of user {clean!r} must not be empty")
        row = UserRow(
            name=clean,
            name_key=name_key(clean),
            role=checked_role.value,
            password_hash=self._hasher.hash(password),
        )
        with self._sessions() as session:
            session.add(row)
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                raise DuplicateUserError(clean) from None
            return _user(row)

    def get(self, name: str) -> User | None:
        """The user of this name in any case or Unicode form, if any."""
        key = _lookup_key(name)
        if key is None:
            return None
        with self._sessions() as session:
            row = session.scalar(select(UserRow).where(UserRow.name_key == key))
            return None if row is None else _user(row)

    def get_by_id(self, user_id: int) -> User | None:
        """The user of this id, if any (tokens and agent profiles name users by id)."""
        with self._sessions() as session:
            row = session.get(UserRow, user_id)
            return None if row is None else _user(row)

    def access_states(self, user_ids: Collection[int]) -> dict[int, tuple[bool, int, str]]:
        """(disabled, token generation, role) of each of these users that exists: one query.

        What the API's revocation watcher polls for the users with an open stream.
        """
        if not user_ids:
            return {}
        query = select(UserRow.id, UserRow.disabled, UserRow.token_generation, UserRow.role).where(
            UserRow.id.in_(list(user_ids))
        )
        with self._sessions() as session:
            return {i: (bool(d), int(g), str(r)) for i, d, g, r in session.execute(query)}

    def list(self, limit: int = DEFAULT_PAGE_SIZE, offset: int = 0) -> list[User]:
        """Users by name."""
        query = select(UserRow).order_by(UserRow.name)
        return [_user(row) for row in _page(self._sessions, query, UserRow, limit, offset)]

    def count(self) -> int:
        """How many users there are."""
        return _count(self._sessions, select(func.count(UserRow.id)))

    def authenticate(self, name: str, password: str) -> tuple[SignInOutcome, User | None]:
        """What signing in with this name and password comes to, and the user if it succeeds.

        An unknown name costs one argon2 check too, and a disabled user's password is
        checked before saying so, so that timing tells an attacker nothing.
        """
        key = _lookup_key(name)
        with self._sessions() as session:
            row = (
                None
                if key is None
                else session.scalar(select(UserRow).where(UserRow.name_key == key))
            )
            if row is None:
                self._matches(self._decoy_hash, password)
                return SignInOutcome.UNKNOWN_USER, None
            if not self._matches(row.password_hash, password):
                return SignInOutcome.WRONG_PASSWORD, None
            if row.disabled:
                return SignInOutcome.DISABLED, None
            if self._hasher.check_needs_rehash(row.password_hash):
                row.password_hash = self._hasher.hash(password)
                session.commit()
            return SignInOutcome.SIGNED_IN, _user(row)

    def verify(self, name: str, password: str) -> User | None:
        """The user if `password` is theirs and they may sign in, else None."""
        outcome, user = self.authenticate(name, password)
        return user if outcome is SignInOutcome.SIGNED_IN else None

    def update(
        self,
        name: str,
        *,
        new_name: str | None = None,
        role: Role | str | None = None,
        disabled: bool | None = None,
        password: str | None = None,
    ) -> User:
        """Rename, change the role, disable/enable or reset the password of a user.

        Disabling and a new password bump the token generation (every token issued
        before stops working). Refuses (LastAdminError) a change that would leave no
        enabled admin; UnknownUserError, DuplicateUserError, TextError as `add`.
        """
        checked_role = None
        if role is not None:
            try:
                checked_role = Role(role)
            except ValueError:
                raise UnknownRoleError(str(role)) from None
        clean = None if new_name is None else _checked_name(new_name)
        if password is not None and not password:
            raise ValueError("the new password must not be empty")
        password_hash = None if password is None else self._hasher.hash(password)
        with self._sessions() as session:
            row = self._locked(session, name)
            was_admin = _enabled_admin(row)
            if clean is not None:
                row.name, row.name_key = clean, name_key(clean)
            if checked_role is not None:
                row.role = checked_role.value
            if disabled is not None:
                if disabled and not row.disabled:
                    row.token_generation += 1
                row.disabled = disabled
            if password_hash is not None:
                row.password_hash = password_hash
                row.token_generation += 1
            change = "disable" if disabled else "change the role of"
            self._commit_keeping_an_admin(
                session, row.name, change, check=was_admin and not _enabled_admin(row)
            )
            return _user(row)

    def sign_out_everywhere(self, name: str) -> User:
        """Revoke every token the user holds (bumps the token generation)."""
        with self._sessions() as session:
            row = self._locked(session, name)
            row.token_generation += 1
            session.commit()
            return _user(row)

    def delete(self, name: str) -> User:
        """Remove a user (their agent profile stays, without a user); LastAdminError as `update`."""
        with self._sessions() as session:
            row = self._locked(session, name)
            user = _user(row)
            session.delete(row)
            self._commit_keeping_an_admin(session, user.name, "delete", check=_enabled_admin(row))
            return user

    def _locked(self, session: Session, name: str) -> UserRow:
        """The user's row, and on PostgreSQL every enabled admin's row, locked for a change.

        Locking the admins first serialises two changes that could each leave the other
        as the last admin; SQLite serialises writers by itself.
        """
        key = _lookup_key(name)
        session.scalars(
            select(UserRow.id)
            .where(UserRow.role == Role.ADMIN.value, UserRow.disabled.is_(False))
            .order_by(UserRow.id)
            .with_for_update()
        ).all()
        row = (
            None
            if key is None
            else session.scalar(select(UserRow).where(UserRow.name_key == key).with_for_update())
        )
        if row is None:
            raise UnknownUserError(name)
        return row

    def _commit_keeping_an_admin(
        self, session: Session, name: str, change: str, *, check: bool
    ) -> None:
        """Commit; with `check`, not if no enabled admin would be left (then roll back)."""
        try:
            session.flush()
        except IntegrityError:
            session.rollback()
            raise DuplicateUserError(name) from None
        if not check:
            session.commit()
            return
        admins = session.scalar(
            select(func.count(UserRow.id)).where(
                UserRow.role == Role.ADMIN.value, UserRow.disabled.is_(False)
            )
        )
        if not admins:
            session.rollback()
            raise LastAdminError(name, change)
        session.commit()

    def _matches(self, password_hash: str, password: str) -> bool:
        """Whether `password` matches the hash; a corrupt hash matches nothing."""
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def _taken_by(sessions: sessionmaker[Session], column: Any, name: str) -> str | None:
    """Another stored name with the same key as `name` (names are unique regardless of case).

    Read whole: queues, campaigns, flows and agents number in the thousands at most.
    """
    key = _lookup_key(name)
    if key is None:
        return None
    with sessions() as session:
        for (stored,) in session.execute(select(column)):
            if stored != name and _lookup_key(stored) == key:
                return str(stored)
    return None


def _enabled_admin(row: UserRow) -> bool:
    return row.role == Role.ADMIN.value and not row.disabled


def _checked_name(name: str) -> str:
    """The name as stored, or TextError naming what is wrong with it."""
    try:
        return normalize_name(name)
    except TextError as error:
        raise TextError(f"user name {name!r}: {error}") from None


def _lookup_key(name: str) -> str | None:
    """The key to find a user by; None for a name no user can have."""
    try:
        return name_key(name)
    except TextError:
        return None


def _user(row: UserRow) -> User:
    """The public view of a user row."""
    return User(
        id=row.id,
        name=row.name,
        role=Role(row.role),
        created_at=row.created_at,
        disabled=row.disabled,
        token_generation=row.token_generation,
    )


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

    def outcome_counts(self) -> list[tuple[str, str, str, int]]:
        """(direction, queue, outcome, count) over every record: the counters of /metrics."""
        query = select(
            InteractionRow.direction,
            InteractionRow.queue,
            InteractionRow.outcome,
            func.count(InteractionRow.id),
        ).group_by(InteractionRow.direction, InteractionRow.queue, InteractionRow.outcome)
        with self._sessions() as session:
            return [(d, q, o, int(n)) for d, q, o, n in session.execute(query)]

    def list(
        self,
        queue: str | None = None,
        since: float | None = None,
        until: float | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
        offset: int = 0,
        caller: str | None = None,
        agent_id: str | None = None,
        disposition: str | None = None,
    ) -> list[InteractionRecord]:
        """Records in arrival order, of `queue`/`caller`/`agent_id`/`disposition` if given,
        in [since, until)."""
        query = _interaction_filter(
            select(InteractionRow), queue, since, until, caller, agent_id, disposition
        )
        query = query.order_by(InteractionRow.arrived_at, InteractionRow.id)
        return [
            _interaction(row) for row in _page(self._sessions, query, InteractionRow, limit, offset)
        ]

    def count(
        self,
        queue: str | None = None,
        since: float | None = None,
        until: float | None = None,
        caller: str | None = None,
        agent_id: str | None = None,
        disposition: str | None = None,
    ) -> int:
        """How many records `list` would page through with the same filters."""
        query = select(func.count(InteractionRow.id))
        return _count(
            self._sessions,
            _interaction_filter(query, queue, since, until, caller, agent_id, disposition),
        )


def _interaction_filter(
    query: Select[Any],
    queue: str | None,
    since: float | None,
    until: float | None,
    caller: str | None,
    agent_id: str | None,
    disposition: str | None = None,
) -> Select[Any]:
    """`query` narrowed to the records that match every filter given."""
    if queue is not None:
        query = query.where(InteractionRow.queue == queue)
    if caller is not None:
        query = query.where(InteractionRow.caller == caller)
    if agent_id is not None:
        query = query.where(InteractionRow.agent_id == agent_id)
    if disposition is not None:
        query = query.where(InteractionRow.disposition == disposition)
    if since is not None:
        query = query.where(InteractionRow.arrived_at >= since)
    if until is not None:
        query = query.where(InteractionRow.arrived_at < until)
    return query


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
        self,
        agent_id: str | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
        offset: int = 0,
        since: float | None = None,
        until: float | None = None,
    ) -> list[AgentSessionRecord]:
        """Session records by login time, of one agent if given, logged in in [since, until)."""
        query = select(AgentSessionRow)
        if agent_id is not None:
            query = query.where(AgentSessionRow.agent_id == agent_id)
        if since is not None:
            query = query.where(AgentSessionRow.logged_in_at >= since)
        if until is not None:
            query = query.where(AgentSessionRow.logged_in_at < until)
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

    def list(self, campaign: str, limit: int = DEFAULT_PAGE_SIZE, offset: int = 0) -> list[Lead]:
        """The campaign's leads in the order they were added."""
        query = (
            select(LeadRow)
            .join(CampaignRow, LeadRow.campaign_id == CampaignRow.id)
            .where(CampaignRow.name == campaign)
            .order_by(LeadRow.id)
        )
        return [
            Lead(row.id, campaign, tuple(row.numbers), dict(row.data), row.state)
            for row in _page(self._sessions, query, LeadRow, limit, offset)
        ]

    def get(self, campaign: str, lead_id: int) -> Lead | None:
        """One of the campaign's leads by its row id."""
        with self._sessions() as session:
            row = session.scalars(
                select(LeadRow)
                .join(CampaignRow, LeadRow.campaign_id == CampaignRow.id)
                .where(CampaignRow.name == campaign, LeadRow.id == lead_id)
            ).first()
            if row is None:
                return None
            return Lead(row.id, campaign, tuple(row.numbers), dict(row.data), row.state)

    def with_number(self, number: str, limit: int = 5) -> Sequence[Lead]:
        """Leads of any campaign that hold this E.164 number, newest first (a screen pop's
        "who is calling"). A scan of the numbers' JSON text: fine for lists of some
        hundred thousand leads; an index of numbers is the next step beyond."""
        if not number or '"' in number or "\\" in number:
            return []
        query = (
            select(LeadRow, CampaignRow.name)
            .join(CampaignRow, LeadRow.campaign_id == CampaignRow.id)
            .where(sql_cast(LeadRow.numbers, String).contains(f'"{number}"', autoescape=True))
            .order_by(LeadRow.id.desc())
            .limit(limit)
        )
        with self._sessions() as session:
            return [
                Lead(row.id, campaign, tuple(row.numbers), dict(row.data), row.state)
                for row, campaign in session.execute(query)
                if number in row.numbers
            ]

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

    def count(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        action: str | None = None,
        number: int | None = None,
        actor: str | None = None,
    ) -> int:
        """How many entries the log holds (that `list` with the same filters pages through)."""
        query = _audit_filter(select(func.count(AuditRow.id)), since, until, action, number, actor)
        return _count(self._sessions, query)

    def list(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        action: str | None = None,
        number: int | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
        offset: int = 0,
        actor: str | None = None,
        newest_first: bool = False,
    ) -> list[AuditEntry]:
        """Entries in time order (or newest first), filtered by action, number and actor,
        `since` <= at < `until`."""
        query = _audit_filter(select(AuditRow), since, until, action, number, actor)
        if newest_first:
            query = query.order_by(AuditRow.at.desc(), AuditRow.id.desc())
        else:
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


def _audit_filter(
    query: Select[Any],
    since: datetime | None,
    until: datetime | None,
    action: str | None,
    number: int | None,
    actor: str | None,
) -> Select[Any]:
    if since is not None:
        query = query.where(AuditRow.at >= since)
    if until is not None:
        query = query.where(AuditRow.at < until)
    if action is not None:
        query = query.where(AuditRow.action == action)
    if number is not None:
        query = query.where(AuditRow.number == number)
    if actor is not None:
        query = query.where(AuditRow.actor == actor)
    return query


@dataclass(frozen=True, slots=True)
class Lead:
    """A stored lead: its numbers, the list's other fields and its lifecycle state."""

    id: int
    campaign: str
    numbers: tuple[str, ...]
    data: dict[str, Any]
    state: str


@dataclass(frozen=True, slots=True)
class AgentProfile:
    """An agent of the center: group, skill levels and the user who signs in as them."""

    agent_id: str
    group: str
    skills: dict[str, int]
    user_id: int | None
    phone: str | None = None  # browser, registered, or a SIP URI; None: the desktop only


def _agent(row: AgentRow) -> AgentProfile:
    return AgentProfile(row.agent_id, row.group, dict(row.skills), row.user_id, row.phone)


class AgentRepository:
    """Agents' profiles: who they are, their group and skills, and their user."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def add(
        self,
        agent_id: str,
        group: str,
        skills: Mapping[str, int],
        user_id: int | None,
        phone: str | None = None,
    ) -> AgentProfile:
        """Create an agent profile; raises DuplicateAgentError for an id or user in use."""
        row = AgentRow(
            agent_id=agent_id, group=group, skills=dict(skills), user_id=user_id, phone=phone
        )
        with self._sessions() as session:
            if user_id is not None and session.scalar(
                select(AgentRow.id).where(AgentRow.user_id == user_id)
            ):
                raise DuplicateAgentError(agent_id, "the user already has an agent profile")
            session.add(row)
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                raise DuplicateAgentError(agent_id, "the agent id is in use") from None
            return _agent(row)

    def taken_by(self, agent_id: str) -> str | None:
        """The stored agent id that `agent_id` differs from only in case or form, if any."""
        return _taken_by(self._sessions, AgentRow.agent_id, agent_id)

    def get(self, agent_id: str) -> AgentProfile | None:
        """The agent of this id, if any."""
        with self._sessions() as session:
            row = session.scalar(select(AgentRow).where(AgentRow.agent_id == agent_id))
            return None if row is None else _agent(row)

    def update(
        self,
        agent_id: str,
        *,
        group: str | None = None,
        skills: Mapping[str, int] | None = None,
        phone: str | None = None,
    ) -> AgentProfile | None:
        """Change an agent's group, skills and/or phone; None when there is no such agent."""
        with self._sessions() as session:
            row = session.scalar(select(AgentRow).where(AgentRow.agent_id == agent_id))
            if row is None:
                return None
            if group is not None:
                row.group = group
            if skills is not None:
                row.skills = dict(skills)
            if phone is not None:
                row.phone = phone
            session.commit()
            return _agent(row)

    def for_user(self, user_id: int) -> AgentProfile | None:
        """The agent this user signs in as, if any."""
        with self._sessions() as session:
            row = session.scalar(select(AgentRow).where(AgentRow.user_id == user_id))
            return None if row is None else _agent(row)

    def list(self, limit: int = DEFAULT_PAGE_SIZE, offset: int = 0) -> list[AgentProfile]:
        """Agents by id."""
        query = select(AgentRow).order_by(AgentRow.agent_id)
        return [_agent(row) for row in _page(self._sessions, query, AgentRow, limit, offset)]

    def count(self) -> int:
        """How many agent profiles there are."""
        return _count(self._sessions, select(func.count(AgentRow.id)))


@dataclass(frozen=True, slots=True)
class NamedConfig:
    """A named configuration document: a queue's or a campaign's settings."""

    name: str
    config: dict[str, Any]


ConfigRowT = TypeVar("ConfigRowT", QueueRow, CampaignRow)


class ConfigRepository(Generic[ConfigRowT]):
    """Named JSON configurations of one kind (queues or campaigns), written whole."""

    def __init__(self, sessions: sessionmaker[Session], row_type: type[ConfigRowT]) -> None:
        self._sessions = sessions
        self._row: type[ConfigRowT] = row_type

    def put(self, name: str, config: Mapping[str, Any]) -> bool:
        """Create or replace the configuration of `name`; True when it is new."""
        with self._sessions.begin() as session:
            row = session.scalars(select(self._row).where(self._row.name == name)).first()
            if row is None:
                session.add(self._row(name=name, config=dict(config)))
                return True
            row.config = dict(config)
            return False

    def taken_by(self, name: str) -> str | None:
        """The stored name that `name` differs from only in case or Unicode form, if any."""
        return _taken_by(self._sessions, self._row.name, name)

    def get(self, name: str) -> NamedConfig | None:
        """The configuration of `name`, if any."""
        with self._sessions() as session:
            row = session.scalars(select(self._row).where(self._row.name == name)).first()
            return None if row is None else NamedConfig(row.name, dict(row.config))

    def list(self, limit: int = DEFAULT_PAGE_SIZE, offset: int = 0) -> list[NamedConfig]:
        """Configurations by name."""
        query = select(self._row).order_by(self._row.name)
        rows = _page(self._sessions, query, self._row, limit, offset)
        return [NamedConfig(row.name, dict(row.config)) for row in rows]

    def count(self) -> int:
        """How many there are."""
        return _count(self._sessions, select(func.count(self._row.id)))


@dataclass(frozen=True, slots=True)
class Flow:
    """A call flow's YAML source as it was last saved."""

    name: str
    source: str
    updated_at: datetime


class FlowRepository:
    """Call flows as YAML text (validated before they are written)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def put(self, name: str, source: str, at: datetime) -> bool:
        """Create or replace a flow's source; True when it is new."""
        with self._sessions.begin() as session:
            row = session.scalars(select(FlowRow).where(FlowRow.name == name)).first()
            if row is None:
                session.add(FlowRow(name=name, source=source, updated_at=at))
                return True
            row.source = source
            row.updated_at = at
            return False

    def taken_by(self, name: str) -> str | None:
        """The stored flow name that `name` differs from only in case or Unicode form, if any."""
        return _taken_by(self._sessions, FlowRow.name, name)

    def get(self, name: str) -> Flow | None:
        """The flow of this name, if any."""
        with self._sessions() as session:
            row = session.scalars(select(FlowRow).where(FlowRow.name == name)).first()
            return None if row is None else Flow(row.name, row.source, row.updated_at)

    def list(self, limit: int = DEFAULT_PAGE_SIZE, offset: int = 0) -> list[Flow]:
        """Flows by name."""
        query = select(FlowRow).order_by(FlowRow.name)
        rows = _page(self._sessions, query, FlowRow, limit, offset)
        return [Flow(row.name, row.source, row.updated_at) for row in rows]

    def count(self) -> int:
        """How many flows there are."""
        return _count(self._sessions, select(func.count(FlowRow.id)))
