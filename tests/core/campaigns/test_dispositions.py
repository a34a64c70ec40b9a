"""Dispositions: system defaults, campaign overrides, and the flags' rules."""

from __future__ import annotations

import pytest

from tidal.core.campaigns import SYSTEM_DISPOSITIONS, Disposition, Dispositions, UnknownDisposition


def test_the_system_defaults_are_all_there() -> None:
    assert set(SYSTEM_DISPOSITIONS) == {
        "sale",
        "no_sale",
        "callback",
        "dnc",
        "wrong_number",
        "answering_machine",
        "busy",
        "no_answer",
        "dropped",
    }
    assert SYSTEM_DISPOSITIONS["sale"].sale and SYSTEM_DISPOSITIONS["sale"].final
    assert SYSTEM_DISPOSITIONS["dnc"].dnc_request
    assert SYSTEM_DISPOSITIONS["callback"].callback and not SYSTEM_DISPOSITIONS["callback"].final
    assert SYSTEM_DISPOSITIONS["busy"].retry_after == 600.0


def test_a_campaign_overrides_and_adds_dispositions() -> None:
    recycle = Disposition("no_sale", final=False, human_contact=True, retry_after=30 * 86400)
    survey = Disposition("survey_done", final=True, human_contact=True)
    dispositions = Dispositions([recycle, survey])
    assert dispositions["no_sale"] is recycle
    assert dispositions["survey_done"] is survey
    assert dispositions["sale"] == SYSTEM_DISPOSITIONS["sale"]


def test_an_unknown_code_names_the_known_ones() -> None:
    with pytest.raises(UnknownDisposition, match=r"'solds'.*known: .*sale"):
        Dispositions()["solds"]


def test_retry_delays_replace_only_retry_dispositions() -> None:
    changed = Dispositions().with_retry_delays({"busy": 60.0, "sale": 5.0})
    assert changed["busy"].retry_after == 60.0
    assert changed["sale"].retry_after is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"final": True, "retry_after": 10.0}, "final disposition has no retry delay"),
        ({"final": False}, "needs retry_after"),
        ({"final": False, "retry_after": -1.0}, ">= 0"),
    ],
)
def test_inconsistent_flags_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Disposition("x", **kwargs)  # type: ignore[arg-type]
