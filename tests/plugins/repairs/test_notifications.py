"""Engineering is told when an order is dispatched; the owner is asked to test and sign when it is done."""

from __future__ import annotations

from sqlalchemy import select

from core.models.notification import Notification
from plugins.repairs import services


def sent(session, event: str) -> list[Notification]:
    return list(session.scalars(select(Notification).where(Notification.event == event).order_by(Notification.id)))


def test_dispatch_tells_the_technician_and_completion_tells_the_owner(rp):
    o = rp.order()
    services.assign_technician(rp.session, rp.sup, o, rp.t1)
    services.transition(rp.session, rp.clerk, o, "dispatch")
    [msg] = sent(rp.session, "repairs.order_dispatched")
    assert (msg.staff_id, msg.channel) == (rp.t1.id, "inapp") and o.number in msg.subject
    services.transition(rp.session, rp.t1, o, "accept")
    services.transition(rp.session, rp.t1, o, "arrive")
    services.transition(rp.session, rp.t1, o, "start")
    rp.photo(o)
    services.transition(rp.session, rp.t1, o, "complete")
    [msg] = sent(rp.session, "repairs.order_completed")
    assert (msg.party_id, msg.channel, msg.address) == (rp.owner.id, "sms", "13900000001")
    assert "王先生" in msg.body and o.number in msg.body


def test_without_anyone_assigned_the_engineering_supervisors_are_told(rp):
    o = rp.order(category_id=None)
    services.transition(rp.session, rp.clerk, o, "dispatch")
    assert [m.staff_id for m in sent(rp.session, "repairs.order_dispatched")] == [rp.sup.id]
