"""Core API resources for integrators (``core/web/core_specs.py``): the staff directory
(``/api/v1/staff``, read-only) and units' owners, household members and tenants
(``/api/v1/unit-relations``): scoped, filtered, masked, and validated when written."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core.clock import estate_today
from core.models import Estate, Role, StaffUser, UnitRelation
from tests.core.web.conftest import bearer

STAFF_FIELDS = {"id", "username", "full_name", "employee_no", "department_id", "zone", "active", "roles",
                "all_estates", "estate_ids"}


@pytest.fixture
def api(app, world, token_for):
    """(client, headers of admin (all estates), cs_a (estate A), guard_a (estate A, no directory))."""
    return app.test_client(), bearer(token_for("admin")), bearer(token_for("cs_a")), bearer(token_for("guard_a"))


@pytest.fixture
def staff(world, factory):
    """More staff: a cashier of B, a supervisor of A and B, a former clerk of A (inactive)."""
    s = factory()
    roles = {r.name: r for r in s.scalars(select(Role))}
    a, b = s.get(Estate, world["a"]), s.get(Estate, world["b"])
    made = {"cash_b": StaffUser(username="cash_b", full_name="收费员乙", employee_no="B-007", zone="east",
                                password_hash="argon2-secret", roles=[roles["cashier"]], estates=[b]),
            "sup_ab": StaffUser(username="sup_ab", full_name="Supervisor AB", password_hash="argon2-secret",
                                roles=[roles["cs_supervisor"], roles["cashier"]], estates=[a, b]),
            "old_a": StaffUser(username="old_a", full_name="Old clerk", active=False, password_hash="x",
                               roles=[roles["clerk"]], estates=[a])}
    s.add_all(made.values())
    s.commit()
    ids = {k: u.id for k, u in made.items()}
    s.close()
    return {**world["users"], **ids}


def usernames(response) -> set[str]:
    assert response.status_code == 200, response.text
    return {item["username"] for item in response.json["items"]}


# --- staff ---------------------------------------------------------------------------------------
def test_staff_of_an_estate_see_the_staff_of_their_estates_the_general_manager_everyone(api, world, staff):
    c, admin, cs, _guard = api
    assert usernames(c.get("/api/v1/staff?per_page=100", headers=cs)) == {"cs_a", "guard_a", "clerk_a", "sup_ab",
                                                                          "old_a"}
    assert usernames(c.get("/api/v1/staff?per_page=100", headers=admin)) >= {
        "admin", "cs_a", "guard_a", "clerk_a", "sup_ab", "old_a", "cash_b"}


def test_staff_carry_roles_and_estates_and_nothing_secret(api, world, staff):
    c, admin, cs, _guard = api
    items = c.get("/api/v1/staff?per_page=100", headers=admin).json["items"]
    by_name = {i["username"]: i for i in items}
    for item in items:
        assert set(item) == STAFF_FIELDS, set(item) ^ STAFF_FIELDS
    assert "argon2-secret" not in c.get("/api/v1/staff?per_page=100", headers=admin).text
    cash = by_name["cash_b"]
    assert cash == {"id": staff["cash_b"], "username": "cash_b", "full_name": "收费员乙", "employee_no": "B-007",
                    "department_id": None, "zone": "east", "active": True, "roles": ["cashier"],
                    "all_estates": False, "estate_ids": [world["b"]]}
    assert by_name["admin"]["all_estates"] is True and by_name["admin"]["roles"] == ["general_manager"]
    assert by_name["sup_ab"]["roles"] == ["cashier", "cs_supervisor"]
    assert by_name["sup_ab"]["estate_ids"] == sorted([world["a"], world["b"]])
    # staff of A learn which of *their* estates a colleague works for, not the others' ids
    seen_by_cs = c.get(f"/api/v1/staff/{staff['sup_ab']}", headers=cs).json
    assert seen_by_cs["estate_ids"] == [world["a"]]


def test_staff_filters(api, world, staff):
    c, admin, cs, _guard = api
    assert usernames(c.get("/api/v1/staff?active=false", headers=cs)) == {"old_a"}
    assert usernames(c.get("/api/v1/staff?username=guard_a", headers=cs)) == {"guard_a"}
    assert usernames(c.get("/api/v1/staff?username=cash_b", headers=cs)) == set()  # another estate's
    assert usernames(c.get("/api/v1/staff?employee_no=B-007", headers=admin)) == {"cash_b"}
    bad = c.get("/api/v1/staff?active=maybe", headers=cs)
    assert bad.status_code == 422 and "active" in bad.json["error"]["errors"]


def test_one_staff_member_and_another_estates_is_404(api, world, staff):
    c, admin, cs, _guard = api
    r = c.get(f"/api/v1/staff/{staff['guard_a']}", headers=cs)
    assert r.status_code == 200 and r.json["username"] == "guard_a" and r.json["roles"] == ["guard"]
    hidden = c.get(f"/api/v1/staff/{staff['cash_b']}", headers=cs)
    assert hidden.status_code == 404 and "cash_b" not in hidden.text
    assert c.get(f"/api/v1/staff/{staff['admin']}", headers=cs).status_code == 404  # company level: not assigned
    assert c.get(f"/api/v1/staff/{staff['cash_b']}", headers=admin).json["username"] == "cash_b"
    assert c.get("/api/v1/staff/999999", headers=admin).status_code == 404


def test_staff_directory_needs_core_staff_view(api, world, staff):
    c, _admin, _cs, guard = api
    r = c.get("/api/v1/staff", headers=guard)
    assert r.status_code == 403 and "core.staff.view" in r.json["error"]["message"]
    assert c.get(f"/api/v1/staff/{staff['guard_a']}", headers=guard).status_code == 403


def test_staff_are_read_only_through_the_api(api, world, staff, factory):
    c, admin, _cs, _guard = api
    created = c.post("/api/v1/staff", json={"username": "intruder", "roles": ["general_manager"]}, headers=admin)
    assert created.status_code == 405 and created.json["error"]["status"] == 405
    changed = c.patch(f"/api/v1/staff/{staff['cs_a']}", json={"active": False, "full_name": "x"}, headers=admin)
    assert changed.status_code == 405
    s = factory()
    assert s.scalar(select(StaffUser).where(StaffUser.username == "intruder")) is None
    cs = s.get(StaffUser, staff["cs_a"])
    assert cs.active is True and cs.full_name == "cs_a"
    s.close()


def test_staff_and_unit_relations_are_in_the_openapi_document(api):
    c, *_ = api
    doc = c.get("/api/v1/openapi.json").json
    assert set(doc["paths"]["/api/v1/staff"]) == {"get"}
    assert set(doc["paths"]["/api/v1/staff/{ident}"]) == {"get"}
    staff_props = next(v for k, v in doc["components"]["schemas"].items() if "estate_ids" in v.get("properties", {}))
    assert not {"password_hash", "password", "tokens"} & set(staff_props["properties"])
    assert staff_props["properties"]["roles"]["items"] == {"type": "string"}
    assert {"get", "post"} <= set(doc["paths"]["/api/v1/unit-relations"])
    assert {"get", "patch"} <= set(doc["paths"]["/api/v1/unit-relations/{ident}"])


# --- unit relations ------------------------------------------------------------------------------
def relation_count(factory) -> int:
    s = factory()
    n = s.scalar(select(func.count()).select_from(UnitRelation))
    s.close()
    return n


def owner_relation(factory, unit_id: int) -> UnitRelation:
    s = factory()
    rel = s.scalar(select(UnitRelation).where(UnitRelation.unit_id == unit_id))
    s.close()
    return rel


def test_a_units_owners_can_be_read(api, world, factory):
    c, admin, cs, _guard = api
    unit = world["units_a"][0]
    r = c.get(f"/api/v1/unit-relations?unit_id={unit}", headers=cs)
    assert r.status_code == 200, r.text
    [owner] = r.json["items"]
    rel = owner_relation(factory, unit)
    assert owner == {"id": rel.id, "unit_id": unit, "party_id": rel.party_id, "party_name": "A业主1",
                     "kind": "owner", "relation_to_owner": "", "share": "", "start_on": "2024-01-01",
                     "end_on": None}
    assert c.get(f"/api/v1/unit-relations/{rel.id}", headers=cs).json == owner
    assert c.get(f"/api/v1/unit-relations?unit_id={unit}&kind=tenant", headers=cs).json["items"] == []
    by_party = c.get(f"/api/v1/unit-relations?party_id={rel.party_id}", headers=cs).json["items"]
    assert [i["id"] for i in by_party] == [rel.id]
    assert c.get("/api/v1/unit-relations?kind=landlord", headers=cs).status_code == 422


def test_unit_relations_are_scoped(api, world, factory):
    c, admin, cs, guard = api
    unit_b = world["units_b"][0]
    rel_b = owner_relation(factory, unit_b)
    assert c.get(f"/api/v1/unit-relations?unit_id={unit_b}", headers=cs).json["items"] == []
    listed = c.get("/api/v1/unit-relations?per_page=100", headers=cs).json["items"]
    assert {i["unit_id"] for i in listed} == set(world["units_a"])
    assert c.get(f"/api/v1/unit-relations/{rel_b.id}", headers=cs).status_code == 404
    assert c.get(f"/api/v1/unit-relations/{rel_b.id}", headers=admin).json["party_name"] == "B业主1"
    assert c.get("/api/v1/unit-relations", headers=guard).status_code == 403  # no core.parties.view


def test_relate_a_tenant_and_end_the_lease(api, world, factory):
    c, _admin, cs, _guard = api
    unit, other_unit = world["units_a"][0], world["units_a"][1]
    tenant_id = owner_relation(factory, other_unit).party_id  # the owner of 102 rents 101
    body = {"unit_id": unit, "party_id": tenant_id, "kind": "tenant", "start_on": "2025-03-01"}
    r = c.post("/api/v1/unit-relations", json=body, headers=cs)
    assert r.status_code == 201, r.text
    assert r.json["party_name"] == "A业主2" and r.json["kind"] == "tenant" and r.json["end_on"] is None
    rel_id = r.json["id"]
    tenants = c.get(f"/api/v1/unit-relations?unit_id={unit}&kind=tenant", headers=cs).json["items"]
    assert [t["id"] for t in tenants] == [rel_id]
    # the same tenancy again (a retried request) is a conflict, not a second row
    n = relation_count(factory)
    again = c.post("/api/v1/unit-relations", json={**body, "start_on": "2025-06-01"}, headers=cs)
    assert again.status_code == 409 and f"unit relation {rel_id}" in again.json["error"]["message"]
    assert relation_count(factory) == n
    # ending: only end_on changes, once, not before the start
    early = c.patch(f"/api/v1/unit-relations/{rel_id}", json={"end_on": "2025-02-01"}, headers=cs)
    assert early.status_code == 422 and early.json["error"]["field"] == "end_on"
    other = c.patch(f"/api/v1/unit-relations/{rel_id}", json={"kind": "owner"}, headers=cs)
    assert other.status_code == 422 and other.json["error"]["field"] == "kind"
    empty = c.patch(f"/api/v1/unit-relations/{rel_id}", json={}, headers=cs)
    assert empty.status_code == 422 and "Nothing to change" in empty.json["error"]["message"]  # any PATCH
    ended = c.patch(f"/api/v1/unit-relations/{rel_id}", json={"end_on": "2026-02-28"}, headers=cs)
    assert ended.status_code == 200 and ended.json["end_on"] == "2026-02-28" and ended.json["kind"] == "tenant"
    twice = c.patch(f"/api/v1/unit-relations/{rel_id}", json={"end_on": "2026-03-31"}, headers=cs)
    assert twice.status_code == 409
    s = factory()
    assert s.get(UnitRelation, rel_id).end_on == dt.date(2026, 2, 28)
    s.close()
    # after the lease ended, a new one may start
    renewed = c.post("/api/v1/unit-relations", json={**body, "start_on": "2026-03-01"}, headers=cs)
    assert renewed.status_code == 201, renewed.text


def test_start_on_defaults_to_today_at_the_estate(api, world, factory):
    c, admin, _cs, _guard = api
    unit, party = world["units_b"][0], owner_relation(factory, world["units_b"][1]).party_id
    r = c.post("/api/v1/unit-relations", json={"unit_id": unit, "party_id": party, "kind": "household_member",
                                                "relation_to_owner": "spouse"}, headers=admin)
    assert r.status_code == 201, r.text
    s = factory()
    assert r.json["start_on"] == estate_today(s, world["b"]).isoformat()
    s.close()
    assert r.json["relation_to_owner"] == "spouse"


@pytest.mark.parametrize(("change", "status", "field"), [
    ({"unit_id": "B"}, 422, "unit_id"),  # another estate's unit
    ({"party_id": "B"}, 422, "party_id"),  # a party the actor cannot see
    ({"unit_id": 999999}, 422, "unit_id"),
    ({"kind": "landlord"}, 422, "kind"),
    ({"kind": None}, 422, "kind"),
    ({"start_on": "2025-13-01"}, 422, "start_on"),
    ({"end_on": "2024-12-31"}, 422, "end_on"),  # before the start
    ({"share": "x" * 17}, 422, "share"),
    ({"unit_id": "1"}, 422, "unit_id"),
    ({"colour": "red"}, 422, "colour"),
])
def test_bad_relations_are_refused_and_nothing_is_written(api, world, factory, change, status, field):
    c, _admin, cs, _guard = api
    tenant_id = owner_relation(factory, world["units_a"][1]).party_id
    body = {"unit_id": world["units_a"][0], "party_id": tenant_id, "kind": "tenant", "start_on": "2025-03-01"}
    for key, value in change.items():
        if value == "B":
            value = world["units_b"][0] if key == "unit_id" else owner_relation(factory, world["units_b"][0]).party_id
        body[key] = value
    n = relation_count(factory)
    r = c.post("/api/v1/unit-relations", json=body, headers=cs)
    assert r.status_code == status, r.text
    assert field in (r.json["error"].get("errors") or {}) or r.json["error"].get("field") == field, r.json
    assert relation_count(factory) == n


def test_relating_needs_core_parties_manage_and_another_estates_relation_cannot_be_ended(api, world, factory):
    c, admin, cs, guard = api
    n = relation_count(factory)
    body = {"unit_id": world["units_a"][0], "party_id": owner_relation(factory, world["units_a"][1]).party_id,
            "kind": "tenant", "start_on": "2025-03-01"}
    assert c.post("/api/v1/unit-relations", json=body, headers=guard).status_code == 403
    rel_b = owner_relation(factory, world["units_b"][0])
    r = c.patch(f"/api/v1/unit-relations/{rel_b.id}", json={"end_on": "2025-01-01"}, headers=cs)
    assert r.status_code == 404
    assert relation_count(factory) == n and owner_relation(factory, world["units_b"][0]).end_on is None


def test_staff_by_role_and_estate(api, world, staff):
    c, admin, cs, _guard = api
    assert usernames(c.get("/api/v1/staff?role=cashier", headers=admin)) == {"cash_b", "sup_ab"}
    assert usernames(c.get("/api/v1/staff?role=cashier", headers=cs)) == {"sup_ab"}  # cash_b works for B
    assert usernames(c.get("/api/v1/staff?role=cashier&active=false", headers=admin)) == set()
    assert usernames(c.get(f"/api/v1/staff?estate_id={world['b']}", headers=admin)) == {"cash_b", "sup_ab", "admin"}
    assert usernames(c.get(f"/api/v1/staff?estate_id={world['b']}", headers=cs)) == {"sup_ab"}
    assert usernames(c.get(f"/api/v1/staff?estate_id={world['b']}&role=cs_supervisor", headers=admin)) == {"sup_ab"}
    assert usernames(c.get("/api/v1/staff?role=no_such_role", headers=admin)) == set()
    for query, name in (("role=Cashier;drop", "role"), ("estate_id=x", "estate_id"), ("estate_id=0", "estate_id")):
        r = c.get(f"/api/v1/staff?{query}", headers=admin)
        assert r.status_code == 422 and name in r.json["error"]["errors"], r.text
    doc = c.get("/api/v1/openapi.json").json
    params = {p["name"] for p in doc["paths"]["/api/v1/staff"]["get"]["parameters"]}
    assert {"role", "estate_id", "active", "username"} <= params
