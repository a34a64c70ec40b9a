"""The simulator's own promises: determinism, independent streams, honest records."""

from __future__ import annotations

import json
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sim.conftest import scenario_from
from tidal.config import Scenario, load_scenario
from tidal.core import Outcome
from tidal.sim import Simulation, SimulationResult, UnsupportedScenario, simulate


def _figures(result: SimulationResult) -> str:
    figures = result.as_json()
    figures.pop("wall_seconds")
    return json.dumps(figures)


def test_same_seed_same_figures_other_seed_other_figures(small_center: Scenario) -> None:
    assert _figures(simulate(small_center)) == _figures(simulate(small_center))
    assert _figures(simulate(small_center)) != _figures(simulate(small_center, seed=4))


def test_json_has_every_contract_key(small_center: Scenario) -> None:
    figures = simulate(small_center).as_json()
    assert list(figures) == [
        "scenario",
        "seed",
        "simulated_seconds",
        "events_processed",
        "wall_seconds",
        "queues",
        "campaigns",
        "agents",
        "violations",
    ]
    assert set(figures["queues"]) == {"qa", "qb"}
    assert figures["violations"] == {"dnc": 0, "calling_window": 0, "abandon_cap": 0}
    assert figures["simulated_seconds"] == 7200.0
    assert figures["agents"]["team"]["count"] == 6
    for queue in figures["queues"].values():
        for rate in ("service_level", "abandon_rate"):
            assert 0.0 <= queue[rate] <= 1.0


ONE_TEAM = """
name: streams
seed: 21
duration: 6h
agents:
  - group: a-team
    count: 8
    skills: {a: 1}
    wrap_up: {dist: exponential, mean: 20}
queues:
  - name: qa
    skills: {a: 1}
    arrivals: {rate_per_hour: 100}
    handle_time: {dist: exponential, mean: 240}
    patience: {dist: exponential, mean: 60}
"""
TWO_TEAMS = (
    ONE_TEAM.replace("queues:", "  - group: b-team\n    count: 3\n    skills: {b: 1}\nqueues:")
    + """  - name: qb
    skills: {b: 1}
    arrivals: {rate_per_hour: 40}
    handle_time: {dist: lognormal, mean: 200, cv: 1.2}
"""
)


def test_adding_a_queue_leaves_the_other_queues_callers_unchanged() -> None:
    alone = simulate(scenario_from(ONE_TEAM)).as_json()
    beside = simulate(scenario_from(TWO_TEAMS)).as_json()
    assert beside["queues"]["qb"]["offered"] > 0
    assert alone["queues"]["qa"] == beside["queues"]["qa"]
    assert alone["agents"]["a-team"] == beside["agents"]["a-team"]


def test_profile_arrivals_follow_the_piecewise_rate() -> None:
    # 200 hours alternating 60 and 240 calls/h every 30 min: expected 6,000 and 24,000
    # arrivals; Poisson sd is sqrt(n) (77 and 155), we allow 4 sd.
    profile = [[m, 60 if (m // 30) % 2 == 0 else 240] for m in range(0, 200 * 60, 30)]
    scenario = scenario_from(
        f"""
name: profile
duration: 200h
agents: [{{group: g, count: 60, skills: {{s: 1}}}}]
queues:
  - name: q
    skills: {{s: 1}}
    arrivals: {{profile: {profile}}}
    handle_time: {{dist: constant, value: 1}}
"""
    )
    result = simulate(scenario)
    slow = sum(1 for r in result.records if (r.arrived_at // 1800) % 2 == 0)
    fast = len(result.records) - slow
    assert slow == pytest.approx(6000, abs=4 * 77)
    assert fast == pytest.approx(24000, abs=4 * 155)


def test_a_campaign_without_outbound_agents_places_no_call() -> None:
    text = ONE_TEAM + (
        "campaigns:\n  - name: c\n    caller_id: '+12025550100'\n"
        "    leads: {count: 10, area_codes: [212]}\n"
        "    outcomes: {human: 1.0}\n"
        "    time_to_answer: {dist: constant, value: 5}\n"
        "    talk_time: {dist: constant, value: 60}\n"
    )
    figures = Simulation(scenario_from(text)).run().as_json()
    assert figures["campaigns"]["c"]["dials"] == 0


def test_an_unloadable_pacer_is_refused_naming_the_field() -> None:
    text = ONE_TEAM + (
        "campaigns:\n  - name: c\n    caller_id: '+12025550100'\n"
        "    pacer: 'no_such_module:Pacer'\n"
        "    leads: {count: 10, area_codes: [212]}\n"
        "    outcomes: {human: 1.0}\n"
        "    time_to_answer: {dist: constant, value: 5}\n"
        "    talk_time: {dist: constant, value: 60}\n"
    )
    with pytest.raises(UnsupportedScenario, match=r"campaigns\[0\]\.pacer"):
        Simulation(scenario_from(text))


def test_samples_are_taken_in_time_order(small_center: Scenario) -> None:
    result = Simulation(small_center, sample_interval=300).run()
    times = [s.at for s in result.samples]
    assert times == sorted(times)
    assert times[0] == 0.0 and times[-1] == 7200.0
    assert all(sum(s.agents.values()) == 6 for s in result.samples)


DIST = st.sampled_from(
    [
        "{dist: exponential, mean: 120}",
        "{dist: constant, value: 90}",
        "{dist: lognormal, mean: 150, cv: 1.5}",
        "{dist: gamma, mean: 100, cv: 0.4}",
        "{dist: uniform, low: 10, high: 300}",
        "{dist: empirical, values: [5, 60, 600]}",
    ]
)


@st.composite
def scenarios(draw: st.DrawFn) -> str:
    """Small random centers: 1-3 queues, 1-3 groups, overload or idle, any distributions."""
    skills = ["x", "y", "z"]
    groups = []
    for i in range(draw(st.integers(1, 3))):
        levels = draw(st.dictionaries(st.sampled_from(skills), st.integers(1, 9), min_size=1))
        wrap = draw(DIST) if draw(st.booleans()) else "{dist: constant, value: 0}"
        groups.append(
            f"  - group: g{i}\n    count: {draw(st.integers(1, 6))}\n"
            f"    skills: {json.dumps(levels)}\n    wrap_up: {wrap}\n"
        )
    queues = []
    for i in range(draw(st.integers(1, 3))):
        skill = draw(st.sampled_from(skills))
        patience = f"    patience: {draw(DIST)}\n" if draw(st.booleans()) else ""
        if draw(st.booleans()):  # a waiting limit with a single-leg overflow rule
            kind = draw(st.sampled_from(["hangup", "voicemail", "callback"]))
            patience += f"    max_wait: {draw(st.integers(10, 300))}\n"
            patience += f"    max_queue_length: {draw(st.integers(0, 5))}\n"
            patience += f"    overflow: {{kind: {kind}, target: box}}\n"
        queues.append(
            f"  - name: q{i}\n    skills: {{{skill}: 1}}\n"
            f"    priority: {draw(st.integers(0, 2))}\n"
            f"    arrivals: {{rate_per_hour: {draw(st.integers(0, 200))}}}\n"
            f"    handle_time: {draw(DIST)}\n{patience}"
        )
    # Every queue needs a group with its skill: give the last group all of them.
    groups.append("  - group: all\n    count: 1\n    skills: {x: 1, y: 1, z: 1}\n")
    return (
        f"name: random\nseed: {draw(st.integers(0, 2**32))}\nduration: 3h\n"
        "agents:\n" + "".join(groups) + "queues:\n" + "".join(queues)
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=scenarios())
def test_records_are_consistent_in_any_center(text: str) -> None:
    scenario = scenario_from(text)
    result = simulate(scenario)
    end = result.simulated_seconds
    # Every offered contact is recorded exactly once: answered, abandoned or still open.
    ids = [r.contact_id for r in result.records]
    assert len(ids) == len(set(ids))
    busy: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for r in result.records:
        # Time never runs backwards inside a contact.
        points = [r.arrived_at, r.answered_at, r.ended_at, r.wrap_ended_at]
        known = [p for p in points if p is not None]
        assert known == sorted(known)
        assert 0.0 <= r.arrived_at <= end and known[-1] <= end
        if r.outcome is Outcome.ABANDONED:
            assert r.answered_at is None and r.ended_at is not None
        if r.outcome is Outcome.ANSWERED:
            assert r.wrap_ended_at is not None
        if r.outcome in (Outcome.OVERFLOWED, Outcome.VOICEMAIL):
            assert r.answered_at is None and r.ended_at is not None
        if r.answered_at is not None:
            assert r.agent_id is not None
            until = r.wrap_ended_at if r.wrap_ended_at is not None else end
            busy[r.agent_id].append((r.answered_at, until))
    # An agent is never on two contacts at once.
    for intervals in busy.values():
        intervals.sort()
        for (_, first_end), (second_start, _) in pairwise(intervals):
            assert first_end <= second_start
    # Agents' time adds up: everyone is logged in for the whole run.
    for group in scenario.agents:
        sessions = result.sessions_of(group.group)
        assert len(sessions) == group.count
        for s in sessions:
            parts = s.ready_seconds + s.reserved_seconds + s.talk_seconds + s.wrap_seconds
            assert parts + s.not_ready_seconds == pytest.approx(end)


def test_overflow_to_a_backup_queue_is_two_legs_and_counts_against_service_level() -> None:
    scenario = scenario_from(
        """
name: overflow
seed: 3
duration: 20h
agents:
  - {group: main-team, count: 4, skills: {main: 1}}
  - {group: backup-team, count: 3, skills: {backup: 1}}
queues:
  - name: main
    skills: {main: 1}
    arrivals: {rate_per_hour: 70}
    handle_time: {dist: exponential, mean: 240}
    max_wait: 45
    overflow: {kind: queue, target: backup}
  - name: backup
    skills: {backup: 1}
    arrivals: {rate_per_hour: 0}
    handle_time: {dist: exponential, mean: 240}
"""
    )
    result = simulate(scenario)
    main = result.records_of("main")
    overflowed = [r for r in main if r.outcome is Outcome.OVERFLOWED]
    assert overflowed and all(r.wait() == pytest.approx(45.0) for r in overflowed)
    # Each overflowed caller starts a second leg in the backup queue at that moment.
    backup = {r.contact_id: r for r in result.records_of("backup")}
    for record in overflowed:
        assert backup[record.contact_id].arrived_at == record.ended_at
    figures = result.as_json()["queues"]["main"]
    assert figures["answered"] + figures["abandoned"] + len(overflowed) <= figures["offered"]
    assert figures["service_level"] <= 1 - len(overflowed) / figures["offered"]


def test_the_queue_wrap_up_limit_caps_the_groups_own_wrap_up() -> None:
    scenario = scenario_from(
        """
name: wrap
duration: 10h
agents: [{group: g, count: 5, skills: {s: 1}, wrap_up: {dist: constant, value: 60}}]
queues:
  - name: q
    skills: {s: 1}
    arrivals: {rate_per_hour: 30}
    handle_time: {dist: exponential, mean: 180}
    wrap_up: 15
"""
    )
    result = simulate(scenario)
    wraps = [r.wrap_seconds for r in result.records if r.wrap_seconds is not None]
    assert wraps and all(w == pytest.approx(15.0) for w in wraps)


BLENDED_CHANNELS = """
name: chat-and-voice
seed: 5
duration: 4h
agents:
  - group: desk
    count: 14
    skills: {support: 1}
    capacity: {voice: 1, chat: 3}
    wrap_up: {dist: constant, value: 20}
queues:
  - name: phone
    skills: {support: 1}
    priority: 2
    arrivals: {rate_per_hour: 60}
    handle_time: {dist: exponential, mean: 180}
    patience: {dist: exponential, mean: 300}
  - name: chat
    channel: chat
    skills: {support: 1}
    arrivals: {rate_per_hour: 200}
    handle_time: {dist: exponential, mean: 300}
    patience: {dist: exponential, mean: 600}
"""


def test_chat_agents_hold_several_chats_but_a_call_alone() -> None:
    result = simulate(scenario_from(BLENDED_CHANNELS))
    handled = [r for r in result.records if r.answered_at is not None and r.agent_id]
    assert {r.channel for r in handled} == {"voice", "chat"}
    # Per agent: a sweep over (start, +1/-1) of each contact's talk and wrap-up.
    spans: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for r in handled:
        assert r.answered_at is not None and r.agent_id is not None
        end = r.wrap_ended_at or r.ended_at or result.simulated_seconds
        spans[r.agent_id].append((r.answered_at, end, r.channel))
    most_chats = 0
    for agent_spans in spans.values():
        points = sorted(
            [(start, 1, channel) for start, _, channel in agent_spans]
            + [(end, -1, channel) for _, end, channel in agent_spans],
            key=lambda p: (p[0], p[1]),  # ends before starts at the same instant
        )
        open_: dict[str, int] = defaultdict(int)
        for _, delta, channel in points:
            open_[channel] += delta
            assert open_["chat"] <= 3
            assert not (open_["voice"] and open_["chat"]), "a call and a chat at once"
            most_chats = max(most_chats, open_["chat"])
    assert most_chats == 3
    # Concurrency: contact time over busy time (time with at least one contact) > 1.
    contact_seconds = sum(end - start for s in spans.values() for start, end, _ in s)
    busy_seconds = sum(
        s.talk_seconds + s.wrap_seconds + s.reserved_seconds for s in result.sessions
    )
    assert contact_seconds / busy_seconds > 1.5
    figures = result.as_json()["agents"]["desk"]
    assert 0.0 < figures["occupancy"] <= 1.0  # concurrent chats are not counted twice


def test_the_chat_and_voice_example_runs_and_holds_chats_concurrently() -> None:
    path = Path(__file__).resolve().parents[2] / "examples" / "chat-and-voice-day.yaml"
    result = simulate(load_scenario(path))
    figures = result.as_json()
    assert figures["queues"]["phone"]["service_level"] > 0.7
    assert figures["queues"]["web-chat"]["service_level"] > 0.8
    chats = [r for r in result.records if r.channel == "chat" and r.agent_id]
    assert chats and {r.agent_group for r in chats} == {"desk", "chat-only"}
    for group in figures["agents"].values():
        assert 0.0 < group["occupancy"] <= 1.0
