"""`/api/v1/me` and `/api/v1/users`: who is signed in, and the people who may sign in."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, Field

from tidal.api._auth import Admin, CurrentUser
from tidal.api._common import Page, PagingDep, RuntimeDep
from tidal.api.const import API_PREFIX
from tidal.store import DuplicateUserError, Role, User

router = APIRouter(prefix=API_PREFIX, tags=["users"])

MIN_PASSWORD_LENGTH = 8


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


class UserIn(BaseModel):
    """A user to create; the password is stored only as an argon2 hash."""

    name: str = Field(min_length=1, max_length=100, pattern=r"^\S(.*\S)?$")
    role: Role
    password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=1024)


def _user_out(user: User) -> UserOut:
    return UserOut(name=user.name, role=user.role, created_at=user.created_at)


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
def create_user(body: UserIn, _: Admin, runtime: RuntimeDep) -> UserOut:
    """Create a user (409 when the name is taken)."""
    try:
        user = runtime.store.users.add(body.name, body.role, body.password)
    except DuplicateUserError as error:
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail=str(error)) from None
    return _user_out(user)
