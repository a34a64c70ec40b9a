"""The compliance audit trail as an append-only JSON-lines file under `$TIDAL_HOME`.

Every change to the internal lists and to consents, and every refusal of the gate,
is one line. Until the database store exists this file is also where the lists
live: loading replays the changes in order, so the lists are exactly what the
audit trail says they are, and nothing is kept only in memory.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from tidal.config import open_private
from tidal.core.compliance import AuditEntry, Compliance, Consent, ConsentKind, DncEntry
from tidal.core.compliance.numbers import nanp_number


class AuditLogError(ValueError):
    """A line of the audit file cannot be read; names the file and line."""


class AuditLog:
    """Appends audit entries durably and replays list changes into a `Compliance`."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, entries: Iterable[AuditEntry]) -> int:
        """Write entries at the end of the file and fsync; returns how many."""
        lines = [json.dumps(entry.as_json(), sort_keys=True) + "\n" for entry in entries]
        if not lines:
            return 0
        with open_private(self.path, "a", encoding="utf-8") as handle:
            handle.writelines(lines)
            handle.flush()
            os.fsync(handle.fileno())
        return len(lines)

    def entries(self) -> list[dict[str, Any]]:
        """Every entry in the file, oldest first."""
        if not self.path.exists():
            return []
        entries = []
        with self.path.open(encoding="utf-8") as handle:
            for line_number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    entries.append(json.loads(line))
                except json.JSONDecodeError as error:
                    raise AuditLogError(f"{self.path}:{line_number}: {error.msg}") from error
        return entries

    def load_into(self, compliance: Compliance) -> int:
        """Replay list and consent changes into `compliance` (not re-audited); returns count."""
        applied = 0
        lists = compliance.lists
        for line_number, entry in enumerate(self.entries(), start=1):
            action = entry.get("action")
            if action not in _CHANGES:
                continue
            number = nanp_number(entry.get("number") or "")
            if number is None:
                raise AuditLogError(f"{self.path}: entry {line_number} has no valid number")
            at = datetime.fromisoformat(entry["at"])
            details = entry.get("details", {})
            campaign = entry.get("campaign")
            if action == "internal_dnc_added":
                lists.add_internal(DncEntry(number, campaign, details.get("source", ""), at))
            elif action == "internal_dnc_removed":
                lists.remove_internal(number, campaign)
            elif action == "opt_out":
                lists.add_internal(DncEntry(number, None, f"opt_out:{details.get('channel')}", at))
            elif action == "consent_granted":
                kind = ConsentKind(details["kind"])
                # Dated as given (`granted_at`, as claimed), not as recorded (`at`).
                given = details.get("granted_at")
                granted = at if given is None else datetime.fromisoformat(given)
                lists.grant(Consent(number, kind, details.get("source", ""), granted))
            elif action == "consent_revoked":
                lists.revoke(number)
            applied += 1
        return applied


_CHANGES = frozenset(
    {"internal_dnc_added", "internal_dnc_removed", "opt_out", "consent_granted", "consent_revoked"}
)
