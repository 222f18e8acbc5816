"""The archive plugin enabled alone (core only): it boots, publishes its hookspec and its defaults;
its admin screens render for a manager and the print view of an archive opens and logs."""

from __future__ import annotations

import re

import pytest

from core.testing import boot
from plugins.archive.admin import admin_views
from plugins.archive.models import ArchiveAccessEvent


@pytest.fixture(scope="module")
def alone():
    return boot(enabled=["archive"])


def test_boots_with_core_only(alone):
    assert alone.order == ["archive"]
    assert {p for p in alone.registry.permissions if p.startswith("archive.")} == {
        "archive.view", "archive.manage", "archive.request_access", "archive.approve_access", "archive.view_log",
        "archive.census"}
    assert alone.registry.tables_of("archive") == [
        "archive_access_events", "archive_access_requests", "archive_archives", "archive_census_entries",
        "archive_census_rounds", "archive_documents"]
    settings = alone.settings("archive")
    assert settings["access_hours"] == 24 and settings["retention_years"] == 0 and settings["census_months"] == 3
    assert "handover_form" in settings["required_documents"]
    assert hasattr(alone.pm.hook, "wuye_archive_sections")


def _login(app, username: str):
    client = app.test_client()
    page = client.get("/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"', page.text)
    r = client.post("/login", data={"username": username, "password": "password123",
                                    "csrf_token": token.group(1) or token.group(2), "next": ""})
    assert r.status_code == 302
    return client


def test_screens_render_for_a_manager_and_opening_prints_are_logged(app, seeded, make_actor, archive, estate,
                                                                     factory):
    boss = make_actor("office_manager", estates=[estate])
    seeded.commit()
    client = _login(app, boss.username)
    for spec in admin_views():
        assert client.get(f"/admin/{spec.name}/").status_code == 200, spec.name
    assert archive.number in client.get("/admin/archive_archives/").text
    page = client.get(f"/admin/documents/archive.contents/{archive.id}/?section=identity")
    assert page.status_code == 200 and "440301198001010000" not in page.text
    s = factory()
    assert [(e.section, e.outcome.value) for e in s.query(ArchiveAccessEvent).all()] == [("identity", "refused")]
    s.close()
