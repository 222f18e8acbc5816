"""What the repairs plugin tells people (hook ``wuye_notification_events``): engineering when an order
is dispatched (002 Art.9: notify engineering to collect the work order), and the reporter when the
work is completed and waits for his test and signature (Art.16)."""

from __future__ import annotations

from core import Audience, NotificationEvent, current_assignment, send_notification

DISPATCHED = NotificationEvent(
    "repairs.order_dispatched", "Repair order dispatched", "报修派工通知",
    templates={"zh_CN": ("派工：{{ number }}", "{{ place }} 报修：{{ description }}。请在 10 分钟内到场（报价单 15 分钟内评估）。"),
               "en": ("Work order {{ number }}", "{{ place }}: {{ description }}. Be on site within 10 minutes "
                      "(assess items outside the price list within 15 minutes).")},
    channels=("inapp",))
COMPLETED = NotificationEvent(
    "repairs.order_completed", "Repair completed", "维修完工通知",
    templates={"zh_CN": ("维修已完工", "尊敬的{{ recipient }}：您的报修 {{ number }}（{{ description }}）已完工，请验收签字。"),
               "en": ("Repair completed", "Dear {{ recipient }}, your repair {{ number }} ({{ description }}) is "
                      "done; please test it and sign the work order.")},
    channels=("sms",))
EVENTS = (DISPATCHED, COMPLETED)


def _context(order) -> dict:
    place = order.unit.label if order.unit is not None else order.location
    return {"number": order.number, "description": order.description[:60], "place": place}


def notify_dispatched(session, order, actor, **data):
    """Effect of ``dispatch``: the technician holding the order, else the estate's engineering supervisors."""
    held = current_assignment(session, order)
    if held is not None and held.assignee_id is not None:
        audience = Audience(staff_ids=(held.assignee_id,))
    elif held is not None and held.team_id is not None:
        audience = Audience(staff_ids=tuple(m.staff_id for m in held.team.members if m.active))
    else:
        audience = Audience(roles=("engineering_supervisor",), estate_id=order.estate_id)
    send_notification(session, DISPATCHED.name, audience, context=_context(order), record=order, actor=actor)


def notify_completed(session, order, actor, **data):
    """Effect of ``complete``: the reporter (on file, else at the phone he left) is asked to test and sign."""
    if order.reporter_party_id is not None:
        audience = Audience(party_ids=(order.reporter_party_id,))
    elif order.reporter_phone:
        audience = Audience(phones=(order.reporter_phone,))
    else:
        return
    send_notification(session, COMPLETED.name, audience, context=_context(order), record=order, actor=actor)
