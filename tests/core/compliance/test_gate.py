"""The one gate: Do-Not-Call, consent, calling windows, abandonment cap, caller ID."""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidal.config import load_calling_rules
from tidal.core.compliance import (
    CallingWindows,
    CampaignRules,
    Compliance,
    ConsentKind,
    DialMode,
    Lead,
    MemoryRegistry,
    Reason,
)

NY = ZoneInfo("America/New_York")
NOON = datetime(2026, 11, 24, 12, 0, tzinfo=NY)  # a Tuesday
REGISTERED = 2125550123
FREE = 2125550199
LEAD = Lead("lead-1")
CAMPAIGN = CampaignRules(
    "renewals",
    caller_id="+12025550100",
    dial_mode=DialMode.PREDICTIVE,
    seller_name="Acme Insurance",
    callback_number="+18005550199",
)
WINDOWS = CallingWindows(load_calling_rules())


def _gate(refreshed: datetime = NOON - timedelta(days=3)) -> Compliance:
    return Compliance(MemoryRegistry([REGISTERED], refreshed_at=refreshed), WINDOWS)


def _healthy(gate: Compliance) -> Compliance:
    gate.ledger.record(CAMPAIGN.name, NOON.date(), human_answered=1000, abandoned=5)
    return gate


def test_a_free_number_in_the_window_may_be_dialled() -> None:
    decision = _healthy(_gate()).may_dial(LEAD, "(212) 555-0199", CAMPAIGN, NOON)
    assert decision.allowed and decision.number == FREE and decision.reasons == ()


def test_a_registry_number_is_refused_and_the_refusal_audited() -> None:
    gate = _healthy(_gate())
    decision = gate.may_dial(LEAD, "+12125550123", CAMPAIGN, NOON)
    assert not decision.allowed
    assert decision.reasons == (Reason.REGISTRY,)
    assert decision.dnc_blocked and not decision.window_blocked
    [entry] = gate.drain_audit()
    assert (entry.action, entry.number, entry.campaign) == ("dial_refused", REGISTERED, "renewals")
    assert entry.details["reasons"] == ["registry"]
    assert gate.drain_audit() == []


def test_the_journal_keeps_every_answer_and_recorded_answers_are_handed_back() -> None:
    """Decisions as data: what was decided is logged, and a replay gets it back even when
    the lists have changed since (the number is listed now)."""
    gate = _healthy(_gate())
    gate.journal = []
    allowed = gate.may_dial(LEAD, "(212) 555-0199", CAMPAIGN, NOON)
    refused = gate.may_dial(LEAD, "+12125550123", CAMPAIGN, NOON)
    assert gate.journal == [allowed, refused]
    gate.journal = None
    gate.add_internal_dnc(FREE, at=NOON, actor="test", source="complaint")
    assert not gate.may_dial(LEAD, "(212) 555-0199", CAMPAIGN, NOON).allowed  # asked anew
    gate.recorded = deque([allowed])
    assert gate.may_dial(LEAD, "(212) 555-0199", CAMPAIGN, NOON) == allowed  # as logged
    assert not gate.recorded
    assert not gate.may_dial(LEAD, "(212) 555-0199", CAMPAIGN, NOON).allowed  # none left


def test_consent_and_ebr_make_a_registry_number_callable_and_say_why() -> None:
    gate = _healthy(_gate())
    gate.grant_consent(REGISTERED, ConsentKind.INQUIRY, at=NOON - timedelta(days=10),
                       actor="web", source="quote form")  # fmt: skip
    decision = gate.may_dial(LEAD, REGISTERED, CAMPAIGN, NOON)
    assert decision.allowed and decision.grounds == ("ebr",)
    # An inquiry's relationship lapses after 3 months.
    later = NOON + timedelta(days=100)
    gate.ledger.record(CAMPAIGN.name, later.date(), human_answered=1000)
    assert Reason.REGISTRY in gate.may_dial(LEAD, REGISTERED, CAMPAIGN, later).reasons


def test_opt_out_overrides_written_consent_at_once() -> None:
    gate = _healthy(_gate())
    gate.grant_consent(REGISTERED, ConsentKind.WRITTEN, at=NOON - timedelta(days=1),
                       actor="admin", source="signed")  # fmt: skip
    gate.record_opt_out(REGISTERED, at=NOON, actor="agent-7", channel="agent")
    decision = gate.may_dial(LEAD, REGISTERED, CAMPAIGN, NOON + timedelta(seconds=1))
    assert not decision.allowed and Reason.INTERNAL in decision.reasons
    actions = [e.action for e in gate.drain_audit()]
    assert actions == ["consent_granted", "opt_out", "dial_refused"]


def test_campaign_list_blocks_only_that_campaign() -> None:
    gate = _healthy(_gate())
    gate.add_internal_dnc(FREE, at=NOON, actor="admin", source="complaint", campaign="renewals")
    assert gate.may_dial(LEAD, FREE, CAMPAIGN, NOON).reasons == (Reason.INTERNAL,)
    other = CampaignRules("winback", caller_id="+12025550100")
    assert gate.may_dial(LEAD, FREE, other, NOON).allowed


def test_a_stale_registry_blocks_every_registry_checked_dial() -> None:
    gate = _healthy(_gate(refreshed=NOON - timedelta(days=32)))
    assert gate.may_dial(LEAD, FREE, CAMPAIGN, NOON).reasons == (Reason.REGISTRY_STALE,)
    # A consented number is not registry-checked, so staleness does not stop it.
    gate.grant_consent(FREE, ConsentKind.WRITTEN, at=NOON - timedelta(days=1), actor="a",
                       source="s")  # fmt: skip
    assert gate.may_dial(LEAD, FREE, CAMPAIGN, NOON).allowed
    # An area code never loaded counts as stale.
    empty = Compliance(MemoryRegistry(), WINDOWS)
    assert Reason.REGISTRY_STALE in empty.check_number(FREE, NOON).reasons


def test_invalid_numbers_are_refused_as_invalid() -> None:
    decision = _healthy(_gate()).may_dial(LEAD, "555-0123", CAMPAIGN, NOON)
    assert decision.reasons == (Reason.INVALID,) and decision.number is None


def test_outside_the_window_is_refused_with_the_time_it_reopens() -> None:
    late = datetime(2026, 11, 24, 21, 30, tzinfo=NY)
    decision = _healthy(_gate()).may_dial(LEAD, FREE, CAMPAIGN, late)
    assert decision.reasons == (Reason.CALLING_WINDOW,) and decision.window_blocked
    assert decision.next_allowed == datetime(2026, 11, 25, 8, 0, tzinfo=NY)


def test_the_abandon_cap_stops_predictive_but_not_progressive() -> None:
    gate = _gate()
    gate.ledger.record(CAMPAIGN.name, NOON.date(), human_answered=1000, abandoned=30)
    assert gate.may_dial(LEAD, FREE, CAMPAIGN, NOON).reasons == (Reason.ABANDON_CAP,)
    assert gate.may_dial(LEAD, FREE, CAMPAIGN, NOON, mode=DialMode.PROGRESSIVE).allowed
    assert gate.allowed_modes(CAMPAIGN, NOON) == (DialMode.PREVIEW, DialMode.PROGRESSIVE)
    # Thirty days later the old abandons have left the window.
    later = NOON + timedelta(days=30)
    gate.ledger.record(CAMPAIGN.name, later.date(), human_answered=100)
    assert gate.allowed_modes(CAMPAIGN, later) == tuple(DialMode)


@pytest.mark.parametrize(
    ("caller_id", "seller", "allowed"),
    [
        ("+12025550100", "Acme", True),
        ("2025550100", "Acme", False),  # not E.164
        ("+1202555010", "Acme", False),  # too short
        ("+12125550123", "Acme", False),  # on the national registry
        ("+12025550100", "", False),  # predictive without a safe-harbour message
    ],
)
def test_a_campaign_needs_a_valid_caller_id_to_start(
    caller_id: str, seller: str, allowed: bool
) -> None:
    campaign = CampaignRules("c", caller_id=caller_id, dial_mode=DialMode.PREDICTIVE,
                             seller_name=seller, callback_number="+18005550199")  # fmt: skip
    gate = _gate()
    assert gate.may_start(campaign, NOON).allowed is allowed
    assert (not allowed) == bool(gate.drain_audit())


def test_safe_harbour_message_names_the_seller_and_a_number() -> None:
    message = CAMPAIGN.safe_harbour_message()
    assert "Acme Insurance" in message and "+18005550199" in message


# -- the property: no refused dial slips through, whatever the data and the clock ------------

AREA_CODES = [212, 305, 312, 415, 503, 602, 808, 907, 787, 850, 308]


@st.composite
def worlds(draw: st.DrawFn) -> tuple[Compliance, list[int], datetime]:
    numbers = draw(
        st.lists(
            st.builds(lambda a, x, n: a * 10**7 + x * 10**4 + n,
                      st.sampled_from(AREA_CODES), st.integers(200, 999), st.integers(0, 9999)),
            min_size=1, max_size=12, unique=True,
        )
    )  # fmt: skip
    now = draw(st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31), timezones=st.just(UTC)))
    registered = [n for n in numbers if draw(st.booleans())]
    age = timedelta(days=draw(st.integers(0, 45)))
    gate = Compliance(MemoryRegistry(registered, refreshed_at=now - age), WINDOWS)
    gate.ledger.record("renewals", now.date(), human_answered=draw(st.integers(0, 500)),
                       abandoned=draw(st.integers(0, 20)))  # fmt: skip
    for number in numbers:
        choice = draw(st.sampled_from(["none", "consent", "internal", "campaign_dnc", "opt_out"]))
        at = now - timedelta(days=draw(st.integers(-30, 800)))
        if choice == "consent":
            kind = draw(st.sampled_from(list(ConsentKind)))
            gate.grant_consent(number, kind, at=at, actor="t", source="s")
        elif choice == "internal":
            gate.add_internal_dnc(number, at=at, actor="t", source="s")
        elif choice == "campaign_dnc":
            gate.add_internal_dnc(number, at=at, actor="t", source="s", campaign="renewals")
        elif choice == "opt_out":
            gate.grant_consent(number, ConsentKind.WRITTEN, at=at, actor="t", source="s")
            gate.record_opt_out(number, at=at, actor="t", channel="sms")
    return gate, numbers, now


@settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=worlds(), mode=st.sampled_from(list(DialMode)))
def test_no_dial_is_allowed_that_the_rules_forbid(
    world: tuple[Compliance, list[int], datetime], mode: DialMode
) -> None:
    gate, numbers, now = world
    for number in numbers:
        decision = gate.may_dial(LEAD, number, CAMPAIGN, now, mode=mode)
        if not decision.allowed:
            continue
        # Never an internal-DNC or opted-out number, whatever consent says.
        assert gate.lists.internal_entry(number, CAMPAIGN.name) is None
        # Never a registry number without consent or EBR valid right now.
        grounds = gate.lists.grounds(number, now)
        if gate.registry.contains(number):
            assert grounds
        # Never on a stale registry unless consent exempts the number from the check.
        refreshed = gate.registry.refreshed_at(number // 10**7)
        assert grounds or (refreshed is not None and now - refreshed <= timedelta(days=31))
        # Never outside 08:00-21:00 local time in any zone of the area code.
        window = WINDOWS.check(number, now)
        assert window.allowed
        for local in window.local_times:
            assert 8 <= local.hour < 21
        # Never an abandoning mode past the cap.
        if mode.can_abandon:
            assert not gate.ledger.would_exceed(CAMPAIGN.name, now.date(), 0.03)
    # Every refusal was audited.
    refusals = [e for e in gate.drain_audit() if e.action == "dial_refused"]
    refused = sum(
        1 for n in numbers if not gate.may_dial(LEAD, n, CAMPAIGN, now, mode=mode).allowed
    )
    assert len(refusals) == refused
