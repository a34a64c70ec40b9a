"""`/api/v1/pause-reasons`: the not-ready reasons agents choose from.

The list comes from the center file (`pause_reasons:`, a default one otherwise); an
admin's replacement reaches the running center as a logged event, so a restart or a
replay keeps it. A break asked for with a code not on the list is refused (422).
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from tidal.api._auth import Admin, CurrentUser
from tidal.api._common import RuntimeDep
from tidal.api.const import API_PREFIX
from tidal.config import MAX_PAUSE_REASONS, PauseReasonConfig

router = APIRouter(prefix=f"{API_PREFIX}/pause-reasons", tags=["agents"])


class PauseReasons(BaseModel):
    """The whole list, in the order the agent's desktop offers it (the first is the default)."""

    items: list[PauseReasonConfig] = Field(min_length=1, max_length=MAX_PAUSE_REASONS)

    @model_validator(mode="after")
    def _unique_codes(self) -> PauseReasons:
        first: dict[str, int] = {}
        for row, reason in enumerate(self.items, start=1):
            if reason.code in first:
                message = "row {row}: duplicate pause reason {code} (also row {first})"
                context = {"row": row, "code": repr(reason.code), "first": first[reason.code]}
                raise PydanticCustomError("duplicate_code", message, context)
            first[reason.code] = row
        return self


@router.get("")
def list_pause_reasons(_: CurrentUser, runtime: RuntimeDep) -> PauseReasons:
    """The reasons an agent may give for not being ready (everyone signed in reads them)."""
    return PauseReasons(items=list(runtime.pause_reasons))


@router.put("")
def put_pause_reasons(body: PauseReasons, _: Admin, runtime: RuntimeDep) -> PauseReasons:
    """Replace the list; agents already on a break keep the reason they gave."""
    runtime.configure_pause_reasons(body.items)
    return PauseReasons(items=list(runtime.pause_reasons))
