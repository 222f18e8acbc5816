"""Intake in the API: /intakes and /incidents, their action routes, and estate scoping."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.models import Party, Role, StaffUser
from core.models.intake import Intake
from tests.core.web.conftest import bearer, cheap_hash, token_for, world  # noqa: F401


@pytest.fixture
def api(app, world, token_for, factory):  # noqa: F811
    """(client, headers): admin (all estates), cs_a (specialist of A), sup_a (CS supervisor of A), cs_b."""
    from core.models import Estate

    s = factory()
    for name, role, estate in (("sup_a", "cs_supervisor", "a"), ("cs_b", "cs_specialist", "b")):
        s.add(StaffUser(username=name, full_name=name, password_hash=cheap_hash("pass-12345"),
                        roles=[s.scalars(select(Role).where(Role.name == role)).one()],
                        estates=[s.get(Estate, world[estate])]))
    s.commit()
    s.close()
    c = app.test_client()
    return c, {u: bearer(token_for(u)) for u in ("admin", "cs_a", "sup_a", "cs_b")}


def register(c, headers, **body):
    body = {"caller_phone": "13912345678", "category": "repair", "summary": "停水", **body}
    return c.post("/api/v1/intakes", json=body, headers=headers)


def test_register_list_and_mask_the_callers_phone(api, world):  # noqa: F811
    c, h = api
    r = register(c, h["cs_a"], unit_id=world["units_a"][0], caller_name="王先生", channel="walk_in")
    assert r.status_code == 201, r.json
    body = r.json
    assert body["estate_id"] == world["a"] and body["number"].startswith("JD-") and body["status"] == "new"
    assert body["caller_phone"] == "139****5678"  # a specialist does not see phones unmasked
    assert c.get(f"/api/v1/intakes/{body['id']}", headers=h["admin"]).json["caller_phone"] == "13912345678"
    bad = register(c, h["cs_a"], unit_id=world["units_a"][0], caller_phone="", category="gossip")
    assert bad.status_code == 422 and set(bad.json["error"]["errors"]) >= {"category"}
    nophone = register(c, h["cs_a"], estate_id=world["a"], caller_phone="")
    assert nophone.status_code == 422 and nophone.json["error"]["field"] == "caller_phone"
    listed = c.get("/api/v1/intakes?category=repair", headers=h["cs_a"]).json["items"]
    assert [i["id"] for i in listed] == [body["id"]]


def test_staff_of_estate_a_cannot_read_or_change_estate_bs_records(api, world, factory):  # noqa: F811
    c, h = api
    theirs = register(c, h["cs_b"], unit_id=world["units_b"][0]).json
    refused = register(c, h["cs_a"], unit_id=world["units_b"][0])  # B's unit is no unit of theirs
    assert refused.status_code == 422 and refused.json["error"]["field"] == "unit_id"
    assert register(c, h["cs_a"], estate_id=world["b"]).status_code in (403, 422)
    assert c.get(f"/api/v1/intakes/{theirs['id']}", headers=h["cs_a"]).status_code == 404
    assert c.get("/api/v1/intakes", headers=h["cs_a"]).json["items"] == []
    for path, body in (("answer", {"reply": "x"}), ("route", {}), ("merge", {"title": "x"}), ("close", {"reason": "x"})):
        r = c.post(f"/api/v1/intakes/{theirs['id']}/{path}", json=body, headers=h["cs_a"])
        assert r.status_code == 404, (path, r.json)
    assert c.get(f"/api/v1/intakes/{theirs['id']}/duplicates", headers=h["sup_a"]).status_code == 404
    incident = c.post(f"/api/v1/intakes/{theirs['id']}/merge", json={"title": "B停水"}, headers=h["admin"]).json
    iid = incident["incident"]["id"]
    assert c.get(f"/api/v1/incidents/{iid}", headers=h["sup_a"]).status_code == 404
    assert c.post(f"/api/v1/incidents/{iid}/resolve", json={"resolution": "x"},
                  headers=h["sup_a"]).status_code == 404
    mine = register(c, h["cs_a"], unit_id=world["units_a"][0]).json
    r = c.post(f"/api/v1/incidents/{iid}/merge", json={"intake_ids": [mine["id"]]}, headers=h["admin"])
    assert r.status_code == 422 and "another estate" in r.json["error"]["message"]  # across estates: refused
    s = factory()
    assert s.get(Intake, mine["id"]).incident_id is None
    s.close()


def test_route_answer_merge_and_resolve_through_the_api(api, world, factory):  # noqa: F811
    c, h = api
    s = factory()
    owner_id = s.scalars(select(Party.id).where(Party.name == "A业主1")).one()  # owner of A's first unit
    s.close()
    # a suggestion is answered at the desk: no plugin takes it, whichever plugins are enabled
    repair = register(c, h["cs_a"], unit_id=world["units_a"][0], party_id=owner_id, category="suggestion").json
    r = c.post(f"/api/v1/intakes/{repair['id']}/route", headers=h["cs_a"])
    assert r.status_code == 422 and r.json["error"]["field"] == "category" and "front desk" in r.json["error"]["message"]
    assert c.get(f"/api/v1/intakes/{repair['id']}", headers=h["cs_a"]).json["status"] == "new"  # unchanged
    inquiry = register(c, h["cs_a"], estate_id=world["a"], category="inquiry", summary="几点开门").json
    assert c.post(f"/api/v1/intakes/{inquiry['id']}/answer", json={}, headers=h["cs_a"]).status_code == 422
    r = c.post(f"/api/v1/intakes/{inquiry['id']}/answer", json={"reply": "8:30"}, headers=h["cs_a"])
    assert r.status_code == 200 and r.json["status"] == "answered" and r.json["reply"] == "8:30"
    wrong = register(c, h["cs_a"], estate_id=world["a"], category="other", summary="打错").json
    assert c.post(f"/api/v1/intakes/{wrong['id']}/close", json={"reason": ""}, headers=h["cs_a"]).status_code == 422
    r = c.post(f"/api/v1/intakes/{wrong['id']}/close", json={"reason": "打错电话"}, headers=h["cs_a"])
    assert r.status_code == 200 and r.json["status"] == "closed"
    again = register(c, h["cs_a"], unit_id=world["units_a"][1], party_id=owner_id, category="suggestion").json
    stranger = register(c, h["cs_a"], estate_id=world["a"], caller_phone="13700000000", category="suggestion").json
    dupes = c.get(f"/api/v1/intakes/{repair['id']}/duplicates", headers=h["cs_a"]).json["items"]
    assert {d["id"] for d in dupes} == {again["id"], stranger["id"]}
    assert c.post(f"/api/v1/intakes/{repair['id']}/merge", json={"title": "停水"},
                  headers=h["cs_a"]).status_code == 403  # a specialist does not manage incidents
    r = c.post(f"/api/v1/intakes/{repair['id']}/merge", json={"title": "1栋停水"}, headers=h["sup_a"])
    assert r.status_code == 200, r.json
    iid = r.json["incident"]["id"]
    r = c.post(f"/api/v1/incidents/{iid}/merge", json={"intake_ids": [again["id"], stranger["id"]]},
               headers=h["sup_a"])
    assert r.status_code == 200 and r.json["incident"]["reporters"] == 3
    assert r.json["reporters"] == {"parties": 1, "phone_only": 1}
    assert c.post(f"/api/v1/incidents/{iid}/resolve", json={"resolution": ""}, headers=h["sup_a"]).status_code == 422
    r = c.post(f"/api/v1/incidents/{iid}/resolve", json={"resolution": "已恢复供水"}, headers=h["sup_a"])
    assert r.status_code == 200 and r.json["incident"]["status"] == "resolved" and r.json["notified"] == 2  # the owner, and the stranger at the number left
    assert c.get(f"/api/v1/intakes/{again['id']}", headers=h["cs_a"]).json["status"] == "resolved"
    r = c.post(f"/api/v1/incidents/{iid}/resolve", json={"resolution": "again"}, headers=h["sup_a"])
    assert r.status_code == 409
