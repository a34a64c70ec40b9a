"""Call flows: YAML validated by tidal.config; a bad flow is 422 with line and path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.api.conftest import Site

EXAMPLE = Path(__file__).parents[2] / "examples" / "flows" / "support-line.yaml"


def put(center: Site, name: str, text: str | bytes, user: str = "ada") -> Any:
    content = text.encode() if isinstance(text, str) else text
    return center.client.put(
        f"/api/v1/flows/{name}",
        content=content,
        headers={**center.auth(user), "Content-Type": "application/yaml"},
    )


def test_a_valid_flow_is_stored_and_read_back(center: Site) -> None:
    source = EXAMPLE.read_text()
    created = put(center, "support-line", source)
    assert created.status_code == 201, created.text
    replaced = put(center, "support-line", source)
    assert replaced.status_code == 200
    one = center.client.get("/api/v1/flows/support-line", headers=center.auth("sam")).json()
    assert one["source"] == source
    page = center.client.get("/api/v1/flows", headers=center.auth("sam")).json()
    assert page["total"] == 1 and page["items"][0]["name"] == "support-line"


def test_a_bad_flow_is_422_with_line_and_path(center: Site) -> None:
    text = "name: broken\nstart: greet\nnodes:\n  greet:\n    play: hello\n    next: nowhere\n"
    answer = put(center, "broken", text)
    assert answer.status_code == 422
    (issue,) = answer.json()["detail"]
    assert issue["line"] == 6
    assert issue["path"] == "nodes.greet.next"
    assert "nowhere" in issue["msg"]
    assert center.client.get("/api/v1/flows/broken", headers=center.auth("ada")).status_code == 404


def test_yaml_syntax_errors_and_name_mismatch(center: Site) -> None:
    syntax = put(center, "x", "name: x\nstart: [\n")
    assert syntax.status_code == 422
    assert syntax.json()["detail"][0]["line"] is not None
    mismatch = put(center, "other", EXAMPLE.read_text())
    assert mismatch.status_code == 422
    (issue,) = mismatch.json()["detail"]
    assert issue["path"] == "name" and issue["line"] == 4
    binary = put(center, "x", b"\xff\xfe")
    assert binary.status_code == 422


def test_a_flow_names_the_queues_that_use_it(center: Site) -> None:
    source = (
        "name: front\nstart: greet\nnodes:\n"
        "  greet:\n    play: hi\n    next: q\n  q:\n    queue: sales\n"
    )
    assert put(center, "front", source).status_code == 201
    for name in ("zeta", "alpha"):
        body = {"name": name, "skills": {"sales": 1}, "flow": "front"}
        made = center.client.post("/api/v1/queues", json=body, headers=center.auth("ada"))
        assert made.status_code == 201, made.text
    one = center.client.get("/api/v1/flows/front", headers=center.auth("sam")).json()
    assert one["queues"] == ["alpha", "zeta"]
    listed = center.client.get("/api/v1/flows?limit=100", headers=center.auth("sam")).json()
    uses = {flow["name"]: flow["queues"] for flow in listed["items"]}
    assert uses["front"] == ["alpha", "zeta"]
    assert uses.get("support-line", []) == []
    assert put(center, "front", source).json()["queues"] == ["alpha", "zeta"]
