"""The admin in a real browser (headless Chromium through Playwright), against a demo instance.

Logs in, opens every enabled plugin's list screens, creates a record with a validation error and
corrects it, runs a workflow transition from the status bar and switches the language. Saves the
screenshots used in docs/admin-and-api.md when ``WUYE_SCREENSHOTS=docs/screenshots`` is set (elsewhere
they go to a temporary folder, so a test run leaves the working tree clean). Skipped when Debian's chromium is not installed
(``apt-get install chromium``).
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(os.environ.get("WUYE_SCREENSHOTS") or Path(tempfile.gettempdir()) / "wuye-screenshots")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    pytest.importorskip("playwright.sync_api")
    from core.testing import demo_instance, live_server
    from core.web import create_app

    only = os.environ.get("WUYE_BROWSER_PLUGINS")  # e.g. "keys" to try one plugin; default: all in-tree
    wuye = demo_instance(tmp_path_factory.mktemp("browser") / "demo.sqlite3", only.split(",") if only else None,
                         locale="en")
    app = create_app(wuye, testing=True)
    with live_server(wuye, app) as url:
        yield {"url": url, "wuye": wuye, "app": app}
    wuye.engine.dispose()


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        context = browser.new_context(viewport={"width": 1280, "height": 820}, locale="en-US")
        pg = context.new_page()
        pg.set_default_timeout(20_000)
        yield pg
        context.close()
        browser.close()


def shot(page, name: str, full: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


def test_1_login(server, page):
    page.goto(server["url"] + "/admin/")
    assert "/login" in page.url
    shot(page, "login")
    page.fill("#username", "admin")
    page.fill("#password", "wrong password")
    page.click("#login-form button[type=submit]")
    assert page.locator("#login-error").is_visible()
    page.fill("#username", "admin")
    page.fill("#password", "admin")
    page.click("#login-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))
    assert page.locator("#dashboard .wuye-card").count() >= 3
    shot(page, "home")


def test_2_every_plugin_list_screen_opens(server, page):
    from sqlalchemy import select

    from core.models import StaffUser
    from core.security.grants import has_permission
    from core.web.admin import collect_views

    with server["wuye"].session() as s:
        admin = s.scalar(select(StaffUser).where(StaffUser.username == "admin"))
        allowed = {spec.name for _p, spec in collect_views(server["wuye"])
                   if has_permission(s, admin, spec.view_permission)}
    opened = 0
    for plugin, spec in collect_views(server["wuye"]):
        if plugin == "core" or spec.name not in allowed:
            continue
        response = page.goto(f"{server['url']}/admin/{spec.name}/")
        assert response.status == 200, spec.name
        assert page.locator("table.model-list, .alert, p").count() > 0
        opened += 1
    assert opened >= 1 or not server["wuye"].order
    page.goto(server["url"] + "/admin/core_units/")
    page.fill("input[name=search]", "1201")
    with page.expect_navigation():  # wait for the search's page, not the one already loaded
        page.keyboard.press("Enter")
    assert page.locator("table.model-list tbody tr").count() >= 1
    shot(page, "list")


def test_3_form_error_then_corrected(server, page):
    page.goto(server["url"] + "/admin/core_estates/new/")
    page.fill("#code", "BRW")
    page.fill("#name", "")
    page.fill("#timezone", "Nowhere/Else")
    with page.expect_navigation():
        page.click("input[type=submit][value], button[type=submit].btn-primary")
    body = page.content()
    assert "Missing data for required field." in body and "Not a known time zone" in body
    shot(page, "form-error", full=True)
    page.fill("#name", "Browser Garden")
    page.fill("#timezone", "Asia/Shanghai")
    page.click("input[type=submit][value], button[type=submit].btn-primary")
    page.wait_for_url(re.compile(r".*/details/.*"))
    assert "Browser Garden" in page.content()


def test_4_workflow_transition_from_the_status_bar(server, page):
    if not server["wuye"].is_enabled("keys"):
        pytest.skip("the keys plugin is not enabled")
    page.goto(server["url"] + "/admin/")
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    unit = page.request.get(server["url"] + "/api/v1/units?per_page=1").json()["items"][0]
    created = page.request.post(server["url"] + "/api/v1/keys/key-sets",
                                data={"estate_id": unit["estate_id"], "unit_id": unit["id"], "tag_no": "BR-1"},
                                headers={"X-CSRFToken": token})
    assert created.status == 201, created.text()
    ks = created.json()
    page.goto(f"{server['url']}/admin/keys_key_sets/details/?id={ks['id']}")
    assert page.locator("#status-bar .badge-primary").get_attribute("data-state") == "with_developer"
    shot(page, "record-status-bar", full=True)
    with page.expect_navigation():
        page.click("button[data-transition=receive_from_developer]")
    assert page.locator("#status-bar .badge-primary").get_attribute("data-state") == "sealed"
    assert page.locator("#activity .wuye-activity[data-action=transition]").count() >= 1


def test_5_switch_language(server, page):
    page.goto(server["url"] + "/admin/core_units/")
    assert "Units" in page.title()
    with page.expect_navigation():
        page.click("#locale-form button[data-locale=zh_CN]")
    page.goto(server["url"] + "/admin/core_units/")
    assert "房屋" in page.title() and "房号" in page.content()
    shot(page, "chinese-ui")
    page.goto(server["url"] + "/admin/")
    shot(page, "home-zh")
    with page.expect_navigation():
        page.click("#locale-form button[data-locale=en]")
    assert "Log out" in page.content()


def test_6_plain_http_login_on_a_lan(server, page):
    """On a LAN over plain HTTP (a host name other than localhost), the default Secure cookie is dropped by
    the browser and the login page says why; with ``[core] secure_cookies = false`` the login works.
    (test_1 logged in over http://127.0.0.1 with the Secure cookie: browsers keep it on localhost.)"""
    import dataclasses

    from werkzeug.serving import make_server

    from core.web import create_app

    wuye = server["wuye"]
    assert server["app"].config["SESSION_COOKIE_SECURE"] is True
    plain_wuye = dataclasses.replace(wuye, config=dataclasses.replace(wuye.config, secure_cookies=False))
    plain = create_app(plain_wuye, testing=True)
    assert plain.config["SESSION_COOKIE_SECURE"] is False
    srv = make_server("127.0.0.1", 0, plain, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    secure_port = server["url"].rsplit(":", 1)[1]
    try:
        # "wuye.lan" resolves to this machine but is not localhost: a plain-HTTP origin like a LAN address
        browser = page.context.browser.browser_type.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP wuye.lan 127.0.0.1"])
        try:
            pg = browser.new_context(locale="en-US").new_page()
            pg.set_default_timeout(20_000)
            pg.goto(f"http://wuye.lan:{secure_port}/login")
            pg.fill("#username", "admin")
            pg.fill("#password", "admin")
            with pg.expect_navigation():
                pg.click("#login-form button[type=submit]")
            assert "plain HTTP" in pg.content() and "secure_cookies = false" in pg.content()
            assert pg.context.cookies() == []  # the browser refused the Secure cookie

            pg.goto(f"http://wuye.lan:{srv.server_port}/login")
            pg.fill("#username", "admin")
            pg.fill("#password", "admin")
            pg.click("#login-form button[type=submit]")
            pg.wait_for_url(re.compile(r".*/admin/$"))
            assert pg.locator("#dashboard .wuye-card").count() >= 3
            assert [c["secure"] for c in pg.context.cookies()] == [False]
        finally:
            browser.close()
    finally:
        srv.shutdown()
        thread.join(5)
