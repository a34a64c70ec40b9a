"""Random valid flows driven by random callers: every run ends, and ends cleanly."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tidal.config import (
    DTMF_KEYS,
    CallbackNode,
    CollectNode,
    FlowConfig,
    MenuNode,
    QueueNode,
    SetNode,
    load_flow,
)
from tidal.core.flows import (
    Enqueue,
    FlowAction,
    FlowOutcome,
    FlowRun,
    FlowState,
    HangUp,
    IllegalFlowEvent,
    ScheduleCallback,
    Transfer,
    Voicemail,
)

EXAMPLES = sorted((Path(__file__).parents[3] / "examples" / "flows").glob("*.yaml"))
MAX_STEPS = 20
MAX_OFFERS = 2  # callback offers a queue makes to one waiting caller
ZONES = ("America/New_York", "Europe/Paris", "Asia/Tokyo", "UTC")
WORKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat")
ENDING = (Enqueue, Transfer, HangUp)
EXIT_FIELDS = (
    "next",
    "exhausted",
    "invalid",
    "no_input",
    "failed",
    "open",
    "closed",
    "holiday",
    "default",
    "accepted",
    "declined",
)

instants = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)
days = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31))
dtmf = st.text(alphabet=DTMF_KEYS, min_size=1, max_size=8)
callers = st.sampled_from(["+13055550100", "+12125550100", "+442071234567"])
offer_counts = st.integers(min_value=0, max_value=MAX_OFFERS)
day_hours = st.none() | st.integers(min_value=0, max_value=23).flatmap(
    lambda opens: st.integers(min_value=opens + 1, max_value=24).map(
        lambda closes: [f"{opens:02d}:00", f"{closes:02d}:00"]
    )
)


@st.composite
def valid_flows(draw: st.DrawFn) -> dict[str, Any]:
    """A flow whose inner nodes each have one exit further down, towards the terminals.

    Other exits point anywhere (loops included) and unreachable nodes are dropped, so every
    flow drawn is valid: each node reaches a terminal through its forward exits.
    """
    inner = draw(st.integers(min_value=1, max_value=8))
    ends = draw(st.integers(min_value=1, max_value=4))
    names = [f"n{index}" for index in range(inner + ends)]

    def anywhere() -> str:
        return draw(st.sampled_from(names))

    end_kinds = draw(
        st.lists(
            st.sampled_from(["queue", "transfer", "hangup", "voicemail", "callback"]),
            min_size=ends,
            max_size=ends,
        )
    )
    callbacks = [names[inner + i] for i, kind in enumerate(end_kinds) if kind == "callback"]
    nodes: dict[str, dict[str, Any]] = {}
    for index in range(inner):
        kind = draw(st.sampled_from(["play", "menu", "collect", "hours", "branch", "set", "vm"]))
        ahead = names[draw(st.integers(min_value=index + 1, max_value=len(names) - 1))]
        nodes[names[index]] = _inner_node(draw, kind, ahead, anywhere)
    for offset, kind in enumerate(end_kinds):
        nodes[names[inner + offset]] = _end_node(draw, kind, anywhere, callbacks)
    reachable = {names[0]}
    waiting = [names[0]]
    while waiting:
        for target in _exits(nodes[waiting.pop()]):
            if target not in reachable:
                reachable.add(target)
                waiting.append(target)
    kept = {name: node for name, node in nodes.items() if name in reachable}
    return {"name": "random", "start": names[0], "nodes": kept}


def _inner_node(draw: st.DrawFn, kind: str, ahead: str, anywhere: Callable[[], str]) -> Any:
    retries = draw(st.integers(min_value=0, max_value=2))
    if kind == "play":
        return {"play": "p", "next": ahead}
    if kind == "menu":
        option_keys = draw(st.sets(st.sampled_from(DTMF_KEYS), min_size=1, max_size=4))
        node: dict[str, Any] = {
            "menu": {"prompt": "m", "timeout": 1, "retries": retries},
            "options": {key: anywhere() for key in sorted(option_keys)},
            "exhausted": ahead,
        }
        for miss in ("invalid", "no_input"):
            if draw(st.booleans()):
                node[miss] = anywhere()
        return node
    if kind == "collect":
        low = draw(st.integers(min_value=1, max_value=4))
        spec: dict[str, Any] = {
            "prompt": "c",
            "min_digits": low,
            "max_digits": draw(st.integers(min_value=low, max_value=6)),
            "retries": retries,
            "terminator": draw(st.sampled_from(["#", "*", None])),
            "into": "account",
        }
        if draw(st.booleans()):
            spec["validate"] = "^[1-5].*$"
        return {"collect": spec, "next": anywhere(), "failed": ahead}
    if kind == "hours":
        hours = {
            "time_zone": draw(st.sampled_from(ZONES)),
            "weekly": {day: draw(day_hours) for day in WORKDAYS},
            "holidays": draw(st.lists(days, max_size=30)),
        }
        return {"hours": hours, "open": anywhere(), "closed": anywhere(), "holiday": ahead}
    if kind == "branch":
        rules = [
            {"when": {"field": "account", "in": ["1", "12", "123"]}, "next": anywhere()},
            {"when": {"caller_prefix": "+1305"}, "next": anywhere()},
        ]
        return {"branch": rules, "default": ahead}
    if kind == "set":
        return {"set": {"priority": draw(st.integers(-2, 5)), "language": "es"}, "next": ahead}
    return {"voicemail": {"box": "b"}, "next": ahead}


def _end_node(draw: st.DrawFn, kind: str, anywhere: Callable[[], str], callbacks: list[str]) -> Any:
    if kind == "queue":
        node: dict[str, Any] = {"queue": "q"}
        if draw(st.booleans()) and callbacks:
            node["callback"] = draw(st.sampled_from(callbacks))
        return node
    if kind == "transfer":
        return {"transfer": "+18005550100"}
    if kind == "hangup":
        return {"hangup": True}
    if kind == "voicemail":
        return {"voicemail": {"box": "b", "prompt": "v"}}
    node = {"callback": {"queue": "q", "prompt": "cb"}}
    for answer in ("accepted", "declined"):
        if draw(st.booleans()):
            node[answer] = anywhere()
    return node


def _exits(node: dict[str, Any]) -> list[str]:
    targets = [node[key] for key in EXIT_FIELDS if key in node]
    targets += list(node.get("options", {}).values())
    targets += [rule["next"] for rule in node.get("branch", [])]
    if "queue" in node and "callback" in node:
        targets.append(node["callback"])
    return targets


def answer(run: FlowRun, now: datetime, data: st.DataObject) -> list[FlowAction]:
    """A random caller's answer to whatever the run waits for."""
    if data.draw(st.integers(min_value=0, max_value=30)) == 0:
        return run.hang_up(now)
    if run.state is FlowState.PLAYING:
        return run.prompt_done(now)
    if data.draw(st.booleans()):
        return run.timeout(now)
    node = run.flow.nodes[run.node or ""]
    entry = data.draw(dtmf)
    if isinstance(node, MenuNode):  # often a key the menu offers
        entry = data.draw(st.sampled_from(sorted(node.options)) | st.just(entry))
    if isinstance(node, CallbackNode):  # often the key that accepts
        entry = data.draw(st.sampled_from([node.callback.accept_key, entry]))
    if isinstance(node, CollectNode):  # a whole entry: its terminator, else max_digits keys
        spec = node.collect
        if spec.terminator is not None:
            entry += spec.terminator
        else:
            entry = (entry * spec.max_digits)[: spec.max_digits]
    return run.digits(entry, now)


def drive(flow: FlowConfig, now: datetime, caller: str, offers: int, data: st.DataObject) -> None:
    """Run one caller to the end and check what every step returned."""
    run = FlowRun(flow, 42, caller, max_steps=MAX_STEPS)
    retries = max(
        [node.menu.retries for node in flow.nodes.values() if isinstance(node, MenuNode)]
        + [node.collect.retries for node in flow.nodes.values() if isinstance(node, CollectNode)]
        + [0]
    )
    batches = [run.start(now)]
    events = 0
    while not run.finished or (offers and _waits_with_an_offer(run)):
        if run.finished:
            offers -= 1
            batches.append(run.offer_callback(now))
        else:
            batches.append(answer(run, now, data))
        events += 1
        # Every event visits a node, or uses one of the retries of a node visit.
        assert events <= MAX_STEPS * (retries + 1) + MAX_OFFERS
    assert run.outcome is not None
    assert set(run.path) <= set(flow.nodes)
    assert 1 <= len(run.path) <= MAX_STEPS
    actions = [action for batch in batches for action in batch]
    assert all(action.contact_id == 42 for action in actions)
    for batch in batches:
        assert not any(isinstance(action, ENDING) for action in batch[:-1]), batch
    last = batches[-1][-1] if batches[-1] else None
    if run.outcome is FlowOutcome.QUEUED:
        assert isinstance(last, Enqueue)
    if run.outcome is FlowOutcome.TRANSFER:
        assert isinstance(last, Transfer)
    if run.outcome is FlowOutcome.CALLBACK:
        assert any(isinstance(action, ScheduleCallback) for action in actions)
    if run.outcome is FlowOutcome.VOICEMAIL:
        assert any(isinstance(action, Voicemail) for action in actions)
    if run.outcome is FlowOutcome.ABANDONED:
        assert batches[-1] == []
    assert set(run.data) <= _data_keys(flow)
    with pytest.raises(IllegalFlowEvent):
        run.prompt_done(now)
    with pytest.raises(IllegalFlowEvent):
        run.timeout(now)


def _waits_with_an_offer(run: FlowRun) -> bool:
    node = run.flow.nodes[run.node or ""]
    queued = run.outcome is FlowOutcome.QUEUED
    return queued and isinstance(node, QueueNode) and node.callback is not None


def _data_keys(flow: FlowConfig) -> set[str]:
    names: set[str] = set()
    for node in flow.nodes.values():
        if isinstance(node, SetNode):
            names.update(node.set)
        if isinstance(node, CollectNode):
            names.add(node.collect.into)
    return names


@settings(max_examples=300, deadline=None)
@given(valid_flows(), instants, callers, offer_counts, st.data())
def test_random_valid_flows_end_cleanly(
    raw: dict[str, Any], now: datetime, caller: str, offers: int, data: st.DataObject
) -> None:
    flow = FlowConfig.model_validate(raw)  # the generator only makes valid flows
    drive(flow, now, caller, offers, data)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(EXAMPLES), instants, callers, offer_counts, st.data())
def test_example_flows_end_cleanly(
    path: Path, now: datetime, caller: str, offers: int, data: st.DataObject
) -> None:
    drive(load_flow(path), now, caller, offers, data)


def test_examples_are_found() -> None:
    assert [path.name for path in EXAMPLES] == ["multi-language.yaml", "support-line.yaml"]
