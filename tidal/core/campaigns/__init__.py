"""Outbound campaigns: lead lists and (later) their lifecycle, dispositions and pacing."""

from tidal.core.campaigns.leads import (
    LeadImport,
    LeadRow,
    RowError,
    detect_columns,
    parse_leads,
)

__all__ = ["LeadImport", "LeadRow", "RowError", "detect_columns", "parse_leads"]
