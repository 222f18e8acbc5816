"""The 附件 card in a real browser (headless Debian Chromium through Playwright): a customer-service
specialist uploads a photo and a PDF from the record page, sees the thumbnail load, and removes the PDF
after confirming. Screenshot: attachments-card-zh.png in ``WUYE_SCREENSHOTS`` (else a temporary folder)."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest

from tests.core.attachments.conftest import PDF, image_bytes

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(os.environ.get("WUYE_SCREENSHOTS") or Path(tempfile.gettempdir()) / "wuye-screenshots")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    pytest.importorskip("playwright.sync_api")
    from core.attachments import LocalStorage, use_storage
    from core.db import Base
    from core.models import Estate
    from core.seed import seed_all
    from core.services.staff import create_staff
    from core.testing import boot, live_server
    from tests.core.attachments.fixture_plugin import SEARCH
    from tests.core.attachments.fixture_plugin.atttest.models import AtReport

    folder = tmp_path_factory.mktemp("attachments-browser")
    wuye = boot(["atttest"], database_url=f"sqlite:///{folder / 'db.sqlite3'}", search=SEARCH, locale="zh_CN")
    Base.metadata.create_all(wuye.engine)
    with wuye.session() as s:
        seed_all(s, wuye)
        estate = Estate(code="BR", name="Browser Estate")
        s.add(estate)
        s.flush()
        report = AtReport(estate_id=estate.id, title="东门巡检")
        s.add(report)
        s.flush()
        create_staff(s, "br_cs", "password123", roles=["cs_specialist"], estates=["BR"], allow_short_password=True)
        s.commit()
        report_id = report.id
    storage = LocalStorage(folder / "files")
    with use_storage(wuye, storage), live_server(wuye) as url:
        yield {"url": url, "report": report_id, "storage": storage, "folder": folder}
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


def test_upload_see_the_thumbnail_and_remove_in_the_browser(server, page):
    photo = server["folder"] / "东门.jpg"
    photo.write_bytes(image_bytes((1200, 800), "JPEG", color=(40, 120, 200)))
    plan = server["folder"] / "plan.pdf"
    plan.write_bytes(PDF)
    page.goto(server["url"] + "/admin/")
    page.fill("#username", "br_cs")
    page.fill("#password", "password123")
    page.click("#login-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))
    page.goto(f"{server['url']}/admin/atttest_reports/details/?id={server['report']}")
    card = page.locator("#attachments")
    assert "附件" in card.inner_text() and "暂无附件" in card.inner_text()
    page.set_input_files("#attachment-files", [str(photo), str(plan)])
    page.select_option("#attachment-kind", "photo")
    with page.expect_navigation():
        page.click(".wuye-attachment-upload button[type=submit]")
    assert "已上传 2 个文件" in page.inner_text("body")
    assert page.locator(".wuye-attachment").count() == 2
    thumb = page.locator(".wuye-attachment-thumbnails img")
    thumb.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth", thumb.element_handle()) == 320
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "attachments-card-zh.png"), full_page=True)
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator(".wuye-attachment", has_text="plan.pdf").locator("button").click()
    assert "已删除 plan.pdf" in page.inner_text("body")
    assert page.locator(".wuye-attachment").count() == 1
    assert len([p for p in server["storage"].root.rglob("*") if p.is_file()]) == 2  # the photo and its thumbnail
