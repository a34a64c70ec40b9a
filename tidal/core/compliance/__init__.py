"""Compliance by construction: the gate every dial passes, and the data it decides on."""

from tidal.core.compliance.audit import AuditEntry
from tidal.core.compliance.gate import (
    REGISTRY_MAX_AGE,
    SAFE_HARBOUR_SECONDS,
    CampaignRules,
    Compliance,
    Decision,
    DialMode,
    Lead,
    LeadLike,
    Reason,
    RegistryView,
    WindowCheck,
)
from tidal.core.compliance.ledger import AbandonLedger
from tidal.core.compliance.lists import ComplianceLists, Consent, ConsentKind, DncEntry
from tidal.core.compliance.memory_registry import MemoryRegistry
from tidal.core.compliance.numbers import area_code, e164, is_e164, nanp_number
from tidal.core.compliance.windows import CallingWindows, RefusalReason, WindowDecision

__all__ = [
    "REGISTRY_MAX_AGE",
    "SAFE_HARBOUR_SECONDS",
    "AbandonLedger",
    "AuditEntry",
    "CallingWindows",
    "CampaignRules",
    "Compliance",
    "ComplianceLists",
    "Consent",
    "ConsentKind",
    "Decision",
    "DialMode",
    "DncEntry",
    "Lead",
    "LeadLike",
    "MemoryRegistry",
    "Reason",
    "RefusalReason",
    "RegistryView",
    "WindowCheck",
    "WindowDecision",
    "area_code",
    "e164",
    "is_e164",
    "nanp_number",
]
