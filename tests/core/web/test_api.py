"""The JSON API: authentication, CRUD, filters, pagination, errors and estate scoping."""

from __future__ import annotations

import datetime as dt

import pytest

from core.db import utcnow
from core.models import Estate, Party, Unit
from core.web.models import ApiToken
from tests.core.web.conftest import bearer


@pytest.fixture
def api(app, world, token_for):
    """(client, headers) for admin (all estates) and cs_a (estate A only)."""
    c = app.test_client()
    return c, bearer(token_for("admin")), bearer(token_for("cs_a"))


def test_missing_wrong_expired_and_revoked_tokens_get_401(app, world, token_for, factory):
    c = app.test_client()
    r = c.get("/api/v1/units")
    assert r.status_code == 401
    assert r.json["error"]["status"] == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
    assert c.get("/api/v1/units", headers=bearer("wuye_not-a-token")).status_code == 401
    assert c.get("/api/v1/units", headers={"Authorization": "Basic abc"}).status_code == 401
    expired = token_for("cs_a")
    revoked = token_for("cs_a")
    s = factory()
    from core.web.tokens import hash_token

    s.query(ApiToken).filter(ApiToken.token_hash == hash_token(expired)).update(
        {"expires_at": utcnow() - dt.timedelta(minutes=1)})
    s.query(ApiToken).filter(ApiToken.token_hash == hash_token(revoked)).update({"revoked_at": utcnow()})
    s.commit()
    s.close()
    for token in (expired, revoked):
        r = c.get("/api/v1/units", headers=bearer(token))
        assert r.status_code == 401 and "expired or revoked" in r.json["error"]["message"]
    assert c.get("/api/v1/units", headers=bearer(token_for("cs_a"))).status_code == 200


def test_token_of_deactivated_user_stops_working(app, world, token_for, factory):
    token = token_for("cs_a")
    s = factory()
    from core.models import StaffUser

    s.get(StaffUser, world["users"]["cs_a"]).active = False
    s.commit()
    s.close()
    assert app.test_client().get("/api/v1/units", headers=bearer(token)).status_code == 401


def test_list_is_scoped_and_paginated(api, world):
    c, admin, cs = api
    r = c.get("/api/v1/units?per_page=3", headers=cs)
    assert r.status_code == 200
    body = r.json
    assert [u["id"] for u in body["items"]] == world["units_a"][:3]
    assert body["has_more"] is True and body["next"]
    page2 = c.get(body["next"], headers=cs).json
    assert [u["id"] for u in page2["items"]] == world["units_a"][3:]
    assert page2["has_more"] is False
    cursor = c.get(f"/api/v1/units?after={world['units_a'][1]}&per_page=100", headers=cs).json
    assert [u["id"] for u in cursor["items"]] == world["units_a"][2:]
    everything = c.get("/api/v1/units?per_page=100", headers=admin).json["items"]
    assert {u["id"] for u in everything} >= set(world["units_a"] + world["units_b"])
    assert c.get("/api/v1/units?per_page=101", headers=cs).status_code == 422
    assert c.get("/api/v1/units?page=0", headers=cs).status_code == 422


def test_filters(api, world):
    c, admin, cs = api
    r = c.get(f"/api/v1/units?estate_id={world['b']}", headers=admin)
    assert {u["id"] for u in r.json["items"]} == set(world["units_b"])
    assert c.get(f"/api/v1/units?estate_id={world['b']}", headers=cs).json["items"] == []
    r = c.get("/api/v1/units?status=occupied&room_no=101", headers=cs)
    assert [u["id"] for u in r.json["items"]] == world["units_a"][:1]
    bad = c.get("/api/v1/units?status=flying&colour=red", headers=cs)
    assert bad.status_code == 422
    assert set(bad.json["error"]["errors"]) == {"status", "colour"}


def test_get_one_and_other_estate_is_404(api, world):
    c, _admin, cs = api
    mine = c.get(f"/api/v1/units/{world['units_a'][0]}", headers=cs)
    assert mine.status_code == 200 and mine.json["label"] == "1-101" and mine.json["status"] == "occupied"
    other = c.get(f"/api/v1/units/{world['units_b'][0]}", headers=cs)
    assert other.status_code == 404 and other.json["error"]["status"] == 404
    assert c.get("/api/v1/units/99999999999", headers=cs).status_code == 404
    assert c.get(f"/api/v1/estates/{world['b']}", headers=cs).status_code == 404


def test_patch_other_estate_is_404_and_changes_nothing(api, world, factory):
    c, _admin, cs = api
    target = world["units_b"][0]
    r = c.patch(f"/api/v1/units/{target}", json={"room_no": "HACKED"}, headers=cs)
    assert r.status_code == 404
    s = factory()
    assert s.get(Unit, target).room_no == "101"
    s.close()


def test_create_and_patch_units(api, world, factory):
    c, _admin, cs = api
    s = factory()
    building_a = s.get(Unit, world["units_a"][0]).building_id
    building_b = s.get(Unit, world["units_b"][0]).building_id
    s.close()
    r = c.post("/api/v1/units", json={"building_id": building_a, "room_no": "201", "floor": 2,
                                      "built_area": "88.50"}, headers=cs)
    assert r.status_code == 201, r.json
    assert r.json["estate_id"] == world["a"] and r.json["built_area"] == "88.50"
    new_id = r.json["id"]
    r = c.patch(f"/api/v1/units/{new_id}", json={"usage_nature": "自住"}, headers=cs)
    assert r.status_code == 200 and r.json["usage_nature"] == "自住"
    # an area is never null (0 until measured): refused by name, not a misleading conflict at the column
    r = c.patch(f"/api/v1/units/{new_id}", json={"built_area": None}, headers=cs)
    assert r.status_code == 422 and r.json["error"]["field"] == "built_area", r.json
    r = c.post("/api/v1/units", json={"building_id": building_a, "room_no": "202", "floor": 2}, headers=cs)
    assert r.status_code == 201 and (r.json["built_area"], r.json["interior_area"]) == ("0.00", "0.00")
    # a building of another estate is refused as an unknown reference, and nothing is created
    r = c.post("/api/v1/units", json={"building_id": building_b, "room_no": "999"}, headers=cs)
    assert r.status_code == 422 and r.json["error"]["field"] == "building_id"
    s = factory()
    assert s.query(Unit).filter(Unit.room_no == "999").count() == 0
    s.close()


def test_status_is_read_only_through_the_api(api, world):
    c, _admin, cs = api
    r = c.patch(f"/api/v1/units/{world['units_a'][0]}", json={"status": "vacant"}, headers=cs)
    assert r.status_code == 422 and "status" in r.json["error"]["errors"]


def test_permissions(api, world, token_for):
    c, _admin, _cs = api
    guard = bearer(token_for("guard_a"))
    assert c.get("/api/v1/units", headers=guard).status_code == 200  # every role may view units
    r = c.post("/api/v1/parties", json={"name": "x"}, headers=guard)
    assert r.status_code == 403 and "core.parties" in r.json["error"]["message"]
    r = c.post("/api/v1/estates", json={"code": "Z", "name": "Z"}, headers=guard)
    assert r.status_code == 403


def test_parties_masked_without_view_sensitive(api, world, token_for):
    c, _admin, cs = api
    masked = c.get("/api/v1/parties?per_page=1", headers=cs).json["items"][0]
    assert "*" in masked["phone"] and "*" in masked["id_number"]
    clerk = bearer(token_for("clerk_a"))
    plain = c.get(f"/api/v1/parties/{masked['id']}", headers=clerk).json
    assert "*" not in plain["phone"] and plain["phone"].startswith("139")


def test_create_party_needs_a_unit_for_office_staff(api, world, factory):
    c, _admin, cs = api
    r = c.post("/api/v1/parties", json={"name": "新业主"}, headers=cs)
    assert r.status_code == 422 and r.json["error"]["field"] == "unit_id"
    r = c.post("/api/v1/parties", json={"name": "新业主", "unit_id": world["units_b"][0]}, headers=cs)
    assert r.status_code == 422 and r.json["error"]["field"] == "unit_id"
    r = c.post("/api/v1/parties", json={"name": "新业主", "unit_id": world["units_a"][0], "relation": "tenant",
                                        "phone": "13800000000"}, headers=cs)
    assert r.status_code == 201, r.json
    s = factory()
    assert s.get(Party, r.json["id"]).relations[0].kind.value == "tenant"
    s.close()


@pytest.mark.parametrize("body,kwargs,status,field", [
    (b"{not json", {"content_type": "application/json"}, 400, None),
    (None, {"json": {"code": 12, "name": "X"}}, 422, "code"),
    (None, {"json": {"code": "Q", "name": "X", "colour": "red"}}, 422, "colour"),
    (None, {"json": {"code": "Q", "name": "X" * 5000}}, 422, "name"),
    (None, {"json": {"code": "Q\x00", "name": "X"}}, 422, "code"),
    (None, {"json": ["a", "list"]}, 422, None),
    (b"code=Q", {"content_type": "application/x-www-form-urlencoded"}, 422, None),
])
def test_bad_input_gets_uniform_errors(api, body, kwargs, status, field, factory):
    c, admin, _cs = api
    r = c.post("/api/v1/estates", data=body, headers=admin, **kwargs) if body is not None else \
        c.post("/api/v1/estates", headers=admin, **kwargs)
    assert r.status_code == status, r.json
    assert r.is_json and r.json["error"]["status"] == status and r.json["error"]["message"]
    if field:
        assert field in r.json["error"]["errors"]
    s = factory()
    assert s.query(Estate).filter(Estate.code == "Q").count() == 0
    s.close()


def test_too_large_request_is_413(api):
    c, admin, _cs = api
    r = c.post("/api/v1/estates", data=b'{"code": "' + b"x" * (2 * 1024 * 1024) + b'"}',
               content_type="application/json", headers=admin)
    assert r.status_code == 413 and r.json["error"]["status"] == 413


def test_duplicate_code_is_409(api):
    c, admin, _cs = api
    assert c.post("/api/v1/estates", json={"code": "DUP", "name": "One"}, headers=admin).status_code == 201
    r = c.post("/api/v1/estates", json={"code": "DUP", "name": "Two"}, headers=admin)
    assert r.status_code == 409 and r.json["error"]["status"] == 409


def test_office_staff_cannot_create_an_estate_they_would_not_see(api, token_for, factory):
    c, _admin, _cs = api
    manager = bearer(token_for("admin"))
    assert c.post("/api/v1/estates", json={"code": "NEW1", "name": "New"}, headers=manager).status_code == 201


def test_unknown_route_and_method_are_json(api, world):
    c, admin, _cs = api
    r = c.get("/api/v1/nothing-here", headers=admin)
    assert r.status_code == 404 and r.json["error"]["status"] == 404
    r = c.delete(f"/api/v1/units/{world['units_a'][0]}", headers=admin)
    assert r.status_code == 405 and r.json["error"]["status"] == 405
    # RFC 9110: a 405 says what the URL does answer to
    assert {m.strip() for m in r.headers["Allow"].split(",")} >= {"GET", "PATCH"}
    assert "DELETE" not in r.headers["Allow"]
    r = c.put("/api/v1/units", json={}, headers=admin)
    assert r.status_code == 405 and {m.strip() for m in r.headers["Allow"].split(",")} >= {"GET", "POST"}


def _estates(factory, code: str) -> int:
    s = factory()
    try:
        return s.query(Estate).filter(Estate.code.like(code + "%")).count()
    finally:
        s.close()


@pytest.mark.parametrize("raw", [b"[" * 100_000, b'{"code": ' * 10_000, b'{"code": "Q", "name": ' + b"[" * 40 + b"]" * 40 + b"}"])
def test_deeply_nested_json_is_refused_with_400(api, factory, raw):
    c, admin, _cs = api
    r = c.post("/api/v1/estates", data=raw, content_type="application/json", headers=admin)
    assert r.status_code == 400, r.get_data(as_text=True)[:300]
    assert "nests too deeply" in r.json["error"]["message"] and "32 levels" in r.json["error"]["message"]
    assert _estates(factory, "Q") == 0


def test_a_lone_surrogate_is_422_naming_the_field(api, world, factory):
    c, admin, _cs = api
    # the JSON text "a\ud800b" is valid JSON but not valid Unicode: no database can store it
    r = c.post("/api/v1/estates", data=b'{"code": "Q1", "name": "a\\ud800b"}', content_type="application/json",
               headers=admin)
    assert r.status_code == 422, r.json
    assert r.json["error"]["field"] == "name" and "surrogate" in r.json["error"]["errors"]["name"][0]
    assert _estates(factory, "Q1") == 0
    unit = world["units_a"][0]
    r = c.patch(f"/api/v1/units/{unit}", data=b'{"usage_nature": "\\udfff"}', content_type="application/json",
                headers=admin)
    assert r.status_code == 422 and r.json["error"]["field"] == "usage_nature"
    r = c.post("/api/v1/estates", data=b'{"code": "Q2", "name": "x", "\\ud800": 1}',
               content_type="application/json", headers=admin)
    assert r.status_code == 422 and _estates(factory, "Q2") == 0


def test_numbers_beyond_any_column_are_422(api, world, factory):
    c, admin, _cs = api
    r = c.patch(f"/api/v1/units/{world['units_a'][0]}", json={"floor": 10**30}, headers=admin)
    assert r.status_code == 422 and r.json["error"]["field"] == "floor"
    r = c.post("/api/v1/buildings", json={"estate_id": 10**30, "code": "Z9"}, headers=admin)
    assert r.status_code == 422 and r.json["error"]["field"] == "estate_id"


def test_patch_needs_something_to_change(api, world, factory):
    c, admin, _cs = api
    r = c.patch(f"/api/v1/estates/{world['a']}", json={}, headers=admin)
    assert r.status_code == 422 and "Nothing to change" in r.json["error"]["message"]
    r = c.patch(f"/api/v1/estates/{world['a']}", headers=admin)  # no body at all
    assert r.status_code == 422


def test_patch_refuses_what_create_refuses(api, world, factory):
    """Estates have no update service: PATCH loads the schema (partially) as create does, so a blank name
    is refused by both, and nothing changes."""
    c, admin, _cs = api
    r = c.post("/api/v1/estates", json={"code": "Q3", "name": "   "}, headers=admin)
    assert r.status_code == 422 and r.json["error"]["field"] == "name" and "blank" in r.json["error"]["message"]
    r = c.patch(f"/api/v1/estates/{world['a']}", json={"name": "   "}, headers=admin)
    assert r.status_code == 422 and r.json["error"]["field"] == "name" and "blank" in r.json["error"]["message"]
    r = c.patch(f"/api/v1/estates/{world['a']}", json={"code": ""}, headers=admin)
    assert r.status_code == 422 and r.json["error"]["field"] == "code"
    assert c.get(f"/api/v1/estates/{world['a']}", headers=admin).json["name"] == "Estate A"
    r = c.patch(f"/api/v1/estates/{world['a']}", json={"name": "  Estate A (new)  "}, headers=admin)
    assert r.status_code == 200  # text with spaces around it is still text


def test_session_cookie_works_and_needs_csrf_header_for_writes(client_as, world):
    c = client_as("cs_a")
    assert c.get("/api/v1/units").status_code == 200
    r = c.patch(f"/api/v1/units/{world['units_a'][0]}", json={"usage_nature": "x"})
    assert r.status_code == 400 and "X-CSRFToken" in r.json["error"]["message"]
    from tests.core.web.conftest import csrf_of

    token = csrf_of(c.get("/admin/").text)
    r = c.patch(f"/api/v1/units/{world['units_a'][0]}", json={"usage_nature": "x"}, headers={"X-CSRFToken": token})
    assert r.status_code == 200 and r.json["usage_nature"] == "x"


def test_openapi_document_is_valid(app):
    from openapi_spec_validator import validate

    doc = app.test_client().get("/api/v1/openapi.json").json
    validate(doc)
    assert "/api/v1/units/{ident}" in doc["paths"]
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_openapi_describes_responses_as_returned(app):
    schemas = app.test_client().get("/api/v1/openapi.json").json["components"]["schemas"]
    unit = schemas["Units"]
    # a record carries id (and workflow records allowed_transitions); later versions may add properties
    assert "additionalProperties" not in unit and {"id", "estate_id", "label"} <= set(unit["properties"])
    assert "id" in unit["required"] and unit["properties"]["estate_id"] == {"type": "integer"}
    # decimals are returned as strings ("88.50")
    assert unit["properties"]["built_area"]["type"] == "string"
    assert unit["properties"]["built_area"]["format"] == "decimal"
    # nullable as the column is: delivered_on may be unknown, an area never (0 until measured)
    assert unit["properties"]["delivered_on"]["nullable"] is True
    assert "nullable" not in unit["properties"]["built_area"] and "nullable" not in unit["properties"]["room_no"]
    assert "nullable" not in schemas["UnitsCreate"]["properties"]["built_area"]
    # what may be sent is another schema: unknown fields refused, dump-only ones absent
    create = schemas["UnitsCreate"]
    assert create["additionalProperties"] is False and set(create["required"]) == {"building_id", "room_no"}
    assert "status" not in create["properties"] and "id" not in create["properties"]
    assert schemas["UnitsUpdate"]["minProperties"] == 1 and "required" not in schemas["UnitsUpdate"]
    # masked fields ("139****0000") keep no pattern; party create takes unit_id, which is never returned
    assert "unit_id" in schemas["PartiesCreate"]["properties"] and "unit_id" not in schemas["Parties"]["properties"]


def test_openapi_documents_each_transition_with_its_body(app, wuye):
    from core.web.api import collect_resources

    doc = app.test_client().get("/api/v1/openapi.json").json
    assert not [p for p in doc["paths"] if p.endswith("{name}")]
    # each workflow's transitions on its own resources' paths (two workflows may both have a "withdraw")
    specs = [spec for _plugin, spec in collect_resources(wuye) if getattr(spec, "workflow", None)]
    checked = 0
    for spec in specs:
        wf = wuye.registry.workflows[spec.workflow]
        for t in wf.transitions:
            path = f"/api/v1/{spec.path}/{{ident}}/transitions/{t.name}"
            op = doc["paths"][path]["post"]
            ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
            body = doc["components"]["schemas"][ref]
            assert body["additionalProperties"] is False and "comment" in body["properties"], (wf.name, t.name)
            assert ("comment" in body.get("required", [])) == t.requires_comment, (wf.name, t.name)
            checked += 1
    assert checked > 50


def test_a_get_by_token_takes_three_queries(api, world, engine):
    """The actor (token, user, roles, permissions) in one statement and its estates in a second (joined,
    a company-wide user's rows would be roles x estates, each re-aggregating the permissions), the unit
    and its building (for its label) in a third: the request cost does not grow with roles, estates or
    grants."""
    from sqlalchemy import event

    c, _admin, cs = api
    url = f"/api/v1/units/{world['units_a'][0]}"
    assert c.get(url, headers=cs).status_code == 200  # marks the token used; the next one writes nothing
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith(("SELECT", "UPDATE", "INSERT", "DELETE")):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        r = c.get(url, headers=cs)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert r.status_code == 200 and r.json["label"] == "1-101"
    assert len(seen) == 3, seen
    assert "core_staff_estates" in seen[1] and "core_role_permissions" not in seen[1]


def test_revoked_grant_applies_to_the_next_request(api, world, factory):
    from core.models import StaffUser
    from core.security.grants import revoke

    c, _admin, cs = api
    url = f"/api/v1/units/{world['units_a'][0]}"
    assert c.get(url, headers=cs).status_code == 200
    s = factory()
    admin = s.get(StaffUser, world["users"]["admin"])
    assert revoke(s, admin, "cs_specialist", "core.units.view") is True
    s.commit()
    s.close()
    r = c.get(url, headers=cs)
    assert r.status_code == 403 and "core.units.view" in r.json["error"]["message"]


def test_eager_must_name_a_relationship():
    from core.web.api.resources import Resource
    from core.web.core_schemas import UnitSchema
    from core.web.specs import ApiResourceSpec

    with pytest.raises(ValueError, match="'buildings'.*not a relationship of Unit.*building"):
        Resource(ApiResourceSpec(model=Unit, schema=UnitSchema, path="units", view_permission="core.units.view", eager=("buildings",)))
