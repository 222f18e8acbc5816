"""The cashier desk (收银台) in a real browser (headless Debian Chromium through Playwright), on the demo,
in Chinese: find a unit by its room label, pay its oldest lines in cash with change due, and print the
receipt with the amount in Chinese capital numerals (大写). Screenshots: ``cashier-*.png`` in
``WUYE_SCREENSHOTS`` (elsewhere a temporary folder)."""

from __future__ import annotations

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


def _owing_unit(server):  # noqa: F811
    """A demo unit of estate CH that owes something: (label to type, open fen of its oldest line)."""
    from core.models import Estate, Unit
    from plugins.billing.ledger import open_lines

    with server["wuye"].session() as s:
        for unit in s.scalars(select(Unit).join(Estate, Estate.id == Unit.estate_id).where(Estate.code == "CH")
                              .order_by(Unit.id).limit(200)):
            lines = open_lines(s, unit.id)
            if lines:
                return unit.label, unit.id, lines[0][1]
    pytest.skip("the demo has no unit with open charges")


def test_the_cashier_takes_a_payment_and_prints_the_receipt(server, page):  # noqa: F811
    label, unit_id, oldest_fen = _owing_unit(server)
    _login(page, server, "cashier")
    page.goto(f"{server['url']}/admin/billing_cashier/")
    assert "收银台" in page.content()
    page.fill("#unit-q", label)
    with page.expect_navigation():
        page.click("#unit-search button[type=submit]")
    if page.locator("#unit-hits a").count():  # the label names several units (other estates): pick ours
        with page.expect_navigation():
            page.click(f"#unit-hits a[href$='unit_id={unit_id}']")
    assert page.locator("#open-lines .open-line").count() >= 1
    assert "欠费合计" in page.content()
    page.locator(".line-tick").first.check()  # tick the oldest line: the amount follows
    assert page.input_value("#amount") == f"{oldest_fen / 100:.2f}"
    tendered = oldest_fen + 5000
    page.fill("#tendered", f"{tendered / 100:.2f}")
    page.fill("#payer", "张先生")
    assert page.inner_text("#change") == "¥50.00"  # change due, computed as the cashier types
    shot(page, "cashier-desk")
    with page.expect_navigation():
        page.click("#pay-button")
    assert "/admin/documents/billing.receipt/" in page.url, page.content()[:2000]
    from core import amount_in_words

    capital = page.inner_text("#capital")
    assert amount_in_words(oldest_fen) in capital and "大写" in capital
    assert page.inner_text("#payer") == "张先生"
    shot(page, "cashier-receipt")
    # back at the desk, the payment is listed with its receipt and can be reversed (红冲) by finance only
    page.goto(f"{server['url']}/admin/billing_cashier/?unit_id={unit_id}")
    assert page.locator("#recent-payments").inner_text().count("RC-") >= 1


def test_finance_reverses_the_payment_at_the_desk(server, page):  # noqa: F811
    label, unit_id, _fen = _owing_unit(server)
    _login(page, server, "finance_dept")
    page.goto(f"{server['url']}/admin/billing_cashier/?unit_id={unit_id}")
    button = page.locator(".reverse-payment").first
    if not button.count():
        pytest.skip("no reversible payment on the unit")
    button.click()
    page.fill("#reason", "收错房号")
    shot(page, "cashier-reversal")
    with page.expect_navigation():
        page.click("#reverse-submit")
    assert "已冲销" in page.content() and "作废" in page.inner_text("#recent-payments"), page.content()[:2000]
