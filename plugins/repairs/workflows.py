"""The workflow ``repairs.order`` (spec 2.9, 002 报修管理制度 Art.8-16) with the manual's limits (spec 4.1
rows 1-5), in calendar minutes (the manual's minutes run day and night):

* ``received``: the work order (派工单) is filled within **3 minutes** (Art.9) → ``dispatch``;
* ``dispatched``: engineering is notified and collects it within **2 more minutes** → ``accept``
  (price-list item) or ``assess`` (not on the price list);
* ``accepted``: the technician is on site within **10 minutes** of receiving the order (Art.12), or,
  when the owner booked a time (``booked_at``, 预约维修时间), **5 minutes before the appointment**
  (Art.13; a computed deadline, :func:`arrival_due`) → ``arrive``;
* ``quoting``: the engineering supervisor assesses feasibility and cost within **15 minutes** (Art.14)
  → ``send_quote`` → ``awaiting_approval`` (waits for the owner: pauses) → ``accept_quote`` (the
  10-minute arrival limit starts) or ``decline_quote`` (cancelled);
* ``in_progress``: completion within 24 hours [INF: the manuals give no completion limit];
  ``waiting_parts`` pauses it (等待配件) and ``resume_work`` resumes it with the time it had left;
* ``completed`` needs a photo and the technician holding the order; ``confirm`` (owner signs;
  a paid repair needs the accepted price and posts the charge) → ``close``; ``reopen`` (rework) from
  completed, confirmed or closed when the owner is unsatisfied.

Overdue orders escalate to the engineering supervisor at the due time, then to the office manager
30 minutes later (job ``core.escalate_overdue``).
"""

from __future__ import annotations

import datetime as dt

from core import Deadline, Escalation, State, Text, Transition, Workflow, apply, attributed, authorize
from plugins.repairs import charges, notify, work
from plugins.repairs.models import RepairOrder
from plugins.repairs.schemas import CompleteSchema, ConfirmSchema

CHAIN = (Escalation("engineering_supervisor", 0), Escalation("office_manager", 30))
WORK_ORDER_MINUTES, NOTIFY_MINUTES, ARRIVAL_MINUTES, QUOTE_MINUTES = 3, 2, 10, 15
BEFORE_APPOINTMENT_MINUTES = 5  # Art.13: "arrive 5 minutes before the appointment"
COMPLETION_HOURS = 24  # [INF] no completion limit in the manuals; a company may change it in the role editor


def arrival_due(session, order: RepairOrder, started_at: dt.datetime) -> dt.datetime:
    """When the technician must be on site: 5 minutes before the owner's appointment (``booked_at``),
    else 10 minutes after the order was accepted. An appointment sooner than that is already due:
    the supervisor hears at once that the booking is at risk."""
    booked = order.booked_at
    if booked is None:
        return started_at + dt.timedelta(minutes=ARRIVAL_MINUTES)
    if booked.tzinfo is None:  # SQLite hands stored times back naive; they are UTC
        booked = booked.replace(tzinfo=dt.UTC)
    return booked - dt.timedelta(minutes=BEFORE_APPOINTMENT_MINUTES)


ARRIVAL = Deadline(due=arrival_due, chain=CHAIN)
LIMITS = {
    "received": Deadline(minutes=WORK_ORDER_MINUTES, chain=CHAIN),
    "dispatched": Deadline(minutes=NOTIFY_MINUTES, chain=CHAIN),
    "accepted": ARRIVAL,
    "quoting": Deadline(minutes=QUOTE_MINUTES, chain=CHAIN),
    "in_progress": Deadline(hours=COMPLETION_HOURS, chain=CHAIN),
}
WAITING = ("awaiting_approval", "waiting_parts")


def _state(name: str, label: str, label_zh: str, **kw) -> State:
    return State(name, label, label_zh, deadline=LIMITS.get(name), pauses_deadline=name in WAITING, **kw)


STATES = [
    _state("received", "Received", "已受理", initial=True),
    _state("dispatched", "Work order issued", "已派工"),
    _state("accepted", "Accepted by engineering", "已接单"),
    _state("quoting", "Assessing and quoting", "评估报价中"),
    _state("awaiting_approval", "Awaiting the owner's approval", "待业主确认报价"),
    _state("on_site", "On site", "已到场"),
    _state("in_progress", "In progress", "维修中"),
    _state("waiting_parts", "Waiting for parts", "等待配件"),
    _state("completed", "Completed", "已完工"),
    _state("confirmed", "Confirmed by the owner", "业主已确认"),
    _state("reopened", "Reopened for rework", "返修"),
    _state("closed", "Closed", "已关闭", final=True),  # final for the screens; a return visit may still reopen it
    _state("cancelled", "Cancelled", "已取消", final=True),
    _state("to_developer", "Routed to the developer (warranty)", "已转开发商保修", final=True),
]


def _on_list(session, order, actor, **data):
    if not order.on_price_list:
        return Text(f"{order.number} is not on the price list; assess and quote it first (assess)",
                    f"{order.number} 不在收费标准内，请先评估报价")
    return None


def _off_list(session, order, actor, **data):
    if order.on_price_list:
        return Text(f"{order.number} is on the price list; accept it and go on site (accept)",
                    f"{order.number} 在收费标准内，请直接接单到场")
    return None


def _warranty(session, order, actor, **data):
    if not order.warranty:
        return Text(f"{order.number} is not marked as under warranty; dispatch it to engineering",
                    f"{order.number} 未标记为保修期内，请派给工程部维修")
    return None


def _has_quote(session, order, actor, **data):
    if not order.paid or order.amount_fen <= 0:
        return Text(f"set the labour and material price of {order.number} before sending the quote",
                    f"请先填写 {order.number} 的人工费和材料费再报价")
    return None


def _t(name, sources, target, permission, label, label_zh, **kw) -> Transition:
    return Transition(name, tuple(sources), target, f"repairs.{permission}", label, label_zh, **kw)


TRANSITIONS = [
    _t("dispatch", ["received"], "dispatched", "dispatch", "Issue the work order", "派工",
       effects=(work.dispatch_order, notify.notify_dispatched)),
    _t("accept", ["dispatched"], "accepted", "work", "Accept the order", "接单", guards=(_on_list, work.guard_holder)),
    _t("assess", ["dispatched"], "quoting", "quote", "Assess and quote", "评估报价", guards=(_off_list,)),
    _t("send_quote", ["quoting"], "awaiting_approval", "quote", "Send the quote to the owner", "报价给业主",
       guards=(_has_quote,)),
    _t("accept_quote", ["awaiting_approval"], "accepted", "confirm", "Owner accepts the quote", "业主接受报价",
       effects=(work.accept_quote,), deadline=ARRIVAL, backward=False),
    _t("decline_quote", ["awaiting_approval"], "cancelled", "confirm", "Owner declines the quote", "业主不接受报价",
       backward=True),
    _t("arrive", ["accepted"], "on_site", "work", "Arrive on site", "到场", guards=(work.guard_holder,),
       effects=(work.stamp("arrived_at"),)),
    _t("start", ["on_site", "reopened"], "in_progress", "work", "Start the work", "开始维修",
       guards=(work.guard_holder,)),
    _t("wait_parts", ["in_progress"], "waiting_parts", "work", "Wait for parts", "等待配件",
       guards=(work.guard_holder,), backward=False),
    _t("resume_work", ["waiting_parts"], "in_progress", "work", "Parts arrived, resume", "配件到位，继续维修",
       guards=(work.guard_holder,)),
    _t("complete", ["in_progress"], "completed", "work", "Complete", "完工", schema=CompleteSchema,
       guards=(work.guard_holder, work.guard_photo),
       effects=(work.stamp("completed_at"), work.store_diagnosis, notify.notify_completed)),
    _t("confirm", ["completed"], "confirmed", "confirm", "Owner confirms", "业主验收签字", schema=ConfirmSchema,
       guards=(charges.guard_price_accepted,), effects=(work.mark_satisfied, charges.post_repair_charge)),
    _t("close", ["confirmed"], "closed", "confirm", "Close", "关闭", effects=(work.stamp("closed_at"),),
       backward=False),
    _t("reopen", ["completed", "confirmed", "closed"], "reopened", "confirm", "Reopen for rework (unsatisfied)",
       "返修（业主不满意）", requires_comment=True, effects=(work.mark_rework,)),
    _t("route_to_developer", ["received"], "to_developer", "dispatch", "Route to the developer (warranty)",
       "转开发商保修", guards=(_warranty,), requires_comment=True, backward=False),
    _t("cancel", ["received", "dispatched", "accepted", "quoting"], "cancelled", "dispatch", "Cancel", "取消",
       requires_comment=True),
]


def order_workflow() -> Workflow:
    """``repairs.order``."""
    return Workflow("repairs.order", RepairOrder, STATES, TRANSITIONS, label="Repair order", label_zh="报修单")


def workflows() -> list[Workflow]:
    """The plugin's workflows (registered through ``wuye_register_workflows``)."""
    return [order_workflow()]


@attributed
def transition(session, actor, order: RepairOrder, name: str, comment: str | None = None, **data) -> RepairOrder:
    """Apply a step of ``repairs.order`` (``dispatch``, ``complete``, ...) for ``actor``."""
    authorize(session, actor, None, order)
    return apply(session, order, name, actor, comment=comment, **data)
