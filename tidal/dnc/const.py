"""Sizes, file names and limits of the Do-Not-Call store, in one place."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from tidal.core.compliance.numbers import NANP_BASE

LOCAL_NUMBERS: Final = NANP_BASE  # local numbers (NXX-XXXX) per area code
BITMAP_BYTES: Final = LOCAL_NUMBERS // 8  # one bit per local number: 1,250,000 bytes
AREA_CODE_SPACE: Final = 1000  # area codes are three digits
MIN_AREA_CODE: Final = 200  # NANP area codes start with 2-9
BITMAP_SUFFIX: Final = ".bits"
META_FILE: Final = "meta.json"
META_FORMAT: Final = 1
STALE_AFTER: Final = timedelta(days=31)  # CONTRACTS 5: older full downloads block dials
MAX_STORED_ERRORS: Final = 1000  # line errors and invalid rows kept in a report (all counted)
PHONE_COLUMNS: Final = ("phone", "phone_number", "number", "telephone", "mobile")
