"""Staff entry points of the screens and the API: the permission first, then the record must be one the
actor may see (another estate's is NotFound, naming the input field)."""

from __future__ import annotations

import datetime as dt

import pytest

from core import ConfirmationRequired, NotFound, PermissionDenied
from plugins.billing import actions
from plugins.billing.fees import get_fee_item

from .helpers import item, make_estate, staff


def test_payment_checks_permission_and_estate(bt):
    other, _ = make_estate(bt.session, "OT", buildings=1)
    outsider = staff(bt.session, "cash_ot", "cashier", estates=[other])
    data = {"unit_id": bt.units["101"].id, "amount_fen": 1000, "method": "cash"}
    with pytest.raises(PermissionDenied):
        actions.post_payment(bt.session, bt.specialist, data)
    with pytest.raises(NotFound) as err:
        actions.post_payment(bt.session, outsider, data)
    assert err.value.field == "unit_id"
    with pytest.raises(ConfirmationRequired):  # nothing is owed: all of it would go to prepaid
        actions.post_payment(bt.session, bt.cashier, data)
    assert actions.post_payment(bt.session, bt.cashier, {**data, "confirm": True}).to_prepaid_fen == 1000


def test_prices_only_for_items_the_office_sees(bt):
    s = bt.session
    other, _ = make_estate(s, "OP", buildings=1)
    manager = staff(s, "mgr_op", "office_manager", estates=[other])
    theirs = item(s, bt.estate, "bt_only")  # estate BT's own item: not for the other office
    data = {"price_cfen": 26000, "effective_from": dt.date(2026, 1, 1), "estate_id": other.id}
    with pytest.raises(NotFound) as err:
        actions.create_price(s, manager, {**data, "fee_item_id": theirs.id})
    assert err.value.field == "fee_item_id"
    company = get_fee_item(s, "property_service")  # company-wide: every office may price it
    price = actions.create_price(s, manager, {**data, "fee_item_id": company.id})
    assert (price.price_cfen, price.estate_id) == (26000, other.id)
