"""Prepaid balances earmarked per fee category (预收款专款专用, issue 16 part 4): money prepaid for
property fees pays only property-fee lines; the general balance (surpluses, balances from before
earmarking) pays any line. Amounts worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from core import ValidationError
from plugins.billing import services as billing
from plugins.billing.models import Allocation
from plugins.billing.prepaid import apply_prepaid_all, balances, prepay

from .helpers import charge, item

D = dt.date


@pytest.fixture
def two_bills(bt):
    """101 owes 300.00 of property fee (due 10-15) and 50.00 of water (due 10-10)."""
    s = bt.session
    item(s, bt.estate, "pf", price="0", basis="fixed", category="property_service", cycle="one_off")
    item(s, bt.estate, "wtr", price="0", basis="fixed", category="water", cycle="one_off")
    bt.pf = charge(s, bt.units["101"], "pf", 30000, due=D(2026, 10, 15), posted=D(2026, 10, 1))
    bt.wtr = charge(s, bt.units["101"], "wtr", 5000, due=D(2026, 10, 10), posted=D(2026, 10, 1))
    return bt


def paid(s, line):
    s.expire(line)
    return sum(a.amount_fen for a in s.query(Allocation).filter(Allocation.charge_line_id == line.id))


def test_money_prepaid_for_property_fees_pays_only_property_fees(two_bills):
    s, unit = two_bills.session, two_bills.units["101"]
    payment = prepay(s, two_bills.cashier, unit=unit, amount_fen=100000, category="property_service",
                     method="cash", paid_on=D(2026, 9, 30))
    assert payment.receipt_no.startswith("RC-") and payment.to_prepaid_fen == 100000
    assert balances(s, unit) == {"property_service": 100000}
    billing.apply_prepaid(s, unit, paid_on=D(2026, 10, 1))
    # 300.00 of property fee paid from the 1000.00; the water line (older due date) untouched
    assert (paid(s, two_bills.pf), paid(s, two_bills.wtr)) == (30000, 0)
    assert balances(s, unit) == {"property_service": 70000}
    assert billing.prepaid_balance_fen(s, unit) == 70000
    assert billing.prepaid_balance_fen(s, unit, "water") == 0


def test_the_general_balance_pays_anything_after_the_earmarked_parts(two_bills):
    s, unit = two_bills.session, two_bills.units["101"]
    prepay(s, two_bills.cashier, unit=unit, amount_fen=10000, category="property_service", method="cash",
           paid_on=D(2026, 9, 30))
    # a 60.00 payment on no line: a surplus, general
    billing.record_payment(s, two_bills.cashier, unit=unit, amount_fen=6000, method="cash", lines=[],
                           paid_on=D(2026, 9, 30))
    assert balances(s, unit) == {"property_service": 10000, "": 6000}
    payments = apply_prepaid_all(s, unit, paid_on=D(2026, 10, 1))
    # property part: 100.00 to the property line; general: 60.00 oldest first: water 50.00, then 10.00 property
    assert [p.amount_fen for p in payments] == [10000, 6000]
    assert (paid(s, two_bills.pf), paid(s, two_bills.wtr)) == (10000 + 1000, 5000)
    assert balances(s, unit) == {}
    assert billing.prepaid_balance_fen(s, unit) == 0


def test_a_reversed_prepayment_takes_its_earmarked_money_back(two_bills):
    s, unit = two_bills.session, two_bills.units["101"]
    payment = prepay(s, two_bills.cashier, unit=unit, amount_fen=20000, category="water", method="cash",
                     paid_on=D(2026, 9, 30))
    billing.reverse_payment(s, two_bills.finance, payment, reason="收错房号")
    assert balances(s, unit) == {} and billing.prepaid_balance_fen(s, unit) == 0


def test_an_unknown_category_is_refused_and_nothing_is_written(two_bills):
    s, unit = two_bills.session, two_bills.units["101"]
    with pytest.raises(ValidationError) as err:
        prepay(s, two_bills.cashier, unit=unit, amount_fen=100, category="gas", method="cash")
    assert err.value.field == "category"
    assert billing.prepaid_balance_fen(s, unit) == 0


def test_prepaid_money_never_pays_the_developers_lines(bt):
    """202 is not delivered: its November line (90 m² × 2.35 = 211.50) is the developer's; a general
    balance of 100.00 on 202 stays where it is."""
    s, unit = bt.session, bt.units["202"]
    item(s, bt.estate, "pf", price="2.35")
    billing.record_payment(s, bt.cashier, unit=unit, amount_fen=10000, method="cash", lines=[],
                           paid_on=D(2026, 10, 30))
    from .helpers import run_billing

    run_billing(s, bt.estate, "2026-11")
    assert apply_prepaid_all(s, unit, paid_on=D(2026, 11, 1)) == []
    assert billing.prepaid_balance_fen(s, unit) == 10000
