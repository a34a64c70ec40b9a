"""`POST /api/v1/auth/token`: the OAuth2 password flow, answering a bearer token.

Failed sign-ins are throttled per user name and per client address (429 with
`Retry-After`), password checks are bounded, and every attempt is audited: see
`tidal.api._signin`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from tidal.api._auth import unauthorized
from tidal.api._signin import InvalidName, SignInGuard, SignInRefused
from tidal.api.const import API_PREFIX

router = APIRouter(prefix=f"{API_PREFIX}/auth", tags=["auth"])


class Token(BaseModel):
    """A signed bearer token."""

    access_token: str
    token_type: str = "bearer"


def client_address(request: Request) -> str:
    """The client's address as the server sees it (behind a proxy: what uvicorn trusts)."""
    return request.client.host if request.client is not None else "unknown"


@router.post(
    "/token",
    responses={
        401: {"description": "wrong user name or password"},
        429: {"description": "too many failed sign-ins; see Retry-After"},
    },
)
async def issue_token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request
) -> Token:
    """Check the name and password (argon2) and sign a token for 12 hours; 401 if wrong."""
    guard: SignInGuard = request.app.state.signin
    try:
        user = await guard.sign_in(form.username, form.password, client_address(request))
    except InvalidName as error:
        raise HTTPException(
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=[{"loc": ["body", "username"], "msg": error.reason, "type": "name"}],
        ) from None
    except SignInRefused as refused:
        raise HTTPException(
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            detail=f"too many sign-in attempts; try again in {refused.retry_after} s",
            headers={"Retry-After": str(refused.retry_after)},
        ) from None
    if user is None:
        raise unauthorized("wrong user name or password")
    return Token(access_token=request.app.state.tokens.issue(user))
