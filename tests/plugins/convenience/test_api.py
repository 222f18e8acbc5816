"""The convenience resources through the real JSON API (booking, transitions with data, bad input)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.models import Building, Estate, Party, RelationKind, Role, StaffUser, Unit
from core.services.units import add_relation
from plugins.billing import services as billing
from plugins.convenience import services
from plugins.convenience.api import api_resources
from plugins.convenience.models import ConvenienceOrder
from plugins.convenience.schemas import OrderSchema


@pytest.fixture
def client(app):
    """A test client of the shared app (tests/conftest.py), its requests inside this test's transaction."""
    return app.test_client()


@pytest.fixture
def world(wuye, factory):
    """An estate with a published catalogue, an owner, and API tokens per role."""
    from core.seed import seed_all
    from core.web.tokens import create_token

    s = factory()
    seed_all(s, wuye)

    estate = Estate(code="API", name="API Estate")
    s.add(estate)
    s.flush()
    building = Building(estate_id=estate.id, code="1")
    s.add(building)
    s.flush()
    unit = Unit(estate_id=estate.id, building_id=building.id, room_no="101")
    owner = Party(name="接口业主", phone="13700001111")
    s.add_all([unit, owner])
    s.flush()
    add_relation(s, unit, owner, RelationKind.owner, start_on=dt.date(2024, 1, 1))
    roles = {r.name: r for r in s.scalars(select(Role))}
    users = {}
    for name in ("office_manager", "general_manager", "cs_specialist", "cs_supervisor", "household_service_staff",
                 "cashier"):
        users[name] = StaffUser(username=f"api_{name}", full_name=name, roles=[roles[name]],
                                estates=[] if name == "general_manager" else [estate])
        s.add(users[name])
    s.flush()
    item = services.create_item(s, users["office_manager"], {"estate_id": estate.id, "code": "P-DRAIN",
                                                             "name": "drain", "price_fen": 5000})
    version = services.create_version(s, users["office_manager"], estate)
    services.propose_version(s, users["office_manager"], version)
    services.approve_version(s, users["general_manager"], version)
    services.publish_version(s, users["office_manager"], version)
    tokens = {name: {"Authorization": f"Bearer {create_token(s, u.username, name='t')[1]}"}
              for name, u in users.items()}
    data = {"unit": unit.id, "owner": owner.id, "item": item.id, "tokens": tokens,
            "staff": users["household_service_staff"].id}
    s.commit()
    s.close()
    return data


def test_book_and_walk_an_order_through_the_api(client, world, factory):
    t = world["tokens"]
    r = client.post("/api/v1/convenience/orders", headers=t["cs_specialist"],
                    json={"unit_id": world["unit"], "customer_id": world["owner"], "item_id": world["item"],
                          "quantity": "2"})
    assert r.status_code == 201, r.json
    order_id = r.json["id"]
    assert r.json["amount_fen"] == 10000 and r.json["status"] == "registered"

    def step(name, who, **body):
        return client.post(f"/api/v1/convenience/orders/{order_id}/transitions/{name}", headers=t[who], json=body)

    assert step("deliver", "household_service_staff").status_code == 409  # not dispatched yet
    assert step("dispatch", "cs_supervisor", staff_id=world["staff"]).status_code == 200
    assert step("deliver", "household_service_staff", service_record="通了").status_code == 200
    assert step("confirm", "household_service_staff", confirmed_by="接口业主", method="phone").status_code == 200
    assert step("charge", "cashier").status_code == 200
    bad = step("return_visit", "cs_specialist", satisfaction=9)
    assert bad.status_code == 422 and bad.json["error"]["field"] == "satisfaction"  # the transition's schema
    r = step("return_visit", "cs_specialist", satisfaction=5, comment="很满意")
    assert r.status_code == 200 and r.json["status"] == "visited" and r.json["satisfaction"] == 5
    s = factory()
    order = s.get(ConvenienceOrder, order_id)
    assert (order.channel.value, order.visit_comment, order.confirmed_by_name) == ("api", "很满意", "接口业主")
    assert billing.outstanding_fen(s, source=f"convenience:order:{order_id}") == 10000
    s.close()
    listed = client.get("/api/v1/convenience/orders?status=visited", headers=t["cs_specialist"])
    assert listed.status_code == 200 and [o["id"] for o in listed.json["items"]] == [order_id]


def test_api_rejects_a_paid_field_and_a_stranger_customer(client, world, factory):
    t = world["tokens"]
    body = {"unit_id": world["unit"], "customer_id": world["owner"], "item_id": world["item"]}
    r = client.post("/api/v1/convenience/orders", headers=t["cs_specialist"], json={**body, "paid": True})
    assert r.status_code == 422 and "paid" in str(r.json)
    s = factory()
    stranger = Party(name="路人")
    s.add(stranger)
    s.commit()
    stranger_id = stranger.id
    s.close()
    r = client.post("/api/v1/convenience/orders", headers=t["cs_specialist"], json={**body, "customer_id": stranger_id})
    assert r.status_code == 422 and "customer_id" in str(r.json)
    s = factory()
    assert s.scalar(select(ConvenienceOrder.id)) is None
    s.close()


@pytest.mark.parametrize("via_api", [False, True])
def test_create_services_accept_already_loaded_data(published, via_api):
    """The web layer loads the schema before calling the create service: loading twice must work."""
    s, ns = published.session, published
    raw = {"unit_id": ns.units[0].id, "customer_id": ns.owners[0].id, "item_id": ns.items["P-CLEAN"].id,
           "quantity": "1.5", "requested_for": "2030-05-01T09:00:00+08:00"}
    spec = next(r for r in api_resources() if r.model is ConvenienceOrder)
    data = OrderSchema().load(raw)
    order = (spec.create_service if via_api else services.create_order)(s, ns.cs, data)
    assert order.amount_fen == 5325 and order.requested_for.year == 2030
    assert order.channel.value == ("api" if via_api else "phone")
