"""The statement (费用明细) of a unit: opening balance, lines, payments, closing balance; XLSX export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.errors import ValidationError
from plugins.billing import services as billing

from .helpers import charge, item

D = dt.date


@pytest.fixture
def history(bt):
    s, unit = bt.session, bt.units["101"]
    item(s, bt.estate, "svc", price="0", basis="fixed", category="other", cycle="one_off")
    charge(s, unit, "svc", 23500, due=D(2026, 8, 15), posted=D(2026, 8, 1), period="2026-08")
    charge(s, unit, "svc", 23500, due=D(2026, 9, 15), posted=D(2026, 9, 1), period="2026-09")
    billing.record_payment(s, bt.cashier, unit=unit, amount_fen=23500, method="cash", paid_on=D(2026, 8, 20))
    charge(s, unit, "svc", 23500, due=D(2026, 10, 15), posted=D(2026, 10, 1), period="2026-10")
    billing.record_payment(
        s, bt.cashier, unit=unit, amount_fen=50000, method="wechat", paid_on=D(2026, 10, 8)
    )
    charge(s, unit, "svc", 23500, due=D(2026, 11, 15), posted=D(2026, 11, 1), period="2026-11")
    billing.apply_prepaid(s, unit, paid_on=D(2026, 11, 1))  # moves no money: not on the statement
    bt.unit = unit
    return bt


def test_statement_balances(history):
    st = billing.statement(history.session, history.unit, D(2026, 9, 1), D(2026, 10, 31))
    assert st["opening_balance_fen"] == 23500 - 23500  # August billed and paid
    assert [r["amount_fen"] for r in st["lines"]] == [23500, 23500]
    assert [r["amount_fen"] for r in st["payments"]] == [50000]
    assert st["closing_balance_fen"] == 47000 - 50000 == -3000  # 30.00 yuan in credit
    assert [e["balance_fen"] for e in st["entries"]] == [23500, 47000, -3000]
    later = billing.statement(history.session, history.unit, D(2026, 11, 1), D(2026, 11, 30))
    assert later["opening_balance_fen"] == -3000 and later["closing_balance_fen"] == 20500
    assert later["payments"] == []


def test_statement_refuses_a_reversed_range(history):
    with pytest.raises(ValidationError):
        billing.statement(history.session, history.unit, D(2026, 11, 1), D(2026, 10, 1))


def test_statement_xlsx(history):
    data = billing.statement_xlsx(history.session, history.unit, D(2026, 8, 1), D(2026, 11, 30))
    assert data[:2] == b"PK"
    ws = load_workbook(io.BytesIO(data)).active
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    assert cells[0][0].startswith("费用明细表") and "1-101" in cells[0][0]
    assert cells[1][1] == 0
    closing = next(row for row in cells if row[0] and str(row[0]).startswith("期末余额"))
    assert Decimal(str(closing[1])) == Decimal("205.00")  # 4 × 235.00 − 735.00 (prepaid use moves no money)
