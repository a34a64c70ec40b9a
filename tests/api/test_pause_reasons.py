"""Pause reasons: the center file's list, an admin's replacement, and a break asked for
with a reason the center does not know. Over the real live runtime, restarted once to
show the replacement is in the log."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import FAST_HASHER, PASSWORD
from tests.api.test_live import CENTER, Clock, Live
from tidal.api import create_app
from tidal.config import ConfigError, parse_scenario
from tidal.live.runtime import LiveCenter
from tidal.store import Role, Store

WITH_REASONS = (
    CENTER
    + """
pause_reasons:
  - {code: break, label: Break, paid: true}
  - {code: email, label: Answering email}
"""
)
URL = "/api/v1/pause-reasons"
STATE = "/api/v1/agents/ag1/state"


def _store(home: Path) -> Store:
    store = Store.open(home=home, hasher=FAST_HASHER)
    store.users.add("ada", Role.ADMIN, PASSWORD)
    alice = store.users.add("alice", Role.AGENT, PASSWORD)
    store.agents.add("ag1", "support", {"billing": 5}, alice.id)
    return store


def test_the_center_files_reasons_are_offered_and_others_refused(tmp_path: Path) -> None:
    store = _store(tmp_path)
    runtime = LiveCenter(
        parse_scenario(WITH_REASONS, "c.yaml"), store, clock=Clock(), tick_seconds=0
    )
    with TestClient(create_app(runtime, tmp_path, start_runtime=True)) as client:
        live = Live(client, runtime, Clock())
        listed = live.get("alice", URL).json()["items"]
        assert [(r["code"], r["label"], r["paid"]) for r in listed] == [
            ("break", "Break", True),
            ("email", "Answering email", False),
        ]
        assert live.post("alice", STATE, json={"state": "logged_in"}).is_success
        away = live.post("alice", STATE, json={"state": "not_ready", "reason": "email"})
        assert away.json()["reason"] == "email"
        refused = live.post("alice", STATE, json={"state": "not_ready", "reason": "lunch"})
        assert refused.status_code == 422
        (error,) = refused.json()["detail"]
        assert error["loc"] == ["body", "reason"]
        assert "break, email" in error["msg"]
        assert runtime.center.agents["ag1"].reason == "email"  # the refusal changed nothing
        default = live.post("alice", STATE, json={"state": "not_ready"})
        assert default.json()["reason"] == "break"  # the list's first
    store.close()


def test_an_admin_replaces_the_list_and_a_restart_keeps_it(tmp_path: Path) -> None:
    store = _store(tmp_path)
    config = parse_scenario(CENTER, "c.yaml")  # no list: the default one
    first = LiveCenter(config, store, clock=Clock(), tick_seconds=0)
    with TestClient(create_app(first, tmp_path, start_runtime=True)) as client:
        live = Live(client, first, Clock())
        assert [r["code"] for r in live.get("alice", URL).json()["items"]][:2] == [
            "break",
            "lunch",
        ]
        new = {"items": [{"code": "tea", "label": "Tea"}, {"code": "lunch", "label": "Lunch"}]}
        assert client.put(URL, json=new, headers=live.headers["alice"]).status_code == 403
        put = client.put(URL, json=new, headers=live.headers["ada"])
        assert put.status_code == 200, put.text
        assert [r["code"] for r in put.json()["items"]] == ["tea", "lunch"]
        twice = {"items": [{"code": "tea", "label": "Tea"}, {"code": "tea", "label": "T"}]}
        refused = client.put(URL, json=twice, headers=live.headers["ada"])
        assert refused.status_code == 422
        assert "duplicate pause reason 'tea'" in refused.text
        empty = client.put(URL, json={"items": []}, headers=live.headers["ada"])
        assert empty.status_code == 422
        assert [r.code for r in first.pause_reasons] == ["tea", "lunch"]  # refusals kept it
    second = LiveCenter(config, store, clock=Clock(), tick_seconds=0)
    with TestClient(create_app(second, tmp_path, start_runtime=True)) as client:
        live = Live(client, second, Clock())
        assert [r["code"] for r in live.get("alice", URL).json()["items"]] == ["tea", "lunch"]
        assert live.post("alice", STATE, json={"state": "logged_in"}).is_success
        assert live.post("alice", STATE, json={"state": "not_ready"}).json()["reason"] == "tea"
    store.close()


def test_a_center_file_with_a_repeated_code_is_refused_at_its_line() -> None:
    text = CENTER + "pause_reasons:\n  - {code: tea, label: Tea}\n  - {code: tea, label: T}\n"
    with pytest.raises(ConfigError) as refused:
        parse_scenario(text, "c.yaml")
    assert "pause_reasons[1].code" in str(refused.value)
    assert "duplicate pause reason 'tea'" in str(refused.value)
