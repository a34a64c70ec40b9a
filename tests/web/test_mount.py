"""`tidal.web.mount`: the four pages and their assets, served as they are on disk."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tidal.web import PAGES, STATIC_DIR, mount


class _Page(HTMLParser):
    """Collects a page's asset links and its data-testid values."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.testids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("src", "href"):
            link = values.get(key)
            if link and link.startswith("/static/"):
                self.assets.append(link)
        if values.get("data-testid"):
            self.testids.append(str(values["data-testid"]))


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    mount(app)
    return TestClient(app)


@pytest.mark.parametrize("route", sorted(PAGES))
def test_each_page_is_served_with_its_assets(client: TestClient, route: str) -> None:
    answer = client.get(route)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    page = _Page()
    page.feed(answer.text)
    assert page.assets, "a page without its stylesheet and script"
    for asset in page.assets:
        assert client.get(asset).status_code == 200, asset


@pytest.mark.parametrize("route", sorted(PAGES))
def test_test_ids_are_unique_on_a_page(client: TestClient, route: str) -> None:
    page = _Page()
    page.feed(client.get(route).text)
    duplicates = {testid for testid in page.testids if page.testids.count(testid) > 1}
    assert not duplicates


def test_scripts_are_es_modules_served_as_javascript(client: TestClient) -> None:
    answer = client.get("/static/js/api.js")
    assert answer.status_code == 200
    assert "javascript" in answer.headers["content-type"]
    assert "export async function api" in answer.text


def test_every_module_import_resolves_to_a_file() -> None:
    imports = re.compile(r"""^import .* from "(\./[^"]+)";$""", re.MULTILINE)
    for module in (STATIC_DIR / "js").glob("*.js"):
        for target in imports.findall(module.read_text(encoding="utf-8")):
            assert (module.parent / target).is_file(), f"{module.name} imports {target}"


def test_vendored_chart_library_ships_with_its_licence() -> None:
    vendor = STATIC_DIR / "vendor" / "uplot"
    assert (vendor / "uPlot.iife.min.js").stat().st_size > 10_000
    assert "MIT License" in (vendor / "LICENSE").read_text(encoding="utf-8")


def test_unknown_asset_is_404(client: TestClient) -> None:
    assert client.get("/static/js/nothing.js").status_code == 404
