"""Moving an owner in, in a real browser (headless Debian Chromium through Playwright), on the demo,
in Chinese, with move_in, billing, keys and repairs enabled (issue 20's done-when).

The clerk issues the move-in notice from the unit's page, checks the documents, sees the fee the
owner still owes and, once the cashier has taken it, confirms the fees; at the joint inspection she
records one defect, which becomes a repair order, and the meter readings; the owner signs the
handover form, which is printed; the keys are issued and the move-in completed. The unit's page
shows the case, the defect with its repair order, the key issued and the unit delivered.

Screenshots go to ``WUYE_SCREENSHOTS`` (docs/screenshots/move-in-*.png), elsewhere to a temporary folder.
"""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from sqlalchemy import select

from tests.core.web.test_browser_workplace import CHROMIUM, page, shot  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed"),
]
ENABLED = ["billing", "keys", "repairs", "move_in"]
OWNER = "陈入伙"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    pytest.importorskip("playwright.sync_api")
    from core import as_system
    from core.models import Estate, Party, RelationKind, Unit, UnitStatus
    from core.services.units import add_relation
    from core.testing import demo_instance, live_server
    from plugins.keys import services as keys

    wuye = demo_instance(tmp_path_factory.mktemp("move_in") / "demo.sqlite3", ENABLED, locale="zh_CN")
    with wuye.session() as s, as_system(s):  # the developer's sales list and keys for one undelivered unit
        unit = s.scalar(select(Unit).join(Estate, Estate.id == Unit.estate_id)
                        .where(Estate.code == "CH", Unit.status == UnitStatus.not_delivered).order_by(Unit.id))
        owner = Party(name=OWNER, phone="13900002026", id_number="320101198802020022")
        s.add(owner)
        s.flush()
        add_relation(s, unit, owner, RelationKind.owner, start_on=dt.date(2025, 6, 1))
        ks = keys.create_key_set(s, None, estate_id=unit.estate_id, tag_no="MI-E2E", unit_id=unit.id, copies=3)
        keys.receive_from_developer(s, None, ks)
        unit_id = unit.id
        s.commit()
    with live_server(wuye) as url:
        yield {"url": url, "wuye": wuye, "unit_id": unit_id}
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


def _no_error(page) -> None:  # noqa: F811
    assert page.locator(".alert-danger, .alert-error").count() == 0, page.locator(".alert").all_inner_texts()


def _step(page, name: str) -> None:  # noqa: F811
    button = page.locator(f"button.wuye-transition[data-transition={name}]")
    assert button.count() == 1, f"no button for {name}: {page.locator('#transition-form').inner_text()}"
    with page.expect_navigation():
        button.click()
    _no_error(page)


def _submit(page, form: str) -> None:  # noqa: F811
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")


def _case(server):
    from plugins.move_in.models import MoveInCase

    with server["wuye"].session() as s:
        case = s.scalar(select(MoveInCase).where(MoveInCase.unit_id == server["unit_id"]))
        return case.id, case.number


def test_an_owner_moves_in_end_to_end(server, page):  # noqa: F811
    from core import as_system
    from core.models import Unit
    from plugins.billing import services as billing
    from plugins.move_in import services

    url, unit_id = server["url"], server["unit_id"]
    _login(page, server, "cs_specialist")
    # the unit's page offers the notice (入伙通知书)
    page.goto(f"{url}/admin/unit/{unit_id}/")
    panel = page.locator("#panel-move_in")
    assert "暂无入伙办理记录" in panel.inner_text()
    with page.expect_navigation():
        panel.locator("a", has_text="发入伙通知书").click()
    with page.expect_navigation():
        page.click("input[type=submit][value], button[type=submit].btn-primary")
    assert "/details/" in page.url, page.content()[:3000]
    case_id, number = _case(server)
    assert number.startswith("MI-") and "已发通知" in page.content()
    shot(page, "move-in-notice-zh")
    # the notice lists a fee (有线电视初装费) the owner pays at the cashier
    with server["wuye"].session() as s, as_system(s):
        case = s.get(services.MoveInCase, case_id)
        services.post_move_in_fee(s, None, case, fee_item_code=services.CATV_INSTALLATION, amount_fen=30000)
        s.commit()
    # the documents (资料核验): the form tells what is missing
    page.reload()
    page.check("#mi-id_checked")
    page.fill("#mi-photos_count", "1")
    _submit(page, ".wuye-move-in-check_documents")
    assert "购房合同" in page.locator(".alert").first.inner_text()  # the contract was not ticked
    page.check("#mi-id_checked")
    page.check("#mi-contract_checked")
    page.fill("#mi-photos_count", "2")
    _submit(page, ".wuye-move-in-check_documents")
    _no_error(page)
    with server["wuye"].session() as s:
        owed = billing.unit_balance_fen(s, unit_id)  # the move-in fee and whatever the demo billed before
    assert owed >= 30000
    step = page.locator("#move-in-step").inner_text()
    assert "资料已核验" in page.locator("body").inner_text() and f"¥{owed / 100:.2f}" in step and "收费处" in step
    shot(page, "move-in-fees-zh")
    # fees first: refused while the unit owes, then the cashier takes the money and the step goes through
    button = page.locator("button.wuye-transition[data-transition=confirm_fees]")
    with page.expect_navigation():
        button.click()
    assert f"{owed / 100:.2f}" in page.locator(".alert").first.inner_text()
    with server["wuye"].session() as s, as_system(s):
        billing.record_payment(s, None, unit=s.get(Unit, unit_id), amount_fen=owed, method="cash")
        s.commit()
    page.reload()
    _step(page, "confirm_fees")
    assert "费用已缴" in page.content()
    # the joint inspection: one defect becomes a repair order; the meter readings
    page.fill(".wuye-move-in-defect input[name=location]", "主卧")
    page.fill(".wuye-move-in-defect input[name=description]", "窗户密封条脱落，关窗漏风")
    _submit(page, ".wuye-move-in-defect")
    _no_error(page)
    page.fill("#mi-water_reading", "00012")
    page.fill("#mi-electricity_reading", "00034")
    _submit(page, ".wuye-move-in-inspect")
    _no_error(page)
    assert "已验房" in page.content()
    _step(page, "sign")
    shot(page, "move-in-case-zh")
    # the handover form (收楼确认书), printed
    page.goto(f"{url}/admin/documents/move_in.handover_form/{case_id}/")
    form = page.locator("body").inner_text()
    assert "收楼确认书" in form and OWNER in form and "00012" in form and "窗户密封条脱落" in form and "RP-" in form
    shot(page, "move-in-handover-form-zh")
    # the keys, then the move-in completed
    page.goto(f"{url}/admin/move_in_cases/details/?id={case_id}")
    _step(page, "issue_keys")
    _step(page, "complete")
    assert "入伙办结" in page.content()
    # the unit's page shows it all
    page.goto(f"{url}/admin/unit/{unit_id}/")
    move_in = page.locator("#panel-move_in").inner_text()
    assert number in move_in and "入伙办结" in move_in and OWNER in move_in
    assert "窗户密封条脱落" in move_in and "RP-" in move_in
    assert "RP-" in page.locator("#panel-repairs").inner_text()
    assert "MI-E2E" in page.locator("#panel-keys").inner_text()
    assert "已交付" in page.locator("body").inner_text()
    shot(page, "move-in-unit-zh")
    with server["wuye"].session() as s:
        unit = s.get(Unit, unit_id)
        assert unit.status == "delivered" and unit.delivered_on is not None
