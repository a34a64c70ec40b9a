"""Where a lead's phone rings: the time zones and the US state of an area code or ZIP code.

libphonenumber answers time zones per number prefix: +1 850 555... gives only New York
although area code 850 also covers the Central-time part of the Florida panhandle. An
area code's zones are therefore the union over every prefix of that area code in its
time-zone data, so that a call is allowed only when it is inside the window in every
zone the area code may ring in. Tables are built once, on first use, and cached.

Zones are only ever added to libphonenumber's data, never removed: 907 keeps
America/Adak (the Aleutians west of 169.5 W are in area code 907 and on Hawaii-Aleutian
time) and Pacific/Honolulu (which the data gives for 907-581, Unalaska), at the cost of
an hour of summer mornings in Alaska.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
import zipcodes

from tidal.config import US_STATES
from tidal.core.compliance.numbers import area_code

# Overlay area codes serve exactly their parent's territory, but libphonenumber lists
# them with fewer zones (448 -> New York only, while 850 also rings in Central time).
# Each pair shares the union of both codes' zones. Sources: Florida PSC overlay of 850
# (2021), Kentucky PSC order of Dec 2012 (270/364), Indiana URC order of 2013 (812/930),
# Oregon PUC decision of Oct 2008 (541/458).
OVERLAYS: Final[Mapping[int, int]] = {448: 850, 364: 270, 930: 812, 458: 541}
# NANP members that are US territories: their own region in libphonenumber, a "state" here.
_TERRITORIES: Final = ("PR", "VI", "GU", "MP", "AS")
_STATE_SUFFIX = re.compile(r", ([A-Z]{2})$")
_GEOCODER_NAMES: Final[Mapping[str, str]] = {
    "Washington D.C.": "DC",
    "Washington State": "WA",
    "U.S. Virgin Islands": "VI",
}
_ZIP = re.compile(r"(\d{5})(?:-?\d{4})?")
# zipcodes ships its data but no annotations on its public functions.
_zip_rows: Callable[[str], list[dict[str, Any]]] = zipcodes.matching


@dataclass(frozen=True, slots=True)
class PostalLocation:
    """The time zones and state that a US ZIP code lies in."""

    zones: tuple[str, ...]
    state: str | None


@lru_cache(maxsize=4096)
def zone_info(name: str) -> ZoneInfo | None:
    """The IANA zone of that name, or None when the system's tz database lacks it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def area_code_zones(area_code: int) -> tuple[str, ...]:
    """Every time zone an area code may ring in (sorted); empty when unknown."""
    return _zone_table().get(area_code, ())


def area_code_state(area_code: int) -> str | None:
    """The US state or territory an area code belongs to, or None (Canada, Caribbean, unknown)."""
    return _state_table().get(area_code)


@cache
def _zone_table() -> Mapping[int, tuple[str, ...]]:
    """Area code -> union of the zones of all its prefixes, with overlays sharing their zones."""
    from phonenumbers.tzdata import TIMEZONE_DATA

    zones: defaultdict[int, set[str]] = defaultdict(set)
    for prefix, names in TIMEZONE_DATA.items():
        # "1" alone lists every NANP zone; area codes start at the 4th digit of "1NPA...".
        if prefix.startswith("1") and len(prefix) >= 4:
            zones[int(prefix[1:4])].update(names)
    for overlay, parent in OVERLAYS.items():
        shared = zones[overlay] | zones[parent]
        zones[overlay] = zones[parent] = shared
    table: dict[int, tuple[str, ...]] = {}
    for npa, found in zones.items():
        # A zone our tz database cannot load would make the area code look less restricted
        # than it is: such an area code is unknown rather than partly known.
        if found and all(zone_info(name) is not None for name in found):
            table[npa] = tuple(sorted(found))
    return table


@cache
def _state_table() -> Mapping[int, str]:
    """Area code -> state, by majority over libphonenumber's geocoder descriptions."""
    from phonenumbers.geodata import GEOCODE_DATA

    codes_by_name = {name: code for code, name in US_STATES.items()} | dict(_GEOCODER_NAMES)
    votes: defaultdict[int, Counter[str]] = defaultdict(Counter)
    for prefix, names in GEOCODE_DATA.items():
        description = names.get("en", "")
        if not prefix.startswith("1") or len(prefix) < 4 or not description:
            continue
        match = _STATE_SUFFIX.search(description)
        code = match.group(1) if match else codes_by_name.get(description, "")
        if code in US_STATES:
            votes[int(prefix[1:4])][code] += 1
    table = {npa: counter.most_common(1)[0][0] for npa, counter in votes.items()}
    for region in _TERRITORIES:
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        leading = metadata.leading_digits if metadata is not None else None
        if leading:
            for npa in range(200, 1000):
                if re.fullmatch(leading, str(npa)):
                    table[npa] = region
    return table


@lru_cache(maxsize=65536)
def postal_location(postal_code: str) -> PostalLocation | None:
    """Zones and state of a US ZIP (12345 or 12345-6789); None when unknown or zoneless."""
    match = _ZIP.fullmatch(postal_code.strip())
    if match is None:
        return None
    try:
        rows = _zip_rows(match.group(1))
    except (TypeError, ValueError):
        return None
    zones = tuple(sorted({str(row.get("timezone") or "") for row in rows}))
    if not zones or not all(zone_info(name) is not None for name in zones):
        return None  # military APO/FPO codes have no zone; a few rows carry a bad one
    states = {str(row.get("state") or "") for row in rows}
    state = states.pop() if len(states) == 1 else None
    return PostalLocation(zones, state if state in US_STATES else None)


def nanp_area_code(number: int) -> int | None:
    """The area code of a 10-digit NANP number, or None when it cannot be one."""
    npa = area_code(number)
    return npa if 200 <= npa <= 999 else None
