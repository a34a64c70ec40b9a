"""`normalize_many` gives `nanp_number`'s answer for every value, fast path or not."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tidal.core.compliance.numbers import nanp_number
from tidal.dnc import normalize_many

FORMATS = (
    "+1{a}{b}{c}",
    "1{a}{b}{c}",
    "{a}{b}{c}",
    "+{a}{b}{c}",
    "({a}) {b}-{c}",
    "+1 ({a}) {b}-{c}",
    "1-{a}-{b}-{c}",
    "1 ({a}) {b}-{c}",
    "{a}.{b}.{c}",
    "{a}-{b}-{c}",
    "{a} {b} {c}",
    "+1.{a}.{b}.{c}",
    "(+1) {a} {b} {c}",
    "{a}{b}{c}+",
    "1+{a}{b}{c}",
    "++1{a}{b}{c}",
    "{b}-{c}",
    "+44 20 {b} {c}",
    "{a}/{b}-{c}",
    "tel:+1-{a}-{b}-{c}",
    "{a}{b}{c} ext. 12",
)
# Separators nanp_number removes (any whitespace) next to characters it does not.
PADDING = st.sampled_from(["", " ", "  ", "\t", "\n", "\u00a0", "\u2003", "\x00", "\r\n"])
JUNK = st.text(
    alphabet=st.sampled_from([*"0123456789+()-. abcx#*,\t\n\x00", "٣", "２", "\u00a0", "é"]),
    max_size=24,
)


@st.composite
def phone_values(draw: st.DrawFn) -> str:
    """A number in one of the usual formats (valid or not), perhaps padded or mangled."""
    npa = draw(st.one_of(st.integers(200, 999), st.integers(0, 999)))
    exchange = draw(st.integers(0, 999))
    line = draw(st.integers(0, 9999))
    text = draw(st.sampled_from(FORMATS)).format(
        a=f"{npa:03d}", b=f"{exchange:03d}", c=f"{line:04d}"
    )
    if draw(st.booleans()):
        text = draw(PADDING) + text + draw(PADDING)
    if draw(st.integers(0, 4)) == 0:
        position = draw(st.integers(0, len(text)))
        text = (
            text[:position]
            + draw(st.sampled_from(["1", "+", "x", "-", "0", "٣"]))
            + text[position:]
        )
    return text


def _check(values: list[str]) -> None:
    numbers, valid = normalize_many(values)
    assert numbers.dtype == np.int64 and valid.dtype == np.bool_
    assert len(numbers) == len(valid) == len(values)
    for value, number, ok in zip(values, numbers.tolist(), valid.tolist(), strict=True):
        expected = nanp_number(value)
        assert (number if ok else None) == expected, value
        assert ok or number == 0


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.one_of(phone_values(), JUNK), min_size=1, max_size=8))
def test_agrees_with_nanp_number_on_formats_and_junk(values: list[str]) -> None:
    _check(values)


def test_edge_cases() -> None:
    _check(
        [
            "",
            "+",
            "1",
            "2125550123",
            "212555012",
            "21255501234",
            "12125550123",
            "+12125550123",
            "+1 (212) 555-0123",
            "(212) 555-0123",
            "1-212-555-0123",
            "212.555.0123",
            "2121550123",  # exchange 1xx
            "2120550123",  # exchange 0xx
            "1125550123",  # area code 112
            "8095550123",  # Caribbean: phonenumbers decides
            "2125550123\x00",  # trailing NUL
            "\x002125550123",
            "２１２５５５０１２３",  # fullwidth digits
            "٢١٢٥٥٥٠١٢٣",  # Arabic-Indic digits
            "212\u00a0555\u00a00123",
            "2125550123\n",
            "212\n5550123",
            "+1" + " " * 40 + "2125550123",
            "\udc802125550123",  # a lone surrogate, as surrogateescape decoding makes
        ]
    )


def test_many_values_across_blocks_in_the_usual_formats() -> None:
    rng = random.Random(11)
    values = [
        rng.choice(FORMATS[:13]).format(
            a=rng.choice(["212", "305", "415", "503", "602", "808", "917"]),
            b=f"{rng.randrange(1000):03d}",
            c=f"{rng.randrange(10000):04d}",
        )
        for _ in range(70_000)
    ]
    values[12345] = "not a number"
    values[65536] = "212\n555 0123"
    _check(values)


def test_empty_input() -> None:
    numbers, valid = normalize_many([])
    assert numbers.shape == valid.shape == (0,)
