"""Billing's API resources under /api/v1/billing/...: the same schemas and services as the screens."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from core import ApiResourceSpec
from core.models import StaffUser
from plugins.billing.api import api_resources
from plugins.billing.models import DepositEntry, FeeItem, Payment


def test_api_resources():
    resources = api_resources()
    specs = [r for r in resources if isinstance(r, ApiResourceSpec)]
    blueprints = {r.name for r in resources if not isinstance(r, ApiResourceSpec)}
    assert blueprints == {"billing_cashier_api", "billing_zones_api", "billing_meters_api", "billing_deposit_desk_api"}
    paths = {r.path: r for r in specs}
    assert paths["billing/charge-lines"].can_create is False
    assert paths["billing/payments"].create_service is not None


@pytest.fixture
def finance(api_client, make_estate, make_actor, session):
    """(client of a finance staff member of an estate, a unit of it)."""
    from core.models import Unit

    estate = make_estate("BIG", units=1)
    make_actor("finance_dept", estates=[estate])
    user = session.scalars(select(StaffUser).where(StaffUser.username.like("%finance_dept"))).one()
    unit = session.scalars(select(Unit).where(Unit.estate_id == estate.id)).one()
    session.flush()
    return api_client(user.username), unit.id


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("path,extra", [("payments", {"method": "cash"}),
                                        ("deposits", {"source": "api:big", "method": "cash"})])
@pytest.mark.parametrize("amount,words", [
    ("1" + "0" * 40, "at most"), (10**30, "at most"), ("1000000000.00", "at most"),
    ("1e400", "at most"), ("NaN", "not a number"), ("12.345", "two decimals"), (-5, "negative"),
])
def test_huge_or_bad_amounts_are_422_with_a_clear_message(finance, session, path, extra, amount, words):
    """Huge amounts used to end in decimal.InvalidOperation (a 500); now a bounded range names the field."""
    client, unit = finance
    before = (_count(session, Payment), _count(session, DepositEntry))
    r = client.post(f"/api/v1/billing/{path}", json={"unit_id": unit, "amount": amount, **extra})
    assert r.status_code == 422, r.get_data(as_text=True)
    assert r.json["error"]["field"] == "amount" and words in r.json["error"]["message"]
    assert (_count(session, Payment), _count(session, DepositEntry)) == before


def test_the_largest_amount_is_taken(finance):
    client, unit = finance
    r = client.post("/api/v1/billing/payments", json={"unit_id": unit, "amount": "999999999.99", "method": "cash",
                                                      "confirm": True})
    assert r.status_code == 201, r.json
    assert r.json["amount_fen"] == 99999999999 and "amount" not in r.json  # fen, like every resource
    r = client.post("/api/v1/billing/deposits", json={"unit_id": unit, "amount": "999999999.99", "source": "api:max"})
    assert r.status_code == 201 and r.json["amount_fen"] == 99999999999  # a BIGINT column holds it
    r = client.post("/api/v1/billing/payments", json={"unit_id": unit, "amount_fen": 10**12, "method": "cash"})
    assert r.status_code == 422 and r.json["error"]["field"] == "amount_fen"


def test_seeded_fee_items_match_the_documented_code_pattern(app, seeded):
    """The API returns fee items (CONV_SERVICE, RENO_WASTE, water) that its own document must accept."""
    doc = app.test_client().get("/api/v1/openapi.json").json["components"]["schemas"]
    pattern = re.compile(doc["BillingFeeItemsCreate"]["properties"]["code"]["pattern"])
    codes = list(seeded.scalars(select(FeeItem.code)))
    assert {"CONV_SERVICE", "RENO_WASTE", "water"} <= set(codes)
    assert [c for c in codes if not pattern.match(c)] == []
    assert doc["BillingFeeItems"]["properties"]["code"]["pattern"] == pattern.pattern


def test_decimal_and_nullable_fields_are_documented_as_returned(app):
    doc = app.test_client().get("/api/v1/openapi.json").json["components"]["schemas"]
    assert "amount" not in doc["BillingPayments"]["properties"]  # no yuan strings are returned
    assert doc["BillingPayments"]["properties"]["amount_fen"]["type"] == "integer"
    assert doc["BillingDeposits"]["properties"]["amount_fen"]["type"] == "integer"
    assert doc["BillingChargeLines"]["properties"]["open_fen"]["type"] == "integer"
    assert doc["BillingPayments"]["properties"]["receipt_no"]["nullable"] is True
    assert doc["BillingChargeLines"]["properties"]["period"]["nullable"] is True
    assert doc["BillingPaymentsCreate"]["properties"]["amount_fen"]["type"] == "integer"
