"""The front door in a real browser (headless Debian Chromium through Playwright), on the demo, in Chinese.

As the customer-service clerk: from the home page, register a call (来电来访登记) for a unit, answer it at
the desk; as the supervisor: resolve the demo's water-cut incident, which texts every reporter; attach a
photo to a renovation application and see its thumbnail. Screenshots go to ``WUYE_SCREENSHOTS`` (the
README uses intake-zh.png, incident-zh.png and attachments-zh.png), elsewhere to a temporary folder.
"""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from tests.core.web.test_browser_workplace import CHROMIUM, page, server, shot  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not __import__("os").path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed"),
]


def _login(page, server, user: str) -> None:  # noqa: F811
    page.context.clear_cookies()
    page.goto(server["url"] + "/login")
    page.fill("#username", user)
    page.fill("#password", "demo1234")
    page.click("#login-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))
    if page.locator("#locale-form button[data-locale=zh_CN].active").count() == 0:
        with page.expect_navigation():
            page.click("#locale-form button[data-locale=zh_CN]")


def _unit_id(server, label_room: str) -> int:  # noqa: F811
    from core.models import Estate, Unit

    with server["wuye"].session() as s:
        return s.scalar(select(Unit.id).join(Estate, Estate.id == Unit.estate_id)
                        .where(Estate.code == "CH", Unit.room_no == label_room).order_by(Unit.id).limit(1))


def test_1_the_clerk_registers_a_call_and_answers_it_at_the_desk(server, page):  # noqa: F811
    _login(page, server, "cs_specialist")
    link = page.locator("#home-register-call")
    assert link.inner_text() == "登记来电来访"
    unit_id = _unit_id(server, "1201")
    page.goto(f"{server['url']}/admin/core_intakes/new/?unit_id={unit_id}")
    body = page.content()
    assert "类别" in body and "事由" in body
    assert page.locator("select[name=channel]").input_value() == "phone"  # most calls come by phone
    page.fill("input[name=caller_name]", "李女士")
    page.fill("input[name=caller_phone]", "13912345678")  # a number to call back is required
    page.locator("select[name=category]").select_option("inquiry")
    page.fill("input[name=summary]", "停车月卡怎么办理")
    page.fill("textarea[name=content]", "业主来电询问地下车库月卡的价格和办理地点。")
    with page.expect_navigation():
        page.click("input[type=submit][value], button[type=submit].btn-primary")
    assert "/details/" in page.url, page.content()[:3000]
    assert "JD-" in page.content() and "待处理" in page.content()
    page.fill(".wuye-intake-answer textarea[name=reply]", "月卡每月300元，请带行驶证到物业前台办理。")
    with page.expect_navigation():
        page.click(".wuye-intake-answer button[type=submit]")
    assert "已答复" in page.content() and "月卡每月300元" in page.content()
    shot(page, "intake-zh")


def test_2_the_supervisor_resolves_the_water_cut_and_every_reporter_is_texted(server, page):  # noqa: F811
    from core.models.intake import Incident
    from core.models.notification import Notification

    with server["wuye"].session() as s:
        incident_id = s.scalar(select(Incident.id).where(Incident.title.like("%停水%")).order_by(Incident.id).limit(1))
    _login(page, server, "cs_supervisor")
    page.goto(f"{server['url']}/admin/core_incidents/details/?id={incident_id}")
    facts = page.locator("#intake-actions").inner_text()
    assert "解决后短信通知的报告人: 5" in facts.replace("：", ": ") or "解决后短信通知的报告人:5" in facts.replace(" ", "")
    page.fill(".wuye-intake-resolve textarea[name=resolution]", "主管已抢修完毕，18:00恢复供水。")
    with page.expect_navigation():
        page.click(".wuye-intake-resolve button[type=submit]")
    assert "已解决" in page.content()
    shot(page, "incident-zh")
    with server["wuye"].session() as s:
        texts = list(s.scalars(select(Notification).where(Notification.event == "core.incident_resolved",
                                                          Notification.record_id == incident_id)))
    assert len(texts) == 5 and {t.channel for t in texts} == {"sms"}
    assert all("18:00恢复供水" in t.body for t in texts)


def test_3_a_photo_attached_to_a_renovation_application_shows_its_thumbnail(server, page):  # noqa: F811
    from PIL import Image

    if not server["wuye"].is_enabled("renovation"):
        pytest.skip("the renovation plugin is not enabled")
    _login(page, server, "cs_supervisor")
    items = page.request.get(f"{server['url']}/api/v1/renovation/applications?per_page=1").json()["items"]
    page.goto(f"{server['url']}/admin/renovation_applications/details/?id={items[0]['id']}")
    card = page.locator("#attachments")
    assert "附件" in card.inner_text()
    buf = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 120, 40)).save(buf, "JPEG")
    page.set_input_files("#attachment-files", files=[{"name": "卫生间防水.jpg", "mimeType": "image/jpeg",
                                                      "buffer": buf.getvalue()}])
    with page.expect_navigation():
        page.click("#attachments button[type=submit]")
    card = page.locator("#attachments")
    assert "卫生间防水.jpg" in card.inner_text()
    thumb = card.locator("img").first
    thumb.wait_for()
    assert page.evaluate("(img) => img.complete && img.naturalWidth", thumb.element_handle()) == 320
    shot(page, "attachments-zh")
