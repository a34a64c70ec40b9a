"""Callers in call flows in the simulator: the shipped examples run and add up."""

from __future__ import annotations

from pathlib import Path

import pytest

from tidal.config import ConfigError, load_scenario
from tidal.sim import Simulation, simulate

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _run(name: str) -> dict[str, object]:
    path = EXAMPLES / name
    return simulate(load_scenario(path), base_dir=path.parent).as_json()


def test_support_line_example_reports_ivr_containment_and_callbacks() -> None:
    figures = _run("support-line-day.yaml")
    flow = figures["flows"]["support-line"]  # type: ignore[index]
    outcomes = flow["outcomes"]
    # Callers after 18:00 hear the closed message and leave voicemail: contained.
    assert outcomes["voicemail"] > 0 and flow["contained"] >= outcomes["voicemail"]
    # Callers still in the flow when the day ends, or answered by an agent while hearing
    # the callback offer, have no outcome: a handful at most.
    assert 0 <= flow["callers"] - sum(outcomes.values()) <= 0.01 * flow["callers"]
    assert 0 < flow["containment"] < 0.5
    assert flow["mean_ivr_seconds"] > 5
    queues = figures["queues"]  # type: ignore[index]
    # Menu choice 1 sends billing callers to the billing queue, which has no arrivals of its own.
    assert queues["billing"]["offered"] > 0
    # Virtual hold: some support callers took the callback, and most calls back connected.
    support = queues["support"]
    assert support["callbacks_requested"] > 0
    assert 0.5 < support["callback_success_rate"] <= 1.0
    assert outcomes["queued"] + outcomes.get("callback", 0) >= queues["support"]["offered"]


def test_multi_language_example_routes_by_language() -> None:
    figures = _run("multi-language-day.yaml")
    queues = figures["queues"]  # type: ignore[index]
    offered = {name: q["offered"] for name, q in queues.items()}
    # 70 / 22 / 5% pressed 1 / 2 / 3 (3% pressed nothing and default to English).
    total = sum(offered.values())
    assert offered["english"] / total == pytest.approx(0.73, abs=0.03)
    assert offered["spanish"] / total == pytest.approx(0.22, abs=0.03)
    assert offered["french"] / total == pytest.approx(0.05, abs=0.015)
    assert figures["flows"]["multi-language"]["containment"] == 0.0  # type: ignore[index]


def test_a_queue_naming_an_unknown_flow_is_a_config_error(tmp_path: Path) -> None:
    text = (EXAMPLES / "support-line-day.yaml").read_text().replace("flow: support-line", "flow: x")
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "support-line.yaml").write_text(
        (EXAMPLES / "flows" / "support-line.yaml").read_text()
    )
    scenario_path = tmp_path / "day.yaml"
    scenario_path.write_text(text)
    with pytest.raises(ConfigError, match=r"queues\[0\]\.flow"):
        Simulation(load_scenario(scenario_path), base_dir=tmp_path)
