"""A fake live runtime over a real temporary store, and signed-in users of every role.

The fake follows docs/live.md's interface: views are plain dicts the tests set, events
given to `submit` are recorded (or refused with the `CoreError` a test plants), and
the bus hands each subscriber the messages published before it subscribed, then
waits. Users are created once per module (argon2 is slow on purpose).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from tidal.api import MessageFilter, create_app
from tidal.config import DEFAULT_PAUSE_REASONS, PauseReasonConfig, QueueConfig
from tidal.core import Center
from tidal.core.errors import CoreError
from tidal.core.queue import QueueSpec
from tidal.store import Role, Store

PASSWORD = "correct horse battery"
# argon2 with small parameters: the same code path, a thousandth of the cost.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
NOW = 1_800_000_000.0


class FakeSubscription:
    """Yields the bus's messages, then waits until the stream is closed."""

    def __init__(self, messages: list[dict[str, Any]], only: MessageFilter) -> None:
        self.messages = list(messages)
        self.filter = only
        self.closed = False
        self.agent_id: str | None = None

    def __aiter__(self) -> AsyncIterator[dict[str, Any]]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[dict[str, Any]]:
        for message in self.messages:
            yield message
        await asyncio.Event().wait()

    def close(self) -> None:
        self.closed = True


class FakeBus:
    """Remembers published messages and hands them to every new subscriber."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.subscriptions: list[FakeSubscription] = []

    def subscribe(self, only: MessageFilter, *, agent_id: str | None = None) -> FakeSubscription:
        subscription = FakeSubscription(self.messages, only)
        subscription.agent_id = agent_id
        self.subscriptions.append(subscription)
        return subscription


@dataclass
class FakeRuntime:
    """The runtime as the API sees it, with views the tests set by hand."""

    store: Store
    center: Center = field(
        default_factory=lambda: Center(
            [
                QueueSpec("sales", skills={"sales": 1}, service_level_threshold=30.0),
                QueueSpec("support", skills={"support": 1}),
            ]
        )
    )
    bus: FakeBus = field(default_factory=FakeBus)
    submitted: list[Any] = field(default_factory=list)
    configured: list[QueueConfig] = field(default_factory=list)
    changed: list[tuple[str, str, dict[str, int]]] = field(default_factory=list)
    refusal: CoreError | None = None
    agents: dict[str, dict[str, Any]] = field(default_factory=dict)
    offers: dict[str, dict[str, Any]] = field(default_factory=dict)
    previews: dict[str, dict[str, Any]] = field(default_factory=dict)
    campaign_states: dict[str, str] = field(default_factory=dict)
    campaign_configs: dict[str, Any] = field(default_factory=dict)
    pause_reasons: tuple[PauseReasonConfig, ...] = DEFAULT_PAUSE_REASONS
    contacts: dict[int, dict[str, Any]] = field(default_factory=dict)
    queues: list[dict[str, Any]] = field(default_factory=list)
    clock: float = NOW
    # The dialer's counters per campaign and the groups working each, as a test sets them.
    dial_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    working_groups: dict[str, list[str]] = field(default_factory=dict)
    started: bool = False
    last_contact_id: int = 1000

    def submit(self, event: Any) -> list[Any]:
        if self.refusal is not None:
            raise self.refusal
        self.submitted.append(event)
        return []

    def configure_queue(self, config: QueueConfig) -> None:
        if self.refusal is not None:
            raise self.refusal
        self.configured.append(config)

    def configure_campaign(self, config: Any) -> None:
        if self.refusal is not None:
            raise self.refusal
        self.campaign_states.setdefault(config.name, "stopped")
        self.campaign_configs[config.name] = config

    def configure_pause_reasons(self, reasons: Any) -> None:
        self.pause_reasons = tuple(reasons)

    def queue_config(self, name: str) -> QueueConfig | None:
        return next((c for c in reversed(self.configured) if c.name == name), None)

    def change_agent(self, agent_id: str, group: str, skills: dict[str, int]) -> None:
        if self.refusal is not None:
            raise self.refusal
        self.changed.append((agent_id, group, dict(skills)))

    def campaign_state(self, name: str) -> str | None:
        return self.campaign_states.get(name)

    def set_campaign_state(self, name: str, state: Any) -> str:
        if self.refusal is not None:
            raise self.refusal
        self.campaign_states[name] = str(state)
        return str(state)

    def lead_states(self, campaign: str) -> dict[int, str] | None:
        return None  # the fake runs no dialer: stored leads are as stored

    def recycle_leads(self, campaign: str, lead_ids: Any) -> None:
        raise AssertionError("recycling needs the real runtime (tests/api/test_leads.py)")

    def now(self) -> float:
        return self.clock

    def campaign_counts(self, start: float, end: float) -> dict[str, dict[str, int]]:
        return {name: dict(counts) for name, counts in self.dial_counts.items()}

    def campaign_groups(self, campaign: str) -> list[str]:
        return list(self.working_groups.get(campaign, []))

    async def start(self) -> None:
        self.started = True

    async def stop(self) -> None:
        self.started = False

    def new_contact_id(self) -> int:
        self.last_contact_id += 1
        return self.last_contact_id

    def agents_view(self) -> list[dict[str, Any]]:
        return list(self.agents.values())

    def agent_view(self, agent_id: str) -> dict[str, Any] | None:
        return self.agents.get(agent_id)

    def queues_view(self) -> list[dict[str, Any]]:
        return list(self.queues)

    def contact_view(self, contact_id: int) -> dict[str, Any] | None:
        return self.contacts.get(contact_id)

    def offer_for(self, agent_id: str) -> dict[str, Any] | None:
        return self.offers.get(agent_id)

    def preview_for(self, agent_id: str) -> dict[str, Any] | None:
        return self.previews.get(agent_id)

    def dispositions_for(self, queue: str) -> list[str]:
        return []  # any: the runtime's own tests check its lists

    def callbacks(self, agent_id: str | None = None) -> list[dict[str, Any]]:
        return []  # the real runtime's callbacks: tests/api/test_callbacks.py

    def callback(self, callback_id: int) -> dict[str, Any] | None:
        return None

    def health(self) -> dict[str, object]:
        return {"status": "ok", "reasons": [], "accepting_events": True}


def agent_view(agent_id: str, state: str = "ready", **fields: Any) -> dict[str, Any]:
    """An AgentView dict as docs/live.md gives it."""
    view = {
        "agent_id": agent_id,
        "group": "sales",
        "state": state,
        "since": NOW - 10,
        "reason": None,
        "contact_id": None,
        "queue": None,
    }
    view.update(fields)
    return view


@dataclass
class Site:
    """What a test module works with: the runtime, the client, and a token per user."""

    runtime: FakeRuntime
    client: TestClient
    home: Path
    tokens: dict[str, str]

    def auth(self, user: str) -> dict[str, str]:
        """The Authorization header of a user."""
        return {"Authorization": f"Bearer {self.tokens[user]}"}


USERS = {
    "ada": Role.ADMIN,
    "sam": Role.SUPERVISOR,
    "alice": Role.AGENT,  # agent a1, group sales
    "bob": Role.AGENT,  # agent a2, group support
    "nora": Role.AGENT,  # no agent profile
}
ROLE_USER = {Role.ADMIN: "ada", Role.SUPERVISOR: "sam", Role.AGENT: "alice"}


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A store with one user of each role (and two agents), an app, and their tokens."""
    home = tmp_path_factory.mktemp("home")
    store = Store.open(f"sqlite:///{home / 'tidal.db'}", home, hasher=FAST_HASHER)
    users = {name: store.users.add(name, role, PASSWORD) for name, role in USERS.items()}
    store.agents.add("a1", "sales", {"sales": 3}, users["alice"].id)
    store.agents.add("a2", "support", {"support": 2}, users["bob"].id)
    runtime = FakeRuntime(store)
    app = create_app(runtime, home)
    with TestClient(app) as client:
        tokens = {}
        for name in USERS:
            answer = client.post(
                "/api/v1/auth/token", data={"username": name, "password": PASSWORD}
            )
            assert answer.status_code == 200, answer.text
            tokens[name] = answer.json()["access_token"]
        yield Site(runtime, client, home, tokens)
    store.close()


@pytest.fixture
def fresh(center: Site) -> Site:
    """The module's center with the runtime's live state cleared for one test."""
    runtime = center.runtime
    runtime.submitted.clear()
    runtime.configured.clear()
    runtime.changed.clear()
    runtime.refusal = None
    runtime.agents.clear()
    runtime.offers.clear()
    runtime.previews.clear()
    runtime.contacts.clear()
    runtime.queues.clear()
    runtime.bus.messages.clear()
    return center


# Sign-in, token and user-management tests run on SQLite and PostgreSQL with this fixture.
from tests.api.access_site import access  # noqa: E402, F401
