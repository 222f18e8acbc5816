"""Late fees (滞纳金) accrue per day on each day's open balance, at the fee item's own rate, capped at
the arrears and paused while the unit's dunning case is disputed (issue 16 part 4). Hand-computed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core import ValidationError
from plugins.billing import services as billing
from plugins.billing.arrears import daily_late_fee_fen
from plugins.billing.dunning import open_case, record_dunning_action, set_case_status

from .helpers import charge, item, lines_of

D = dt.date


@pytest.fixture
def owed(bt):
    """1000.00 due 2026-10-05 on 101, late fee 3‰ a day set on the fee item (the config says 0)."""
    s = bt.session
    item(s, bt.estate, "svc", price="0", basis="fixed", category="other", cycle="one_off",
         late_fee_daily_permille="3")
    bt.line = charge(s, bt.units["101"], "svc", 100000, due=D(2026, 10, 5), posted=D(2026, 10, 1))
    return bt


def pay(bt, fen, on):
    return billing.record_payment(bt.session, bt.cashier, unit=bt.units["101"], amount_fen=fen, method="cash",
                                  lines=[bt.line.id], paid_on=on)


def test_the_issues_example_accrues_on_each_days_balance(owed):
    """900.00 of 1000.00 paid on October 25th.

    Overdue from 10-06 to 10-31 (26 days). 10-06..10-24: 19 days × 1000.00 = 19000.00 yuan-days;
    10-25..10-31: 7 days × 100.00 = 700.00 yuan-days; 19700.00 × 3‰ = 59.10 yuan = 5910 fen.
    (The old month-end rule gave 100.00 × 3‰ × 26 days = 7.80.)
    """
    pay(owed, 90000, D(2026, 10, 25))
    result = billing.assess_late_fees(owed.session, owed.estate, "2026-10", "0")
    assert result == {"lines": 1, "amount_fen": 5910}
    [fee] = lines_of(owed.session, owed.units["101"], origin="late_fee")
    assert (fee.amount_fen, fee.due_on, fee.payer) == (5910, D(2026, 10, 31), "owner")


def test_a_line_paid_in_full_late_still_owes_the_days_it_was_open(owed):
    """Paid in full on 10-25: 19 days (10-06..10-24) × 1000.00 × 3‰ = 57.00 (the old rule: nothing)."""
    pay(owed, 100000, D(2026, 10, 25))
    assert billing.assess_late_fees(owed.session, owed.estate, "2026-10", "0")["amount_fen"] == 5700
    # November: nothing was open any more
    assert billing.assess_late_fees(owed.session, owed.estate, "2026-11", "0")["lines"] == 0


def test_a_dispute_pauses_the_late_fee(owed):
    """Disputed on 10-11, back to open on 10-21: days 10-11..10-20 (10 days) accrue nothing.

    10-06..10-10: 5 days × 1000.00; 10-21..10-24: 4 days × 1000.00; 10-25..10-31: 7 days × 100.00
    = 9700.00 yuan-days × 3‰ = 29.10 yuan = 2910 fen.
    """
    s = owed.session
    pay(owed, 90000, D(2026, 10, 25))
    case = open_case(s, owed.units["101"], on=D(2026, 10, 8))
    record_dunning_action(s, owed.specialist, case, kind="phone", done_on=D(2026, 10, 11),
                          dispute_reason="未签书面服务合同")
    assert (case.status, case.disputed_on) == ("disputed", D(2026, 10, 11))
    with pytest.raises(ValidationError) as err:
        set_case_status(s, owed.specialist, case, "open", on=D(2026, 10, 1))  # before the dispute began
    assert err.value.field == "on" and case.dispute_resolved_on is None
    set_case_status(s, owed.specialist, case, "open", on=D(2026, 10, 21))
    assert case.dispute_resolved_on == D(2026, 10, 21)
    assert billing.assess_late_fees(s, owed.estate, "2026-10", "0")["amount_fen"] == 2910


def test_a_dispute_still_open_pauses_to_the_periods_end(owed):
    """Disputed from 10-16, never resolved: only 10-06..10-15 accrue: 10 × 1000.00 × 3‰ = 30.00."""
    s = owed.session
    case = open_case(s, owed.units["101"], on=D(2026, 10, 8))
    set_case_status(s, owed.specialist, case, "disputed", on=D(2026, 10, 16))
    assert billing.assess_late_fees(s, owed.estate, "2026-10", "0")["amount_fen"] == 3000
    assert billing.assess_late_fees(s, owed.estate, "2026-11", "0")["lines"] == 0  # November all paused


def test_the_config_rate_applies_when_the_item_has_none(bt):
    """No rate on the item, 0.5‰ in the config: 200.00 overdue 10-16..10-31 (16 days) = 1.60."""
    s = bt.session
    item(s, bt.estate, "plain", price="0", basis="fixed", category="other", cycle="one_off")
    charge(s, bt.units["102"], "plain", 20000, due=D(2026, 10, 15), posted=D(2026, 10, 1))
    assert billing.assess_late_fees(s, bt.estate, "2026-10", Decimal("0.5"))["amount_fen"] == 160
    assert billing.assess_late_fees(s, bt.estate, "2026-11", "0")["lines"] == 0  # no rate at all: nothing


def test_late_fees_never_exceed_the_line(owed):
    """At 3‰ a day 1000.00 accrues 3.00 a day: 26 + 30 + ... days; the total stops at 1000.00."""
    s = owed.session
    periods = [f"{y}-{m:02d}" for y, m in [(2026, 10), (2026, 11), (2026, 12)] + [(2027, m) for m in range(1, 13)]]
    for period in periods:
        billing.assess_late_fees(s, owed.estate, period, "0")
    fees = [line.amount_fen for line in lines_of(s, owed.units["101"], origin="late_fee")]
    # Oct 26 days = 78.00, Nov 30 = 90.00, Dec 31 = 93.00, Jan 93.00, Feb 84.00, Mar 93.00, Apr 90.00,
    # May 93.00, Jun 90.00, Jul 93.00 (sum 897.00), Aug would be 93.00 but only 103.00 is left: 93.00, Sep 10.00
    assert fees[:3] == [7800, 9000, 9300]
    assert sum(fees) == 100000 and fees[-1] == 1000


def test_daily_arithmetic_rounds_once():
    # 333 fen for 3 days at 0.5‰: 999 fen-days × 0.0005 = 0.4995 fen -> 0; 4 days: 0.666 -> 1
    assert daily_late_fee_fen(333, [], "0.5", D(2026, 1, 1), D(2026, 1, 3)) == 0
    assert daily_late_fee_fen(333, [], "0.5", D(2026, 1, 1), D(2026, 1, 4)) == 1
    # a payment on the first day stops the accrual that same day
    assert daily_late_fee_fen(10000, [(D(2026, 1, 1), 10000)], "10", D(2026, 1, 1), D(2026, 1, 31)) == 0


def test_a_bad_item_rate_is_refused(bt):
    with pytest.raises(ValidationError) as err:
        item(bt.session, bt.estate, "bad", price="0", basis="fixed", category="other", cycle="one_off",
             late_fee_daily_permille="0.0005")
    assert err.value.field == "late_fee_daily_permille"


def test_a_case_closed_while_disputed_ends_the_pause_when_it_closed(owed):
    """Disputed 10-11, the case closed on 10-21 without resolving: the pause is 10-11..10-20, as in
    test_a_dispute_pauses_the_late_fee: 5 + 4 days × 1000.00 + 7 days × 100.00 = 9700.00 × 3‰ = 29.10."""
    s = owed.session
    pay(owed, 90000, D(2026, 10, 25))
    case = open_case(s, owed.units["101"], on=D(2026, 10, 8))
    set_case_status(s, owed.specialist, case, "disputed", on=D(2026, 10, 11))
    case.status, case.closed_on = "closed", D(2026, 10, 21)
    s.flush()
    assert billing.assess_late_fees(s, owed.estate, "2026-10", "0")["amount_fen"] == 2910
