"""The keys admin screens (generated from ``admin.admin_views``): the specs name real columns, every
screen renders for the key custodian, and a custody agreement is created through the form."""

from __future__ import annotations

import re

from sqlalchemy import inspect

from plugins.keys.admin import admin_views


def test_admin_views_name_real_columns():
    for spec in admin_views():
        attrs = set(inspect(spec.model).attrs.keys())
        fields = set(spec.schema().fields)
        for name in (*spec.list_columns, *spec.search_fields, *spec.filters, *spec.sensitive_fields, *spec.lookups):
            assert name in attrs, (spec.name, name)
        assert spec.view_permission == "keys.view"
        assert set(spec.lookups) <= fields | attrs
    names = [s.name for s in admin_views()]
    assert len(names) == len(set(names)) == 7


def test_admin_screens_render(app, world, api):
    api("POST", "key-sets", estate_id=world["estate"], unit_id=world["units"][0], tag_no="W-9")
    client = app.test_client()
    page = client.get("/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"', page.text)
    r = client.post("/login", data={"username": "web_kc", "password": "kc-pass-123",
                                    "csrf_token": token.group(1) or token.group(2), "next": ""})
    assert r.status_code == 302
    for spec in admin_views():
        r = client.get(f"/admin/{spec.name}/")
        assert r.status_code == 200, (spec.name, r.status_code, r.text[:300])
        if spec.can_create:
            r = client.get(f"/admin/{spec.name}/new/")
            assert r.status_code == 200, (spec.name, "new", r.status_code, r.text[:300])
    assert "W-9" in client.get("/admin/keys_key_sets/").text
    page = client.get("/admin/keys_custody_agreements/new/")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"', page.text)
    form = {"csrf_token": token.group(1) or token.group(2), "unit_id": str(world["units"][0]),
            "owner_id": str(world["owner"]), "reason": "vacancy", "permitted_uses": "inspection, meter_reading",
            "start_on": "2026-03-10", "confirmation_channel": "in_person"}
    r = client.post("/admin/keys_custody_agreements/new/", data=form)
    assert r.status_code == 302, r.text[:2000]
    r = api("GET", "custody-agreements")
    assert [i["permitted_uses"] for i in r.json["items"]] == [["inspection", "meter_reading"]]
