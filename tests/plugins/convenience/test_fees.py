"""The billing fee items convenience charges are posted under."""

from __future__ import annotations

from plugins.billing import services as billing
from plugins.convenience.fees import PREPAY_FEE, SERVICE_FEE, fee_items


def test_fee_items_are_fixed_one_off_convenience_fees():
    assert [(f.code, f.basis, f.cycle, f.category) for f in fee_items()] == [
        (SERVICE_FEE, "fixed", "one_off", "convenience"), (PREPAY_FEE, "fixed", "one_off", "convenience")]


def test_fee_items_are_seeded_into_billing(seeded):
    item = billing.get_fee_item(seeded, "CONV_SERVICE")
    assert item.active and item.category == "convenience"
    assert billing.get_fee_item(seeded, "CONV_PREPAY").active
