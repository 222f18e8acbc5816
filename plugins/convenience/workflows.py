"""Workflows ``convenience.catalogue`` and ``convenience.order`` (spec 2.20 workflows A-D).

Catalogue::

    draft ──propose──▶ proposed ──approve──▶ approved ──publish──▶ published ──supersede──▶ superseded
      ▲                   │
      └────send_back──────┘

Order::

    registered ──prepay──▶ prepaid ──dispatch──▶ dispatched ──deliver──▶ delivered ──confirm──▶ confirmed
        └──────────dispatch (no prepayment due)────────▲
    confirmed ──charge──▶ charged ──return_visit──▶ visited ──close──▶ closed
    registered / prepaid / dispatched ──cancel──▶ cancelled

The effects do the bookkeeping whatever route applies a transition (service, admin button, API):
the prepayment or deposit is taken through billing, a per-job order is charged to billing with the
source ``convenience:order:<id>``; monthly orders are charged on the monthly statement instead.
Services validate input with field messages first; the guards repeat the checks for the other routes.
"""

from __future__ import annotations

from sqlalchemy import select

from core import State, Text, Transition, Workflow, apply, fen_to_yuan, transition_context, utcnow
from core.models import Department, StaffUser
from plugins.billing import services as billing
from plugins.convenience.fees import PREPAY_FEE, SERVICE_FEE
from plugins.convenience.models import (
    BillingMode,
    CatalogueStatus,
    ConvenienceCatalogueReview,
    ConvenienceCatalogueVersion,
    ConvenienceOrder,
    FeeKind,
    OrderStatus,
    PrepayKind,
)
from plugins.convenience.schemas import (
    CONFIRMATION_METHODS,
    PAYMENT_METHODS,
    CancelSchema,
    ConfirmSchema,
    DeliverSchema,
    DispatchSchema,
    PrepaySchema,
    ProposalSchema,
    PublishSchema,
    ReturnVisitSchema,
)

CATALOGUE = "convenience.catalogue"
ORDER = "convenience.order"
C = CatalogueStatus
O = OrderStatus  # noqa: E741


def _by(actor) -> int | None:
    return actor.id if actor is not None else None


def _comment(session, record) -> str:
    """The comment given to ``apply`` for the transition running now (the return-visit remarks, ...)."""
    return getattr(transition_context(session, record), "comment", "") or ""


# --- catalogue -----------------------------------------------------------------------------------

def _has_rows(session, version, actor, **data) -> str | None:
    if not version.prices:
        return Text("the price list has no items; add items before proposing it", "价格表中没有项目，请先添加项目再报批")
    bad = [r.item.code for r in version.prices if r.item.fee_kind == FeeKind.paid and r.price_fen <= 0]
    if bad:
        return Text(f"paid items without a price: {', '.join(bad)}; set their prices first",
                    f"以下有偿项目没有价格：{'、'.join(bad)}，请先定价")
    respondents = data.get("survey_respondents")
    if respondents is not None and (not isinstance(respondents, int) or respondents < 0):
        return Text("survey_respondents must be a whole number of returned forms (0 or more)",
                    "调查人数须为收回问卷的份数（0 或以上的整数）")
    return None


def _proposed(session, version, actor, **data) -> None:
    version.proposed_by_id, version.proposed_at = _by(actor), utcnow()
    version.survey_summary = data.get("survey_summary") or version.survey_summary
    if data.get("survey_respondents") is not None:
        version.survey_respondents = data["survey_respondents"]


def _approved(session, version, actor, **data) -> None:
    version.approved_by_id, version.approved_at = _by(actor), utcnow()


def _sent_back(session, version, actor, **data) -> None:
    version.approved_by_id = version.approved_at = None


def _published(session, version, actor, **data) -> None:
    now = utcnow()
    for old in session.scalars(select(ConvenienceCatalogueVersion).where(
            ConvenienceCatalogueVersion.estate_id == version.estate_id,
            ConvenienceCatalogueVersion.status == C.published, ConvenienceCatalogueVersion.id != version.id)):
        apply(session, old, "supersede", actor, comment=f"replaced by {version}")
    version.published_by_id, version.published_at = _by(actor), now
    version.published_via = (data.get("published_via") or "notice board")[:200]
    review = session.scalar(select(ConvenienceCatalogueReview).where(
        ConvenienceCatalogueReview.estate_id == version.estate_id, ConvenienceCatalogueReview.year == version.year,
        ConvenienceCatalogueReview.done_at.is_(None)))
    if review is not None:
        review.done_at, review.version_id = now, version.id


def _superseded(session, version, actor, **data) -> None:
    version.superseded_at = utcnow()


def catalogue_workflow() -> Workflow:
    return Workflow(
        name=CATALOGUE, model=ConvenienceCatalogueVersion, label="Convenience price list", label_zh="便民服务价格表",
        states=[
            State(C.draft.value, "Draft", "拟定", initial=True),
            State(C.proposed.value, "Proposed to the general manager", "报批中"),
            State(C.approved.value, "Approved", "已批准"),
            State(C.published.value, "Published", "已公告"),
            State(C.superseded.value, "Superseded", "已替换", final=True),
        ],
        transitions=[
            Transition("propose", (C.draft.value,), C.proposed.value, "convenience.propose_catalogue",
                       "Propose", "报总经理审批", guards=(_has_rows,), effects=(_proposed,), bulk=False,
                       schema=ProposalSchema),
            Transition("approve", (C.proposed.value,), C.approved.value, "convenience.approve_catalogue",
                       "Approve", "审批通过", effects=(_approved,), bulk=False),
            Transition("send_back", (C.proposed.value,), C.draft.value, "convenience.approve_catalogue",
                       "Send back", "退回修改", effects=(_sent_back,), requires_comment=True, bulk=False),
            Transition("publish", (C.approved.value,), C.published.value, "convenience.manage_catalogue",
                       "Publish", "公告", effects=(_published,), bulk=False, schema=PublishSchema),
            Transition("supersede", (C.published.value,), C.superseded.value, "convenience.manage_catalogue",
                       "Supersede", "替换", effects=(_superseded,), bulk=False),
        ],
    )


# --- orders: guards --------------------------------------------------------------------------------

def _needs_prepayment(session, order, actor, **data) -> str | None:
    if order.prepay_kind == PrepayKind.none:
        return Text(f"order {order.number} needs no prepayment or deposit; dispatch it directly",
                    f"服务单 {order.number} 无需预交费用或押金，请直接派工")
    method = data.get("method", "cash")
    if method not in PAYMENT_METHODS:
        return Text(f"payment method {method!r} is unknown; use one of {', '.join(PAYMENT_METHODS)}",
                    f"未知付款方式 {method!r}")
    return None


def _prepayment_settled(session, order, actor, **data) -> str | None:
    if order.status == O.registered and order.prepay_kind != PrepayKind.none:
        return Text(f"order {order.number} requires a {order.prepay_kind} of ¥{fen_to_yuan(order.prepay_fen):,} before "
                    "the service; take it first (transition prepay)",
                    f"服务单 {order.number} 须在服务前预交"
                    f"{PrepayKind(order.prepay_kind).__labels__[order.prepay_kind][1]} ¥{fen_to_yuan(order.prepay_fen):,}，"
                    "请先收取（预交）")
    return None


def _assignment(order, data: dict) -> tuple:
    """(department id, staff id, partner) from the data, else the item's provider (its department or partner)."""
    dept_id, staff_id, partner = data.get("department_id"), data.get("staff_id"), (data.get("partner") or "").strip()
    if not (dept_id or staff_id or partner):
        dept_id, partner = order.item.provider_department_id, order.item.provider_company
    return dept_id, staff_id, partner


def _assignee(session, order, actor, **data) -> str | None:
    dept_id, staff_id, partner = _assignment(order, data)
    if not (dept_id or staff_id or partner):
        return Text("dispatch to a department (department_id), a staff member (staff_id) or a partner company "
                    f"(partner): item {order.item.code} names no provider to default to",
                    f"请派工给部门、员工或合作单位：服务项目 {order.item.name_zh or order.item.name} 未指定默认服务提供方")
    if dept_id:
        dept = session.get(Department, dept_id)
        if dept is None or dept.estate_id not in (None, order.estate_id):
            return Text(f"department {dept_id} is not a department of this estate", f"部门 {dept_id} 不属于本小区")
    if staff_id:
        return _staff_problem(session, order, staff_id)
    return None


def _staff_problem(session, order, staff_id) -> str | None:
    staff = session.get(StaffUser, staff_id)
    if staff is None or not staff.active:
        return Text(f"staff member {staff_id} does not exist or is inactive", f"员工 {staff_id} 不存在或已停用")
    if not staff.all_estates and order.estate_id not in {e.id for e in staff.estates}:
        return Text(f"{staff} does not work for this estate", f"{staff} 不在本小区任职")
    return None


def _someone_assigned(session, order, actor, **data) -> str | None:
    if data.get("staff_id"):
        return _staff_problem(session, order, data["staff_id"])
    if order.assigned_staff_id is None and not order.assigned_partner:
        return Text(f"nobody was assigned to order {order.number}: dispatch it to a staff member or partner, or name "
                    "who did the work (staff_id)",
                    f"服务单 {order.number} 未派工：请派给员工或合作单位，或填写实际服务人员")
    return None


def _confirmation_given(session, order, actor, **data) -> str | None:
    if data.get("method", "signature") not in CONFIRMATION_METHODS:
        return Text(f"confirmation method must be one of {', '.join(CONFIRMATION_METHODS)}", "确认方式无效")
    return None


def _satisfaction_given(session, order, actor, **data) -> str | None:
    value = data.get("satisfaction")
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        return Text("record the customer's satisfaction, 1 (poor) to 5 (excellent)", "请记录客户满意度：1（差）到 5（很好）")
    return None


def _no_deposit_held(session, order, actor, **data) -> str | None:
    if order.prepay_kind == PrepayKind.deposit and billing.deposit_balance_fen(session, source=order.source) > 0:
        held = fen_to_yuan(billing.deposit_balance_fen(session, source=order.source))
        return Text(f"a deposit of ¥{held:,} is still held for order {order.number}; refund or deduct it first "
                    "(services.settle_deposit)",
                    f"服务单 {order.number} 仍有押金 ¥{held:,} 未处理，请先退还或扣除")
    return None


def _no_money_taken(session, order, actor, **data) -> str | None:
    live = [line for line in billing.charges_for(session, source=order.source)
            if line.reversed_at is None and line.reverses_id is None]
    if live:
        return Text(f"order {order.number} has charges in billing (prepayment taken); it cannot be cancelled here - "
                    "deliver it, or have finance reverse the charge in billing",
                    f"服务单 {order.number} 已在收费系统中产生费用（已收预交款），不能在此取消："
                    "请完成服务，或请财务在收费系统中冲销该费用")
    return _no_deposit_held(session, order, actor, **data)


# --- orders: effects -------------------------------------------------------------------------------

def _take_prepayment(session, order, actor, **data) -> None:
    method = data.get("method", "cash")
    if order.prepay_kind == PrepayKind.deposit:
        billing.hold_deposit(session, actor, unit=order.unit, amount_fen=order.prepay_fen, source=order.source,
                             method=method, reason=f"便民服务押金 {order.number} {order.item.name_zh or order.item.name}")
        return
    line = billing.post_charge(session, actor, unit=order.unit, fee_item_code=PREPAY_FEE, amount_fen=order.prepay_fen,
                               source=order.source, description=f"便民服务预交 {order.number}")
    due = billing.outstanding_fen(session, source=order.source)
    if due > 0:
        billing.record_payment(session, actor, unit=order.unit, amount_fen=due, method=method, lines=[line.id],
                               payer=order.customer.name, reference=order.number)


def _dispatched(session, order, actor, **data) -> None:
    dept_id, staff_id, partner = _assignment(order, data)
    order.department_id = dept_id or order.department_id
    order.assigned_staff_id = staff_id or order.assigned_staff_id
    order.assigned_partner = (partner or order.assigned_partner or "")[:200]
    order.dispatched_by_id, order.dispatched_at = _by(actor), utcnow()


def _delivered(session, order, actor, **data) -> None:
    order.delivered_by_id = data.get("staff_id") or order.assigned_staff_id
    order.delivered_at = data.get("delivered_at") or utcnow()
    order.service_record = (data.get("service_record") or order.service_record or "")[:2000]


def _confirmed(session, order, actor, **data) -> None:
    # who signed; when not given (an admin button), the customer the order was booked for
    order.confirmed_by_name = ((data.get("confirmed_by") or "").strip() or order.customer.name)[:200]
    order.confirmation_method = data.get("method", "signature")
    order.confirmed_at, order.confirmation_recorded_by_id = utcnow(), _by(actor)


def charge_due_fen(order: ConvenienceOrder) -> int:
    """What is still to be charged after a prepayment (a deposit is given back, so it does not count)."""
    prepaid = order.prepay_fen if order.prepay_kind == PrepayKind.prepayment else 0
    return max(order.amount_fen - prepaid, 0)


def _charged(session, order, actor, **data) -> None:
    order.charged_at, order.charged_by_id = utcnow(), _by(actor)
    due = charge_due_fen(order)
    if order.billing_mode == BillingMode.per_job and due > 0:
        billing.post_charge(session, actor, unit=order.unit, fee_item_code=SERVICE_FEE, amount_fen=due,
                            source=order.source, description=f"便民服务 {order.number} {order.item.name_zh or order.item.name}")


def _visited(session, order, actor, **data) -> None:
    order.satisfaction = data["satisfaction"]
    order.visit_comment = (data.get("visit_comment") or _comment(session, order))[:2000]
    order.visited_by_id, order.visited_at = _by(actor), utcnow()


def _closed(session, order, actor, **data) -> None:
    order.closed_at = utcnow()


def _cancelled(session, order, actor, **data) -> None:
    order.cancel_reason = (data.get("reason") or _comment(session, order))[:2000]
    order.cancelled_at = utcnow()


def order_workflow() -> Workflow:
    T = Transition
    return Workflow(
        name=ORDER, model=ConvenienceOrder, label="Convenience service order", label_zh="便民服务单",
        states=[
            State(O.registered.value, "Registered", "已登记", initial=True),
            State(O.prepaid.value, "Prepaid", "已预交"),
            State(O.dispatched.value, "Dispatched", "已派工"),
            State(O.delivered.value, "Delivered", "已服务"),
            State(O.confirmed.value, "Confirmed by the customer", "住户已确认"),
            State(O.charged.value, "Charged", "已计费"),
            State(O.visited.value, "Return visit done", "已回访"),
            State(O.closed.value, "Closed", "已关闭", final=True),
            State(O.cancelled.value, "Cancelled", "已取消", final=True),
        ],
        transitions=[
            T("prepay", (O.registered.value,), O.prepaid.value, "convenience.order", "Take prepayment / deposit",
              "收取预交款/押金", guards=(_needs_prepayment,), effects=(_take_prepayment,), bulk=False,
              schema=PrepaySchema),
            T("dispatch", (O.registered.value, O.prepaid.value), O.dispatched.value, "convenience.dispatch",
              "Dispatch", "派工", guards=(_prepayment_settled, _assignee), effects=(_dispatched,), bulk=False,
              schema=DispatchSchema),
            T("deliver", (O.dispatched.value,), O.delivered.value, "convenience.deliver", "Delivered", "完成服务",
              guards=(_someone_assigned,), effects=(_delivered,), bulk=False, schema=DeliverSchema),
            T("confirm", (O.delivered.value,), O.confirmed.value, "convenience.confirm", "Customer confirms",
              "住户签字确认", guards=(_confirmation_given,), effects=(_confirmed,), bulk=False, schema=ConfirmSchema),
            T("charge", (O.confirmed.value,), O.charged.value, "convenience.statements", "Charge", "计费",
              effects=(_charged,)),
            T("return_visit", (O.charged.value,), O.visited.value, "convenience.return_visit", "Return visit",
              "回访", guards=(_satisfaction_given,), effects=(_visited,), bulk=False, schema=ReturnVisitSchema),
            T("close", (O.visited.value,), O.closed.value, "convenience.return_visit", "Close", "关闭",
              guards=(_no_deposit_held,), effects=(_closed,)),
            T("cancel", (O.registered.value, O.prepaid.value, O.dispatched.value), O.cancelled.value,
              "convenience.order", "Cancel", "取消", guards=(_no_money_taken,), effects=(_cancelled,),
              requires_comment=True, bulk=False, schema=CancelSchema),
        ],
    )


def workflows() -> list[Workflow]:
    """What ``wuye_register_workflows`` contributes: the price list's approval and the order's life."""
    return [catalogue_workflow(), order_workflow()]
