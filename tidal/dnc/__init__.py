"""The national Do-Not-Call registry: memory-mapped bitmap store, file import and scrubbing.

`Registry` answers the compliance gate's per-dial questions (`contains`,
`refreshed_at`) and batch lookups; `import_registry` loads the registry's full and
change lists; `scrub_csv` cleans a lead file; `read_csv_rows` reads a lead list's rows
(an unterminated quote costs one row); `normalize_many` parses a column of phone
numbers exactly as `tidal.core.compliance.numbers.nanp_number` does.
"""

from tidal.dnc._bitmap import AreaCodeMeta, DncError, Registry, RegistryError, RegistryMeta
from tidal.dnc._csv_rows import CsvRow, read_csv_rows
from tidal.dnc._import import (
    ImportReport,
    LineError,
    ListKind,
    ProgressCallback,
    RegistryImportError,
    import_registry,
)
from tidal.dnc._normalize import normalize_many
from tidal.dnc._progress import progress_bar
from tidal.dnc._scrub import InvalidRow, ScrubError, ScrubReport, scrub_csv, sniff_csv_format
from tidal.dnc.audit_log import AuditLog, AuditLogError

__all__ = [
    "AreaCodeMeta",
    "AuditLog",
    "AuditLogError",
    "CsvRow",
    "DncError",
    "ImportReport",
    "InvalidRow",
    "LineError",
    "ListKind",
    "ProgressCallback",
    "Registry",
    "RegistryError",
    "RegistryImportError",
    "RegistryMeta",
    "ScrubError",
    "ScrubReport",
    "import_registry",
    "normalize_many",
    "progress_bar",
    "read_csv_rows",
    "scrub_csv",
    "sniff_csv_format",
]
