"""The profitability review (保本微利): revenue against cost per item, the loss flag and its home card."""

from __future__ import annotations

import pytest

from core import ValidationError, estate_today
from plugins.convenience import hooks, periods, services
from plugins.convenience.reports import dashboard_cards

from .steps import book, deliver_and_confirm


def this_month(ns) -> str:
    return estate_today(ns.session, ns.estate).strftime("%Y-%m")


def _sign(ns, code="P-PLANT", unit_index=0, **extra):
    return services.create_agreement(ns.session, ns.cs, {
        "unit_id": ns.units[unit_index].id, "customer_id": ns.owners[unit_index].id, "item_id": ns.items[code].id,
        "frequency": "monthly", "start_on": "2024-03-01", "signed_by_name": f"业主{unit_index}", **extra})


def test_profitability_and_loss_flag(published):
    s, ns = published.session, published
    period = this_month(ns)
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
    period = this_month(ns)
    monkeypatch.setattr(periods, "previous_month", lambda today: period)
    assert dashboard_cards(s, ns.manager) == []
    services.enter_cost(s, ns.manager, {"item_id": ns.items["P-DRAIN"].id,
                                        "period": period, "cost_fen": 100})
    cards = dashboard_cards(s, ns.manager)
    assert len(cards) == 1 and cards[0].level == "warning" and "P-DRAIN" in cards[0].value
    assert dashboard_cards(s, ns.staff) == []  # no convenience.reports


def test_dashboard_hook_finds_the_session_of_the_actor(published, monkeypatch):
    s, ns = published.session, published
    period = this_month(ns)
    monkeypatch.setattr(periods, "previous_month", lambda today: period)
    services.enter_cost(s, ns.manager, {"item_id": ns.items["P-PLANT"].id, "period": period, "cost_fen": 1})
    cards = hooks.wuye_dashboard_cards(actor=ns.gm)  # the general manager sees every estate
    assert [c.title_zh for c in cards] == ["便民服务亏损项目"] and "P-PLANT" in cards[0].value
