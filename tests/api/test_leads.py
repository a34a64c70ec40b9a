"""The lead browser over the real live runtime: leads by their state in the dialer,
searched by number, and recycled (DNC numbers refused, audited, replayed).

The `live` center of test_campaign_state: one progressive campaign with ten leads
(+1212201000N) and one outbound agent; noon in New York, the clock standing still.
"""

from __future__ import annotations

from typing import Any

from tests.api.test_campaign_state import live  # noqa: F401  (the fixture)
from tests.api.test_live import Live
from tidal.core.campaigns import DialAnswered, DialResult

LEADS = "/api/v1/campaigns/renewals/leads"


def _working(live: Live) -> int:  # noqa: F811
    """The agent goes ready: the first lead is dialled; its call id."""
    for state in ("logged_in", "ready"):
        assert live.post("alice", "/api/v1/agents/ag1/state", json={"state": state}).is_success
    assert live.runtime.dialer is not None
    [call] = live.runtime.dialer.in_flight("renewals")
    return call


def _numbers(answer: Any) -> list[str]:
    assert answer.status_code == 200, answer.text
    return [lead["numbers"][0] for lead in answer.json()["items"]]


def test_leads_are_filtered_by_their_state_in_the_dialer(live: Live) -> None:  # noqa: F811
    _working(live)
    assert _numbers(live.get("sam", f"{LEADS}?state=dialing")) == ["+12122010000"]
    new = live.get("sam", f"{LEADS}?state=new&limit=3&offset=3")
    assert new.json()["total"] == 9
    assert _numbers(new) == ["+12122010004", "+12122010005", "+12122010006"]
    both = live.get("sam", f"{LEADS}?state=dialing&state=done")
    assert both.json()["total"] == 1
    everything = live.get("sam", LEADS).json()
    assert everything["total"] == 10
    assert everything["items"][0]["state"] == "dialing"


def test_leads_are_searched_by_the_digits_of_a_number(live: Live) -> None:  # noqa: F811
    assert _numbers(live.get("sam", f"{LEADS}?number=(212) 201-0007")) == ["+12122010007"]
    assert live.get("sam", f"{LEADS}?number=9999").json()["total"] == 0
    assert live.get("sam", f"{LEADS}?number=201000").json()["total"] == 10


def test_bad_filters_are_422_naming_the_parameter(live: Live) -> None:  # noqa: F811
    bad = live.get("sam", f"{LEADS}?number=abc")
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["query", "number"]
    state = live.get("sam", f"{LEADS}?state=sleeping")
    assert state.status_code == 422
    assert state.json()["detail"][0]["loc"][:2] == ["query", "state"]
    assert live.get("alice", LEADS).status_code == 403


def test_recycled_leads_are_dialled_again_but_not_on_a_dnc_list(live: Live) -> None:  # noqa: F811
    call = _working(live)
    live.submit(DialAnswered(call, DialResult.INVALID))  # a dead number: the lead is done
    assert _numbers(live.get("sam", f"{LEADS}?state=done")) == ["+12122010000"]
    dnc = live.post("sam", "/api/v1/dnc", json={"number": "+12122010005", "reason": "asked"})
    assert dnc.status_code == 201, dnc.text

    refused = live.post("sam", f"{LEADS}/recycle", json={"states": ["new", "dialing"]})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "states"]
    assert "dialing" in refused.json()["detail"][0]["msg"]
    assert live.post("alice", f"{LEADS}/recycle", json={"states": ["done"]}).status_code == 403
    assert live.post("sam", f"{LEADS}/recycle", json={"states": []}).status_code == 422

    answer = live.post("sam", f"{LEADS}/recycle", json={"states": ["new", "done"]})
    assert answer.status_code == 200, answer.text
    # The done lead and seven new ones come back; the one on the list does not.
    assert answer.json() == {
        "campaign": "renewals",
        "states": ["done", "new"],
        "recycled": 8,
        "refused_dnc": 1,
    }
    dead = live.runtime.dialer.lead("renewals", "1") if live.runtime.dialer else None
    assert dead is not None and dead.attempts == 0  # fresh attempts; its number stays dead
    states = live.runtime.lead_states("renewals")
    kinds = [e.kind for e in live.runtime.store.events.since(0)]
    assert kinds.count("LeadsRecycled") == 1
    portal = live.client.portal
    assert portal is not None
    portal.call(live.runtime.rebuild)  # a replay of the log gives the same lead states
    assert live.runtime.lead_states("renewals") == states

    audit = live.get("ada", "/api/v1/audit?action=leads_recycled").json()
    [entry] = audit["items"]
    assert entry["actor"] == "api:sam" and entry["campaign"] == "renewals"
    assert entry["details"] == {"states": ["done", "new"], "recycled": 8, "refused_dnc": 1}


def test_recycling_an_unknown_campaign_is_404(live: Live) -> None:  # noqa: F811
    answer = live.post("sam", "/api/v1/campaigns/nope/leads/recycle", json={"states": ["done"]})
    assert answer.status_code == 404
