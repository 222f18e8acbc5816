"""Long-term agreements (委托服务单), the subscriber list, and the profitability review with its loss flag."""

from __future__ import annotations

import datetime as dt

import pytest

from core.db import utcnow
from core.errors import Conflict, ValidationError
from plugins.convenience import services
from plugins.convenience.common import period_of
from plugins.convenience.models import BillingMode, Channel
from plugins.convenience.reports import dashboard_cards

from .helpers import book, deliver_and_confirm, publish


def _sign(ns, code="P-PLANT", unit_index=0, **extra):
    return services.create_agreement(ns.session, ns.cs, {
        "unit_id": ns.units[unit_index].id, "customer_id": ns.owners[unit_index].id, "item_id": ns.items[code].id,
        "frequency": "monthly", "start_on": "2024-03-01", "signed_by_name": f"业主{unit_index}", **extra})


def test_agreement_keeps_its_price_and_feeds_the_subscriber_list(published):
    s, ns = published.session, published
    agreement = _sign(ns)
    _sign(ns, unit_index=1)
    assert agreement.number.startswith("CA-") and agreement.price_fen == 8000 and agreement.active
    with pytest.raises(Conflict):
        _sign(ns)  # the same customer, unit and item twice
    publish(ns, **{"P-PLANT": 9000})
    assert agreement.price_fen == 8000
    rows = services.subscriber_list(s, ns.cs, ns.estate)
    assert [(r["agreement"], r["customer"], r["item"]) for r in rows][:1] == [(agreement.number, "业主0", "P-PLANT")]
    assert len(rows) == 2 and rows[0]["phone"] == "138****0000"  # masked for a specialist
    assert services.subscriber_list(s, ns.manager, ns.estate)[0]["phone"] == "13800000000"
    assert services.subscriber_list(s, ns.cs, ns.estate, item=ns.items["P-DRAIN"]) == []


def test_stopping_needs_and_records_a_reason(published):
    s, ns = published.session, published
    agreement = _sign(ns)
    with pytest.raises(ValidationError) as err:
        services.stop_agreement(s, ns.cs, agreement, reason="")
    assert "reason" in err.value.errors and agreement.active
    services.stop_agreement(s, ns.cs, agreement, reason="业主出国一年", stopped_on="2025-06-30")
    assert (agreement.active, agreement.stop_reason, agreement.stopped_on) == (False, "业主出国一年",
                                                                               dt.date(2025, 6, 30))
    assert agreement.end_on == dt.date(2025, 6, 30) and agreement.stopped_by_id == ns.cs.id
    assert services.subscriber_list(s, ns.cs, ns.estate) == []
    with pytest.raises(Conflict):
        services.stop_agreement(s, ns.cs, agreement, reason="again")


def test_services_under_an_agreement_are_monthly_orders(published):
    s, ns = published.session, published
    cleaning = _sign(ns, "P-CLEAN", quantity="2")
    order = services.record_service(s, ns.cs, cleaning)
    assert (order.channel, order.billing_mode, order.agreement_id) == (Channel.agreement, BillingMode.monthly,
                                                                       cleaning.id)
    assert order.amount_fen == 7100
    monthly_fee = services.record_service(s, ns.cs, _sign(ns, "P-PLANT"))
    assert monthly_fee.amount_fen == 0  # covered by the monthly fee on the statement


def test_profitability_and_loss_flag(published):
    s, ns = published.session, published
    period = period_of(s, ns.estate.id, utcnow())
    for _ in range(2):
        services.charge(s, ns.cashier, deliver_and_confirm(ns, book(ns, "P-DRAIN")))
    book(ns, "P-LOCK")  # booked, not delivered: earns nothing yet
    cancelled = book(ns, "P-CLEAN")
    services.cancel(s, ns.cs, cancelled, "no")
    _sign(ns, "P-PLANT")
    _sign(ns, "P-PLANT", unit_index=1)
    services.post_statement(s, ns.cashier, services.build_statement(s, ns.cashier, unit=ns.units[0],
                                                                    customer=ns.owners[0], period=period))
    services.enter_cost(s, ns.manager, {"item_id": ns.items["P-DRAIN"].id, "period": period, "cost_fen": 4000})
    services.enter_cost(s, ns.manager, {"item_id": ns.items["P-PLANT"].id, "period": period, "cost_fen": 9000})
    services.enter_cost(s, ns.manager, {"item_id": ns.items["P-PLANT"].id, "period": period, "cost_fen": 12000,
                                        "note": "corrected"})  # a correction replaces the month's cost
    rows = {r["item"]: r for r in services.profitability(s, ns.manager, ns.estate, period)}
    assert (rows["P-DRAIN"]["revenue_fen"], rows["P-DRAIN"]["cost_fen"], rows["P-DRAIN"]["orders"]) == (10000, 4000, 2)
    assert not rows["P-DRAIN"]["loss"]
    plant = rows["P-PLANT"]
    assert (plant["revenue_fen"], plant["cost_fen"], plant["subscribers"], plant["loss"]) == (8000, 12000, 2, True)
    assert "P-CLEAN" not in rows and "P-LOCK" not in rows
    assert [r["item"] for r in services.loss_making_items(s, ns.manager, ns.estate, period)] == ["P-PLANT"]
    yearly = {r["item"]: r for r in services.profitability(s, ns.manager, ns.estate, period[:4])}
    assert yearly["P-PLANT"]["loss"] and yearly["P-DRAIN"]["revenue_fen"] == 10000


def test_cost_input_is_validated(published):
    s, ns = published.session, published
    with pytest.raises(ValidationError) as err:
        services.enter_cost(s, ns.manager, {"item_id": ns.items["P-DRAIN"].id, "period": "2026-3", "cost_fen": 1})
    assert "period" in err.value.errors
    with pytest.raises(ValidationError) as err:
        services.enter_cost(s, ns.manager, {"item_id": ns.items["P-DRAIN"].id, "period": "2026-03", "cost_fen": -1})
    assert "cost_fen" in err.value.errors


def test_dashboard_card_flags_last_months_losses(published, monkeypatch):
    s, ns = published.session, published
    from plugins.convenience import reports

    period = period_of(s, ns.estate.id, utcnow())
    monkeypatch.setattr(reports, "previous_month", lambda today: period)
    assert dashboard_cards(s, ns.manager) == []
    services.enter_cost(s, ns.manager, {"item_id": ns.items["P-DRAIN"].id,
                                        "period": period, "cost_fen": 100})
    cards = dashboard_cards(s, ns.manager)
    assert len(cards) == 1 and cards[0].level == "warning" and "P-DRAIN" in cards[0].value
    assert dashboard_cards(s, ns.staff) == []  # no convenience.reports


def test_dashboard_hook_finds_the_session_of_the_actor(published, monkeypatch):
    from plugins.convenience import hooks, reports

    s, ns = published.session, published
    period = period_of(s, ns.estate.id, utcnow())
    monkeypatch.setattr(reports, "previous_month", lambda today: period)
    services.enter_cost(s, ns.manager, {"item_id": ns.items["P-PLANT"].id, "period": period, "cost_fen": 1})
    cards = hooks.wuye_dashboard_cards(actor=ns.gm)  # the general manager sees every estate
    assert [c.title_zh for c in cards] == ["便民服务亏损项目"] and "P-PLANT" in cards[0].value
