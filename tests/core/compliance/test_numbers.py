"""Number normalisation: the fast path agrees with phonenumbers."""

import phonenumbers
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tidal.core.compliance.numbers import area_code, e164, is_e164, nanp_number


@pytest.mark.parametrize(
    "raw",
    ["+12125550123", "12125550123", "2125550123", "(212) 555-0123", "1-212-555-0123",
     "212.555.0123", "+1 (212) 555 0123", " 212 555 0123 "],
)  # fmt: skip
def test_common_us_formats(raw: str) -> None:
    assert nanp_number(raw) == 2125550123


@pytest.mark.parametrize("raw", ["", "12345", "212555012", "+442071234567", "212-155-0123", "x"])
def test_invalid_or_foreign_numbers(raw: str) -> None:
    assert nanp_number(raw) is None


def _slow(raw: str) -> int | None:
    try:
        parsed = phonenumbers.parse(raw, "US")
    except phonenumbers.NumberParseException:
        return None
    if parsed.country_code != 1 or not phonenumbers.is_valid_number(parsed):
        return None
    return int(parsed.national_number)


@settings(max_examples=3000, deadline=None)
@example(npa=800, nxx=140, line=0, style="{}{}{}")  # toll-free 800-14x is valid
@given(
    npa=st.integers(200, 999),
    nxx=st.integers(0, 999),
    line=st.integers(0, 9999),
    style=st.sampled_from(["{}{}{}", "+1{}{}{}", "1-{}-{}-{}", "({}) {}-{}", "{}.{}.{}"]),
)
def test_fast_path_agrees_with_phonenumbers(npa: int, nxx: int, line: int, style: str) -> None:
    raw = style.format(f"{npa:03d}", f"{nxx:03d}", f"{line:04d}")
    assert nanp_number(raw) == _slow(raw)


def test_helpers() -> None:
    assert e164(2125550123) == "+12125550123"
    assert area_code(2125550123) == 212
    assert is_e164("+12025550100")
    assert not is_e164("12025550100")
    assert not is_e164("+1 202 555 0100")
