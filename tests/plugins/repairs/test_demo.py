"""``wuye_demo_data``: repair categories and orders in every stage, one completed with its photo and closed,
and a paid lock change on the unit's bill as 维修费."""

from __future__ import annotations

from sqlalchemy import select

from core import list_attachments
from plugins.billing import services as billing
from plugins.repairs.demo import build_demo
from plugins.repairs.models import RepairOrder


def test_demo_data(session, seeded, make_estate, make_actor):
    estate = make_estate("RDM", units=6)
    make_actor("technician", estates=[estate])
    assert build_demo(session, estate) == {"categories": 5, "orders": 6}
    orders = list(session.scalars(select(RepairOrder).where(RepairOrder.estate_id == estate.id)
                                  .order_by(RepairOrder.id)))
    assert [o.status for o in orders] == ["received", "dispatched", "accepted", "waiting_parts", "closed", "confirmed"]
    assert [a.kind for a in list_attachments(session, orders[4])] == ["photo"]
    paid = orders[-1]
    [line] = billing.charges_for(session, source=paid.source)
    assert (line.amount_fen, line.unit_id, line.fee_item.category) == (6000, paid.unit_id, "repair")
