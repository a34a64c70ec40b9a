"""Flow actions are values: frozen, slotted, compared by content."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tidal.core.flows import (
    CollectDigits,
    Enqueue,
    HangUp,
    OfferCallback,
    PlayPrompt,
    ScheduleCallback,
    SetData,
    Transfer,
    Voicemail,
)

ACTIONS = [
    PlayPrompt(1, "Hello"),
    CollectDigits(1, "Account?", 6, 10, 8.0, "#"),
    SetData(1, "language", "es"),
    Enqueue(1, "billing", 2, {"language": "es"}),
    OfferCallback(1, "support", "Press 1", "1", 5.0),
    ScheduleCallback(1, "support", "+13055550100", 0, {}),
    Voicemail(1, "support", None),
    Transfer(1, "+18005550100"),
    HangUp(1, "completed"),
]


@pytest.mark.parametrize("action", ACTIONS, ids=lambda action: type(action).__name__)
def test_actions_are_frozen_slotted_values(action: Any) -> None:
    assert dataclasses.is_dataclass(type(action))
    assert not hasattr(action, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        action.contact_id = 2
    assert action == dataclasses.replace(action)
