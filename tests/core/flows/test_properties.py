"""Random valid flows driven by random callers: every run ends, and ends cleanly."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tidal.config import DTMF_KEYS, CollectNode, FlowConfig, MenuNode, load_flow
from tidal.core.flows import (
    CollectDigits,
    Enqueue,
    FlowAction,
    FlowOutcome,
    FlowRun,
    FlowState,
    HangUp,
    IllegalFlowEvent,
    OfferCallback,
    ScheduleCallback,
    SetData,
    Transfer,
    Voicemail,
)

EXAMPLES = sorted((Path(__file__).parents[3] / "examples" / "flows").glob("*.yaml"))
MAX_STEPS = 20
MAX_OFFERS = 2  # callback offers a queue makes to one waiting caller
ZONES = ["America/New_York", "Europe/Paris", "Asia/Tokyo", "UTC"]
ENDING = (Enqueue, Transfer, HangUp)

instants = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)
keys = st.text(alphabet=DTMF_KEYS, min_size=1, max_size=8)
clock_hours = st.integers(min_value=0, max_value=23).map(lambda hour: f"{hour:02d}:00")


@st.composite
def day_hours(draw: st.DrawFn) -> list[str] | None:
    opens = draw(st.integers(min_value=0, max_value=23))
    closes = draw(st.integers(min_value=opens + 1, max_value=24))
    return draw(st.none() | st.just([f"{opens:02d}:00", f"{closes:02d}:00"]))


@st.composite
def valid_flows(draw: st.DrawFn) -> dict[str, Any]:
    """A flow whose every node has one exit further down the list, where terminals are.

    Other exits point anywhere (loops included), and unreachable nodes are dropped, so
    every flow drawn is valid: each node reaches a terminal through its forward exits.
    """
    inner = draw(st.integers(min_value=1, max_value=8))
    ends = draw(st.integers(min_value=1, max_value=4))
    names = [f"n{index}" for index in range(inner + ends)]
    edges: dict[str, list[str]] = {}

    def anywhere() -> str:
        return draw(st.sampled_from(names))

    def forward(index: int) -> str:
        return names[draw(st.integers(min_value=index + 1, max_value=len(names) - 1))]

    end_kinds = [
        draw(st.sampled_from(["queue", "transfer", "hangup", "voicemail", "callback"]))
        for _ in range(ends)
    ]
    callbacks = [names[inner + i] for i, kind in enumerate(end_kinds) if kind == "callback"]
    nodes: dict[str, dict[str, Any]] = {}
    for index in range(inner):
        kind = draw(st.sampled_from(["play", "menu", "collect", "hours", "branch", "set", "vm"]))
        node = _inner_node(draw, kind, forward(index), anywhere)
        nodes[names[index]] = node
    for offset, kind in enumerate(end_kinds):
        node = _end_node(draw, kind, anywhere, callbacks)
        nodes[names[inner + offset]] = node
    for name, node in nodes.items():
        edges[name] = _exits(node)
    reachable = {names[0]}
    waiting = [names[0]]
    while waiting:
        for target in edges[waiting.pop()]:
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
        high = draw(st.integers(min_value=low, max_value=6))
        spec = {"prompt": "c", "min_digits": low, "max_digits": high, "retries": retries}
        spec["terminator"] = draw(st.sampled_from(["#", "*", None]))
        spec["into"] = "account"
        if draw(st.booleans()):
            spec["validate"] = "^[1-5].*$"
        return {"collect": spec, "next": anywhere(), "failed": ahead}
    if kind == "hours":
        weekly = {day: draw(day_hours()) for day in ("mon", "tue", "wed", "thu", "fri", "sat")}
        holidays = draw(
            st.lists(
                st.dates(datetime(2026, 1, 1).date(), datetime(2027, 12, 31).date()), max_size=30
            )
        )
        spec = {"time_zone": draw(st.sampled_from(ZONES)), "weekly": weekly, "holidays": holidays}
        return {"hours": spec, "open": anywhere(), "closed": anywhere(), "holiday": ahead}
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
        if callbacks and draw(st.booleans()):
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
    targets = [
        value
        for key, value in node.items()
        if key
        in ("next", "exhausted", "invalid", "no_input", "failed", "open", "closed", "holiday")
        or key in ("default", "accepted", "declined")
    ]
    targets += list(node.get("options", {}).values())
    targets += [rule["next"] for rule in node.get("branch", [])]
    if "queue" in node and "callback" in node:
        targets.append(node["callback"])
    return targets


@st.composite
def callers(draw: st.DrawFn) -> Callable[[FlowRun, datetime], list[FlowAction]]:
    """A caller: a random answer to whatever the run waits for."""

    def answer(run: FlowRun, now: datetime) -> list[FlowAction]:
        if draw(st.integers(min_value=0, max_value=30)) == 0:
            return run.hang_up(now)
        if run.state is FlowState.PLAYING:
            return run.prompt_done(now)
        if draw(st.booleans()):
            return run.timeout(now)
        node = run.flow.nodes[run.node or ""]
        entry = draw(keys)
        if isinstance(node, CollectNode):  # a whole entry: terminator, else max_digits keys
            spec = node.collect
            if spec.terminator is not None:
                entry += spec.terminator
            else:
                entry = (entry * spec.max_digits)[: spec.max_digits]
        return run.digits(entry, now)

    return answer


def drive(flow: FlowConfig, now: datetime, answer: Any, offers: int) -> None:
    """Run one caller to the end and check what every step returned."""
    run = FlowRun(flow, 42, draw_caller(offers), max_steps=MAX_STEPS)
    retries = max(
        [node.menu.retries for node in flow.nodes.values() if isinstance(node, MenuNode)]
        + [node.collect.retries for node in flow.nodes.values() if isinstance(node, CollectNode)]
        + [0]
    )
    batches = [run.start(now)]
    events = 0
    while not run.finished or (offers and _can_offer(run)):
        if run.finished:
            offers -= 1
            batches.append(run.offer_callback(now))
        else:
            batches.append(answer(run, now))
        events += 1
        # Every event visits a node or uses one of a node visit's retries.
        assert events <= (MAX_STEPS + 1) * (retries + 1) + MAX_OFFERS
    assert run.outcome is not None
    assert set(run.path) <= set(flow.nodes)
    assert 1 <= len(run.path) <= MAX_STEPS
    actions = [action for batch in batches for action in batch]
    assert all(action.contact_id == 42 for action in actions)
    for batch in batches:
        for action in batch[:-1]:
            assert not isinstance(action, ENDING), batch  # nothing follows an ending
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
    assert set(run.data) <= {"account", "priority", "language"} | _data_keys(flow)
    assert all(
        isinstance(action, SetData | CollectDigits | OfferCallback | ENDING) or True
        for action in actions
    )
    for event in (lambda: run.prompt_done(now), lambda: run.timeout(now)):
        try:
            event()
        except IllegalFlowEvent:
            continue
        raise AssertionError("a finished run took an event")


def draw_caller(offers: int) -> str:
    return "+13055550100" if offers % 2 else "+442071234567"


def _can_offer(run: FlowRun) -> bool:
    node = run.flow.nodes[run.node or ""]
    return run.outcome is FlowOutcome.QUEUED and getattr(node, "callback", None).__class__ is str


def _data_keys(flow: FlowConfig) -> set[str]:
    keys_set: set[str] = set()
    for node in flow.nodes.values():
        keys_set.update(getattr(node, "set", None) or {})
        if isinstance(node, CollectNode):
            keys_set.add(node.collect.into)
    return keys_set


@settings(max_examples=300, deadline=None)
@given(valid_flows(), instants, callers(), st.integers(min_value=0, max_value=MAX_OFFERS))
def test_random_valid_flows_end_cleanly(
    data: dict[str, Any], now: datetime, answer: Any, offers: int
) -> None:
    flow = FlowConfig.model_validate(data)  # the generator only makes valid flows
    drive(flow, now, answer, offers)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(EXAMPLES), instants, callers(), st.integers(min_value=0, max_value=2))
def test_example_flows_end_cleanly(path: Path, now: datetime, answer: Any, offers: int) -> None:
    drive(load_flow(path), now, answer, offers)


def test_examples_are_found() -> None:
    assert [path.name for path in EXAMPLES] == ["multi-language.yaml", "support-line.yaml"]
