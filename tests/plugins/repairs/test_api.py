"""The repairs API and admin screens: staff of estate B can neither read nor change estate A's
orders; bad input is a 422 naming the field, with nothing written."""

from __future__ import annotations

from sqlalchemy import func, select

from plugins.repairs.models import RepairOrder


def test_api_registers_and_steps_an_order(rp, api_client):
    client = api_client(rp.clerk.username)
    r = client.post("/api/v1/repairs/orders", json={"unit_id": rp.units[0].id, "description": "阳台地漏堵塞"})
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["number"].startswith("RP-") and body["status"] == "received"
    r = client.post(f"/api/v1/repairs/orders/{body['id']}/transitions/dispatch", json={})
    assert r.status_code == 200, r.get_json()
    assert rp.session.get(RepairOrder, body["id"]).status == "dispatched"


def test_bad_input_is_a_422_naming_the_field(rp, api_client):
    before = rp.session.scalar(select(func.count()).select_from(RepairOrder))
    r = api_client(rp.clerk.username).post("/api/v1/repairs/orders", json={"unit_id": rp.units[0].id})
    assert r.status_code == 422 and "description" in str(r.get_json())
    assert rp.session.scalar(select(func.count()).select_from(RepairOrder)) == before


def test_staff_of_another_estate_cannot_read_or_change_an_order(rp, api_client, app):
    o = rp.order()
    other = api_client(rp.clerk_b.username)
    assert other.get(f"/api/v1/repairs/orders/{o.id}").status_code == 404
    listed = other.get("/api/v1/repairs/orders").get_json()
    assert o.id not in [row["id"] for row in listed.get("items", listed if isinstance(listed, list) else [])]
    assert other.post(f"/api/v1/repairs/orders/{o.id}/transitions/dispatch", json={}).status_code in (403, 404)
    before = rp.session.scalar(select(func.count()).select_from(RepairOrder))
    r = other.post("/api/v1/repairs/orders", json={"unit_id": rp.units[0].id, "description": "门锁坏"})
    assert r.status_code in (403, 422) and "unit_id" in str(r.get_json())  # A's unit is not his to choose
    assert rp.session.scalar(select(func.count()).select_from(RepairOrder)) == before
    assert o.status == "received"
    assert api_client(rp.clerk.username).get(f"/api/v1/repairs/orders/{o.id}").status_code == 200
