"""The whole API fuzzed from its own OpenAPI schema: no input gets a 5xx or crashes it.

schemathesis's engine (what `schemathesis run` drives) sends the schema's examples,
its coverage cases (boundaries, wrong types, missing and extra fields: where 2**63
offsets and year-9999 dates come from) and seeded random requests to every operation
of the real app over a real store and a started live center, signed in as an admin so
that every route is reached past authentication, with the one check `not_a_server_error`.
Bounded (10 fuzzed cases per operation, a fixed seed) so that it runs in about a
minute; the number of cases sent is printed as one JSON object for the record
(`pytest -s tests/api/test_fuzz.py`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
import schemathesis
from schemathesis import engine
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events

from tests.api.conftest import FAST_HASHER, PASSWORD
from tests.api.test_live import CENTER, Clock
from tests.postgres import PostgresServer
from tidal.api import create_app
from tidal.api._auth import TokenIssuer
from tidal.config import parse_scenario
from tidal.live.runtime import LiveCenter
from tidal.store import Role, Store

SEED = 1
FUZZED_PER_OPERATION = 10


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    url = database = None
    if request.param == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgresql_server")
        database = f"tidal_fuzz_{uuid4().hex[:12]}"
        url = server.new_database(database)
    store = Store.open(url, home=tmp_path, hasher=FAST_HASHER)
    store.users.add("ada", Role.ADMIN, PASSWORD)
    alice = store.users.add("alice", Role.AGENT, PASSWORD)
    store.agents.add("ag1", "support", {"billing": 5}, alice.id)
    runtime = LiveCenter(
        parse_scenario(CENTER, "center.yaml"), store, clock=Clock(), tick_seconds=0
    )
    try:
        yield create_app(runtime, tmp_path, start_runtime=True)
    finally:
        schemathesis.python.asgi.shutdown_lifespans()  # the app's lifespan stops the runtime
        store.close()
        if database is not None:
            request.getfixturevalue("postgresql_server").drop_database(database)


def fuzz_config() -> SchemathesisConfig:
    """Seeded, bounded, only `not_a_server_error`; no cache between runs (reproducible) and
    no stateful phase (the schema declares no links)."""
    return SchemathesisConfig.from_str(
        f"""
seed = {SEED}
cache = {{ enabled = false }}
[checks]
enabled = false
not_a_server_error.enabled = true
[phases.stateful]
enabled = false
[generation]
max-examples = {FUZZED_PER_OPERATION}
"""
    )


def sign_in_as_admin_every_time(schema: Any, store: Store, tokens: TokenIssuer) -> None:
    """Fuzzed requests sign the admin out everywhere, demote, disable, rename or delete
    them; each request gets a fresh token for an admin restored as needed, so that every
    later operation is still reached past authentication."""

    @schema.auth(refresh_interval=None)
    class FreshAdmin:
        def get(self, case: Any, ctx: Any) -> str:
            admin = store.users.get("ada") or store.users.add("ada", Role.ADMIN, PASSWORD)
            if admin.disabled or admin.role is not Role.ADMIN:
                admin = store.users.update("ada", role=Role.ADMIN, disabled=False)
            return tokens.issue(admin)

        def set(self, case: Any, data: str, ctx: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


def test_no_request_gets_a_server_error(app: Any) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=fuzz_config())
    sign_in_as_admin_every_time(schema, app.state.runtime.store, app.state.tokens)
    cases: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    for event in engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            cases[str(event.phase)] += len(event.recorder.cases)
            for interaction in event.recorder.interactions.values():
                response = interaction.response
                if response is not None:
                    statuses[response.status_code] += 1
                    if response.status_code >= 500:
                        body = (interaction.request.body or b"")[:300]
                        failures.append(
                            f"{interaction.request.uri} {body!r} -> {response.content[:300]!r}"
                        )
            if event.status in (Status.FAILURE, Status.ERROR) and not failures:
                failures.append(f"{event.label}: {event.status}")
        elif isinstance(event, events.NonFatalError | events.FatalError):
            failures.append(str(getattr(event, "info", None) or getattr(event, "exception", event)))
    figures = {"fuzz_cases": sum(cases.values()), "by_phase": dict(cases)}
    print(json.dumps({**figures, "statuses": dict(sorted(statuses.items()))}))
    assert sum(cases.values()) > 1000
    assert statuses[200] > 100  # routes were reached past authentication
    assert not failures, "\n".join(failures[:20])
