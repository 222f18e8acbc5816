"""The inbox and the dashboards in a real browser (headless Debian Chromium through Playwright).

In Chinese, the renovation engineer opens the inbox, opens the application waiting for the
engineering review (工程二审) and passes it; the general manager sees the collection-rate chart drawn
by the vendored ECharts; then the same pages in English. Screenshots go to ``WUYE_SCREENSHOTS`` (set it
to ``docs/screenshots`` to refresh inbox-zh.png, home-zh.png, dashboards-zh.png, dashboards-en.png).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.core.web.test_browser import CHROMIUM, SHOTS, server  # noqa: F401  (the demo server fixture)

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not __import__("os").path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed")]


@pytest.fixture(scope="module")
def browser(server):  # noqa: F811
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


def waiting_for_review(server) -> None:  # noqa: F811
    """One more application of the demo estate in 工程二审 (each language's run passes one)."""
    from sqlalchemy import select

    from core import estate_today, owners_of
    from core.models import Estate
    from plugins.renovation import services
    from plugins.renovation.demo import CONTRACTOR, WORKERS, _staff_with, _units
    from plugins.renovation.models import RenovationApplication

    with server["wuye"].session() as s:
        estate = s.get(Estate, s.scalar(select(RenovationApplication.estate_id).limit(1)))  # the demo's
        busy = set(s.scalars(select(RenovationApplication.unit_id)))
        unit = next(u for u in _units(s, estate, 60) if u.id not in busy and owners_of(s, u))
        today = estate_today(s, estate)
        app = services.apply_for_renovation(
            s, _staff_with(s, estate, "renovation.apply"), unit=unit, applicant=owners_of(s, unit)[0],
            planned_start=today + dt.timedelta(days=3), planned_end=today + dt.timedelta(days=40),
            scope=["wall_finish", "flooring"], drawings=["plan.pdf"], workers=WORKERS, **CONTRACTOR)
        cs = _staff_with(s, estate, "renovation.cs_review")
        services.transition(s, cs, app, "receive")
        services.transition(s, cs, app, "pass_cs_review", comment="ok")
        s.commit()


def session_as(browser, server, username: str, password: str, lang: str):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN" if lang == "zh_CN" else "en-US")
    page = context.new_page()
    page.set_default_timeout(20_000)
    external = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(server["url"]) else None)
    page.goto(server["url"] + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("#login-form button[type=submit]")
    if page.locator(f"#locale-form button[data-locale={lang}]").count():
        with page.expect_navigation():
            page.click(f"#locale-form button[data-locale={lang}]")
    return context, page, external


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_engineer_passes_the_review_from_the_inbox(server, browser, lang):  # noqa: F811
    if not server["wuye"].is_enabled("renovation"):
        pytest.skip("the renovation plugin is not enabled")
    waiting_for_review(server)
    context, page, _external = session_as(browser, server, "engineer", "demo1234", lang)
    try:
        page.goto(server["url"] + "/admin/")
        assert page.locator("#inbox-count").count() == 1
        assert page.locator("#home-todos").is_visible()
        if lang == "zh_CN":
            assert "待办" in page.content()
            shot(page, "home-zh")
        page.click("#inbox-badge")
        page.wait_for_url(re.compile(r".*/admin/inbox/"))
        group = page.locator(".wuye-inbox-group[data-kind='transition:renovation.application']")
        assert group.count() == 1
        assert ("工程二审" if lang == "zh_CN" else "Engineering review") in group.inner_text()
        shot(page, "inbox-zh" if lang == "zh_CN" else "inbox-en")
        with page.expect_navigation():
            group.locator("a.wuye-inbox-link").first.click()
        assert "/admin/renovation_applications/details/" in page.url
        page.fill("#transition-comment", "方案可行,同意" if lang == "zh_CN" else "The plan is fine")
        with page.expect_navigation():
            page.click("button[data-transition=pass_engineering_review]")
        assert page.locator("#status-bar .badge-primary").get_attribute("data-state") == "manager_approval"
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_general_manager_sees_the_collection_rate_chart(server, browser, lang):  # noqa: F811
    context, page, external = session_as(browser, server, "admin", "admin", lang)
    try:
        page.goto(server["url"] + "/admin/dashboards/")
        page.wait_for_selector("#chart-billing-collection-by-month[data-rendered='1'] canvas")
        assert page.evaluate("typeof echarts !== 'undefined' && echarts.version.startsWith('5')")
        assert page.locator(".wuye-chart canvas").count() >= 5
        assert external == []  # ECharts and everything else come from the app itself
        title = page.locator("#card-billing-collection-by-month .card-header").inner_text()
        assert ("收缴率" in title) if lang == "zh_CN" else ("Collection rate" in title)
        shot(page, "dashboards-zh" if lang == "zh_CN" else "dashboards-en")
    finally:
        context.close()
