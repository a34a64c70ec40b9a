"""What text Tidal accepts: one rule for names and one for free text, at every edge.

PostgreSQL cannot store NUL in text, and SQLite can; control characters in a name or a
note have no meaning to a person and hide in logs and CSV exports. Names (users, agents,
queues, campaigns, flows, groups) also must not carry format characters (bidi overrides,
zero-width joiners) that make two different names look alike, and must be addressable
in a URL path segment, so `/` is refused. Both rules hold for both databases alike.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Final

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

NAME_MAX_LENGTH: Final = 64
TEXT_MAX_LENGTH: Final = 10_000
# Free text (notes, reasons) may span lines and hold tabs; nothing else below U+0020.
_FREE_TEXT_CONTROLS: Final = frozenset("\t\n\r")
_NAME_FORBIDDEN: Final = frozenset("/\\")


class TextError(ValueError):
    """Text Tidal does not accept, with the reason in words."""


def _bad_character(value: str, *, allow: frozenset[str], formats: bool) -> str | None:
    """The first character that is refused, described, or None."""
    for index, char in enumerate(value):
        if char in allow:
            continue
        category = unicodedata.category(char)
        if category == "Cc" or category in ("Cs", "Co", "Cn") or (formats and category == "Cf"):
            name = unicodedata.name(char, f"U+{ord(char):04X}")
            return f"character {index + 1} is {name} (U+{ord(char):04X}), which is not allowed"
    return None


def check_text(value: str, *, max_length: int = TEXT_MAX_LENGTH) -> str:
    """Free text: no NUL or other control characters except tab and line breaks."""
    problem = _bad_character(value, allow=_FREE_TEXT_CONTROLS, formats=False)
    if problem is not None:
        raise TextError(problem)
    if len(value) > max_length:
        raise TextError(f"at most {max_length} characters (got {len(value)})")
    return value


def normalize_name(value: str, *, max_length: int = NAME_MAX_LENGTH) -> str:
    """A name as stored: NFKC, trimmed, without control, format or path characters."""
    name = unicodedata.normalize("NFKC", value).strip()
    if not name:
        raise TextError("must not be empty")
    problem = _bad_character(name, allow=frozenset(), formats=True)
    if problem is not None:
        raise TextError(problem)
    if any(char in _NAME_FORBIDDEN for char in name):
        raise TextError("must not contain '/' or '\\'")
    if len(name) > max_length:
        raise TextError(f"at most {max_length} characters (got {len(name)})")
    return name


def name_key(name: str) -> str:
    """What two names must not share: names are unique regardless of case."""
    return normalize_name(name).casefold()


def _validated_text(value: str) -> str:
    try:
        return check_text(value)
    except TextError as error:
        raise PydanticCustomError("text", "{reason}", {"reason": str(error)}) from None


def _validated_name(value: str) -> str:
    try:
        return normalize_name(value)
    except TextError as error:
        raise PydanticCustomError("name", "{reason}", {"reason": str(error)}) from None


SafeText = Annotated[str, AfterValidator(_validated_text)]
"""Free text for pydantic models: notes, reasons, dispositions' words."""

SCRIPT_MAX_LENGTH: Final = 20_000


def _validated_script(value: str) -> str:
    try:
        return check_text(value, max_length=SCRIPT_MAX_LENGTH)
    except TextError as error:
        raise PydanticCustomError("text", "{reason}", {"reason": str(error)}) from None


ScriptText = Annotated[str, AfterValidator(_validated_script)]
"""A call script: free text with line breaks, longer than a note, still bounded."""

SafeName = Annotated[str, AfterValidator(_validated_name)]
"""A name for pydantic models: NFKC-normalised, printable, no `/`, bounded."""
