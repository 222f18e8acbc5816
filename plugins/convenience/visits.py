"""Return visits (回访) of convenience orders: the ``return_visits`` plugin reads orders the customer
confirmed through ``wuye_return_visit_sources`` (an optional hook: it exists only when that plugin is
enabled). An unsatisfied visit is followed up by the supervisor there; an order is not reopened."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from plugins.convenience.models import ConvenienceOrder, OrderStatus

SOURCE = "convenience.order"


def closed_between(session: Session, since: dt.datetime, until: dt.datetime) -> list[dict]:
    """Orders the customer confirmed (service done and signed for) in ``[since, until)``, oldest first."""
    rows = session.scalars(select(ConvenienceOrder).options(
        selectinload(ConvenienceOrder.item), selectinload(ConvenienceOrder.customer)).where(
        ConvenienceOrder.status != OrderStatus.cancelled, ConvenienceOrder.confirmed_at.is_not(None),
        ConvenienceOrder.confirmed_at >= since, ConvenienceOrder.confirmed_at < until)
        .order_by(ConvenienceOrder.confirmed_at, ConvenienceOrder.id))
    return [{"record_id": o.id, "estate_id": o.estate_id, "unit_id": o.unit_id, "party_id": o.customer_id,
             "phone": (o.customer.phone or "") if o.customer else "", "closed_at": o.confirmed_at,
             "summary": f"{o.number} {o.item.name_zh or o.item.name}" if o.item else o.number,
             "handled_by_id": o.assigned_staff_id or o.delivered_by_id}
            for o in rows]


def sources() -> list[dict]:
    """What ``wuye_return_visit_sources`` returns for convenience orders."""
    return [{"source": SOURCE, "label": "Convenience orders", "label_zh": "便民服务", "record_table":
             ConvenienceOrder.__tablename__, "closed_between": closed_between}]
