"""A whole column of phone numbers at once: `nanp_number`'s answers at numpy speed.

Values in the plain US formats (digits with `+`, spaces, `(`, `)`, `.`, `-`) whose
area code `nanp_number` decides by syntax alone are parsed as a character matrix;
everything else (other characters, other area codes, odd shapes) is handed to
`nanp_number` itself, once per distinct value, so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
from numpy.typing import NDArray

# The core's own table of area codes it decides without phonenumbers; importing it
# (rather than copying the rule) keeps both paths on one definition.
from tidal.core.compliance.numbers import always_valid_area_codes, nanp_number
from tidal.dnc.const import AREA_CODE_SPACE, LOCAL_NUMBERS

_BLOCK = 1 << 16  # values per pass: keeps the temporaries in cache

_DIGIT, _SEPARATOR, _PLUS, _OTHER = 1, 2, 4, 8  # character classes, as bit flags
_CLASSES = np.full(256, _OTHER, dtype=np.uint8)  # UTF-8 byte -> class
_CLASSES[ord("0") : ord("9") + 1] = _DIGIT
_CLASSES[[ord(c) for c in " ().-\n"]] = _SEPARATOR  # "\n" ends each value in a block
_CLASSES[ord("+")] = _PLUS
_DIGIT_WEIGHTS = 10 ** np.arange(9, -1, -1, dtype=np.int64)
_TWELVE = np.arange(12)
_PADDING = np.zeros(12, dtype=np.uint8)  # so the first value has 12 bytes before its end


@cache
def _fast_area_codes() -> NDArray[np.bool_]:
    """Area codes whose plain-format numbers `nanp_number` decides by their digits."""
    table = np.zeros(AREA_CODE_SPACE, dtype=np.bool_)
    table[sorted(always_valid_area_codes())] = True
    return table


def normalize_many(values: Sequence[str]) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Parse a column of phone numbers in one go (scrubbing a million leads takes seconds).

    Returns the 10-digit NANP numbers (0 where invalid) and the mask of valid ones;
    element by element the same answers as `nanp_number`.
    """
    count = len(values)
    numbers = np.zeros(count, dtype=np.int64)
    valid = np.zeros(count, dtype=np.bool_)
    scalar: list[NDArray[np.intp]] = []
    for start in range(0, count, _BLOCK):
        stop = min(start + _BLOCK, count)
        block = list(values[start:stop])
        text = "\n".join(block)
        multiline = np.zeros(len(block), dtype=np.bool_)
        if text.count("\n") != len(block) - 1:  # a value holds a newline: not a plain one
            multiline = np.array(["\n" in value for value in block], dtype=np.bool_)
            text = "\n".join(
                "" if skip else value for value, skip in zip(block, multiline, strict=True)
            )
        undecided = _parse_block(text, numbers[start:stop], valid[start:stop])
        scalar.append(np.flatnonzero(undecided | multiline) + start)
    if scalar:
        _parse_scalar(values, np.concatenate(scalar), numbers, valid)
    return numbers, valid


def _parse_block(
    text: str, numbers: NDArray[np.int64], valid: NDArray[np.bool_]
) -> NDArray[np.bool_]:
    """Fill `numbers`/`valid` where the fast path decides; return the undecided mask.

    `text` is the block's values joined by newlines. Its UTF-8 bytes are classified
    at once; dropping the separators leaves every value's `+` and digits back to back,
    and a value is plain when that run matches `\\+?1?\\d{10}`, as in `nanp_number`.
    """
    data = np.frombuffer((text + "\n").encode("utf-8", "surrogatepass"), dtype=np.uint8)
    ends = np.flatnonzero(data == ord("\n"))  # one per value
    starts = np.empty_like(ends)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    classes = np.take(_CLASSES, data)
    kept = (classes & (_DIGIT | _PLUS)) != 0
    kept_count = np.add.reduceat(kept, starts, dtype=np.intp)
    stripped = np.concatenate((_PADDING, data[kept]))
    last = np.cumsum(kept_count) + len(_PADDING)
    tail = stripped[(last - 12)[:, None] + _TWELVE]  # each value's last 12 kept bytes
    digits = tail[:, 2:] - np.uint8(ord("0"))
    plain = np.ones(len(ends), dtype=np.bool_)
    plain[np.searchsorted(ends, np.flatnonzero(classes & _OTHER))] = False
    plus, one = ord("+"), ord("1")
    prefix_ok = (
        (kept_count == 10)
        | ((kept_count == 11) & ((tail[:, 1] == plus) | (tail[:, 1] == one)))
        | ((kept_count == 12) & (tail[:, 0] == plus) & (tail[:, 1] == one))
    )
    shaped = plain & prefix_ok & (digits < 10).all(axis=1)
    candidates = np.flatnonzero(shaped)
    undecided = np.ones(len(ends), dtype=np.bool_)
    if len(candidates) == 0:
        return undecided
    matrix = digits[candidates].astype(np.int64)
    number = matrix @ _DIGIT_WEIGHTS
    decided = _fast_area_codes()[number // LOCAL_NUMBERS]
    ok = decided & (matrix[:, 3] >= 2)  # exchanges 0xx and 1xx do not exist
    numbers[candidates[ok]] = number[ok]
    valid[candidates[ok]] = True
    undecided[candidates[decided]] = False
    return undecided


def _parse_scalar(
    values: Sequence[str],
    indexes: NDArray[np.intp],
    numbers: NDArray[np.int64],
    valid: NDArray[np.bool_],
) -> None:
    """`nanp_number` for the values the fast path left, each distinct value once."""
    seen: dict[str, int | None] = {}
    for index in indexes.tolist():
        value = values[index]
        if value in seen:
            number = seen[value]
        else:
            number = seen[value] = nanp_number(value)
        if number is not None:
            numbers[index] = number
            valid[index] = True
