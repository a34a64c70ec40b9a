"""`GET /api/v1/audit`: the audit log (list and consent changes, refusals, dispositions)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from tidal.api._auth import Admin
from tidal.api._common import Page, PagingDep, RuntimeDep
from tidal.api.const import API_PREFIX

router = APIRouter(prefix=f"{API_PREFIX}/audit", tags=["audit"])


class AuditOut(BaseModel):
    """One audit entry: when, what, who, about which number and campaign."""

    at: str
    action: str
    actor: str
    number: str | None
    campaign: str | None
    details: dict[str, Any]


@router.get("")
def list_audit(_: Admin, runtime: RuntimeDep, paging: PagingDep) -> Page[AuditOut]:
    """Audit entries, oldest first."""
    audit = runtime.store.audit
    entries = audit.list(limit=paging.limit, offset=paging.offset)
    return paging.page([AuditOut.model_validate(e.as_json()) for e in entries], audit.count())
