"""The one gate every dial passes: `Compliance.may_dial(lead, number, campaign, now)`.

It is pure: the registry arrives as an object with `contains` and `refreshed_at`
(the memory-mapped store of `tidal.dnc`, or a dict in tests), the clock as `now`.
A refusal is never a silent skip: it carries its reasons and is written to the
audit trail, as is every change to the internal lists and to consents.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Final, Protocol

from tidal.core.compliance.audit import AuditEntry
from tidal.core.compliance.ledger import AbandonLedger
from tidal.core.compliance.lists import ComplianceLists, Consent, ConsentKind, DncEntry
from tidal.core.compliance.numbers import area_code, is_e164, nanp_number

if TYPE_CHECKING:
    from tidal.core.compliance.windows import WindowDecision

REGISTRY_MAX_AGE: Final = timedelta(days=31)
SAFE_HARBOUR_SECONDS: Final = 2.0


class Reason(StrEnum):
    """Why a dial was refused (the words of `tidal dnc check` and the audit trail)."""

    INVALID = "invalid"
    INTERNAL = "internal"
    REGISTRY = "registry"
    REGISTRY_STALE = "registry_stale"
    CALLING_WINDOW = "calling_window"
    HOLIDAY = "holiday"
    UNKNOWN_ZONE = "unknown_zone"
    ABANDON_CAP = "abandon_cap"
    CALLER_ID = "caller_id"
    SAFE_HARBOUR = "safe_harbour"


WINDOW_REASONS: Final = frozenset({Reason.CALLING_WINDOW, Reason.HOLIDAY, Reason.UNKNOWN_ZONE})
DNC_REASONS: Final = frozenset({Reason.INTERNAL, Reason.REGISTRY, Reason.REGISTRY_STALE})


class DialMode(StrEnum):
    """How a campaign dials; only predictive and power can abandon a call."""

    PREVIEW = "preview"
    PROGRESSIVE = "progressive"
    POWER = "power"
    PREDICTIVE = "predictive"

    @property
    def can_abandon(self) -> bool:
        """Whether a person may answer with no agent free (more lines than agents)."""
        return self in (DialMode.POWER, DialMode.PREDICTIVE)


class RegistryView(Protocol):
    """What the gate needs of the national registry."""

    def contains(self, number: int) -> bool:
        """Whether the 10-digit number is registered."""

    def refreshed_at(self, area_code: int) -> datetime | None:
        """When the area code's newest full download was loaded."""


class WindowCheck(Protocol):
    """What the gate needs of the calling-window rules."""

    def check(
        self,
        number: int,
        now: datetime,
        *,
        time_zone: str | None = None,
        postal_code: str | None = None,
        campaign_hours: Mapping[str, tuple[time, time] | None] | None = None,
    ) -> WindowDecision:
        """Whether `now` is inside the number's calling window."""


class LeadLike(Protocol):
    """The lead fields the gate reads: overrides of where the callee is."""

    @property
    def lead_id(self) -> str:
        """The lead's id, for the audit trail."""

    @property
    def time_zone(self) -> str | None:
        """An IANA zone that overrides the number's."""

    @property
    def postal_code(self) -> str | None:
        """A US ZIP code that overrides the number's zone and state."""


@dataclass(frozen=True, slots=True)
class Lead:
    """A minimal lead for callers that have no richer one."""

    lead_id: str
    time_zone: str | None = None
    postal_code: str | None = None


@dataclass(frozen=True, slots=True)
class CampaignRules:
    """The compliance-relevant settings of an outbound campaign."""

    name: str
    caller_id: str
    max_abandon_rate: float = 0.03
    dial_mode: DialMode = DialMode.PROGRESSIVE
    # Weekday ("mon".."sun") -> allowed local hours, None = no calls; narrows the law.
    hours: Mapping[str, tuple[time, time] | None] | None = None
    seller_name: str = ""
    callback_number: str = ""

    def safe_harbour_message(self) -> str:
        """What an abandoned callee hears within 2 seconds (16 CFR 310.4(b)(4)(iii))."""
        return (
            f"This is a call from {self.seller_name}. We are sorry we missed you. "
            f"To reach us or to ask not to be called again, call {self.callback_number}."
        )


@dataclass(frozen=True, slots=True)
class Decision:
    """The gate's answer: allowed or refused, with every reason, and why allowed."""

    allowed: bool
    number: int | None
    reasons: tuple[Reason, ...] = ()
    grounds: tuple[str, ...] = ()  # "consent" / "ebr": why a registry number is callable
    next_allowed: datetime | None = None  # when a window refusal lifts, if known

    @property
    def dnc_blocked(self) -> bool:
        """Refused by a Do-Not-Call list (registry, stale registry or internal)."""
        return any(r in DNC_REASONS for r in self.reasons)

    @property
    def window_blocked(self) -> bool:
        """Refused only by the clock (calling hours, holidays)."""
        return any(r in WINDOW_REASONS for r in self.reasons)


@dataclass(slots=True)
class Compliance:
    """Do-Not-Call, consent, calling windows and the abandonment cap in one place."""

    registry: RegistryView
    windows: WindowCheck
    lists: ComplianceLists = field(default_factory=ComplianceLists)
    ledger: AbandonLedger = field(default_factory=AbandonLedger)
    registry_max_age: timedelta = REGISTRY_MAX_AGE
    audit: list[AuditEntry] = field(default_factory=list)
    # Decisions as data, for a runtime that logs them: while `journal` is a list, every
    # answer of `may_dial` is appended to it (the runtime logs them with the event that
    # asked); while `recorded` holds answers, `may_dial` hands them back in order instead
    # of asking the lists again (replay: a number put on a list since, or a registry
    # imported since, does not rewrite what was decided then).
    journal: list[Decision] | None = None
    recorded: deque[Decision] | None = None

    # -- questions -----------------------------------------------------------------------

    def check_number(
        self, number: int | str, now: datetime, campaign: str | None = None
    ) -> Decision:
        """The Do-Not-Call part of the gate alone (what `tidal dnc check` answers)."""
        parsed = number if isinstance(number, int) else nanp_number(number)
        if parsed is None:
            return Decision(False, None, (Reason.INVALID,))
        reasons: list[Reason] = []
        if self.lists.internal_entry(parsed, campaign) is not None:
            reasons.append(Reason.INTERNAL)
        grounds = self.lists.grounds(parsed, now)
        if not grounds:
            if self.registry.contains(parsed):
                reasons.append(Reason.REGISTRY)
            refreshed = self.registry.refreshed_at(area_code(parsed))
            if refreshed is None or now - refreshed > self.registry_max_age:
                reasons.append(Reason.REGISTRY_STALE)
        return Decision(not reasons, parsed, tuple(reasons), () if reasons else grounds)

    def may_dial(
        self,
        lead: LeadLike,
        number: int | str,
        campaign: CampaignRules,
        now: datetime,
        *,
        mode: DialMode | None = None,
    ) -> Decision:
        """Whether this dial may be made now; refusals are audited with their reasons."""
        if self.recorded:
            return self.recorded.popleft()
        decision = self._decide_dial(lead, number, campaign, now, mode)
        if self.journal is not None:
            self.journal.append(decision)
        return decision

    def _decide_dial(
        self,
        lead: LeadLike,
        number: int | str,
        campaign: CampaignRules,
        now: datetime,
        mode: DialMode | None,
    ) -> Decision:
        dnc = self.check_number(number, now, campaign.name)
        reasons = list(dnc.reasons)
        next_allowed: datetime | None = None
        if dnc.number is not None:
            window = self.windows.check(
                dnc.number,
                now,
                time_zone=lead.time_zone,
                postal_code=lead.postal_code,
                campaign_hours=campaign.hours,
            )
            if not window.allowed:
                reasons.append(Reason(window.reason or Reason.CALLING_WINDOW))
                next_allowed = window.next_allowed
        reasons.extend(self.campaign_problems(campaign))
        dial_mode = mode if mode is not None else campaign.dial_mode
        if dial_mode.can_abandon and self.ledger.would_exceed(
            campaign.name, now.date(), campaign.max_abandon_rate
        ):
            reasons.append(Reason.ABANDON_CAP)
        decision = Decision(not reasons, dnc.number, tuple(reasons), dnc.grounds, next_allowed)
        if not decision.allowed:
            self.audit.append(
                AuditEntry(
                    now,
                    "dial_refused",
                    "gate",
                    dnc.number,
                    campaign.name,
                    {"lead": lead.lead_id, "reasons": [str(r) for r in reasons]},
                )
            )
        return decision

    def campaign_problems(self, campaign: CampaignRules) -> list[Reason]:
        """What stops a campaign from dialling at all: caller ID and safe-harbour message."""
        problems: list[Reason] = []
        valid = is_e164(campaign.caller_id)
        caller = nanp_number(campaign.caller_id) if valid else None
        on_a_list = caller is not None and (
            self.lists.internal_entry(caller, None) is not None or self.registry.contains(caller)
        )
        if not valid or on_a_list:
            problems.append(Reason.CALLER_ID)
        if campaign.dial_mode.can_abandon and not (
            campaign.seller_name and is_e164(campaign.callback_number)
        ):
            problems.append(Reason.SAFE_HARBOUR)
        return problems

    def may_start(self, campaign: CampaignRules, now: datetime) -> Decision:
        """A campaign without a valid caller ID (or safe-harbour message) cannot start."""
        problems = self.campaign_problems(campaign)
        if problems:
            self.audit.append(
                AuditEntry(
                    now,
                    "campaign_refused",
                    "gate",
                    None,
                    campaign.name,
                    {"reasons": [str(r) for r in problems]},
                )
            )
        return Decision(not problems, None, tuple(problems))

    def allowed_modes(self, campaign: CampaignRules, now: datetime) -> tuple[DialMode, ...]:
        """Dial modes the ledger allows now: none that can abandon once the cap is reached."""
        if self.ledger.would_exceed(campaign.name, now.date(), campaign.max_abandon_rate):
            return tuple(m for m in DialMode if not m.can_abandon)
        return tuple(DialMode)

    # -- changes (each one audited) ---------------------------------------------------------

    def add_internal_dnc(
        self, number: int, *, at: datetime, actor: str, source: str, campaign: str | None = None
    ) -> None:
        """Put a number on the company-wide (or a campaign's) internal list."""
        self.lists.add_internal(DncEntry(number, campaign, source, at))
        self._changed(at, "internal_dnc_added", actor, number, campaign, source=source)

    def remove_internal_dnc(
        self,
        number: int,
        *,
        at: datetime,
        actor: str,
        campaign: str | None = None,
        reason: str | None = None,
    ) -> bool:
        """Take a number off an internal list (an administrator's correction, with why)."""
        removed = self.lists.remove_internal(number, campaign)
        why = {} if reason is None else {"reason": reason}
        self._changed(at, "internal_dnc_removed", actor, number, campaign, found=removed, **why)
        return removed

    def record_opt_out(
        self, number: int, *, at: datetime, actor: str, channel: str, campaign: str | None = None
    ) -> None:
        """Honour "don't call me" at once, company-wide, above any consent or relationship."""
        self.lists.add_internal(DncEntry(number, None, f"opt_out:{channel}", at))
        self._changed(at, "opt_out", actor, number, campaign, channel=channel)

    def grant_consent(
        self,
        number: int,
        kind: ConsentKind,
        *,
        at: datetime,
        actor: str,
        source: str,
        recorded_at: datetime | None = None,
        reason: str | None = None,
    ) -> Consent:
        """Record written consent or the start of a business relationship.

        `at` is when it was given (as claimed); the entry is dated `recorded_at`, the
        time of the change (default `at`), with the claim beside it as `granted_at`.
        """
        consent = Consent(number, kind, source, at)
        self.lists.grant(consent)
        expiry = consent.expires_at()
        why = {} if reason is None else {"reason": reason}
        self._changed(
            at if recorded_at is None else recorded_at,
            "consent_granted",
            actor,
            number,
            None,
            kind=str(kind),
            source=source,
            expires_at=None if expiry is None else expiry.isoformat(),
            granted_at=at.isoformat(),
            **why,
        )
        return consent

    def revoke_consent(self, number: int, *, at: datetime, actor: str) -> int:
        """Revoke a number's consents and relationships."""
        revoked = self.lists.revoke(number)
        self._changed(at, "consent_revoked", actor, number, None, revoked=revoked)
        return revoked

    def drain_audit(self) -> list[AuditEntry]:
        """Hand the runtime the audit entries to persist, oldest first."""
        entries, self.audit = self.audit, []
        return entries

    def _changed(
        self,
        at: datetime,
        action: str,
        actor: str,
        number: int,
        campaign: str | None,
        **details: object,
    ) -> None:
        self.audit.append(AuditEntry(at, action, actor, number, campaign, details))
