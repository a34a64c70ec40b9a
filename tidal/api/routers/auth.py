"""`POST /api/v1/auth/token`: the OAuth2 password flow, answering a bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from tidal.api._auth import unauthorized
from tidal.api._common import RuntimeDep
from tidal.api.const import API_PREFIX

router = APIRouter(prefix=f"{API_PREFIX}/auth", tags=["auth"])


class Token(BaseModel):
    """A signed bearer token."""

    access_token: str
    token_type: str = "bearer"


@router.post("/token")
def issue_token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request, runtime: RuntimeDep
) -> Token:
    """Check the name and password (argon2) and sign a token for 12 hours; 401 if wrong."""
    user = runtime.store.users.verify(form.username, form.password)
    if user is None:
        raise unauthorized("wrong user name or password")
    return Token(access_token=request.app.state.tokens.issue(user.name, user.role))
