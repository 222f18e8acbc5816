"""The webhooks API (``plugins/webhooks/api.py``) over HTTP: endpoints added and changed with the
secret write-only, bad input refused with 422 naming the field, the delivery log read-only, and
estate A's endpoints and deliveries invisible to estate B's staff."""

from __future__ import annotations

from sqlalchemy import func, select

from core.models import Unit
from plugins.webhooks.models import Endpoint

from .conftest import SECRET

PATH = "/api/v1/webhooks/endpoints"


def test_an_endpoint_through_the_api(session, api_client, gm, estate_a):
    api = api_client(gm.username)
    r = api.post(PATH, json={"url": "https://erp.example.com/hooks", "events": "record.created,billing.payment",
                             "secret": SECRET, "estate_id": estate_a.id, "description": "ERP"})
    assert r.status_code == 201, r.get_json()
    created = r.get_json()
    assert created["events"] == "record.created billing.payment" and created["estate_id"] == estate_a.id
    assert "secret" not in created and "signing_secret" not in created and SECRET not in r.text
    r = api.get(f"{PATH}/{created['id']}")
    assert r.status_code == 200 and SECRET not in r.text and r.get_json()["url"] == "https://erp.example.com/hooks"
    r = api.patch(f"{PATH}/{created['id']}", json={"secret": "another-secret-0123456789", "active": False})
    assert r.status_code == 200 and r.get_json()["active"] is False and "another-secret" not in r.text
    stored = session.get(Endpoint, created["id"])
    session.refresh(stored)
    assert stored.signing_secret == "another-secret-0123456789"
    assert [i["id"] for i in api.get(f"{PATH}?active=false").get_json()["items"]] == [created["id"]]
    spec = api.get("/api/v1/openapi.json").get_json()
    assert PATH in spec["paths"] and "/api/v1/webhooks/deliveries" in spec["paths"]
    assert "post" not in spec["paths"]["/api/v1/webhooks/deliveries"]


def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(session, api_client, gm):
    api = api_client(gm.username)
    good = {"url": "https://erp.example.com/hooks", "events": "record.created", "secret": SECRET}
    for bad, field in (({"url": "ftp://erp.example.com/"}, "url"), ({"events": "record.deleted"}, "events"),
                       ({"secret": "short"}, "secret"), ({"events": ""}, "events")):
        r = api.post(PATH, json={**good, **bad})
        assert r.status_code == 422, (bad, r.get_json())
        assert field in r.get_json()["error"]["errors"], r.get_json()
    r = api.post(PATH, json={k: v for k, v in good.items() if k != "secret"})
    assert r.status_code == 422 and "secrets.token_hex(32)" in r.get_json()["error"]["message"]
    assert session.scalar(select(func.count(Endpoint.id))) == 0


def test_the_delivery_log_is_read_only(session, api_client, gm, estate_a):
    api = api_client(gm.username)
    endpoint = api.post(PATH, json={"url": "https://erp.example.com/hooks", "events": "record.created",
                                    "secret": SECRET}).get_json()
    session.add(Unit(estate_id=estate_a.id, building_id=estate_a.buildings[0].id, room_no="701"))
    session.flush()
    items = api.get(f"/api/v1/webhooks/deliveries?endpoint_id={endpoint['id']}").get_json()["items"]
    assert [(i["event"], i["record_type"], i["status"], i["attempts"]) for i in items] == [
        ("record.created", "core_units", "pending", 0)]
    assert items[0]["payload"]["record"]["type"] == "core_units"
    assert api.post("/api/v1/webhooks/deliveries", json={"event": "record.created"}).status_code == 405
    assert api.patch(f"/api/v1/webhooks/deliveries/{items[0]['id']}", json={"status": "delivered"}).status_code == 405
    assert api.get(f"/api/v1/webhooks/deliveries/{items[0]['id']}").get_json()["status"] == "pending"


def test_estate_b_staff_see_nothing_of_estate_a(session, api_client, manager_of, estate_a, estate_b):
    alice, bob = manager_of(estate_a), manager_of(estate_b)
    a_api, b_api = api_client(alice.username), api_client(bob.username)
    r = a_api.post(PATH, json={"url": "https://a.example.com/hooks", "events": "record.created", "secret": SECRET,
                               "estate_id": estate_a.id})
    assert r.status_code == 201, r.get_json()
    mine = r.get_json()["id"]
    session.add(Unit(estate_id=estate_a.id, building_id=estate_a.buildings[0].id, room_no="702"))
    session.flush()
    assert [i["id"] for i in a_api.get(PATH).get_json()["items"]] == [mine]
    assert len(a_api.get("/api/v1/webhooks/deliveries").get_json()["items"]) == 1
    assert b_api.get(PATH).get_json()["items"] == []
    assert b_api.get("/api/v1/webhooks/deliveries").get_json()["items"] == []
    assert b_api.get(f"{PATH}/{mine}").status_code == 404
    assert b_api.patch(f"{PATH}/{mine}", json={"active": False}).status_code == 404
    r = b_api.post(PATH, json={"url": "https://b.example.com/hooks", "events": "record.created", "secret": SECRET,
                               "estate_id": estate_a.id})
    assert r.status_code == 422 and "estate_id" in r.get_json()["error"]["errors"]
    r = b_api.post(PATH, json={"url": "https://b.example.com/hooks", "events": "record.created", "secret": SECRET})
    assert r.status_code == 403 and "only staff of every estate" in r.get_json()["error"]["message"]
    assert session.scalar(select(func.count(Endpoint.id))) == 1
    assert session.get(Endpoint, mine).active is True
