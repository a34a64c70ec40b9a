"""Names are unique regardless of case and Unicode form: one check for every kind of name."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import HTTPException, status


def refuse_lookalike(kind: str, name: str, taken_by: Callable[[str], str | None]) -> None:
    """409 when `name` would be new but another stored name differs from it only in case."""
    existing = taken_by(name)
    if existing is not None:
        raise HTTPException(
            status_code=status.HTTP_409_CONFLICT,
            detail=f"{kind} {existing!r} already exists (names are unique regardless of case)",
        )
