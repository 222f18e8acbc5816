"""Forms and transitions in a real browser, in Chinese: a money field in yuan, a confirmation the service
asks for, and a backward transition (驳回) with its confirmation dialog and required comment.

Saves docs/screenshots/form-zh.png and transition-confirm-zh.png when ``WUYE_SCREENSHOTS=docs/screenshots``
is set (elsewhere a temporary folder). Reuses the demo server of test_browser.py.
"""

from __future__ import annotations

import re

import pytest

from tests.core.web import test_browser as tb

pytestmark = tb.pytestmark
server = tb.server
page = tb.page


@pytest.fixture
def zh_page(page):
    """A fresh browser context (its own login) whose pages are in Chinese."""
    context = page.context.browser.new_context(viewport={"width": 1280, "height": 820}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    context.close()


def _login_zh(server, page, username: str = "admin", password: str = "admin") -> None:
    page.goto(server["url"] + "/admin/")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))
    if page.locator("#locale-form button[data-locale=zh_CN]:not(.active)").count():
        with page.expect_navigation():
            page.click("#locale-form button[data-locale=zh_CN]")


def test_money_form_in_yuan_and_confirmation(server, zh_page):
    page = zh_page
    if not server["wuye"].is_enabled("billing"):
        pytest.skip("the billing plugin is not enabled")
    _login_zh(server, page, "cashier", "demo1234")
    unit = page.request.get(server["url"] + "/api/v1/units?per_page=1").json()["items"][0]
    page.goto(f"{server['url']}/admin/billing_payments/new/?unit_id={unit['id']}")
    body = page.content()
    assert "（元）" in body and "（分）" not in body, body[-3000:]
    money = page.locator("input[data-money]").first
    money.fill("99,999.5")
    page.locator("select[name=method]").select_option(index=1)
    tb.shot(page, "form-zh", full=True)
    with page.expect_navigation():
        page.click("input[type=submit][value], button[type=submit].btn-primary")
    body = page.content()
    assert "预存" in body and page.locator("input[name=confirm]").count() == 1  # asks, stating the amounts
    assert "¥99,999.50" in body or "99,999.50" in body
    tb.shot(page, "form-confirm-zh", full=True)
    page.check("input[name=confirm]")
    with page.expect_navigation():
        page.click("input[type=submit][value], button[type=submit].btn-primary")
    assert "/details/" in page.url, page.content()[:2000]
    assert "¥99,999.50" in page.content()


def test_backward_transition_asks_for_confirmation(server, zh_page):
    page = zh_page
    if not server["wuye"].is_enabled("renovation"):
        pytest.skip("the renovation plugin is not enabled")
    _login_zh(server, page)
    found = None
    for status in ("cs_review", "engineering_review", "manager_approval"):
        items = page.request.get(f"{server['url']}/api/v1/renovation/applications?status={status}").json()["items"]
        if items:
            found = items[0]
            break
    if found is None:
        pytest.skip("the demo has no renovation application under review")
    page.goto(f"{server['url']}/admin/renovation_applications/details/?id={found['id']}")
    reject = page.locator("button[data-transition=reject]")
    assert reject.count() == 1 and "btn-outline-danger" in reject.get_attribute("class")
    assert page.locator("#transition-comment-label").inner_text() == "备注（必填）"
    assert reject.is_disabled()  # a rejection needs a comment saying why
    page.fill("#transition-comment", "图纸缺少防水做法，请补充后重新提交")
    assert reject.is_enabled()
    reject.click()
    page.wait_for_selector("#transition-confirm.show", state="visible")
    assert "驳回" in page.locator("#transition-confirm-text").inner_text() or \
        page.locator("#transition-confirm-text").inner_text()
    tb.shot(page, "transition-confirm-zh")
    with page.expect_navigation():
        page.click("#transition-confirm-go")
    assert page.locator("#status-bar .badge-primary").get_attribute("data-state") == "rejected"
    assert page.locator("#status-bar .wuye-past").count() >= 1  # the path it took
    tb.shot(page, "transition-done-zh", full=True)


def test_pickers_and_lookups_speak_chinese(server, zh_page):
    page = zh_page
    _login_zh(server, page)
    page.goto(server["url"] + "/admin/core_units/")
    texts = page.evaluate("""() => {
        var $ = window.jQuery, input = $('<input type="text">').appendTo('body');
        input.daterangepicker({singleDatePicker: true, format: 'YYYY-MM-DD'});
        var picker = input.data('daterangepicker');
        return {apply: $(picker.container).find('.applyBtn').text(),
                noMatches: $.fn.select2.defaults.formatNoMatches()};
    }""")
    assert texts == {"apply": "确定", "noMatches": "没有找到匹配项"}
