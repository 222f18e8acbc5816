"""The clerk's workplace in a real browser (headless Debian Chromium through Playwright), on the demo.

As the customer-service clerk (cs_specialist), in Chinese: type ``3-1-1201`` in the top-bar box, land on
the unit's page, see the owner, the balance and every plugin's panel; search a room number and see the
grouped results; then the same unit page in English. Screenshots go to ``WUYE_SCREENSHOTS`` (the docs use
docs/screenshots/unit-page-zh.png, unit-page-en.png, search-zh.png), elsewhere to a temporary folder.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(os.environ.get("WUYE_SCREENSHOTS") or Path(tempfile.gettempdir()) / "wuye-screenshots")
PANELS = ("billing", "renovation", "keys", "convenience")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    pytest.importorskip("playwright.sync_api")
    from core.testing import demo_instance, live_server

    wuye = demo_instance(tmp_path_factory.mktemp("workplace") / "demo.sqlite3", None, locale="zh_CN")
    with live_server(wuye) as url:
        yield {"url": url, "wuye": wuye}
    wuye.engine.dispose()


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        pg = context.new_page()
        pg.set_default_timeout(20_000)
        yield pg
        context.close()
        browser.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _owner_name(server) -> str:
    from sqlalchemy import select

    from core.models import Building, Estate, Party, RelationKind, Unit, UnitRelation

    with server["wuye"].session() as s:
        return s.scalar(select(Party.name).join(UnitRelation).join(Unit).join(Building).join(Estate, Estate.id == Unit.estate_id)
                        .where(Estate.code == "CH", Building.code == "3", Unit.entrance == "1", Unit.room_no == "1201",
                               UnitRelation.kind == RelationKind.owner, UnitRelation.end_on.is_(None)))


def _search(page, text: str) -> None:
    page.fill("#topbar-search", text)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _choose(page, locale: str) -> None:
    with page.expect_navigation():
        page.click(f"#locale-form button[data-locale={locale}]")


def test_1_clerk_finds_the_unit_in_chinese(server, page):
    page.goto(server["url"] + "/admin/")
    page.fill("#username", "cs_specialist")
    page.fill("#password", "demo1234")
    page.click("#login-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))
    if page.locator("#locale-form button[data-locale=zh_CN].active").count() == 0:
        _choose(page, "zh_CN")
    _search(page, "3-1-1201")
    assert re.search(r"/admin/unit/\d+/$", page.url), page.url
    assert page.locator("#unit-label").inner_text() == "3-1-1201"
    owner = _owner_name(server)
    assert owner and owner in page.locator("#panel-people").inner_text()
    assert "业主" in page.locator("#panel-people").inner_text()
    billing = page.locator("#panel-billing").inner_text()
    assert "欠费" in billing and "¥" in billing
    for key in PANELS:
        assert page.locator(f"#panel-{key}").is_visible(), key
    shot(page, "unit-page-zh")


def test_2_search_results_in_chinese(server, page):
    _search(page, "3栋1201")
    assert "/admin/search/" in page.url
    hits = page.locator(".wuye-hit")
    assert hits.count() == 2  # entrances 1 and 2 of building 3
    assert "3-1-1201" in page.inner_text("#search-page") and "3-2-1201" in page.inner_text("#search-page")
    shot(page, "search-zh")
    _search(page, "没有这个人")
    assert "没有找到" in page.inner_text("#search-nothing")


def test_3_the_same_unit_in_english(server, page):
    _choose(page, "en")
    _search(page, "3-1-1201")
    assert page.locator("#unit-label").inner_text() == "3-1-1201"
    assert "Owners and occupants" in page.inner_text("#panel-people")
    assert "Arrears" in page.inner_text("#panel-billing")
    for key in PANELS:
        assert page.locator(f"#panel-{key}").is_visible(), key
    shot(page, "unit-page-en")
