"""The technician's side of a repair order: dispatch through the estate's DispatchRule, who may act
on an order, the completion photo, time stamps and rework. Guards return ``None`` or a bilingual
message saying what is missing and how to fix it; effects run after the engine set the new state."""

from __future__ import annotations

from core import (
    Text,
    attributed,
    authorize,
    current_assignment,
    dispatch,
    grab,
    has_permission,
    list_attachments,
    utcnow,
)
from core import assign as core_assign
from plugins.repairs.models import RepairOrder


def dispatch_category(order: RepairOrder) -> str:
    """The DispatchRule category of an order: ``repairs.<category code>`` (``repairs.general`` without one)."""
    return f"repairs.{order.category.code if order.category else 'general'}"


def dispatch_order(session, order, actor, **data):
    """Effect of ``dispatch``: apply the estate's DispatchRule unless someone already holds the order
    (assigned by hand); without a rule the engineering supervisor assigns it."""
    if current_assignment(session, order) is None:
        dispatch(session, order, dispatch_category(order), actor)


@attributed
def assign_technician(session, actor, order: RepairOrder, technician, reason: str = ""):
    """Assign (or reassign, with a ``reason``) the order to a technician by hand (主管派工)."""
    authorize(session, actor, "repairs.dispatch", order)
    return core_assign(session, order, assignee=technician, actor=actor, reason=reason)


@attributed
def grab_order(session, actor, order: RepairOrder):
    """A technician of the offered team takes the order (抢单)."""
    authorize(session, actor, "repairs.work", order)
    return grab(session, order, actor)


def guard_holder(session, order, actor, **data):
    """Guard of the technician's steps: only the technician holding the order (or a supervisor)."""
    if actor is None or has_permission(session, actor, "repairs.supervise"):
        return None
    held = current_assignment(session, order)
    if held is None or held.assignee_id is None:
        return Text(f"{order.number} is not assigned to anyone yet; grab it or ask the supervisor to assign it",
                    f"{order.number} 尚未派给维修人员，请先抢单或请主管派工")
    if held.assignee_id != actor.id:
        return Text(f"{order.number} is assigned to {held.assignee}; only he (or a supervisor) may do this",
                    f"{order.number} 已派给 {held.assignee}，只有本人（或主管）可以操作")
    return None


def guard_photo(session, order, actor, **data):
    """Guard of ``complete``: a photo of the finished work is attached (完工照片)."""
    if not any(a.kind == "photo" for a in list_attachments(session, order)):
        return Text(f"attach a photo of the finished work to {order.number} (kind photo) before completing it",
                    f"请先为 {order.number} 上传完工照片（类别：照片）再完工")
    return None


def stamp(field: str):
    """Effect: set ``field`` to now."""

    def effect(session, record, actor, **data):
        setattr(record, field, utcnow())

    effect.__name__ = f"stamp_{field}"
    return effect


def store_diagnosis(session, order, actor, diagnosis: str = "", **data):
    """Effect of ``complete``: keep what was found and done."""
    if diagnosis:
        order.diagnosis = diagnosis


def accept_quote(session, order, actor, **data):
    """Effect of ``accept_quote``: the owner accepted the quoted price."""
    order.quote_accepted_at = utcnow()


def mark_satisfied(session, order, actor, satisfaction: str = "satisfied", **data):
    """Effect of ``confirm``: the owner tested the work, signed and was satisfied."""
    order.confirmed_at = utcnow()
    order.satisfaction = satisfaction


def mark_rework(session, order, actor, **data):
    """Effect of ``reopen``: the owner was not satisfied; the order goes back for rework (返修)."""
    order.satisfaction = "unsatisfied"
    order.rework_count += 1
    order.completed_at = order.confirmed_at = order.closed_at = None
