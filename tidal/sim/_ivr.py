"""Simulated callers in call flows: they listen, press keys, type account numbers,
leave voicemail and accept callbacks, each on the flow's own random streams.

The flow itself is the core's `FlowRun`, the same interpreter the live server runs;
this module only plays the caller's side and tells the engine when to come back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from tidal.config import CallerBehaviour, ConfigError, ConfigIssue, FlowConfig, Scenario, load_flow
from tidal.core.flows import (
    CollectDigits,
    FlowAction,
    FlowRun,
    OfferCallback,
    PlayPrompt,
    Voicemail,
)
from tidal.sim._streams import batched, sampler, stream_generator

# What a planned flow step asks the engine to do when its time comes.
PROMPT_DONE, DIGITS, TIMEOUT, OFFER_CALLBACK = "prompt_done", "digits", "timeout", "offer_callback"


@dataclass(frozen=True, slots=True)
class Step:
    """Come back after `delay` seconds and feed the run `op` (with `keys` for digits)."""

    delay: float
    op: str
    keys: str = ""


class _Callers:
    """Callers' behaviour and random streams: one flow's, or those outside any flow."""

    def __init__(self, name: str, behaviour: CallerBehaviour, seed: int) -> None:
        self.behaviour = behaviour
        self.key_delay = sampler(behaviour.key_delay, seed, f"ivr-key-delay:{name}")
        self.callback_ring = sampler(behaviour.callback_ring, seed, f"callback-ring:{name}")
        choice_rng = stream_generator(seed, f"ivr-choices:{name}")
        self.coin = batched(lambda n: choice_rng.random(n))
        answer_rng = stream_generator(seed, f"callback-answer:{name}")
        self.answer_coin = batched(lambda n: answer_rng.random(n))


class _FlowCallers(_Callers):
    """One flow's callers."""

    def __init__(self, flow: FlowConfig, behaviour: CallerBehaviour, seed: int) -> None:
        super().__init__(flow.name, behaviour, seed)
        self.flow = flow


def load_scenario_flows(
    scenario: Scenario, base: Path
) -> dict[str, tuple[FlowConfig, CallerBehaviour]]:
    """The scenario's flow files (relative to the scenario), by flow name."""
    flows: dict[str, tuple[FlowConfig, CallerBehaviour]] = {}
    for entry in scenario.flows:
        flow = load_flow(base / entry.file)
        flows[flow.name] = (flow, entry.callers)
    issues = [
        ConfigIssue("scenario", None, f"queues[{i}].flow", f"no flow named {q.flow!r} in flows")
        for i, q in enumerate(scenario.queues)
        if q.flow is not None and q.flow not in flows
    ]
    if issues:
        raise ConfigError(issues)
    return flows


class IvrWorld:
    """Every caller currently in (or once in) a call flow."""

    def __init__(
        self, flows: dict[str, tuple[FlowConfig, CallerBehaviour]], seed: int, start: datetime
    ) -> None:
        self._callers = {name: _FlowCallers(f, b, seed) for name, (f, b) in flows.items()}
        # Callers who never went through a flow (a queue's overflow may still call them back).
        self._plain = _Callers("", CallerBehaviour(), seed)
        self._start = start
        self.runs: dict[int, tuple[str, FlowRun]] = {}

    def clock(self, now: float) -> datetime:
        """Simulated seconds as the wall-clock time flows decide office hours with."""
        return self._start + timedelta(seconds=now)

    def behaviour(self, contact_id: int) -> CallerBehaviour:
        """How the caller of this contact behaves."""
        return self._callers[self.runs[contact_id][0]].behaviour

    def start(self, contact_id: int, flow: str, caller: str, now: float) -> list[FlowAction]:
        """A caller reaches the flow."""
        run = FlowRun(self._callers[flow].flow, contact_id, caller)
        self.runs[contact_id] = (flow, run)
        return run.start(self.clock(now))

    def feed(self, contact_id: int, op: str, keys: str, now: float) -> list[FlowAction]:
        """Give the run what the caller did (or what the queue offers)."""
        run = self.runs[contact_id][1]
        at = self.clock(now)
        if op == PROMPT_DONE:
            return run.prompt_done(at)
        if op == DIGITS:
            return run.digits(keys, at)
        if op == TIMEOUT:
            return run.timeout(at)
        return run.offer_callback(at)

    def run_of(self, contact_id: int) -> FlowRun:
        """The flow run of a contact."""
        return self.runs[contact_id][1]

    def plan(self, contact_id: int, action: FlowAction) -> Step | None:
        """When the caller's side of an action is over, and what they did."""
        callers = self._callers[self.runs[contact_id][0]]
        behaviour = callers.behaviour
        if isinstance(action, PlayPrompt):
            return Step(len(action.prompt) * behaviour.seconds_per_character, PROMPT_DONE)
        if isinstance(action, Voicemail):
            listening = len(action.prompt or "") * behaviour.seconds_per_character
            return Step(listening + behaviour.voicemail_seconds, PROMPT_DONE)
        if isinstance(action, CollectDigits | OfferCallback):
            listening = len(action.prompt) * behaviour.seconds_per_character
            node = self.runs[contact_id][1].node or ""
            keys = self._answer(callers, node, action)
            if keys is None:
                return Step(listening + action.timeout, TIMEOUT)
            return Step(listening + callers.key_delay(), DIGITS, keys)
        return None

    def _answer(
        self, callers: _FlowCallers, node: str, action: CollectDigits | OfferCallback
    ) -> str | None:
        behaviour = callers.behaviour
        if isinstance(action, CollectDigits) and node in behaviour.digits:
            return behaviour.digits[node] + (action.terminator or "")
        draw = callers.coin()
        for key, share in behaviour.choices.get(node, {}).items():
            if draw < share:
                return key
            draw -= share
        return None  # no input: the prompt times out

    def callback_result(self, contact_id: int) -> tuple[float, bool]:
        """(seconds until the customer answers or the call back gives up, answered?)."""
        run = self.runs.get(contact_id)
        callers: _Callers = self._plain if run is None else self._callers[run[0]]
        return callers.callback_ring(), callers.answer_coin() < callers.behaviour.callback_answer
