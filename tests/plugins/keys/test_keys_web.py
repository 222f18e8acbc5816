"""The keys API (generated from the plugin's specs) and the admin specs' consistency."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect

from core.db import utcnow
from core.models import Building, Estate, Party, RelationKind, Unit, UnitRelation
from plugins.keys.admin import admin_views
from plugins.keys.api import api_resources


@pytest.fixture
def world(wuye, factory):
    from core.seed import seed_all
    from core.services.staff import create_staff
    from core.web.tokens import create_token

    s = factory()
    seed_all(s, wuye)
    estate = Estate(code="WK", name="Web keys")
    s.add(estate)
    s.flush()
    building = Building(estate_id=estate.id, code="1")
    s.add(building)
    s.flush()
    units = [Unit(estate_id=estate.id, building_id=building.id, room_no=f"10{i}") for i in (1, 2)]
    owner, stranger = Party(name="吴九"), Party(name="郑十")
    s.add_all([*units, owner, stranger])
    s.flush()
    s.add(UnitRelation(unit_id=units[0].id, party_id=owner.id, kind=RelationKind.owner, start_on=dt.date(2024, 1, 1)))
    s.add(UnitRelation(unit_id=units[1].id, party_id=stranger.id, kind=RelationKind.owner,
                       start_on=dt.date(2024, 1, 1)))  # owns the other unit, so staff of the estate see him
    kc = create_staff(s, "web_kc", "kc-pass-123", roles=["key_custodian"], estates=["WK"])
    guard = create_staff(s, "web_guard", "guard-pass-1", roles=["guard"], estates=["WK"])
    tokens = {u.username: create_token(s, u.username, name="t")[1] for u in (kc, guard)}
    data = {"estate": estate.id, "units": [u.id for u in units], "owner": owner.id, "stranger": stranger.id,
            "kc": kc.id, "tokens": tokens}
    s.commit()
    s.close()
    return data


@pytest.fixture
def api(app, world):
    client = app.test_client()

    def call(method: str, path: str, user: str = "web_kc", **body):
        headers = {"Authorization": f"Bearer {world['tokens'][user]}"}
        return client.open(f"/api/v1/keys/{path}", method=method, json=body if method != "GET" else None,
                           headers=headers)

    return call


def test_lend_and_return_through_the_api(api, world):
    r = api("POST", "key-sets", estate_id=world["estate"], unit_id=world["units"][0], tag_no="W-1", copies=2)
    assert r.status_code == 201, r.json
    ks = r.json
    assert ks["status"] == "with_developer" and "receive_from_developer" in ks["allowed_transitions"]
    r = api("POST", f"key-sets/{ks['id']}/transitions/receive_from_developer", comment="逐一核对")
    assert r.status_code == 200 and r.json["status"] == "sealed", r.json
    due = (utcnow() + dt.timedelta(hours=2)).isoformat()
    loan = {"key_set_id": ks["id"], "borrower_name": "冯师傅", "borrower_phone": "13912345678",
            "purpose": "repairs", "approved_by_id": world["kc"], "expected_return_at": due}
    r = api("POST", "loans", **loan)
    assert r.status_code == 201, r.json
    number = r.json["number"]
    assert number.startswith("KL-") and r.json["status"] == "out"
    assert r.json["borrower_phone"] != "13912345678"  # masked for a custodian without view_sensitive
    r = api("POST", "loans", **loan)
    assert r.status_code == 409 and "already out" in r.json["error"]["message"]
    r = api("POST", f"key-sets/{ks['id']}/transitions/lend")
    assert r.status_code == 409 and "'lend' applies only from 'sealed', 'in_custody'" in r.json["error"]["message"]
    r = api("POST", f"key-sets/{ks['id']}/transitions/return", condition="intact")
    assert r.status_code == 200 and r.json["status"] == "sealed", r.json
    r = api("POST", f"key-sets/{ks['id']}/transitions/lend")
    assert r.status_code == 409 and "register line" in r.json["error"]["message"]
    r = api("GET", "loans?status=returned")
    assert [(i["number"], i["return_condition"]) for i in r.json["items"]] == [(number, "intact")]
    assert api("GET", "loans?status=out").json["items"] == []


def test_api_validation_matches_the_services(api, world):
    r = api("POST", "key-sets", estate_id=world["estate"], tag_no="W-2")
    assert r.status_code == 422 and "unit_id" in r.json["error"]["errors"]
    r = api("POST", "key-sets", estate_id=world["estate"], unit_id=world["units"][0], tag_no="W-2")
    ks_id = r.json["id"]
    r = api("PATCH", f"key-sets/{ks_id}", status="lent")
    assert r.status_code == 422 and "status" in r.json["error"]["errors"]
    r = api("POST", "loans", key_set_id=ks_id, borrower_name="x", purpose="repairs", approved_by_id=world["kc"],
            expected_return_at=(utcnow() - dt.timedelta(hours=1)).isoformat())
    assert r.status_code == 422 and "expected_return_at" in r.json["error"]["errors"]
    agreement = {"unit_id": world["units"][0], "owner_id": world["stranger"], "reason": "vacancy",
                 "permitted_uses": ["inspection"], "start_on": dt.date.today().isoformat()}
    r = api("POST", "custody-agreements", **agreement)
    assert r.status_code == 422 and "郑十 does not own unit" in r.json["error"]["message"]
    r = api("POST", "custody-agreements", **(agreement | {"owner_id": world["owner"]}))
    assert r.status_code == 201 and r.json["number"].startswith("KC-"), r.json
    r = api("GET", "key-sets", user="web_guard")
    assert r.status_code == 403


def test_openapi_documents_the_keys_resources(app):
    doc = app.test_client().get("/api/v1/openapi.json").json
    paths = set(doc["paths"])
    assert {"/api/v1/keys/loans", "/api/v1/keys/key-sets/{ident}/transitions/{name}",
            "/api/v1/keys/custody-agreements", "/api/v1/keys/inventory-lines"} <= paths
    assert "/api/v1/keys/loans/{ident}" in paths and "patch" not in doc["paths"]["/api/v1/keys/loans/{ident}"]
    uses = [s["properties"]["permitted_uses"] for s in doc["components"]["schemas"].values()
            if "permitted_uses" in s.get("properties", {})]
    assert uses and uses[0]["type"] == "array" and "repairs" in uses[0]["items"]["enum"]


def test_admin_and_api_resources_name_real_columns():
    for spec in admin_views():
        attrs = set(inspect(spec.model).attrs.keys())
        fields = set(spec.schema().fields)
        for name in (*spec.list_columns, *spec.search_fields, *spec.filters, *spec.sensitive_fields, *spec.lookups):
            assert name in attrs, (spec.name, name)
        assert spec.view_permission == "keys.view"
        assert set(spec.lookups) <= fields | attrs
    names = [s.name for s in admin_views()]
    assert len(names) == len(set(names)) == 7
    for spec in api_resources():
        columns = set(spec.model.__table__.columns.keys())
        assert set(spec.filters) <= columns, spec.path
    assert {s.path for s in api_resources()} >= {"keys/key-sets", "keys/loans", "keys/custody-agreements",
                                             "keys/inventory-counts", "keys/lock-changes", "keys/facility-rooms"}


def test_transitions_through_the_api_check_their_data(api, world):
    r = api("POST", "key-sets", estate_id=world["estate"], unit_id=world["units"][0], tag_no="W-3")
    ks_id = r.json["id"]
    r = api("POST", f"key-sets/{ks_id}/transitions/receive_from_developer", copies="many")
    assert r.status_code == 409 and "copies" in r.json["error"]["message"]
    r = api("POST", f"key-sets/{ks_id}/transitions/receive_from_developer", copies=2)
    assert r.status_code == 200 and r.json["copies"] == 2
    r = api("POST", f"key-sets/{ks_id}/transitions/take_into_custody", agreement=5)
    assert r.status_code == 409 and "no active custody agreement" in r.json["error"]["message"]
    r = api("POST", f"key-sets/{ks_id}/transitions/issue_to_owner", owner_id=world["stranger"])
    assert r.status_code == 409 and "郑十 does not own unit" in r.json["error"]["message"]
    r = api("POST", f"key-sets/{ks_id}/transitions/issue_to_owner", owner_id=world["owner"])
    assert r.status_code == 200 and r.json["status"] == "issued_to_owner" and r.json["holder_party_id"] == world["owner"]
    r = api("GET", f"loans?key_set_id={ks_id}&kind=issue")
    assert [i["borrower_name"] for i in r.json["items"]] == ["吴九"]
    r = api("POST", f"key-sets/{ks_id}/transitions/report_lost", user="web_guard", comment="丢了")
    assert r.status_code == 403


def test_admin_screens_render(app, world, api):
    import re

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
            "start_on": dt.date.today().isoformat(), "confirmation_channel": "in_person"}
    r = client.post("/admin/keys_custody_agreements/new/", data=form)
    assert r.status_code == 302, r.text[:2000]
    r = api("GET", "custody-agreements")
    assert [i["permitted_uses"] for i in r.json["items"]] == [["inspection", "meter_reading"]]
