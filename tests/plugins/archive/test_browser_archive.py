"""The owner archive in a real browser (headless Debian Chromium through Playwright), on the demo, in
Chinese: the specialist sees the archive on the unit's page, opens its identity part without
approval and is refused (and the refusal is logged); after the office manager approves the request
on its page, the same opening shows the owner's ID number."""

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


def _first_archive(server):  # noqa: F811
    from core.models import Estate
    from plugins.archive.models import OwnerArchive

    with server["wuye"].session() as s:
        archive = s.scalars(select(OwnerArchive).join(Estate, Estate.id == OwnerArchive.estate_id)
                            .where(Estate.code == "CH").order_by(OwnerArchive.id).limit(1)).one()
        return archive.id, archive.number, archive.unit_id, archive.party.id_number


def _events(server, archive_id):  # noqa: F811
    from plugins.archive.models import ArchiveAccessEvent

    with server["wuye"].session() as s:
        return [(e.section, e.outcome.value) for e in s.scalars(
            select(ArchiveAccessEvent).where(ArchiveAccessEvent.archive_id == archive_id).order_by(ArchiveAccessEvent.id))]


def test_confidential_part_is_refused_and_logged_then_opened_after_approval(server, page):  # noqa: F811
    from core.models import StaffUser
    from plugins.archive import access

    archive_id, number, unit_id, id_number = _first_archive(server)
    _login(page, server, "cs_specialist")
    page.goto(f"{server['url']}/admin/unit/{unit_id}/")
    panel = page.locator("#panel-archive").inner_text()
    assert "业主档案" in panel and number in panel
    contents = f"{server['url']}/admin/documents/archive.contents/{archive_id}/?section=identity"
    page.goto(contents)
    body = page.content()
    assert "查阅申请" in body and (not id_number or id_number not in body)
    assert _events(server, archive_id)[-1] == ("identity", "refused")
    shot(page, "archive-refused-zh")

    # the way on from the refusal: the request form, with the archive and the part filled in
    with page.expect_navigation():
        page.click("text=申请查阅此部分")
    assert page.input_value("#section") == "identity"
    page.fill("#reason", "办理车位核对身份")
    with page.expect_navigation():
        page.click("input[type=submit][value], button[type=submit].btn-primary")
    assert "/details/" in page.url  # saved: the request's page
    shot(page, "archive-request-zh")
    with server["wuye"].session() as s:
        me = s.scalars(select(StaffUser).where(StaffUser.username == "cs_specialist")).one()
        req = s.scalars(select(access.ArchiveAccessRequest).where(
            access.ArchiveAccessRequest.archive_id == archive_id,
            access.ArchiveAccessRequest.requester_id == me.id)).one()
        request_id = req.id
    _login(page, server, "office_manager")
    page.goto(f"{server['url']}/admin/archive_access_requests/details/?id={request_id}")
    with page.expect_navigation():
        page.click("button.wuye-transition[data-transition=approve]")
    assert "已批准" in page.content()

    _login(page, server, "cs_specialist")
    page.goto(contents)
    assert id_number and id_number in page.content()
    assert _events(server, archive_id)[-1] == ("identity", "granted")
