"""The Do-Not-Call lists and consents as the CLI keeps them, for the API's DNC routes.

The lists live in the compliance audit trail `$TIDAL_HOME/audit.jsonl` (the file
`tidal dnc add/remove/consent/revoke` append to and replay from), the registry in
`$TIDAL_HOME/dnc/registry`. Every change made through the API is appended to that
file and also to the store's audit log, which `GET /api/v1/audit` pages through.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tidal.config import load_calling_rules
from tidal.core.compliance import CallingWindows, Compliance
from tidal.core.compliance.audit import AuditEntry
from tidal.dnc import AuditLog, Registry
from tidal.store import Store


class ComplianceDesk:
    """Opens the gate with the registry and lists on disk, and records what changes."""

    def __init__(self, home: Path, store: Store) -> None:
        self.registry_root = home / "dnc" / "registry"
        self.trail = AuditLog(home / "audit.jsonl")
        self._store = store
        self._windows: CallingWindows | None = None
        self._lock = threading.RLock()

    def registry(self) -> Registry:
        """The national registry's bitmaps."""
        return Registry(self.registry_root)

    def open(self) -> Compliance:
        """A gate whose lists are replayed from the audit trail as it is now.

        Reads take the lock too, so that none reads a line another request is writing.
        """
        with self._lock:
            if self._windows is None:
                self._windows = CallingWindows(load_calling_rules())
            compliance = Compliance(self.registry(), self._windows)
            self.trail.load_into(compliance)
            return compliance

    @contextmanager
    def change(self) -> Iterator[Compliance]:
        """A gate to change lists with; its audit entries are recorded on leaving.

        Changes are serialised, so two requests never decide on the same stale lists.
        The store's log is written first: a database that refuses an entry leaves the
        file, where the lists are replayed from, unchanged, so the trails agree.
        """
        with self._lock:
            compliance = self.open()
            yield compliance
            self.record(compliance.drain_audit())

    def record(self, entries: list[AuditEntry]) -> None:
        """Append entries to both audit trails (sign-ins, user changes, list changes).

        The store's log first, as `change` does, so a refused entry reaches neither.
        """
        with self._lock:
            for entry in entries:
                self._store.audit.append(entry)
            self.trail.append(entries)
