"""A repair in a real browser (headless Debian Chromium through Playwright), on the demo, in Chinese,
with only repairs and billing enabled (issue 18's done-when).

(a) The clerk takes a phone call for 3-1-1201 at the reception desk and routes it to repairs; the
engineering supervisor assigns a technician and prices the paid repair; the clerk issues the work
order and records that the owner accepts the price; the technician, logged in as himself, accepts,
arrives, works and completes it with a photo; the owner confirms, and the amount is on the unit's
bill; the breach report shows the technician's deadlines on time.
(b) Nobody issues the work order: with the clock past the 3-minute limit the jobs
``core.escalate_overdue`` and ``core.deliver_notifications`` run, and the engineering supervisor finds
the escalation in 我的消息.

Screenshots go to ``WUYE_SCREENSHOTS`` (docs/screenshots/repair-*.png), elsewhere to a temporary folder.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re

import pytest
from sqlalchemy import select

from tests.core.web.test_browser_workplace import CHROMIUM, page, shot  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed"),
]
ENABLED = ["billing", "repairs"]  # repairs and what it depends on, nothing else


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    pytest.importorskip("playwright.sync_api")
    from core.testing import demo_instance, live_server

    wuye = demo_instance(tmp_path_factory.mktemp("repairs") / "demo.sqlite3", ENABLED, locale="zh_CN")
    with live_server(wuye) as url:
        yield {"url": url, "wuye": wuye}
    wuye.engine.dispose()


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


def _unit_id(server) -> int:
    from core.models import Building, Estate, Unit

    with server["wuye"].session() as s:
        return s.scalar(select(Unit.id).join(Building).join(Estate, Estate.id == Unit.estate_id)
                        .where(Estate.code == "CH", Building.code == "3", Unit.entrance == "1", Unit.room_no == "1201"))


def _order_of_intake(server, intake_id: int):
    from plugins.repairs.models import RepairOrder

    with server["wuye"].session() as s:
        order = s.scalar(select(RepairOrder).where(RepairOrder.intake_id == intake_id))
        return order.id, order.number


def _take_call(page, server, summary: str) -> tuple[int, str]:  # noqa: F811
    """As the clerk: register a phone call for 3-1-1201 (category repair) and route it to repairs."""
    _login(page, server, "cs_specialist")
    page.goto(f"{server['url']}/admin/core_intakes/new/?unit_id={_unit_id(server)}")
    page.fill("input[name=caller_name]", "王先生")
    page.fill("input[name=caller_phone]", "13900001201")
    page.locator("select[name=category]").select_option("repair")
    page.fill("input[name=summary]", summary)
    page.fill("textarea[name=content]", f"业主来电：{summary}，请尽快安排维修。")
    with page.expect_navigation():
        page.click("input[type=submit][value], button[type=submit].btn-primary")
    assert "/details/" in page.url, page.content()[:3000]
    intake_id = int(re.search(r"[?&]id=(\d+)", page.url).group(1))
    assert "转派到报修" in page.locator("#intake-actions").inner_text()
    with page.expect_navigation():
        page.click(".wuye-intake-route button[type=submit]")
    order_id, number = _order_of_intake(server, intake_id)
    assert number.startswith("RP-")
    return order_id, number


def _open(page, server, order_id: int) -> None:  # noqa: F811
    page.goto(f"{server['url']}/admin/repairs_orders/details/?id={order_id}")


def _step(page, name: str) -> None:  # noqa: F811
    button = page.locator(f"button.wuye-transition[data-transition={name}]")
    assert button.count() == 1, f"no button for {name}: {page.locator('#transition-form').inner_text()}"
    with page.expect_navigation():
        button.click()
    assert page.locator(".alert-danger, .alert-error").count() == 0, page.locator(".alert").all_inner_texts()


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 140, 200)).save(buf, "PNG")
    return buf.getvalue()


def test_a_phone_report_is_dispatched_completed_with_a_photo_and_charged_on_time(server, page):  # noqa: F811
    from core.models import StaffUser

    order_id, number = _take_call(page, server, "卫生间水龙头漏水")
    # the engineering supervisor assigns the technician and prices the paid repair (50 + 38.50 yuan)
    _login(page, server, "engineering_supervisor")
    _open(page, server, order_id)
    with server["wuye"].session() as s:
        tech = s.scalar(select(StaffUser).where(StaffUser.username == "technician"))
        tech_id, tech_name = tech.id, str(tech)
    page.locator(".wuye-assignment-assign select[name=assignee_id]").select_option(str(tech_id))
    with page.expect_navigation():
        page.click(".wuye-assignment-assign button[type=submit]")
    page.fill(".wuye-repairs-price input[name=labour]", "50")
    page.fill(".wuye-repairs-price input[name=material]", "38.50")
    with page.expect_navigation():
        page.click(".wuye-repairs-price button[type=submit]")
    assert "¥88.50" in page.locator("#repairs-price").inner_text()
    # the clerk issues the work order and records that the owner accepts the price
    _login(page, server, "cs_specialist")
    _open(page, server, order_id)
    _step(page, "dispatch")
    with page.expect_navigation():
        page.click(".wuye-repairs-accept_price button[type=submit]")
    assert "业主接受报价" in page.locator("#repairs-price").inner_text()
    shot(page, "repair-order-zh")
    # the technician, as himself: accept, arrive, start, photo, complete
    _login(page, server, "technician")
    _open(page, server, order_id)
    for name in ("accept", "arrive", "start"):
        _step(page, name)
    page.set_input_files("#attachment-files", files=[{"name": "完工照片.png", "mimeType": "image/png",
                                                      "buffer": _png()}])
    page.locator("#attachment-kind").select_option("photo")
    with page.expect_navigation():
        page.click("#attachments button[type=submit]")
    assert "完工照片.png" in page.locator("#attachments").inner_text()
    assert page.locator("a", has_text="创建").count() == 0  # he adds photos but registers no orders
    _step(page, "complete")
    assert "已完工" in page.content()
    shot(page, "repair-completed-zh")
    # the owner tests the work and signs: the clerk records it, and the charge is on the unit's bill
    _login(page, server, "cs_specialist")
    _open(page, server, order_id)
    _step(page, "confirm")
    assert "业主已确认" in page.content()
    assert "Received by" not in page.locator("body").inner_text()  # every label in Chinese
    page.goto(f"{server['url']}/admin/unit/{_unit_id(server)}/")
    assert number in page.locator("#panel-repairs").inner_text()
    assert "88.50" in page.locator("#panel-billing").inner_text()
    shot(page, "repair-unit-bill-zh")
    # the breach report: the technician held this order's deadlines and breached none
    from core.models.workflow import WorkflowDeadline

    with server["wuye"].session() as s:
        rows = list(s.scalars(select(WorkflowDeadline).where(WorkflowDeadline.record_table == "repairs_orders",
                                                             WorkflowDeadline.record_id == order_id)))
    held = [r for r in rows if r.assignee_id == tech_id]
    assert {r.state for r in held} >= {"dispatched", "accepted", "in_progress"}
    assert all(r.closed_at is not None and r.escalated_at is None for r in rows)
    _login(page, server, "engineering_supervisor")
    page.goto(f"{server['url']}/admin/breaches/")
    row = page.locator("tr", has_text=tech_name).first
    cells = row.locator("td").all_inner_texts()
    assert cells[0].strip() == tech_name and int(cells[1]) >= 3 and int(cells[2]) == 0, cells
    shot(page, "repair-breaches-zh")


def test_b_an_order_left_past_its_limit_is_escalated_to_the_supervisor(server, page):  # noqa: F811
    from core.clock import utcnow
    from core.jobs import run_jobs
    from core.workflow import due_at
    from plugins.repairs.models import RepairOrder

    order_id, number = _take_call(page, server, "客厅灯不亮")
    with server["wuye"].session() as s:
        due = due_at(s, s.get(RepairOrder, order_id))
    assert due is not None
    # the clock moves past the 3-minute limit of the work order; the jobs run then
    later = max(due, utcnow()) + dt.timedelta(minutes=1)
    results = {r["name"]: r for r in run_jobs(server["wuye"], ["core.escalate_overdue", "core.deliver_notifications"],
                                              now=later, force=True)}
    assert results["core.escalate_overdue"]["ok"] and results["core.deliver_notifications"]["ok"], results
    _login(page, server, "engineering_supervisor")
    page.goto(f"{server['url']}/admin/notifications/")
    messages = page.locator("body").inner_text()
    assert number in messages, messages[:2000]
    shot(page, "repair-escalated-zh")
