"""Long-term agreements (委托服务单), the services logged under them, and the subscriber list."""

from __future__ import annotations

import datetime as dt

import pytest

from core import Conflict, ValidationError
from plugins.convenience import services
from plugins.convenience.models import BillingMode, Channel

from .steps import publish


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
