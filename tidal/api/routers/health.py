"""`GET /healthz`: whether the server answers at all (no sign-in)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The server is up."""

    status: str


@router.get("/healthz")
def healthz() -> Health:
    """Answers while the server runs."""
    return Health(status="ok")
