"""Run a live center: store, runtime, telephony and the HTTP API on one asyncio loop."""

from __future__ import annotations

import asyncio
import logging
import os
from importlib import resources
from pathlib import Path

import uvicorn

from tidal.config import NEEDED_TO_SIMULATE, ConfigError, Scenario, load_scenario
from tidal.live.runtime import LiveCenter
from tidal.store import Store
from tidal.store.const import DEFAULT_HOME
from tidal.telephony import NoTelephony, Telephony
from tidal.telephony.sim import SimTelephony

log = logging.getLogger(__name__)

TELEPHONY_ENV = "TIDAL_TELEPHONY"
TELEPHONY_KINDS = ("sim", "none", "sip")


class UnknownTelephony(ValueError):
    """`TIDAL_TELEPHONY` names an adapter this build does not have."""


def demo_center() -> Scenario:
    """The demo center shipped with Tidal."""
    source = resources.files("tidal.live").joinpath("data/demo-center.yaml")
    with resources.as_file(source) as path:
        return load_scenario(path)


def load_center(path: Path | None, telephony: str | None = None) -> Scenario:
    """The center file to run (scenario format, CONTRACTS section 2); the demo's if none.

    A live center needs no simulated world. Under simulated telephony (the default) the
    world's missing keys are logged, each as `file:line field: needed to simulate`:
    those queues get no simulated callers and those campaigns' numbers ring out.
    """
    if path is None:
        return demo_center()
    if _telephony_kind(telephony) != "sim":
        return load_scenario(path)
    try:
        return load_scenario(path, simulate=True)
    except ConfigError as error:
        if not all(issue.message == NEEDED_TO_SIMULATE for issue in error.issues):
            raise
        for issue in error.issues:
            log.warning("simulated telephony: %s", issue)
    return load_scenario(path)


def _telephony_kind(kind: str | None) -> str:
    return kind or os.environ.get(TELEPHONY_ENV) or "sim"


def make_telephony(
    config: Scenario,
    kind: str | None,
    speed: float,
    base_dir: Path | None = None,
    home: Path | None = None,
) -> Telephony:
    """The telephony adapter `kind` (default: $TIDAL_TELEPHONY, else `sim`).

    `base_dir` is where the center file's call flows are found; `home` is where real
    telephony keeps its sockets, logs and recordings.
    """
    chosen = _telephony_kind(kind)
    if chosen == "sim":
        return SimTelephony(config, speed=speed, base_dir=base_dir)
    if chosen == "none":
        return NoTelephony()
    if chosen == "sip":
        if config.telephony is None:
            raise UnknownTelephony(
                f"{TELEPHONY_ENV}=sip needs a telephony: section in the center file "
                "(CONTRACTS section 7: sip, media, trunks, numbers)"
            )
        from tidal.telephony.sip import SipTelephony  # sippy and bencode only when used

        return SipTelephony(config.telephony, home if home is not None else DEFAULT_HOME)
    raise UnknownTelephony(
        f"{TELEPHONY_ENV}={chosen!r}: expected one of {', '.join(TELEPHONY_KINDS)}"
    )


async def run_server(
    runtime: LiveCenter, host: str, port: int, home: Path | None = None, log_level: str = "info"
) -> None:
    """Serve HTTP until stopped; the app's lifespan starts the runtime (replaying the log)."""
    from tidal.api import create_app
    from tidal.web import mount

    app = create_app(runtime, home, start_runtime=True)
    mount(app)
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, access_log=False)
    await uvicorn.Server(config).serve()


def serve(
    config: Scenario,
    store: Store,
    *,
    host: str,
    port: int,
    telephony: str | None = None,
    speed: float = 1.0,
    home: Path | None = None,
    base_dir: Path | None = None,
) -> None:
    """Run the center until interrupted."""
    runtime = LiveCenter(
        config,
        store,
        telephony=make_telephony(config, telephony, speed, base_dir, home),
        home=home,
    )
    asyncio.run(run_server(runtime, host, port, home))
