"""``wuye_demo_data``: repair categories and orders in every stage, one completed with its photo and closed."""

from __future__ import annotations

from sqlalchemy import select

from core import list_attachments
from plugins.repairs.demo import build_demo
from plugins.repairs.models import RepairOrder


def test_demo_data(session, seeded, make_estate, make_actor):
    estate = make_estate("RDM", units=5)
    make_actor("technician", estates=[estate])
    assert build_demo(session, estate) == {"categories": 4, "orders": 5}
    orders = list(session.scalars(select(RepairOrder).where(RepairOrder.estate_id == estate.id)
                                  .order_by(RepairOrder.id)))
    assert [o.status for o in orders] == ["received", "dispatched", "accepted", "waiting_parts", "closed"]
    assert [a.kind for a in list_attachments(session, orders[-1])] == ["photo"]
