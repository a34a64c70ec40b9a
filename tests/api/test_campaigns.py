"""Campaigns: configuration validated by tidal.config, lead CSV upload with its report."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Site

CAMPAIGN: dict[str, Any] = {
    "name": "renewals",
    "caller_id": "+12025550100",
    "leads": {"count": 10, "area_codes": [212]},
    "outcomes": {"human": 1.0},
    "time_to_answer": {"dist": "constant", "value": 5},
    "talk_time": {"dist": "constant", "value": 60},
}

LEADS = (
    "name,phone,zip\n"
    "Ann,(212) 555-0100,10001\n"
    "Bad,not a phone,10001\n"
    "Cy,212-555-0101,1234\n"
    "Dee,2125550100,10001\n"
    "Eve,3055550199,33101\n"
)


@pytest.fixture(scope="module", autouse=True)
def renewals(center: Site) -> None:
    answer = center.client.post("/api/v1/campaigns", json=CAMPAIGN, headers=center.auth("ada"))
    assert answer.status_code == 201, answer.text


def test_campaigns_are_listed_with_their_leads(center: Site) -> None:
    page = center.client.get("/api/v1/campaigns", headers=center.auth("sam")).json()
    assert page["total"] == 1
    (campaign,) = page["items"]
    assert campaign["name"] == "renewals" and campaign["config"]["caller_id"] == "+12025550100"


def test_a_second_campaign_of_the_same_name_is_409(center: Site) -> None:
    answer = center.client.post("/api/v1/campaigns", json=CAMPAIGN, headers=center.auth("ada"))
    assert answer.status_code == 409


def test_a_bad_campaign_is_422_with_field_paths(center: Site) -> None:
    body = {**CAMPAIGN, "name": "x", "max_abandon_rate": 2, "talk_time": {"dist": "weird"}}
    del body["caller_id"]
    answer = center.client.post("/api/v1/campaigns", json=body, headers=center.auth("ada"))
    assert answer.status_code == 422
    locs = [tuple(e["loc"]) for e in answer.json()["detail"]]
    assert ("body", "caller_id") in locs
    assert ("body", "max_abandon_rate") in locs
    assert any(loc[:2] == ("body", "talk_time") for loc in locs)


def test_put_replaces_and_checks_the_name(center: Site) -> None:
    body = {**CAMPAIGN, "max_abandon_rate": 0.02}
    put = center.client.put("/api/v1/campaigns/renewals", json=body, headers=center.auth("ada"))
    assert put.status_code == 200 and put.json()["config"]["max_abandon_rate"] == 0.02
    wrong = center.client.put("/api/v1/campaigns/other", json=body, headers=center.auth("ada"))
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["loc"] == ["body", "name"]


def upload(center: Site, text: str | bytes, campaign: str = "renewals", **params: Any) -> Any:
    content = text.encode() if isinstance(text, str) else text
    return center.client.post(
        f"/api/v1/campaigns/{campaign}/leads",
        files={"file": ("leads.csv", content, "text/csv")},
        params=params,
        headers=center.auth("ada"),
    )


def test_lead_upload_keeps_good_rows_and_reports_bad_ones(center: Site) -> None:
    answer = upload(center, LEADS)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["rows"] == 5
    assert report["accepted"] == 2
    assert report["merged"] == 1
    assert [(r["row"], r["column"]) for r in report["rejected"]] == [(2, "phone"), (3, "zip")]
    assert report["rejected"][0]["reason"] == "not a valid phone number"
    leads = center.client.get("/api/v1/campaigns/renewals/leads", headers=center.auth("sam"))
    page = leads.json()
    assert page["total"] == 2
    assert [lead["numbers"] for lead in page["items"]] == [["+12125550100"], ["+13055550199"]]
    assert page["items"][0]["data"] == {"name": "Ann"}
    assert page["items"][0]["state"] == "new"
    again = upload(center, LEADS).json()  # the same list twice adds nothing
    assert again["accepted"] == 0 and again["already_in_campaign"] == 3


def test_leads_are_paged(center: Site) -> None:
    # Other tests of this module may have added leads before: count from what is there.
    url = "/api/v1/campaigns/renewals/leads"
    before = center.client.get(f"{url}?limit=1", headers=center.auth("ada")).json()["total"]
    rows = "".join(f"L{i},+1 646 555 {1000 + i:04d}\n" for i in range(25))
    assert upload(center, "name,mobile\n" + rows).json()["accepted"] == 25
    offset = before + 20
    page = center.client.get(f"{url}?limit=10&offset={offset}", headers=center.auth("ada")).json()
    assert page["limit"] == 10 and page["offset"] == offset and len(page["items"]) == 5
    assert page["total"] == before + 25
    assert [lead["data"]["name"] for lead in page["items"]] == [f"L{i}" for i in range(20, 25)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,email\nAnn,a@example.com\n", "no phone column"),
        (b"", "empty"),
        (b"\xff\xfe\x00bad", "CSV text"),
    ],
)
def test_a_list_that_cannot_be_read_is_422(center: Site, content: bytes, message: str) -> None:
    answer = upload(center, content)
    assert answer.status_code == 422
    (detail,) = answer.json()["detail"]
    assert detail["loc"] == ["body", "file"] and message in detail["msg"]


def test_an_unterminated_quote_costs_one_row_named_by_its_line(center: Site) -> None:
    text = 'name,phone\nAnn,2125550110\n"Bob,2125550111\nCy,2125550112\nDee,2125550113\n'
    report = upload(center, text).json()
    assert report["rows"] == 4 and report["accepted"] == 3
    (rejected,) = report["rejected"]
    assert rejected["row"] == 2 and rejected["column"] == "name"
    assert rejected["reason"].startswith("line 3: unterminated quote opened here")


def test_the_phone_column_can_be_named(center: Site) -> None:
    answer = upload(center, "name,contact\nZed,4155550123\n", column=["contact"])
    assert answer.json()["accepted"] == 1


def test_leads_of_an_unknown_campaign_are_404(center: Site) -> None:
    assert upload(center, LEADS, campaign="nope").status_code == 404
    get = center.client.get("/api/v1/campaigns/nope/leads", headers=center.auth("ada"))
    assert get.status_code == 404
