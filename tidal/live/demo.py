"""The demo's people and data: three human logins, their agent profile, queues, a campaign.

Passwords are drawn once, kept only as argon2 hashes in the store, and written to
`$TIDAL_HOME/demo-logins.json` (mode 0600) so that `tidal demo` can print them again
on the next start. Seeding is idempotent: what exists is left as it is.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tidal.config import Scenario, open_private
from tidal.store import Role, Store

LOGINS_FILE = "demo-logins.json"
REGISTRY_FILE = "demo-registry.txt"
# Every tenth demo lead's number is on the demo's national registry: the gate refuses it.
DEMO_REGISTRY_EVERY = 10
DEMO_AGENT_GROUP = "billing-team"
DEMO_AGENT_SKILLS = {"billing": 7, "tech": 4}
DEMO_USERS = (("admin", Role.ADMIN), ("sam", Role.SUPERVISOR), ("alice", Role.AGENT))
DEMO_LEADS = 200
DEMO_AREA_CODES = (212, 305, 312, 415)  # where a campaign with no area codes has its demo leads


@dataclass(frozen=True, slots=True)
class Login:
    """A demo user's name, role and password (None if set before this home kept it)."""

    name: str
    role: Role
    password: str | None


def _read_logins(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_logins(path: Path, logins: dict[str, str]) -> None:
    with open_private(path, "w") as handle:
        json.dump(logins, handle, indent=2)


def seed_demo(store: Store, config: Scenario, home: Path) -> list[Login]:
    """Create what the demo needs and is missing; return the logins to print."""
    path = home / LOGINS_FILE
    known = _read_logins(path)
    logins: list[Login] = []
    for name, role in DEMO_USERS:
        user = store.users.get(name)
        if user is None:
            known[name] = secrets.token_urlsafe(9)
            user = store.users.add(name, role, known[name])
        logins.append(Login(name, user.role, known.get(name)))
        if role is Role.AGENT and store.agents.get(name) is None:
            store.agents.add(name, DEMO_AGENT_GROUP, DEMO_AGENT_SKILLS, user.id)
    _write_logins(path, known)
    for queue in config.queues:
        if store.queues.get(queue.name) is None:
            store.queues.put(queue.name, queue.model_dump(mode="json"))
    for campaign in config.campaigns:
        if store.campaigns.get(campaign.name) is None:
            store.campaigns.put(campaign.name, campaign.model_dump(mode="json"))
        if store.leads.count(campaign.name) == 0:
            store.leads.add_many(
                campaign.name, _demo_leads(campaign.leads.area_codes or list(DEMO_AREA_CODES))
            )
    if config.campaigns:
        seed_demo_registry(store, config, home)
    return logins


def seed_demo_registry(store: Store, config: Scenario, home: Path) -> None:
    """A registry for the demo's campaign to dial against, when the home has no fresh one.

    The gate refuses every dial of an area code whose registry download is missing or
    older than 31 days (`registry_stale`); a demo home has none, so it gets a small
    whole-registry list (every tenth demo lead's number), refreshed on each start when
    stale. A registry imported with `tidal dnc import` is left alone while it is fresh.
    """
    from tidal.core.compliance.gate import REGISTRY_MAX_AGE
    from tidal.core.compliance.numbers import area_code, nanp_number
    from tidal.dnc import Registry, import_registry

    registry = Registry(home / "dnc" / "registry")
    now = datetime.now(UTC)
    areas = {a for c in config.campaigns for a in c.leads.area_codes or DEMO_AREA_CODES}
    fresh = [registry.refreshed_at(a) for a in areas]
    if all(at is not None and now - at < REGISTRY_MAX_AGE - timedelta(days=1) for at in fresh):
        return
    listed: list[str] = []
    for campaign in config.campaigns:
        for index, lead in enumerate(store.leads.list(campaign.name, limit=1000)):
            number = nanp_number(lead.numbers[0]) if lead.numbers else None
            if number is not None and index % DEMO_REGISTRY_EVERY == DEMO_REGISTRY_EVERY - 1:
                listed.append(f"{area_code(number)},{number % 10**7:07d}")
    path = home / REGISTRY_FILE
    path.write_text("\n".join(listed) + "\n")
    # Whole registry only in a home that has none: never empty someone's real download.
    empty = not registry.area_codes() and registry.meta().full_refreshed_at is None
    import_registry(registry, path, now=now, whole_registry=empty)


def _demo_leads(area_codes: list[int]) -> list[tuple[list[str], dict[str, str]]]:
    """Leads on fictional numbers (555-01xx) with a little custom data for the screen."""
    leads = []
    for i in range(DEMO_LEADS):
        area = area_codes[i % len(area_codes)]
        number = f"+1{area}55501{i % 100:02d}"
        leads.append(([number], {"name": f"Customer {i + 1}", "plan": ("basic", "plus")[i % 2]}))
    # The same number may appear under two area codes only once each.
    unique: dict[str, tuple[list[str], dict[str, str]]] = {}
    for numbers, data in leads:
        unique.setdefault(numbers[0], (numbers, data))
    return list(unique.values())
