"""The text rules every edge applies: names and free text."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from tidal.config import SafeName, SafeText, TextError, check_text, name_key, normalize_name


class _Body(BaseModel):
    name: SafeName
    notes: SafeText = ""


@pytest.mark.parametrize("value", ["res\u0000olved", "a\x1bb", "x\x7f", "\ud800"])
def test_free_text_refuses_nul_and_control_characters(value: str) -> None:
    with pytest.raises(TextError, match="not allowed"):
        check_text(value)


def test_free_text_keeps_lines_and_tabs() -> None:
    assert check_text("line one\n\tline two\r\n") == "line one\n\tline two\r\n"


@pytest.mark.parametrize(
    "value",
    ["ali\u200bce", "\u202eecila", "a/b", "a\\b", "   ", "x" * 65, "bob\u0000"],
)
def test_names_refuse_format_path_and_control_characters(value: str) -> None:
    with pytest.raises(TextError):
        normalize_name(value)


def test_names_are_nfkc_normalised_and_unique_regardless_of_case() -> None:
    assert normalize_name(" \uff21lice ") == "Alice"  # fullwidth A
    assert name_key("ALICE") == name_key("alice") == name_key("\uff21LICE")


def test_pydantic_errors_name_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        _Body(name="ok", notes="res\u0000olved")
    (error,) = caught.value.errors()
    assert error["loc"] == ("notes",)
    assert "U+0000" in error["msg"]
