"""`/api/v1/dnc`: check numbers, internal list add/remove, consent, registry upload."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, UploadFile, status
from pydantic import AwareDatetime, BaseModel, Field

from tidal.api._auth import Admin, Supervisor, not_found
from tidal.api._compliance import ComplianceDesk
from tidal.api._limits import UPLOAD_ROUTE
from tidal.api.const import API_PREFIX
from tidal.core.compliance import ConsentKind, e164, nanp_number
from tidal.dnc import DncError, import_registry

router = APIRouter(prefix=f"{API_PREFIX}/dnc", tags=["dnc"])


class Verdict(BaseModel):
    """Whether a number is blocked, and why (or why it may be called)."""

    blocked: bool
    reasons: list[str]


class DncIn(BaseModel):
    """A number for an internal list: company-wide, or one campaign's."""

    number: str = Field(min_length=1, max_length=40)
    campaign: str | None = Field(default=None, min_length=1, max_length=100)
    reason: str = Field(default="admin", min_length=1, max_length=200)


class DncChange(BaseModel):
    """What a list change did."""

    number: str
    campaign: str | None
    changed: bool


class ConsentIn(BaseModel):
    """Written consent or an established business relationship, and where it is recorded."""

    number: str = Field(min_length=1, max_length=40)
    kind: ConsentKind
    source: str = Field(min_length=1, max_length=200)
    at: AwareDatetime | None = None


class ConsentOut(BaseModel):
    """A recorded consent and when it lapses (never for written consent)."""

    number: str
    kind: ConsentKind
    expires_at: datetime | None


class ConsentRevoked(BaseModel):
    """How many consents of a number were revoked."""

    number: str
    revoked: int


def desk(request: Request) -> ComplianceDesk:
    """The app's compliance desk."""
    found: ComplianceDesk = request.app.state.compliance
    return found


def parse_number(raw: str, loc: list[str]) -> int:
    """A NANP number as the gate keys it; 422 naming the field when it is not one."""
    number = nanp_number(raw)
    if number is None:
        raise HTTPException(
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=[
                {
                    "loc": loc,
                    "msg": f"{raw!r} is not a valid US/NANP phone number",
                    "type": "value_error",
                }
            ],
        )
    return number


@router.get("/{number}")
def check(
    number: str,
    _: Supervisor,
    request: Request,
    campaign: Annotated[str | None, Query()] = None,
) -> dict[str, Verdict]:
    """Whether the number may be called as far as DNC lists go (as `tidal dnc check --json`)."""
    decision = desk(request).open().check_number(number, datetime.now(UTC), campaign)
    key = number if decision.number is None else e164(decision.number)
    reasons = [str(r) for r in decision.reasons] or list(decision.grounds)
    return {key: Verdict(blocked=not decision.allowed, reasons=reasons)}


@router.post("", status_code=status.HTTP_201_CREATED)
def add(body: DncIn, principal: Supervisor, request: Request) -> DncChange:
    """Put a number on the internal list (audited)."""
    number = parse_number(body.number, ["body", "number"])
    with desk(request).change() as compliance:
        compliance.add_internal_dnc(
            number,
            at=datetime.now(UTC),
            actor=principal.actor,
            source=body.reason,
            campaign=body.campaign,
        )
    return DncChange(number=e164(number), campaign=body.campaign, changed=True)


@router.delete("/{number}")
def remove(
    number: str,
    principal: Supervisor,
    request: Request,
    campaign: Annotated[str | None, Query()] = None,
) -> DncChange:
    """Take a number off an internal list (audited); 404 when it was not on it."""
    parsed = parse_number(number, ["path", "number"])
    with desk(request).change() as compliance:
        found = compliance.remove_internal_dnc(
            parsed, at=datetime.now(UTC), actor=principal.actor, campaign=campaign
        )
    if not found:
        raise not_found(f"{e164(parsed)} is not on the {campaign or 'company-wide'} list")
    return DncChange(number=e164(parsed), campaign=campaign, changed=True)


@router.post("/consent", status_code=status.HTTP_201_CREATED)
def grant(body: ConsentIn, principal: Supervisor, request: Request) -> ConsentOut:
    """Record written consent or a business relationship (audited)."""
    number = parse_number(body.number, ["body", "number"])
    with desk(request).change() as compliance:
        consent = compliance.grant_consent(
            number,
            body.kind,
            at=body.at or datetime.now(UTC),
            actor=principal.actor,
            source=body.source,
        )
    return ConsentOut(number=e164(number), kind=consent.kind, expires_at=consent.expires_at())


@router.delete("/consent/{number}")
def revoke(number: str, principal: Supervisor, request: Request) -> ConsentRevoked:
    """Revoke a number's consents and business relationships (audited)."""
    parsed = parse_number(number, ["path", "number"])
    with desk(request).change() as compliance:
        revoked = compliance.revoke_consent(parsed, at=datetime.now(UTC), actor=principal.actor)
    return ConsentRevoked(number=e164(parsed), revoked=revoked)


@router.post("/registry", openapi_extra=UPLOAD_ROUTE)
def upload_registry(
    file: UploadFile,
    _: Admin,
    request: Request,
    whole_registry: Annotated[bool, Query()] = False,
) -> dict[str, Any]:
    """Import a national-registry file (full or change list, plain or zipped).

    Answers the import report: counts, and the bad lines with file, line and message.
    """
    name = Path(file.filename or "").name
    if name in ("", ".", ".."):
        name = "registry.txt"  # the file's name only tells zip from text and names errors
    with tempfile.TemporaryDirectory(prefix="tidal-registry-") as folder:
        path = Path(folder) / name
        with path.open("wb") as handle:
            shutil.copyfileobj(file.file, handle)
        try:
            report = import_registry(
                desk(request).registry(),
                path,
                now=datetime.now(UTC),
                whole_registry=whole_registry,
            )
        except DncError as error:
            raise HTTPException(
                status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
                detail=[{"loc": ["body", "file"], "msg": str(error), "type": "value_error"}],
            ) from None
    return report.as_json()
