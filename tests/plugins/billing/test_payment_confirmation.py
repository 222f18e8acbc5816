"""An overpayment goes to the prepaid balance (预存) only when the cashier confirms it, and the question
states the amounts; the payment form has one amount field (the API keeps both spellings)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core import ConfirmationRequired, Text
from plugins.billing import actions
from plugins.billing.models import Account, Payment
from plugins.billing.schemas import PaymentFormSchema, PaymentSchema

from .helpers import charge, item


def _payments(session) -> int:
    return session.scalar(select(func.count()).select_from(Payment))


@pytest.fixture
def owing(bt):
    """Unit 101 owes ¥500.00."""
    item(bt.session, bt.estate, "cf_fee")
    charge(bt.session, bt.units["101"], "cf_fee", 50000, due=dt.date(2026, 3, 15))
    return {"unit_id": bt.units["101"].id, "method": "cash"}


def test_an_overpayment_asks_for_confirmation_stating_the_amounts(bt, owing):
    with pytest.raises(ConfirmationRequired) as err:
        actions.post_payment(bt.session, bt.cashier, {**owing, "amount_fen": 80000})
    message = err.value.message
    assert isinstance(message, Text)
    assert "¥500.00 is owed on" in message.en and "¥300.00" in message.en
    assert "¥300.00" in message.zh and "预存" in message.zh
    assert err.value.field == "confirm"
    assert _payments(bt.session) == 0  # nothing recorded, nothing moved to prepaid
    assert not bt.session.scalar(select(Account.prepaid_fen).where(Account.unit_id == owing["unit_id"]))


def test_a_confirmed_overpayment_is_recorded_with_the_prepaid_amount(bt, owing):
    payment = actions.post_payment(bt.session, bt.cashier, {**owing, "amount_fen": 123450, "confirm": True})
    assert (payment.amount_fen, payment.to_prepaid_fen) == (123450, 73450)
    assert bt.session.scalar(select(Account.prepaid_fen).where(Account.unit_id == owing["unit_id"])) == 73450


def test_paying_what_is_owed_or_less_needs_no_confirmation(bt, owing):
    assert actions.post_payment(bt.session, bt.cashier, {**owing, "amount_fen": 20000}).to_prepaid_fen == 0
    assert actions.post_payment(bt.session, bt.cashier, {**owing, "amount_fen": 30000}).to_prepaid_fen == 0
    assert _payments(bt.session) == 2


def test_the_api_answers_409_until_the_payment_is_confirmed(api_client, make_estate, make_actor, session):
    from core.models import StaffUser, Unit

    estate = make_estate("CFA", units=1)
    make_actor("cashier", estates=[estate])
    user = session.scalars(select(StaffUser).where(StaffUser.username.like("%cashier"))).first()
    unit = session.scalars(select(Unit).where(Unit.estate_id == estate.id)).one()
    session.flush()
    client = api_client(user.username)
    body = {"unit_id": unit.id, "amount": "1,234.50", "method": "wechat"}
    r = client.post("/api/v1/billing/payments", json=body)
    assert r.status_code == 409, r.json
    assert r.json["error"]["code"] == "ConfirmationRequired"
    assert "Nothing is owed" in r.json["error"]["message"] and "¥1,234.50" in r.json["error"]["message"]
    assert _payments(session) == 0
    r = client.post("/api/v1/billing/payments", json={**body, "confirm": True})
    assert r.status_code == 201, r.json
    assert r.json["amount_fen"] == 123450 and r.json["to_prepaid_fen"] == 123450


def test_the_payment_form_has_one_amount_field():
    form = {n for n, f in PaymentFormSchema().fields.items() if not f.dump_only}
    assert {n for n in form if "amount" in n} == {"amount_fen"}
    assert PaymentFormSchema().fields["amount_fen"].required
    assert PaymentFormSchema().load({"unit_id": 1, "method": "cash", "amount_fen": 1000})["amount_fen"] == 1000
    # the API's schema still takes the amount in yuan, as people write it
    assert PaymentSchema().load({"unit_id": 1, "method": "cash", "amount": "¥1,234.50"})["amount_fen"] == 123450
