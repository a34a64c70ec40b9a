"""`GET /api/v1/audit`: the audit log (list and consent changes, refusals, dispositions),
filtered by action, actor, number and date, paged."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from tidal.api._auth import Admin
from tidal.api._common import OptionalPeriodDep, Page, PagingDep, RuntimeDep
from tidal.api.const import API_PREFIX
from tidal.api.routers.dnc import parse_number

router = APIRouter(prefix=f"{API_PREFIX}/audit", tags=["audit"])

Word = Annotated[str | None, Query(min_length=1, max_length=100)]


class AuditOut(BaseModel):
    """One audit entry: when, what, who, about which number and campaign."""

    at: str
    action: str
    actor: str
    number: str | None
    campaign: str | None
    details: dict[str, Any]


def _moment(epoch: float) -> datetime | None:
    """A period bound as the store compares it; None for an open end."""
    if epoch in (0.0, float("inf")):
        return None
    return datetime.fromtimestamp(epoch, UTC)


@router.get("")
def list_audit(
    _: Admin,
    runtime: RuntimeDep,
    paging: PagingDep,
    period: OptionalPeriodDep,
    action: Word = None,
    actor: Word = None,
    number: Annotated[str | None, Query(min_length=1, max_length=40)] = None,
    order: Literal["oldest", "newest"] = "oldest",
) -> Page[AuditOut]:
    """Audit entries, oldest first (`?order=newest` for the latest first); `?action=`,
    `?actor=`, `?number=` and `?from=&to=` (ISO dates or date-times) filter."""
    audit = runtime.store.audit
    filters: dict[str, Any] = {"action": action, "actor": actor}
    if number is not None:
        filters["number"] = parse_number(number, ["query", "number"])
    if period is not None:
        filters["since"], filters["until"] = _moment(period.start), _moment(period.end)
    entries = audit.list(
        limit=paging.limit, offset=paging.offset, newest_first=order == "newest", **filters
    )
    return paging.page(
        [AuditOut.model_validate(e.as_json()) for e in entries], audit.count(**filters)
    )
