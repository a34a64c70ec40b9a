"""`/api/v1/me` and `/api/v1/users`: who is signed in, and the people who may sign in.

Admins create, change (rename, role, disable/enable, new password), delete and sign
out users. Every change is audited (`user_created`, `user_changed`, `user_deleted`,
`user_signed_out`) and takes effect at once: the user's cached state is dropped and
their open streams re-check their token. A change that would leave no enabled admin
is refused with 409.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Request, Response, status
from pydantic import BaseModel, Field

from tidal.api._auth import Access, Admin, CurrentUser, Principal, not_found
from tidal.api._common import Page, PagingDep, RuntimeDep
from tidal.api._compliance import ComplianceDesk
from tidal.api._paths import PathName
from tidal.api.const import API_PREFIX
from tidal.config import SafeName
from tidal.core.compliance.audit import AuditEntry
from tidal.store import (
    DuplicateUserError,
    LastAdminError,
    Role,
    UnknownUserError,
    User,
)

router = APIRouter(prefix=API_PREFIX, tags=["users"])

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024
Password = Annotated[str, Field(min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH)]


class Me(BaseModel):
    """The signed-in user and the agent they sign in as."""

    name: str
    role: Role
    agent_id: str | None


class UserOut(BaseModel):
    """A user, never with a password or its hash."""

    name: str
    role: Role
    created_at: datetime
    disabled: bool = False


class UserIn(BaseModel):
    """A user to create; the password is stored only as an argon2 hash."""

    name: SafeName
    role: Role
    password: Password


class UserPatch(BaseModel):
    """What to change of a user; absent fields stay as they are."""

    name: SafeName | None = None
    role: Role | None = None
    disabled: bool | None = None
    password: Password | None = None


def _user_out(user: User) -> UserOut:
    return UserOut(
        name=user.name, role=user.role, created_at=user.created_at, disabled=user.disabled
    )


def _conflict(error: Exception) -> HTTPException:
    return HTTPException(status_code=status.HTTP_409_CONFLICT, detail=str(error))


def _changed(request: Request, principal: Principal, action: str, **details: Any) -> None:
    """Audit a change to a user and drop what this server remembers of them."""
    user_id = details.pop("user_id")
    access: Access = request.app.state.access
    access.changed(user_id)
    desk: ComplianceDesk = request.app.state.compliance
    entry = AuditEntry(at=datetime.now(UTC), action=action, actor=principal.actor, details=details)
    desk.record([entry])


@router.get("/me")
def me(principal: CurrentUser) -> Me:
    """Who the token belongs to."""
    return Me(name=principal.name, role=principal.role, agent_id=principal.agent_id)


@router.get("/users")
def list_users(_: Admin, runtime: RuntimeDep, paging: PagingDep) -> Page[UserOut]:
    """Every user, by name."""
    users = runtime.store.users
    items = [_user_out(u) for u in users.list(limit=paging.limit, offset=paging.offset)]
    return paging.page(items, users.count())


@router.post("/users", status_code=status.HTTP_201_CREATED)
def create_user(body: UserIn, principal: Admin, runtime: RuntimeDep, request: Request) -> UserOut:
    """Create a user (409 when the name is taken in any case or Unicode form)."""
    try:
        user = runtime.store.users.add(body.name, body.role, body.password)
    except DuplicateUserError as error:
        raise _conflict(error) from None
    _changed(
        request, principal, "user_created", user_id=user.id, name=user.name, role=user.role.value
    )
    return _user_out(user)


@router.get("/users/{name}")
def get_user(name: PathName, _: Admin, runtime: RuntimeDep) -> UserOut:
    """One user, by name in any case."""
    user = runtime.store.users.get(name)
    if user is None:
        raise not_found(f"no user {name!r}")
    return _user_out(user)


@router.patch("/users/{name}")
def change_user(
    name: PathName, body: UserPatch, principal: Admin, runtime: RuntimeDep, request: Request
) -> UserOut:
    """Rename, change the role, disable or enable, or set a new password.

    Disabling and a new password sign the user out everywhere (their tokens answer 401,
    their streams close). 409 for a taken name or for leaving no enabled admin.
    """
    try:
        user = runtime.store.users.update(
            name,
            new_name=body.name,
            role=body.role,
            disabled=body.disabled,
            password=body.password,
        )
    except UnknownUserError:
        raise not_found(f"no user {name!r}") from None
    except (DuplicateUserError, LastAdminError) as error:
        raise _conflict(error) from None
    changes: dict[str, Any] = body.model_dump(exclude_unset=True, exclude={"password"})
    if body.password is not None:
        changes["password"] = "reset"  # that it changed, never what to
    _changed(request, principal, "user_changed", user_id=user.id, name=user.name, changes=changes)
    return _user_out(user)


@router.delete("/users/{name}", status_code=status.HTTP_204_NO_CONTENT)
def delete_user(
    name: PathName, principal: Admin, runtime: RuntimeDep, request: Request
) -> Response:
    """Remove a user: their tokens answer 401 and their streams close at once (409: last admin)."""
    try:
        user = runtime.store.users.delete(name)
    except UnknownUserError:
        raise not_found(f"no user {name!r}") from None
    except LastAdminError as error:
        raise _conflict(error) from None
    _changed(request, principal, "user_deleted", user_id=user.id, name=user.name)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/users/{name}/sign-out")
def sign_out_user(
    name: PathName, principal: Admin, runtime: RuntimeDep, request: Request
) -> UserOut:
    """Sign the user out everywhere: every token issued so far stops working."""
    try:
        user = runtime.store.users.sign_out_everywhere(name)
    except UnknownUserError:
        raise not_found(f"no user {name!r}") from None
    _changed(request, principal, "user_signed_out", user_id=user.id, name=user.name)
    return _user_out(user)


@router.post("/me/sign-out")
def sign_out_me(principal: CurrentUser, runtime: RuntimeDep, request: Request) -> Me:
    """Sign yourself out everywhere (every device), with the token used for this too."""
    try:
        runtime.store.users.sign_out_everywhere(principal.name)
    except UnknownUserError:
        raise not_found(f"no user {principal.name!r}") from None
    _changed(request, principal, "user_signed_out", user_id=principal.user_id, name=principal.name)
    return Me(name=principal.name, role=principal.role, agent_id=principal.agent_id)
