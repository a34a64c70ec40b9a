"""Pacers: progressive, power, ADAPT-like, model-based, and loading one by name."""

from __future__ import annotations

import pytest

from tidal.core.campaigns import (
    AdaptPacer,
    CampaignStats,
    ModelPacer,
    PacerError,
    PacingView,
    PowerPacer,
    ProgressivePacer,
    load_pacer,
)


def view(**changes: object) -> PacingView:
    base: dict[str, object] = {
        "now": 100.0,
        "hour": 10,
        "free_agents": 3,
        "staffed_agents": 10,
        "talking": (),
        "wrapping": (),
        "ringing": (),
        "waiting_humans": 0,
        "abandoned": 0,
        "human_answers": 0,
        "headroom": 0,
        "cap": 0.03,
        "target": 0.026,
        "stats": CampaignStats(),
    }
    base.update(changes)
    return PacingView(**base)  # type: ignore[arg-type]


def trained_stats() -> CampaignStats:
    """Statistics after a few hundred calls: 25% people at 10 s, talk 100 s, wrap 10 s."""
    stats = CampaignStats()
    for i in range(400):
        stats.dialled(10)
        if i % 4 == 0:
            stats.resolved("human", 10.0, 10)
        else:
            stats.resolved("no_answer", 25.0, 10)
    for i in range(100):
        stats.handled(50.0 + i, 10.0)
    return stats


def test_progressive_places_one_call_per_free_agent_not_yet_dialled_for() -> None:
    assert ProgressivePacer().calls_to_place(view(free_agents=3, ringing=(1.0,))) == 2
    assert ProgressivePacer().calls_to_place(view(free_agents=1, ringing=(1.0, 2.0))) == 0


def test_power_keeps_its_lines_per_free_agent() -> None:
    assert PowerPacer(2.5).calls_to_place(view(free_agents=2, ringing=(1.0,))) == 4


def test_power_below_one_line_per_agent_is_refused() -> None:
    with pytest.raises(ValueError, match="lines_per_agent must be >= 1"):
        PowerPacer(0.5)


def test_the_model_pacer_is_progressive_until_the_ledger_has_room() -> None:
    stats = trained_stats()
    pacer = ModelPacer()
    assert pacer.calls_to_place(view(stats=stats, headroom=0, human_answers=100)) == 3


def test_the_model_pacer_dials_ahead_for_agents_about_to_be_free() -> None:
    stats = trained_stats()
    pacer = ModelPacer()
    calls = pacer.calls_to_place(
        view(
            stats=stats,
            free_agents=1,
            wrapping=(9.0, 9.5, 9.9),
            headroom=20,
            human_answers=100,
        )
    )
    assert calls > 1  # more than progressive: three agents are seconds from free


def test_the_model_pacer_tightens_after_abandonments() -> None:
    stats = trained_stats()
    pacer = ModelPacer()
    pacer.calls_to_place(view(stats=stats, headroom=20, human_answers=100))
    before = pacer.allowance
    assert before is not None
    pacer.calls_to_place(view(now=102.0, stats=stats, headroom=20, human_answers=101, abandoned=3))
    assert pacer.allowance is not None and pacer.allowance < before


def test_adapt_raises_its_level_while_agents_wait() -> None:
    pacer = AdaptPacer()
    for second in range(0, 40):
        pacer.calls_to_place(view(now=float(second), free_agents=3, headroom=10))
    assert pacer.level > 1.0


def test_a_pacer_is_loaded_by_module_and_class() -> None:
    assert isinstance(load_pacer("tidal.core.campaigns:ProgressivePacer"), ProgressivePacer)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nocolon", "not of the form module:Class"),
        ("no_such_module_xyz:P", "cannot import"),
        ("tidal.core.campaigns:Nope", "has no 'Nope'"),
        ("tidal.core.campaigns:CampaignStats", "no calls_to_place"),
    ],
)
def test_a_bad_pacer_name_says_what_is_wrong(spec: str, message: str) -> None:
    with pytest.raises(PacerError, match=message):
        load_pacer(spec)
