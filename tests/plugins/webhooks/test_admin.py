"""The webhooks admin screens (``plugins/webhooks/admin.py``): they render for the general manager,
an endpoint is added and edited through the form with its secret never shown back, bad input is
refused on the field, and the delivery log cannot be edited."""

from __future__ import annotations

import re

from sqlalchemy import func, inspect, select

from core.models import Unit
from plugins.webhooks.admin import admin_views
from plugins.webhooks.models import Endpoint

from .conftest import SECRET, add_endpoint

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf(page) -> str:
    m = CSRF.search(page.text)
    return m.group(1) or m.group(2)


def logged_in(app, username):
    client = app.test_client()
    r = client.post("/login", data={"username": username, "password": "password123",
                                    "csrf_token": csrf(client.get("/login")), "next": ""})
    assert r.status_code == 302, r.text[:500]
    return client


def test_admin_views_name_real_columns():
    for spec in admin_views():
        attrs = set(inspect(spec.model).attrs.keys())
        for name in (*spec.list_columns, *spec.search_fields, *spec.filters):
            assert name in attrs, (spec.name, name)
        assert spec.view_permission == "webhooks.view"
    assert [(s.name, s.can_create, s.can_edit, s.edit_permission) for s in admin_views()] == [
        ("webhooks_endpoints", True, True, "webhooks.manage"), ("webhooks_deliveries", False, False, None)]


def test_endpoints_through_the_admin_with_the_secret_never_shown(session, app, gm, estate_a):
    client = logged_in(app, gm.username)
    assert client.get("/admin/webhooks_deliveries/").status_code == 200
    assert client.get("/admin/webhooks_deliveries/new/").status_code == 403  # the log is read-only
    page = client.get("/admin/webhooks_endpoints/new/")
    assert page.status_code == 200 and ("签名密钥" in page.text or "Secret" in page.text)

    form = {"csrf_token": csrf(page), "url": "gopher://erp.example.com/", "events": "record.created",
            "secret": SECRET, "description": "ERP"}
    r = client.post("/admin/webhooks_endpoints/new/", data=form)
    assert r.status_code == 200 and "请使用带主机名的 http:// 或 https:// 地址" in r.text  # the user's language
    assert session.scalar(select(func.count(Endpoint.id))) == 0

    r = client.post("/admin/webhooks_endpoints/new/", data={**form, "url": "https://erp.example.com/hooks"})
    assert r.status_code == 302, r.text[:2000]
    endpoint = session.scalar(select(Endpoint))
    assert (endpoint.url, endpoint.events, endpoint.signing_secret, endpoint.estate_id) == (
        "https://erp.example.com/hooks", "record.created", SECRET, None)

    assert SECRET not in client.get(f"/admin/webhooks_endpoints/details/?id={endpoint.id}").text
    edit = client.get(f"/admin/webhooks_endpoints/edit/?id={endpoint.id}")
    assert edit.status_code == 200 and SECRET not in edit.text and "https://erp.example.com/hooks" in edit.text
    r = client.post(f"/admin/webhooks_endpoints/edit/?id={endpoint.id}", data={
        "csrf_token": csrf(edit), "url": "https://erp.example.com/v2", "events": "record.created record.transition",
        "secret": "", "description": "ERP", "active": "y"})
    assert r.status_code == 302, r.text[:2000]
    session.refresh(endpoint)
    assert (endpoint.url, endpoint.events, endpoint.signing_secret) == (
        "https://erp.example.com/v2", "record.created record.transition", SECRET)  # an empty secret keeps it
    r = client.post(f"/admin/webhooks_endpoints/edit/?id={endpoint.id}", data={
        "csrf_token": csrf(edit), "url": "https://erp.example.com/v2", "events": "record.created",
        "secret": "a-brand-new-secret-123", "description": "ERP", "active": "y"})
    assert r.status_code == 302
    session.refresh(endpoint)
    assert endpoint.signing_secret == "a-brand-new-secret-123"

    session.add(Unit(estate_id=estate_a.id, building_id=estate_a.buildings[0].id, room_no="601"))
    session.flush()
    log = client.get("/admin/webhooks_deliveries/")
    assert log.status_code == 200 and "core_units" in log.text


def test_estate_staff_see_their_estates_endpoints_only(app, session, gm, manager_of, estate_a, estate_b):
    alice, bob = manager_of(estate_a), manager_of(estate_b)
    mine = add_endpoint(session, alice, "https://a.example.com/hooks", estate=estate_a)
    add_endpoint(session, gm, "https://erp.example.com/hooks")
    b = logged_in(app, bob.username)
    assert "a.example.com" not in b.get("/admin/webhooks_endpoints/").text
    assert "erp.example.com" not in b.get("/admin/webhooks_endpoints/").text
    assert "a.example.com" not in b.get(f"/admin/webhooks_endpoints/details/?id={mine.id}").text
    a = logged_in(app, alice.username)
    page = a.get("/admin/webhooks_endpoints/").text
    assert "a.example.com" in page and "erp.example.com" not in page
