"""A center file needs no simulated world; a simulation names each key it lacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tidal.config import (
    NEEDED_TO_SIMULATE,
    ConfigError,
    MissingWorld,
    campaign_world,
    load_scenario,
    queue_world,
    require_world,
    simulation_gaps,
)

EXAMPLE = Path(__file__).parents[2] / "examples" / "live-center.yaml"


def test_a_center_file_without_world_keys_loads_for_a_live_center() -> None:
    center = load_scenario(EXAMPLE)
    assert [q.name for q in center.queues] == ["billing", "tech"]
    assert center.queues[0].arrivals is None and center.campaigns[0].outcomes is None
    assert center.duration is None


def test_simulating_it_names_every_missing_key_with_its_line() -> None:
    with pytest.raises(ConfigError) as caught:
        load_scenario(EXAMPLE, simulate=True)
    shown = [str(issue) for issue in caught.value.issues]
    lines = EXAMPLE.read_text().splitlines()
    assert all(issue.message == NEEDED_TO_SIMULATE for issue in caught.value.issues)
    paths = [issue.path for issue in caught.value.issues]
    assert paths == [
        "duration",
        "queues[0].arrivals",
        "queues[0].handle_time",
        "queues[1].arrivals",
        "queues[1].handle_time",
        "campaigns[0].leads.count",
        "campaigns[0].leads.area_codes",
        "campaigns[0].outcomes",
        "campaigns[0].time_to_answer",
        "campaigns[0].talk_time",
    ]
    # A missing key is located at the item that lacks it (the queue's or campaign's line).
    billing = next(i for i in caught.value.issues if i.path == "queues[0].arrivals")
    assert billing.line is not None and "- name: billing" in lines[billing.line - 1]
    assert shown[1] == f"{EXAMPLE}:{billing.line} queues[0].arrivals: needed to simulate"


def test_the_simulator_gets_typed_worlds_or_the_missing_key() -> None:
    center = load_scenario(EXAMPLE)
    with pytest.raises(MissingWorld, match=r"queue 'billing'\.arrivals: needed to simulate"):
        queue_world(center.queues[0], "queue 'billing'")
    with pytest.raises(MissingWorld, match=r"leads\.count"):
        campaign_world(center.campaigns[0])
    with pytest.raises(MissingWorld, match="duration"):
        require_world(center)
    assert simulation_gaps(center, queues=False)[0] == ("duration",)


def test_a_full_scenario_has_no_gaps() -> None:
    demo = Path(__file__).parents[2] / "tidal" / "live" / "data" / "demo-center.yaml"
    center = load_scenario(demo, simulate=True)
    assert simulation_gaps(center) == []
    assert queue_world(center.queues[0]).arrivals.rate_per_hour == 180
