"""The live runtime: the simulator's `Center`, fed by real-time events on one asyncio loop.

Order of every step (DESIGN section 1): the core decides, the event and the records
it produced are committed to the store in one transaction, and only then are the
commands carried out (timers armed, telephony told, screens notified). A crash
between decision and commit loses an event nobody was told had been accepted; a
crash after the commit loses nothing, because `start` replays the log.

The core changes memory when it decides, before the commit. A commit that fails
(a full disk, a lost database, text the database refuses) would leave memory ahead
of the log, so the runtime then rebuilds its center from the log and refuses the
event (`StoreUnavailable`, API 503): after any mix of accepted, refused and failed
events, the live state is what a replay of the log gives.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from tidal.config import (
    CampaignConfig,
    PauseReasonConfig,
    QueueConfig,
    Scenario,
    load_calling_rules,
)
from tidal.core.agent_state import AgentState
from tidal.core.campaigns import (
    PREVIEW_TIMER,
    CampaignState,
    CampaignStateSet,
    Dial,
    DialAnswered,
    Dialer,
    LeadsRecycled,
    PreviewDial,
    PreviewSkipped,
    campaign_queue,
)
from tidal.core.campaigns.configured import campaign_spec
from tidal.core.campaigns.dialer import CAMPAIGN_QUEUE_PREFIX
from tidal.core.campaigns.dispositions import UnknownDisposition
from tidal.core.campaigns.script import render_script
from tidal.core.center import AGENT_STATES, Center
from tidal.core.commands import (
    CancelTimer,
    Command,
    OfferToAgent,
    RecordAgentSession,
    RecordInteraction,
    StartTimer,
)
from tidal.core.compliance import CallingWindows, Compliance, Decision, nanp_number
from tidal.core.errors import CoreError, UnsupportedChange
from tidal.core.events import AgentLoggedIn, ContactArrived, TimerFired, WrapUpDone
from tidal.core.queue import QueueSpec
from tidal.core.records import InteractionRecord
from tidal.live.bus import Bus, Message
from tidal.live.changes import (
    AgentChanged,
    CampaignConfigured,
    PauseReasonsConfigured,
    QueueConfigured,
    apply_change,
    campaign_config,
    pause_reason_configs,
    queue_config,
)
from tidal.live.codec import (
    GATE_KEY,
    LiveEvent,
    decode,
    decode_decisions,
    encode,
    encode_decisions,
)
from tidal.live.counts import CounterHistory, Totals
from tidal.live.health import Integrity, StoreUnavailable
from tidal.live.outbound import (
    LeadsLoaded,
    build_dialer,
    campaign_queue_of,
    campaign_rows,
    group_skills,
    highest_lead,
    home_compliance,
    queue_specs,
    reload_lists,
    stored_leads,
)
from tidal.live.views import (
    View,
    agent_view,
    callback_view,
    contact_view,
    customer_view,
    queues_view,
    record_view,
    ringing_contact,
)
from tidal.store import Lead, Store, every_page
from tidal.telephony import NoTelephony, Telephony

log = logging.getLogger(__name__)

# Seconds an offer rings on an agent's desktop before it counts as missed.
DEFAULT_RING_TIMEOUT = 20.0
TICK_SECONDS = 1.0
# While the store is unreachable, how often the ticker tries to rebuild from the log.
REBUILD_RETRY_SECONDS = 2.0

__all__ = ["DEFAULT_RING_TIMEOUT", "LiveCenter", "NoTelephony", "StoreUnavailable", "Telephony"]


def build_center(config: Scenario, ring_timeout: float | None) -> Center:
    """The core of a center file: its queues (and its campaigns' queues), with a ring
    timeout for human desktops."""
    specs: Iterable[QueueSpec] = (
        queue_specs(config)
        if config.campaigns
        else (QueueSpec.from_config(queue) for queue in config.queues)
    )
    return Center(specs, ring_timeout=ring_timeout)


def default_home() -> Path:
    """`$TIDAL_HOME`, default `./.tidal` (as the CLI has it)."""
    return Path(os.environ.get("TIDAL_HOME", ".tidal"))


def center_zone(config: Scenario) -> tzinfo | None:
    """The center's time zone (from the offset of its `start`), for "today"."""
    return config.start.tzinfo


class LiveCenter:
    """One contact center running in real time."""

    def __init__(
        self,
        config: Scenario,
        store: Store,
        *,
        telephony: Telephony | None = None,
        clock: Callable[[], float] = time.time,
        ring_timeout: float | None = DEFAULT_RING_TIMEOUT,
        tick_seconds: float = TICK_SECONDS,
        compliance: Compliance | None = None,
        home: Path | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.clock = clock
        self.ring_timeout = ring_timeout
        self.bus = Bus()
        self.queue_configs: dict[str, QueueConfig] = {}
        self.telephony: Telephony = telephony if telephony is not None else NoTelephony()
        self.tick_seconds = tick_seconds
        self.events_handled = 0
        self._event_at = 0.0
        self.replayed = 0
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._timer_deadlines: dict[str, float] = {}
        self._next_contact_id = 1
        self._today_start = 0.0
        self._today: dict[str, list[InteractionRecord]] = defaultdict(list)
        self._ticker: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.started = False
        # Outbound: the production dialer around the Center, with the real gate.
        self.dialer: Dialer | None = None
        self._trail: Path | None = None
        self._trail_size = -1
        self._replaying = False
        self._lead_marks: dict[str, int] = {}
        self._previewing: dict[int, str] = {}  # call id -> agent whose desktop shows it
        self._dial_times: dict[str, deque[float]] = defaultdict(deque)
        self._day_counts: dict[str, dict[str, int]] = {}
        self._counter_history = CounterHistory()  # for reports over a period
        self._home = home or default_home()
        self._given_compliance = compliance
        self.integrity = Integrity()
        self._rebuild_after = 0.0
        self._journal: list[Decision] = []  # the gate's answers to the event being decided
        self._windows: CallingWindows | None = None
        self._callbacks_seen = -1  # the callbacks' revision the screens were last sent
        self._callbacks_shown: dict[str, list[View]] = {}
        self.center = self._build_core()
        self.telephony.attach(self)

    def _build_core(self) -> Center:
        """A fresh Center (and dialer with its gate) from the center file: what replay feeds."""
        center = build_center(self.config, self.ring_timeout)
        self.queue_configs = {queue.name: queue for queue in self.config.queues}
        self.campaign_configs = {campaign.name: campaign for campaign in self.config.campaigns}
        self.pause_reasons = tuple(self.config.pause_reasons)
        self.dialer = None
        if self.config.campaigns:
            self.dialer = self._new_dialer(center)
        return center

    def _new_dialer(self, center: Center) -> Dialer:
        """The dialer around `center`, with the real gate (or the one given)."""
        compliance = self._given_compliance
        if compliance is None:
            compliance, self._trail = home_compliance(self._home)
            self._trail_size = _size(self._trail)
        else:
            compliance.drain_audit()  # entries of an event that was not kept
        return build_dialer(self.config, center, compliance, _zone(self.config))

    def _configure_campaign(self, event: CampaignConfigured, now: float) -> list[Command]:
        """Add or redefine a campaign: its Center queue first, then the dialer's run.

        The first campaign of a center that had none brings the dialer (and its gate).
        """
        config = campaign_config(event)
        try:
            spec = campaign_spec(config)
        except ValueError as error:  # a rule the dialer enforces (ring time, caps)
            raise UnsupportedChange(str(error)) from None
        commands: list[Command] = []
        if campaign_queue(config.name) not in self.center.queues:
            queue_spec = campaign_queue_of(config, self.queue_configs.values())
            commands += self.center.configure_queue(queue_spec, now)
        if self.dialer is None:
            self.dialer = self._new_dialer(self.center)
        commands += self.dialer.configure(spec, now)
        self.campaign_configs[config.name] = config
        return commands

    # -- time and ids ---------------------------------------------------------------------

    def now(self) -> float:
        """Wall-clock seconds since the epoch: the `now` the core is given."""
        return self.clock()

    def new_contact_id(self) -> int:
        """A contact id never used before, in this run or any earlier one in the log."""
        contact_id = self._next_contact_id
        self._next_contact_id += 1
        return contact_id

    # -- life cycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Rebuild the center from the event log, re-arm timers, start telephony and ticks."""
        self._loop = asyncio.get_running_loop()
        self._replay()
        self._load_today(self.now())
        self.started = True
        now = self.now()
        for timer_id, deadline in sorted(self._timer_deadlines.items(), key=lambda kv: kv[1]):
            self._arm(timer_id, max(0.0, deadline - now))
        self.telephony.resume()
        self._load_leads()
        await self.telephony.start()
        if self.tick_seconds > 0:
            self._ticker = asyncio.create_task(self._tick_forever(), name="tidal-ticker")
        log.info(
            "center %s started: %d events replayed, %d agents, %d contacts in the center",
            self.config.name,
            self.replayed,
            len(self.center.agents),
            len(self.center.contacts),
        )

    async def stop(self) -> None:
        """Stop ticking and telephony; the log already holds everything."""
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None
        await self.telephony.stop()
        for handle in self._timers.values():
            handle.cancel()
        self._timers.clear()
        self.started = False

    def _replay(self) -> None:
        """Feed every logged event, with its logged time, to a fresh center.

        Records were committed with their events and are not written again; timers
        still pending at the end of the log are kept to be re-armed.
        """
        deadlines = self._timer_deadlines
        highest_contact = 0
        today = self._day_start(self.now())
        before_today = True
        self._replaying = True
        try:
            for logged in self.store.events.since(0):
                event = decode(logged.kind, logged.payload)
                if before_today and logged.at >= today:
                    before_today = False
                    self._snapshot_day()
                if isinstance(event, ContactArrived):
                    highest_contact = max(highest_contact, event.contact_id)
                elif isinstance(event, TimerFired):
                    deadlines.pop(event.timer_id, None)
                try:
                    commands = self._decide(event, logged.at, logged.payload.get(GATE_KEY))
                except CoreError as error:  # logged events were accepted once: not whole
                    self.integrity.refused_on_replay(logged.id, logged.kind, str(error))
                    log.error(
                        "integrity: event %d (%s) refused on replay: %s; the center runs "
                        "degraded (see /healthz)",
                        logged.id,
                        logged.kind,
                        error,
                    )
                    continue
                for command in commands:
                    if isinstance(command, StartTimer):
                        deadlines[command.timer_id] = logged.at + command.delay
                    elif isinstance(command, CancelTimer):
                        deadlines.pop(command.timer_id, None)
                    elif isinstance(command, Dial):
                        self._dial_times[command.campaign].append(logged.at)
                self.replayed += 1
        finally:
            self._replaying = False
        if before_today:
            self._snapshot_day()
        if self.dialer is not None:
            self.dialer.compliance.drain_audit()  # opt-outs replayed were persisted then
        self._next_contact_id = max(self._next_contact_id, highest_contact + 1)

    # -- outbound -------------------------------------------------------------------------

    def _decide(
        self, event: LiveEvent, now: float, gate: list[dict[str, object]] | None = None
    ) -> list[Command]:
        """The core's decision on one event: the dialer's when the center has campaigns.

        `gate`: on replay, the gate's answers logged with the event (handed back instead of
        asking today's lists); live, the answers are journaled for `submit` to log.
        """
        dialer = self.dialer
        if dialer is None:
            return self._decide_with(event, now)
        self._counter_history.observe(now, self._campaign_totals)
        compliance = dialer.compliance
        if self._replaying:
            compliance.recorded = None if gate is None else deque(decode_decisions(gate))
        else:
            compliance.journal = []
        try:
            return self._decide_with(event, now)
        finally:
            compliance.recorded = None
            if not self._replaying:
                self._journal = compliance.journal or []
                compliance.journal = None

    def _decide_with(self, event: LiveEvent, now: float) -> list[Command]:
        dialer = self.dialer
        if isinstance(event, CampaignConfigured):
            return self._configure_campaign(event, now)
        if isinstance(event, PauseReasonsConfigured):
            self.pause_reasons = pause_reason_configs(event)
            return []
        if isinstance(event, QueueConfigured | AgentChanged):
            commands = apply_change(self.center, event, now)
            if isinstance(event, QueueConfigured):
                self.queue_configs[event.name] = queue_config(event)
            return commands
        if isinstance(event, LeadsLoaded):
            if dialer is None or event.campaign not in dialer.campaigns:
                raise CoreError(f"no campaign {event.campaign!r} in this center")
            after = self._lead_marks.get(event.campaign, 0)
            leads = stored_leads(self.store, event.campaign, after, event.upto)
            dialer.add_leads(event.campaign, leads)
            self._lead_marks[event.campaign] = max(after, event.upto)
            return list(dialer.pace(now))
        if dialer is None:
            if isinstance(
                event,
                DialAnswered | PreviewDial | PreviewSkipped | CampaignStateSet | LeadsRecycled,
            ):
                raise CoreError("this center has no campaigns")
            return self.center.handle(event, now)
        if isinstance(event, WrapUpDone) and event.disposition is not None:
            self._check_disposition(event)
        return list(dialer.handle(event, now))

    def _check_disposition(self, event: WrapUpDone) -> None:
        """Refuse a disposition the campaign of the agent's call does not know, before
        the core acts on it (the dialer reads it after the Center has ended wrap-up)."""
        assert self.dialer is not None
        agent = self.center.agents.get(event.agent_id)
        if agent is None:
            return
        contact_id = event.contact_id
        if contact_id is None:  # the one contact the agent is wrapping up
            contact_id = next(
                (c for c, where in agent.work.items() if where is AgentState.WRAP_UP), None
            )
        if contact_id is None:
            return
        contact = self.center.contacts.get(contact_id)
        if contact is None or not contact.queue.startswith(CAMPAIGN_QUEUE_PREFIX):
            return
        run = self.dialer.campaigns.get(contact.queue[len(CAMPAIGN_QUEUE_PREFIX) :])
        if run is not None and event.disposition not in run.spec.dispositions:
            known = ", ".join(sorted(d.code for d in run.spec.dispositions))
            raise UnknownDisposition(
                f"unknown disposition {event.disposition!r} for campaign {run.name!r} "
                f"(known: {known})"
            )

    def _load_leads(self) -> None:
        """Hand the dialer the stored leads it does not hold yet (logged, so replayable)."""
        if self.dialer is None:
            return
        for name in self.dialer.campaigns:
            upto = highest_lead(self.store, name)
            if upto > self._lead_marks.get(name, 0):
                self.try_submit(LeadsLoaded(name, upto))

    def _persist_list_changes(self) -> None:
        """Opt-outs the dialer made (a `dnc` disposition) go to the audit trail and log."""
        if self.dialer is None or self._replaying:
            return
        entries = self.dialer.compliance.drain_audit()
        if not entries:
            return
        for entry in entries:
            self.store.audit.append(entry)
        if self._trail is not None:
            from tidal.dnc import AuditLog

            AuditLog(self._trail).append(entries)
            self._trail_size = _size(self._trail)

    def refresh_lists(self) -> None:
        """Take DNC entries and consents added through the API or CLI since (each tick)."""
        if self.dialer is None or self._trail is None:
            return
        size = _size(self._trail)
        if size != self._trail_size:
            self._trail_size = size
            reload_lists(self.dialer.compliance, self._trail)

    def _snapshot_day(self) -> None:
        """Campaign counters as today began: the wallboard shows today's from them."""
        if self.dialer is not None:
            self._day_counts = {name: self.dialer.counts(name) for name in self.dialer.campaigns}

    def _campaign_totals(self) -> Totals:
        dialer = self.dialer
        return {} if dialer is None else {n: dialer.counts(n) for n in dialer.campaigns}

    def campaign_counts(self, start: float, end: float) -> Totals:
        """Each campaign's dialer counters over [start, end), to the hour (reports)."""
        return self._counter_history.between(start, end, self._campaign_totals)

    def campaign_groups(self, campaign: str) -> list[str]:
        """The agent groups whose outbound mode works the campaign (its agent hours)."""
        return [g.group for g in self.config.agents if g.outbound and campaign in g.campaigns]

    def dial_totals(self) -> dict[str, int]:
        """Every campaign's counters summed, since the log began (for `/metrics`)."""
        totals: dict[str, int] = {}
        if self.dialer is not None:
            for name in self.dialer.campaigns:
                for key, value in self.dialer.counts(name).items():
                    totals[key] = totals.get(key, 0) + value
        return totals

    def campaigns_view(self) -> list[View]:
        """Per campaign: dial rate, 30-day abandonment (ledger), today's figures, mode."""
        dialer = self.dialer
        if dialer is None:
            return []
        now = self.now()
        self._roll_day(now)
        for times in self._dial_times.values():
            while times and times[0] <= now - 60.0:
                times.popleft()
        return campaign_rows(
            self.campaign_configs.values(), dialer, self._dial_times, self._day_counts, now
        )

    # -- the one way in -------------------------------------------------------------------

    def submit(self, event: LiveEvent) -> list[Command]:
        """Decide, commit the event with its records, then carry out the commands.

        Raises `CoreError` when the core refuses the event; nothing is logged then.
        Raises `StoreUnavailable` when the event could not be committed: the center is
        rebuilt from the log (so it is as if the event never came), or, while the store
        cannot be read, refuses every event until it can.
        """
        if self.integrity.unavailable is not None:
            raise StoreUnavailable(self.integrity.unavailable)
        now = self.now()
        self._event_at = now
        if isinstance(event, AgentLoggedIn) and self.dialer is not None:
            # The group's outbound mode gives the campaign skills (logged with the event).
            skills = group_skills(self.config, event.group, event.skills)
            if skills != dict(event.skills):
                event = AgentLoggedIn(event.agent_id, event.group, skills)
        touched = self._agents_touched(event)
        before = {agent_id: self._offer_of(agent_id) for agent_id in touched}
        try:
            commands = self._decide(event, now)
        except CoreError:
            raise  # the core refuses before it changes anything
        except Exception:
            log.exception(
                "deciding %s failed: rebuilding the center from the log", type(event).__name__
            )
            self._rebuild_or_stop("a decision failed")
            raise
        interactions = [c.record for c in commands if isinstance(c, RecordInteraction)]
        sessions = [c.record for c in commands if isinstance(c, RecordAgentSession)]
        kind, payload = encode(event)
        if self._journal:
            payload[GATE_KEY] = encode_decisions(self._journal)
            self._journal = []
        try:
            self.store.events.append_with_records(kind, payload, now, interactions, sessions)
        except Exception as error:
            self.integrity.commit_failed(
                f"the last event could not be stored ({type(error).__name__}) at "
                f"{datetime.fromtimestamp(now, UTC).isoformat(timespec='seconds')}"
            )
            log.error(
                "event %s could not be committed (%s): rebuilding the center from the log",
                kind,
                type(error).__name__,
            )
            self._rebuild_or_stop(f"the event log could not be written ({type(error).__name__})")
            raise StoreUnavailable(
                f"the event could not be stored ({type(error).__name__})"
            ) from error
        self.events_handled += 1
        self.integrity.write_error = None
        if isinstance(event, ContactArrived) and event.contact_id >= self._next_contact_id:
            self._next_contact_id = event.contact_id + 1
        if isinstance(event, TimerFired):
            self._timers.pop(event.timer_id, None)
            self._timer_deadlines.pop(event.timer_id, None)
        self._persist_list_changes()
        self._execute(commands, now, touched)
        self._publish_agents(touched, before)
        self._publish_callbacks()
        for record in interactions:
            self._remember(record)
            self._publish(
                {"type": "interaction", **record_view(record)},
                supervisors_only=record.agent_id is None,
            )
        return commands

    def configure_queue(self, config: QueueConfig) -> None:
        """Add or redefine a queue in the running center (logged: replay does it too)."""
        stored = config.model_dump(mode="json", exclude_unset=True)
        self.submit(QueueConfigured(config.name, stored))

    def configure_campaign(self, config: CampaignConfig) -> None:
        """Add a campaign to the running center (stopped until started) or redefine a
        running one (logged: replay does it too)."""
        stored = config.model_dump(mode="json", exclude_unset=True)
        self.submit(CampaignConfigured(config.name, stored))

    def configure_pause_reasons(self, reasons: Sequence[PauseReasonConfig]) -> None:
        """Replace the not-ready reasons agents pick from (logged: replay does it too)."""
        stored = tuple(reason.model_dump(mode="json") for reason in reasons)
        self.submit(PauseReasonsConfigured(stored))

    def queue_config(self, name: str) -> QueueConfig | None:
        """The configuration a queue of the running center is routed by, if it has one."""
        return self.queue_configs.get(name)

    def agent_phone(self, agent_id: str) -> str | None:
        """The phone an offer to this agent rings (their stored profile's), if any."""
        profile = self.store.agents.get(agent_id)
        return None if profile is None else profile.phone

    def change_agent(self, agent_id: str, group: str, skills: dict[str, int]) -> None:
        """A profile edit reaches a logged-in agent now; others log in with the new one."""
        if agent_id not in self.center.agents:
            return
        if self.dialer is not None:
            skills = group_skills(self.config, group, skills)
        self.submit(AgentChanged(agent_id, group, skills))

    def campaign_state(self, name: str) -> str | None:
        """Running, paused or stopped; None for a campaign this center does not run."""
        dialer = self.dialer
        if dialer is None or name not in dialer.campaigns:
            return None
        return str(dialer.state(name))

    def set_campaign_state(self, name: str, state: CampaignState) -> str:
        """Start, pause or stop a campaign (logged: replay does it too); its new state."""
        self.submit(CampaignStateSet(name, state))
        return str(state)

    def lead_states(self, campaign: str) -> dict[int, str] | None:
        """Lead row id -> state, for the leads the dialer holds; None for a campaign the
        center does not run (its stored leads are all new)."""
        dialer = self.dialer
        if dialer is None or campaign not in dialer.campaigns:
            return None
        return {
            int(lead_id): str(state)
            for lead_id, state in dialer.lead_states(campaign).items()
            if lead_id.isdigit()
        }

    def recycle_leads(self, campaign: str, lead_ids: Sequence[int]) -> None:
        """Give leads fresh attempts (logged: replay does it too); the dialer takes
        stored leads it does not hold yet first, so none of them is missed."""
        self._load_leads()
        self.submit(LeadsRecycled(campaign, tuple(str(lead_id) for lead_id in lead_ids)))

    def try_submit(self, event: LiveEvent) -> list[Command] | None:
        """`submit`, for events whose moment may have passed (a bot's late step)."""
        try:
            return self.submit(event)
        except CoreError as error:
            log.debug("%s refused: %s", type(event).__name__, error)
            return None
        except StoreUnavailable as error:
            log.warning("%s not taken: %s", type(event).__name__, error)
            return None

    # -- back to the log's truth ----------------------------------------------------------

    def rebuild(self) -> None:
        """Replace the in-memory center by a replay of the log, as `start` builds it.

        Either the replay completes and replaces everything, or (the log cannot be read)
        the state as it was is put back and the error is raised: screens keep the last
        known picture while `/healthz` says events are refused.
        """
        saved = (
            self.center, self.dialer, self._timer_deadlines, self._lead_marks,
            self._dial_times, self._day_counts, self._today, self._today_start,
            self.replayed, self.integrity, self._trail, self._trail_size,
            self.queue_configs, self._counter_history,
        )  # fmt: skip
        for handle in self._timers.values():
            handle.cancel()
        self._timers.clear()
        self._timer_deadlines = {}
        self._lead_marks = {}
        self._dial_times = defaultdict(deque)
        self._day_counts = {}
        self._counter_history = CounterHistory()
        self._today = defaultdict(list)
        self.replayed = 0
        self.integrity = self.integrity.carried_over()
        try:
            self.center = self._build_core()
            self._replay()
            now = self.now()
            self._load_today(now)
        except BaseException:
            (
                self.center, self.dialer, self._timer_deadlines, self._lead_marks,
                self._dial_times, self._day_counts, self._today, self._today_start,
                self.replayed, self.integrity, self._trail, self._trail_size,
                self.queue_configs, self._counter_history,
            ) = saved  # fmt: skip
            raise
        if self._loop is not None:
            for timer_id, deadline in sorted(self._timer_deadlines.items(), key=lambda kv: kv[1]):
                self._arm(timer_id, max(0.0, deadline - now))
        if self.started:
            self.telephony.resume()
        self._publish_everyone()

    def _rebuild_or_stop(self, why: str) -> None:
        """Rebuild from the log now; if the log cannot be read, refuse events until it can."""
        try:
            self.rebuild()
        except Exception as error:
            self.integrity.unavailable = (
                f"{why}; the log cannot be read either ({type(error).__name__}): "
                "events are refused until the store answers"
            )
            self._rebuild_after = self.now() + REBUILD_RETRY_SECONDS
            log.error("integrity: %s", self.integrity.unavailable)

    def retry_rebuild(self) -> bool:
        """While events are refused: try the log again (each tick). True once rebuilt."""
        if self.integrity.unavailable is None:
            return True
        if self.now() < self._rebuild_after:
            return False
        try:
            self.rebuild()
        except Exception as error:
            self._rebuild_after = self.now() + REBUILD_RETRY_SECONDS
            log.warning("the store still cannot be read (%s)", type(error).__name__)
            return False
        log.info("the store answers again: center rebuilt from %d logged events", self.replayed)
        return True

    def _publish_everyone(self) -> None:
        """After a rebuild every screen learns its agent's state from the log's truth."""
        for agent in self.center.agents.values():
            self._publish({"type": "agent", **agent_view(agent, self.center.contacts)})
        self._publish_callbacks(everyone=True)

    def health(self) -> dict[str, object]:
        """`/healthz`: ok, or degraded with the reasons (replay refusals, store down)."""
        return self.integrity.report()

    def _agents_touched(self, event: LiveEvent) -> set[str]:
        """Agents whose state this event may change: named, or on the named contact."""
        touched: set[str] = set()
        agent_id = getattr(event, "agent_id", None)
        if agent_id is not None:
            touched.add(agent_id)
        contact_id = getattr(event, "contact_id", None)
        if contact_id is not None:
            contact = self.center.contacts.get(contact_id)
            if contact is not None and contact.agent_id is not None:
                touched.add(contact.agent_id)
        if isinstance(event, TimerFired):
            # Ring, wrap-up and expansion timers name their subject after a prefix.
            _, _, subject = event.timer_id.partition(":")
            agent_part, _, _ = subject.rpartition(":")  # wrap:AGENT:CONTACT
            if agent_part in self.center.agents:
                touched.add(agent_part)
            elif subject.isdigit():
                contact = self.center.contacts.get(int(subject))
                if contact is not None and contact.agent_id is not None:
                    touched.add(contact.agent_id)
        return touched

    def _offer_of(self, agent_id: str) -> int | None:
        """The contact ringing this agent, if any."""
        agent = self.center.agents.get(agent_id)
        return None if agent is None else ringing_contact(agent)

    def _execute(self, commands: Iterable[Command], now: float, touched: set[str]) -> None:
        telephony = self.telephony
        for command in commands:
            if isinstance(command, StartTimer):
                self._timer_deadlines[command.timer_id] = now + command.delay
                self._arm(command.timer_id, command.delay)
                if command.timer_id.startswith(PREVIEW_TIMER):
                    self._publish_preview(int(command.timer_id[len(PREVIEW_TIMER) :]), touched)
            elif isinstance(command, CancelTimer):
                self._timer_deadlines.pop(command.timer_id, None)
                handle = self._timers.pop(command.timer_id, None)
                if handle is not None:
                    handle.cancel()
                if command.timer_id.startswith(PREVIEW_TIMER):
                    self._preview_ended(int(command.timer_id[len(PREVIEW_TIMER) :]), touched)
            elif isinstance(command, RecordInteraction | RecordAgentSession):
                continue  # committed with the event
            elif isinstance(command, Dial):
                self._dial_times[command.campaign].append(now)
                telephony.execute(command, now)
            else:
                if isinstance(command, OfferToAgent):
                    touched.add(command.agent_id)
                    offer = self.offer_for(command.agent_id)
                    if offer is not None:
                        self._publish({"type": "offer", "agent_id": command.agent_id, **offer})
                elif hasattr(command, "agent_id"):
                    touched.add(command.agent_id)
                telephony.execute(command, now)

    def _arm(self, timer_id: str, delay: float) -> None:
        """Run `TimerFired(timer_id)` after `delay` seconds on the loop."""
        if self._loop is None:
            return  # not started: `start` arms what is pending
        old = self._timers.pop(timer_id, None)
        if old is not None:
            old.cancel()
        self._timers[timer_id] = self._loop.call_later(delay, self._fire, timer_id)

    def _fire(self, timer_id: str) -> None:
        self._timers.pop(timer_id, None)
        if timer_id not in self._timer_deadlines:
            return  # cancelled meanwhile
        self.try_submit(TimerFired(timer_id))

    # -- what screens see -----------------------------------------------------------------

    def _publish_agents(self, touched: set[str], before: dict[str, int | None]) -> None:
        for agent_id in touched:
            agent = self.center.agents.get(agent_id)
            if agent is None:
                continue
            ringing = before.get(agent_id)
            if ringing is not None and agent.work.get(ringing) not in (
                AgentState.TALKING,
                AgentState.RESERVED,
            ):
                self._publish(
                    {
                        "type": "offer_cancelled",
                        "agent_id": agent_id,
                        "contact_id": ringing,
                        "reason": "caller_hung_up"
                        if ringing not in self.center.contacts
                        else "not_answered",
                    }
                )
            self._publish({"type": "agent", **agent_view(agent, self.center.contacts)})

    def _publish(self, message: Message, *, supervisors_only: bool = False) -> None:
        """Stamp the message with when its event reached the center, then publish it.

        Screens (and bench/live.py) measure event-to-screen latency from this `at`.
        """
        message["at"] = self._event_at
        self.bus.publish(message, supervisors_only=supervisors_only)

    def agents_view(self) -> list[View]:
        """Every agent the center knows, by id."""
        return [
            agent_view(self.center.agents[a], self.center.contacts)
            for a in sorted(self.center.agents)
        ]

    def agent_view(self, agent_id: str) -> View | None:
        """One agent's live state, or None if they never logged in."""
        agent = self.center.agents.get(agent_id)
        return None if agent is None else agent_view(agent, self.center.contacts)

    def contact_view(self, contact_id: int) -> View | None:
        """A contact the center holds, or None."""
        contact = self.center.contacts.get(contact_id)
        return None if contact is None else contact_view(contact, self.now())

    def offer_for(self, agent_id: str) -> View | None:
        """The contact ringing this agent, with its screen pop: caller, IVR, history."""
        contact_id = self._offer_of(agent_id)
        if contact_id is None:
            return None
        contact = self.center.contacts.get(contact_id)
        if contact is None:
            return None
        view = contact_view(contact, self.now())
        view["ring_timeout"] = self.ring_timeout
        view["ivr"] = dict(contact.data or {})
        history = self.history(contact.caller) if contact.caller else []
        view["history"] = history
        found = None if self.dialer is None else self.dialer.call_lead(contact_id)
        if found is not None:  # an outbound call: the dialled lead, and its script
            campaign, dialled = found
            lead = (
                self.store.leads.get(campaign, int(dialled.lead_id))
                if dialled.lead_id.isdigit()
                else None
            )
            view["customer"] = customer_view(lead, history, dialled=True)
            view["script"] = self._script_for(lead)
        else:  # inbound: the newest lead of any campaign holding the caller's number
            matches = self.store.leads.with_number(contact.caller, 1) if contact.caller else []
            view["customer"] = customer_view(matches[0] if matches else None, history)
            view["script"] = None
        view["dispositions"] = self.dispositions_for(contact.queue)
        return view

    # -- callbacks ------------------------------------------------------------------------

    def _callee_windows(self) -> CallingWindows:
        """The calling-window rules that say where a callee is (the gate's, if it has them)."""
        if self.dialer is not None and isinstance(self.dialer.compliance.windows, CallingWindows):
            return self.dialer.compliance.windows
        if self._windows is None:
            self._windows = CallingWindows(load_calling_rules())
        return self._windows

    def _callee_zones(
        self, number: str, time_zone: str | None = None, postal_code: str | None = None
    ) -> tuple[str, ...]:
        nanp = nanp_number(number)
        if nanp is None:
            return ()
        location = self._callee_windows().locate(nanp, time_zone=time_zone, postal_code=postal_code)
        return location.zones

    def callbacks(self, agent_id: str | None = None) -> list[View]:
        """Callbacks booked and not yet due, by due time: the Center's (inbound, by
        contact id) and the campaigns' (by the id of the call that booked them); with
        `agent_id`, only those that agent booked."""
        items: list[View] = []
        for booked in self.center.pending_callbacks():
            if agent_id is not None and booked.agent_id != agent_id:
                continue
            matches = self.store.leads.with_number(booked.number, 1)
            items.append(
                callback_view(
                    booked.contact_id,
                    agent_id=booked.agent_id,
                    number=booked.number,
                    due=booked.due,
                    zones=self._callee_zones(booked.number),
                    queue=booked.queue,
                    campaign=None,
                    note=booked.note,
                    lead=matches[0] if matches else None,
                )
            )
        dialer = self.dialer
        for campaign, callback in [] if dialer is None else dialer.pending_callbacks():
            if agent_id is not None and callback.booked_by != agent_id:
                continue
            assert dialer is not None
            held = dialer.lead(campaign, callback.lead_id)
            number = callback.number or held.number
            lead = (
                self.store.leads.get(campaign, int(callback.lead_id))
                if callback.lead_id.isdigit()
                else None
            )
            items.append(
                callback_view(
                    callback.callback_id,
                    agent_id=callback.booked_by,
                    number=number,
                    due=callback.due,
                    zones=self._callee_zones(number, held.time_zone, held.postal_code),
                    queue=campaign_queue(campaign),
                    campaign=campaign,
                    note=callback.note,
                    lead=lead,
                )
            )
        return sorted(items, key=lambda item: (item["due"], item["id"]))

    def callback(self, callback_id: int) -> View | None:
        """One pending callback, or None (unknown, already due, or called off)."""
        return next((c for c in self.callbacks() if c["id"] == callback_id), None)

    def _callbacks_revision(self) -> int:
        revision = self.center.callbacks_revision
        if self.dialer is not None:
            revision += self.dialer.callbacks_revision()
        return revision

    def _publish_callbacks(self, *, everyone: bool = False) -> None:
        """An agent whose callbacks changed (booked, moved, called off, due) gets the
        list again: `{"type": "callbacks", "agent_id", "items"}`."""
        revision = self._callbacks_revision()
        if revision == self._callbacks_seen and not everyone:
            return
        self._callbacks_seen = revision
        by_agent: dict[str, list[View]] = defaultdict(list)
        for item in self.callbacks():
            if item["agent_id"] is not None:
                by_agent[item["agent_id"]].append(item)
        shown = self._callbacks_shown
        for agent_id in sorted(set(by_agent) | set(shown)):
            items = by_agent.get(agent_id, [])
            if everyone or shown.get(agent_id) != items:
                self._publish({"type": "callbacks", "agent_id": agent_id, "items": items})
        self._callbacks_shown = dict(by_agent)

    def _script_for(self, lead: Lead | None) -> str | None:
        """The campaign's call script with the lead's fields filled in."""
        if lead is None:
            return None
        config = self.campaign_configs.get(lead.campaign)
        if config is None or not config.script:
            return None
        return render_script(config.script, lead.data)

    def dispositions_for(self, queue: str) -> list[str]:
        """What an agent may close a contact of this queue (or campaign) with."""
        if queue.startswith(CAMPAIGN_QUEUE_PREFIX) and self.dialer is not None:
            run = self.dialer.campaigns.get(queue[len(CAMPAIGN_QUEUE_PREFIX) :])
            if run is not None:
                return sorted(d.code for d in run.spec.dispositions)
        config = self.queue_configs.get(queue)
        return list(config.dispositions) if config is not None else []

    def preview_for(self, agent_id: str) -> View | None:
        """The lead this agent is previewing (outbound preview mode): its fields, the
        number to dial, its history, and how long before it is dialled anyway."""
        if self.dialer is None:
            return None
        found = self.dialer.preview_of(agent_id)
        if found is None:
            return None
        campaign, call_id, lead, number = found
        stored = (
            self.store.leads.get(campaign, int(lead.lead_id)) if lead.lead_id.isdigit() else None
        )
        fields: dict[str, object] = {} if stored is None else dict(stored.data)
        deadline = self._timer_deadlines.get(f"{PREVIEW_TIMER}{call_id}")
        return {
            "agent_id": agent_id,
            "call_id": call_id,
            "campaign": campaign,
            "number": number,
            "lead": {"lead_id": lead.lead_id, **fields, "numbers": list(lead.numbers)},
            "attempts": lead.attempts,
            "history": self.history(number),
            "dial_at": deadline,
        }

    def _publish_preview(self, call_id: int, touched: set[str]) -> None:
        """A lead was put before an agent: their desktop shows its card."""
        assert self.dialer is not None
        agent_id = self.dialer.previewer(call_id)
        preview = None if agent_id is None else self.preview_for(agent_id)
        if agent_id is not None and preview is not None:
            touched.add(agent_id)
            self._previewing[call_id] = agent_id
            self._publish({"type": "preview", **preview})

    def _preview_ended(self, call_id: int, touched: set[str]) -> None:
        """A card left the agent's desktop (dialled, skipped, or taken back by a pause)."""
        agent_id = self._previewing.pop(call_id, None)
        if agent_id is not None:
            touched.add(agent_id)
            self._publish({"type": "preview", "agent_id": agent_id, "call_id": call_id})

    def history(self, caller: str, limit: int = 50) -> list[View]:
        """Earlier interactions with this number, newest first (inbound and outbound)."""
        records = self.store.interactions.list(caller=caller, limit=1000)
        return [record_view(r) for r in reversed(records[-limit:])]

    def queues_view(self) -> list[View]:
        """Waiting now and today's figures of every queue."""
        now = self.now()
        self._roll_day(now)
        return queues_view(self.center, self.queue_configs, self._today, now, self._today_start)

    def agent_state_counts(self) -> dict[str, int]:
        """Agents per state, from the counters the state table keeps."""
        return {str(state): self.center.agents_in(state) for state in AGENT_STATES}

    def tick_message(self) -> Message:
        """What wallboards receive each second."""
        return {
            "type": "tick",
            "at": self.now(),
            "queues": self.queues_view(),
            "agents": self.agent_state_counts(),
            "campaigns": self.campaigns_view(),
        }

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(self.tick_seconds)
            if not self.retry_rebuild():
                continue
            try:
                self.refresh_lists()
                self._load_leads()  # a list uploaded meanwhile is dialled from now on
            except Exception:  # a bad trail line must not stop the ticker
                log.exception("reloading the DNC lists or leads failed")
            if self.bus.subscribers:
                try:
                    self.bus.publish(self.tick_message())  # carries its own "at"
                except Exception:  # a tick must never kill the ticker
                    log.exception("tick failed")

    # -- today's records ------------------------------------------------------------------

    def _day_start(self, now: float) -> float:
        zone = center_zone(self.config)
        local = datetime.fromtimestamp(now, zone)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        return midnight.timestamp()

    def _load_today(self, now: float) -> None:
        """Today's records from the store: the wallboard's day survives a restart."""
        self._today_start = self._day_start(now)
        self._today.clear()
        since = self._today_start
        for record in every_page(
            lambda limit, offset: self.store.interactions.list(
                since=since, limit=limit, offset=offset
            )
        ):
            self._today[record.queue].append(record)

    def _roll_day(self, now: float) -> None:
        """At local midnight the wallboard's day starts again."""
        day_start = self._day_start(now)
        if day_start > self._today_start:
            self._today_start = day_start
            self._today.clear()
            self._snapshot_day()

    def _remember(self, record: InteractionRecord) -> None:
        if record.arrived_at >= self._today_start:
            self._today[record.queue].append(record)


def _zone(config: Scenario) -> tzinfo:
    zone = center_zone(config)
    return zone if zone is not None else UTC


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0
