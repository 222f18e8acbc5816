"""Endpoint operations (``plugins/webhooks/endpoints.py``): add and change, bad input refused naming
the field with nothing written, the secret write-only, and estate scoping: estate A's endpoints
and deliveries are invisible to estate B's staff, company-wide ones to staff of some estates."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core import PermissionDenied, ValidationError, scoped_select
from core.activity import timeline
from core.models import Unit
from plugins.webhooks import services
from plugins.webhooks.endpoints import dashboard_cards, endpoints_for
from plugins.webhooks.models import Delivery, Endpoint

from .conftest import SECRET, add_endpoint

GOOD = {"url": "https://erp.example.com/hooks", "events": "record.created", "secret": SECRET}


def test_an_endpoint_is_added_with_its_input_normalised(session, gm, estate_a):
    endpoint = services.create_endpoint(session, gm, {
        "url": "  https://erp.example.com/wuye/hooks?via=wuye  ", "events": ["billing.payment", "record.created"],
        "secret": SECRET, "estate_id": estate_a.id, "description": " ERP "})
    assert (endpoint.url, endpoint.events, endpoint.description) == (
        "https://erp.example.com/wuye/hooks?via=wuye", "record.created billing.payment", "ERP")
    assert endpoint.active and endpoint.created_by_id == gm.id and endpoint.estate_id == estate_a.id
    assert endpoint.signing_secret == SECRET and endpoint.secret is None  # write-only
    (created,) = [a for a in timeline(session, endpoint) if a.action == "create"]
    assert created.actor_id == gm.id and created.changes["signing_secret"] == [None, "***"]  # the trail hides it
    again = services.create_endpoint(session, gm, {**GOOD, "events": "record.transition, record.created"})
    assert again.events == "record.created record.transition" and again.estate_id is None


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"url": "ftp://erp.example.com/hooks"}, "url", "use an http:// or https:// address with a host"),
    ({"url": "https://"}, "url", "use an http:// or https:// address with a host"),
    ({"url": "erp.example.com/hooks"}, "url", "use an http:// or https:// address with a host"),
    ({"url": "https://me:pw@erp.example.com/hooks"}, "url", "put no user name or password in the address"),
    ({"url": "https://erp.example.com:99999/"}, "url", "not a valid address"),
    ({"url": "https://erp.example.com/a b"}, "url", "an address has no spaces"),
    ({"events": "record.deleted"}, "events",
     "unknown event 'record.deleted'; use one or more of record.created, record.transition, billing.payment"),
    ({"events": " , "}, "events", "name at least one event"),
    ({"events": ["record.created", 3]}, "events", "Not a valid string."),
    ({"secret": "short"}, "secret", "the secret is 16 to 200 characters"),
    ({"secret": None}, "secret", "Field may not be null."),
    ({"estate_id": 987654}, "estate_id", "no estate with id 987654"),
    ({"estate_id": "1"}, "estate_id", "Not a valid integer."),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(session, gm, data, field, message):
    with pytest.raises(ValidationError) as err:
        services.create_endpoint(session, gm, {**GOOD, **data})
    assert err.value.field == field and message in err.value.message, err.value.message
    assert session.scalar(select(func.count(Endpoint.id))) == 0


def test_a_missing_secret_says_how_to_make_one(session, gm):
    with pytest.raises(ValidationError) as err:
        services.create_endpoint(session, gm, {"url": GOOD["url"], "events": "record.created"})
    assert err.value.field == "secret" and "secrets.token_hex(32)" in err.value.message


def test_changing_an_endpoint(session, gm, estate_a):
    endpoint = add_endpoint(session, gm, "https://erp.example.com/hooks", estate=estate_a)
    services.update_endpoint(session, gm, endpoint, {"active": False, "events": "billing.payment",
                                                     "secret": "a-new-secret-of-24-chars"})
    assert (endpoint.active, endpoint.events, endpoint.signing_secret) == (False, "billing.payment",
                                                                         "a-new-secret-of-24-chars")
    with pytest.raises(ValidationError) as err:
        services.update_endpoint(session, gm, endpoint, {"url": "mailto:ops@example.com"})
    assert err.value.field == "url" and endpoint.url == "https://erp.example.com/hooks"
    services.update_endpoint(session, gm, endpoint, {"estate_id": None})
    assert endpoint.estate_id is None


def test_estate_staff_see_and_manage_their_estates_endpoints_only(session, gm, manager_of, estate_a, estate_b):
    alice, bob = manager_of(estate_a), manager_of(estate_b)
    mine = add_endpoint(session, alice, "https://a.example.com/hooks", estate=estate_a)
    company = add_endpoint(session, gm, "https://erp.example.com/hooks")
    unit = session.scalar(select(Unit).where(Unit.estate_id == estate_a.id))
    unit.room_no = "A-1"
    session.add(Unit(estate_id=estate_a.id, building_id=unit.building_id, room_no="A-2"))
    session.flush()  # one delivery for each endpoint

    assert endpoints_for(session, alice) == [mine]
    assert endpoints_for(session, bob) == []
    assert endpoints_for(session, gm) == [mine, company]
    assert {d.endpoint_id for d in session.scalars(scoped_select(session, alice, Delivery))} == {mine.id}
    assert list(session.scalars(scoped_select(session, bob, Delivery))) == []
    assert {d.endpoint_id for d in session.scalars(scoped_select(session, gm, Delivery))} == {mine.id, company.id}

    with pytest.raises(PermissionDenied):
        add_endpoint(session, bob, "https://b.example.com/hooks", estate=estate_a)
    with pytest.raises(PermissionDenied) as err:
        add_endpoint(session, bob, "https://b.example.com/hooks")
    assert "only staff of every estate" in err.value.message and "estate_id" in err.value.message
    with pytest.raises(PermissionDenied):
        services.update_endpoint(session, bob, mine, {"active": False})
    with pytest.raises(PermissionDenied):
        services.update_endpoint(session, alice, mine, {"estate_id": estate_b.id})
    with pytest.raises(PermissionDenied):
        services.update_endpoint(session, alice, mine, {"estate_id": None})
    assert mine.active and mine.estate_id == estate_a.id


def test_staff_without_the_permission_cannot_add_one(session, make_actor, estate_a):
    guard = make_actor("guard", estates=[estate_a])
    with pytest.raises(PermissionDenied) as err:
        add_endpoint(session, guard, "https://a.example.com/hooks", estate=estate_a)
    assert "webhooks.manage" in err.value.message
    assert session.scalar(select(func.count(Endpoint.id))) == 0


def test_failed_deliveries_show_on_the_home_page(session, gm, estate_a, make_actor):
    endpoint = add_endpoint(session, gm, "https://erp.example.com/hooks", estate=estate_a)
    assert dashboard_cards(gm) == []
    session.add(Delivery(uid="u-1", endpoint_id=endpoint.id, event="record.created", record_type="core_units",
                         record_id="1", estate_id=estate_a.id, payload={}, status="failed"))
    session.flush()
    (card,) = dashboard_cards(gm)
    assert (card.value, card.level, card.title_zh) == (1, "danger", "推送失败")
    assert dashboard_cards(make_actor("guard", estates=[estate_a])) == []
