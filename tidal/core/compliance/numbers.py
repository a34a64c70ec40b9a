"""Phone numbers for compliance: E.164 normalisation with a fast path for NANP numbers.

Registry, internal lists and consent are keyed by the 10-digit NANP number as an
int (area code * 10**7 + local number), which is what the registry bitmaps index.
Plain digit strings in the usual US formats are parsed without `phonenumbers`
(hundreds of thousands of rows a second when scrubbing); anything else, and every
area code whose validity depends on more than its digits, goes through it.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Final

import phonenumbers

NANP_BASE: Final = 10**7
_SEPARATORS = re.compile(r"[\s().\-]")
_PLAIN = re.compile(r"\+?1?(\d{10})")
# Sample exchanges per area code: enough to tell "always valid" from "never valid".
_PROBE_EXCHANGES = (200, 234, 345, 456, 555, 567, 678, 789, 890, 999)
_INVALID_PROBES = (0, 12, 99, 100, 123, 199)


def _valid(npa: int, nxx: int) -> bool:
    return bool(phonenumbers.is_valid_number(phonenumbers.parse(f"+1{npa}{nxx:03d}1234")))


@cache
def always_valid_area_codes() -> frozenset[int]:
    """Area codes where libphonenumber accepts exactly the exchanges 200-999.

    For these (the US and Canadian ones) validity is plain NANP syntax; for the
    rest (several Caribbean countries) `phonenumbers` decides number by number.
    """
    return frozenset(
        npa
        for npa in range(200, 1000)
        if all(_valid(npa, nxx) for nxx in _PROBE_EXCHANGES)
        and not any(_valid(npa, nxx) for nxx in _INVALID_PROBES)
    )


def nanp_number(raw: str) -> int | None:
    """The 10-digit NANP number of `raw` as an int, or None if it is not a valid one.

    Accepts `+12125550123`, `12125550123`, `2125550123`, `(212) 555-0123`,
    `1-212-555-0123`, `212.555.0123`; anything else is parsed by `phonenumbers`
    with the US as default region.
    """
    match = _PLAIN.fullmatch(_SEPARATORS.sub("", raw))
    if match is not None:
        digits = match.group(1)
        npa = int(digits[:3])
        # An exchange starting with 0 or 1 is almost always invalid, but not always
        # (phonenumbers knows 800-14x as toll-free): those go the slow, exact way.
        if npa in always_valid_area_codes() and digits[3] not in "01":
            return int(digits)
    return _slow_nanp_number(raw)


def _slow_nanp_number(raw: str) -> int | None:
    try:
        parsed = phonenumbers.parse(raw, "US")
    except phonenumbers.NumberParseException:
        return None
    national = parsed.national_number
    if parsed.country_code != 1 or national is None or not phonenumbers.is_valid_number(parsed):
        return None
    return int(national)


def e164(number: int) -> str:
    """The E.164 text of a 10-digit NANP number."""
    return f"+1{number:010d}"


def area_code(number: int) -> int:
    """The area code (NPA) of a 10-digit NANP number."""
    return number // NANP_BASE


@lru_cache(maxsize=4096)  # the gate asks it of a campaign's caller ID before every dial
def is_e164(text: str) -> bool:
    """Whether `text` is a valid number written in E.164 (as a caller ID must be)."""
    if not text.startswith("+"):
        return False
    try:
        parsed = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return False
    return (
        phonenumbers.is_valid_number(parsed)
        and phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == text
    )
