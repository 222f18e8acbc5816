"""Keys on the workplace: loans overdue for return are the custodian's to-dos and the chart's numbers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from core import utcnow
from plugins.keys.dashboards import charts, home_cards, inbox_items, loans_out
from plugins.keys.models import KeyLoan


def test_overdue_loan_is_a_to_do_and_counted(session, estate, custodian, outsider, make_key, lend, staff,
                                             make_estate):
    on_time = lend(session, make_key(0))
    late = lend(session, make_key(1))
    session.execute(update(KeyLoan).where(KeyLoan.id == late.id)
                    .values(expected_return_at=utcnow() - dt.timedelta(hours=3)))
    session.expire_all()
    today = dt.date(2026, 11, 30)
    found = inbox_items(session, custodian, today)
    assert [(i.kind, i.overdue, i.url) for i in found] == [
        ("keys.overdue", True, f"/admin/keys_loans/details/?id={late.id}")]
    assert on_time.number not in found[0].label
    assert inbox_items(session, outsider, today) == []  # the guard does not take keys back
    elsewhere = staff("key_custodian", estates=[make_estate("KX", units=1)])
    assert inbox_items(session, elsewhere, today) == []
    assert loans_out(session, estate, utcnow()) == (2, 1)
    chart = next(c for c in charts(session, custodian, today) if c.id == "keys-out-and-overdue")
    assert chart.series[0][1] == (2, 1) and chart.estate_id == estate.id
    [card] = home_cards(custodian)
    assert card.value == 1 and card.url == "/admin/inbox/?kind=keys.overdue" and card.level == "danger"
    assert home_cards(outsider) == []
