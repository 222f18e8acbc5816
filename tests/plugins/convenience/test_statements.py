"""Monthly billing (记账月结): statements built per customer and month and posted to billing once."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core import Conflict, PermissionDenied, ValidationError, estate_today
from plugins.billing import services as billing
from plugins.convenience import services
from plugins.convenience.models import BillingMode, ConvenienceStatement, OrderStatus

from .steps import book, deliver_and_confirm


def _this_month(ns) -> str:
    return estate_today(ns.session, ns.estate).strftime("%Y-%m")


def _agreement(ns, code="P-PLANT", unit_index=0, start=None):
    return services.create_agreement(ns.session, ns.cs, {
        "unit_id": ns.units[unit_index].id, "customer_id": ns.owners[unit_index].id, "item_id": ns.items[code].id,
        "frequency": "weekly", "start_on": (start or dt.date(2024, 1, 1)).isoformat(), "signed_by_name": "业主签名"})


def test_monthly_mode_end_to_end(published):
    s, ns = published.session, published
    period = _this_month(ns)
    a = deliver_and_confirm(ns, book(ns, "P-DRAIN", mode="monthly"))
    b = deliver_and_confirm(ns, book(ns, "P-CLEAN", quantity="2", mode="monthly"))
    per_job = deliver_and_confirm(ns, book(ns, "P-DRAIN"))  # billed on its own, not on the statement
    agreement = _agreement(ns)
    for order in (a, b):
        services.charge(s, ns.cashier, order)  # monthly: nothing posted per order
        assert order.billing_mode == BillingMode.monthly and order.status == OrderStatus.charged
        assert billing.charges_for(s, source=order.source) == []
        assert not services.order_paid(s, order)
    statement = services.build_statement(s, ns.cashier, unit=ns.units[0], customer=ns.owners[0], period=period)
    assert {line.order_id for line in statement.lines if line.order_id} == {a.id, b.id}
    assert per_job.id not in {line.order_id for line in statement.lines}
    assert [line.agreement_id for line in statement.lines if line.agreement_id] == [agreement.id]
    assert statement.total_fen == 5000 + 7100 + 8000
    assert services.statement_outstanding_fen(s, statement) == 20100
    services.post_statement(s, ns.cashier, statement)
    lines = billing.charges_for(s, source=f"convenience:statement:{statement.id}")
    assert [(line.amount_fen, line.period, line.fee_item.code) for line in lines] == [(20100, period, "CONV_SERVICE")]
    assert billing.outstanding_fen(s, source=statement.source) == 20100
    assert not services.order_paid(s, a)
    billing.record_payment(s, ns.cashier, unit=ns.units[0], amount_fen=20100, method="transfer", lines=[lines[0].id])
    assert services.statement_outstanding_fen(s, statement) == 0
    assert services.order_paid(s, a) and services.order_paid(s, b)


def test_posting_twice_is_refused_and_changes_nothing(published):
    s, ns = published.session, published
    order = deliver_and_confirm(ns, book(ns, "P-DRAIN", mode="monthly"))
    statement = services.build_statement(s, ns.cashier, unit=ns.units[0], customer=ns.owners[0],
                                         period=_this_month(ns))
    services.post_statement(s, ns.cashier, statement)
    posted_at, total = statement.posted_at, statement.total_fen
    before = [(line.id, line.amount_fen) for line in billing.charges_for(s, source=statement.source)]
    with pytest.raises(Conflict, match="already posted"):
        services.post_statement(s, ns.cashier, statement)
    with pytest.raises(Conflict):  # nor can it be rebuilt
        services.build_statement(s, ns.cashier, unit=ns.units[0], customer=ns.owners[0], period=_this_month(ns))
    s.expire_all()
    assert [(line.id, line.amount_fen) for line in billing.charges_for(s, source=statement.source)] == before
    assert (statement.posted_at, statement.total_fen) == (posted_at, total)
    assert s.scalar(select(func.count(ConvenienceStatement.id))) == 1
    assert billing.outstanding_fen(s, source=order.source) == 0  # the order itself carries no charge


def test_unconfirmed_services_block_posting(published):
    s, ns = published.session, published
    order = book(ns, "P-DRAIN", mode="monthly")
    services.dispatch(s, ns.sup, order, staff_id=ns.staff.id)
    services.deliver(s, ns.staff, order)
    statement = services.build_statement(s, ns.cashier, unit=ns.units[0], customer=ns.owners[0],
                                         period=_this_month(ns))
    with pytest.raises(Conflict, match=order.number):
        services.post_statement(s, ns.cashier, statement)
    assert statement.posted_at is None and billing.charges_for(s, source=statement.source) == []
    services.confirm(s, ns.staff, order, confirmed_by="业主0")
    services.post_statement(s, ns.cashier, statement)
    assert billing.outstanding_fen(s, source=statement.source) == 5000


def test_rebuilding_a_draft_picks_up_new_services_once(published):
    s, ns = published.session, published
    period = _this_month(ns)
    deliver_and_confirm(ns, book(ns, "P-DRAIN", mode="monthly"))
    first = services.build_statement(s, ns.cashier, unit=ns.units[0], customer=ns.owners[0], period=period)
    deliver_and_confirm(ns, book(ns, "P-DRAIN", mode="monthly"))
    again = services.build_statement(s, ns.cashier, unit=ns.units[0], customer=ns.owners[0], period=period)
    assert again.id == first.id and again.total_fen == 10000 and len(again.lines) == 2


def test_build_statements_for_the_estate(published):
    s, ns = published.session, published
    deliver_and_confirm(ns, book(ns, "P-DRAIN", 0, mode="monthly"))
    deliver_and_confirm(ns, book(ns, "P-DRAIN", 1, mode="monthly"))
    _agreement(ns, unit_index=2)
    built = services.build_statements(s, ns.cashier, ns.estate, _this_month(ns))
    assert sorted((st.unit_id, st.total_fen) for st in built) == sorted(
        [(ns.units[0].id, 5000), (ns.units[1].id, 5000), (ns.units[2].id, 8000)])
    for st in built:
        services.post_statement(s, ns.cashier, st)
    assert services.build_statements(s, ns.cashier, ns.estate, _this_month(ns)) == []


def test_statement_input_checks(published):
    s, ns = published.session, published
    with pytest.raises(ValidationError) as err:
        services.build_statement(s, ns.cashier, unit=ns.units[0], customer=ns.owners[0], period="2026-13")
    assert err.value.field == "period"
    with pytest.raises(ValidationError, match="nothing to bill"):
        services.build_statement(s, ns.cashier, unit=ns.units[0], customer=ns.owners[0], period="2020-01")
    with pytest.raises(PermissionDenied):
        services.build_statement(s, ns.staff, unit=ns.units[0], customer=ns.owners[0], period=_this_month(ns))


def test_agreement_month_outside_its_dates_is_not_billed(published):
    s, ns = published.session, published
    _agreement(ns, start=dt.date(2099, 1, 1))
    with pytest.raises(ValidationError, match="nothing to bill"):
        services.build_statement(s, ns.cashier, unit=ns.units[0], customer=ns.owners[0], period=_this_month(ns))
