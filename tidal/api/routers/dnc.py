"""`/api/v1/dnc`: check numbers, internal lists and consents (listed, searched, paged;
add/remove), registry upload.

Taking a number off the internal list undoes a consumer's "don't call me", and a
consent dated in the past makes calls lawful that were not: both are an admin's
decision with a reason in the audit trail. Every entry is dated by the server's clock;
a date the client claims (a consent's `at`) is kept beside it as `granted_at`.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Final

from fastapi import APIRouter, HTTPException, Query, Request, UploadFile, status
from pydantic import AwareDatetime, BaseModel, Field

from tidal.api._auth import Admin, Principal, Supervisor, not_found
from tidal.api._common import Page, PagingDep, unprocessable
from tidal.api._compliance import ComplianceDesk
from tidal.api._leads import search_digits
from tidal.api._limits import UPLOAD_ROUTE
from tidal.api.const import API_PREFIX
from tidal.config import SafeText
from tidal.core.compliance import ConsentKind, e164, nanp_number
from tidal.dnc import DncError, import_registry
from tidal.store import Role

router = APIRouter(prefix=f"{API_PREFIX}/dnc", tags=["dnc"])

# How far a client's clock may run ahead of or behind the server's before a consent's
# `at` counts as in the future (refused) or backdated (admin only, with a reason).
CLOCK_SKEW: Final = timedelta(minutes=5)
REASON_MAX_LENGTH: Final = 200


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
    reason: SafeText | None = Field(default=None, min_length=1, max_length=REASON_MAX_LENGTH)


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


def given_reason(reason: str | None, loc: list[str]) -> str:
    """The reason an admin gave for a sensitive change; 422 naming the field without one."""
    if reason is None or not reason.strip():
        raise unprocessable(loc, "a reason is required for this change")
    return reason


def consent_date(body: ConsentIn, principal: Principal, now: datetime) -> datetime:
    """When the consent was given: `at` as claimed, or now.

    A date the server cannot place in UTC, or one in the future, is refused; one in
    the past (beyond the clock skew) is an admin's to record, with a reason.
    """
    if body.at is None:
        return now
    try:
        claimed = body.at.astimezone(UTC)
    except OverflowError:
        raise unprocessable(["body", "at"], "not a representable date and time") from None
    if claimed > now + CLOCK_SKEW:
        raise unprocessable(["body", "at"], f"in the future (server time {now.isoformat()})")
    if claimed < now - CLOCK_SKEW:
        if principal.role is not Role.ADMIN:
            raise HTTPException(
                status_code=status.HTTP_403_FORBIDDEN,
                detail=f"a {principal.role} may not record a consent dated in the past",
            )
        given_reason(body.reason, ["body", "reason"])
    return claimed


def parse_number(raw: str, loc: list[str]) -> int:
    """A NANP number as the gate keys it; 422 naming the field when it is not one."""
    number = nanp_number(raw)
    if number is None:
        raise unprocessable(loc, f"{raw!r} is not a valid US/NANP phone number")
    return number


class DncEntryOut(BaseModel):
    """A number on an internal list: company-wide (campaign None) or one campaign's."""

    number: str
    campaign: str | None
    source: str
    added_at: datetime


class ConsentEntryOut(BaseModel):
    """A consent or business relationship on file, and whether it holds now."""

    number: str
    kind: ConsentKind
    source: str
    granted_at: datetime
    expires_at: datetime | None
    valid: bool


Search = Annotated[str | None, Query(max_length=40, description="Digits the number holds")]


@router.get("")
def list_internal(
    _: Supervisor,
    request: Request,
    paging: PagingDep,
    number: Search = None,
    campaign: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
) -> Page[DncEntryOut]:
    """The internal Do-Not-Call lists, by number; `?number=` searches digits,
    `?campaign=` keeps one campaign's list and the company-wide one."""
    wanted = search_digits(number)
    entries = [
        DncEntryOut(
            number=e164(e.number), campaign=e.campaign, source=e.source, added_at=e.added_at
        )
        for e in desk(request).open().lists.internal_entries()
        if (campaign is None or e.campaign in (None, campaign))
    ]
    return paging.cut([e for e in entries if wanted in e.number])


@router.get("/consent")
def list_consents(
    _: Supervisor, request: Request, paging: PagingDep, number: Search = None
) -> Page[ConsentEntryOut]:
    """Consents and business relationships on file, by number; `?number=` searches digits."""
    wanted = search_digits(number)
    now = datetime.now(UTC)
    entries = [
        ConsentEntryOut(
            number=e164(c.number),
            kind=c.kind,
            source=c.source,
            granted_at=c.granted_at,
            expires_at=c.expires_at(),
            valid=c.valid_at(now),
        )
        for c in desk(request).open().lists.consents()
    ]
    return paging.cut([e for e in entries if wanted in e.number])


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
    principal: Admin,
    request: Request,
    campaign: Annotated[str | None, Query()] = None,
    reason: Annotated[SafeText | None, Query(max_length=REASON_MAX_LENGTH)] = None,
) -> DncChange:
    """Take a number off an internal list (admin, `?reason=` required; audited).

    404 when it was not on it. The removal lifts an opt-out, so the reason is kept.
    """
    parsed = parse_number(number, ["path", "number"])
    why = given_reason(reason, ["query", "reason"])
    with desk(request).change() as compliance:
        found = compliance.remove_internal_dnc(
            parsed, at=datetime.now(UTC), actor=principal.actor, campaign=campaign, reason=why
        )
    if not found:
        raise not_found(f"{e164(parsed)} is not on the {campaign or 'company-wide'} list")
    return DncChange(number=e164(parsed), campaign=campaign, changed=True)


@router.post("/consent", status_code=status.HTTP_201_CREATED)
def grant(body: ConsentIn, principal: Supervisor, request: Request) -> ConsentOut:
    """Record written consent or a business relationship (audited).

    `at` in the future or beyond any calendar is 422; in the past, admin only with a
    `reason`. The audit entry is dated now, with `at` as its `granted_at`.
    """
    number = parse_number(body.number, ["body", "number"])
    now = datetime.now(UTC)
    given = consent_date(body, principal, now)
    with desk(request).change() as compliance:
        consent = compliance.grant_consent(
            number,
            body.kind,
            at=given,
            actor=principal.actor,
            source=body.source,
            recorded_at=now,
            reason=body.reason,
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
