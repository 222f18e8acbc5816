"""Workflows of the renovation plugin (spec 2.5 "Workflow").

``renovation.application``: 受理 → 初审 (CS) → 二审 (engineering, may send back) → 经理审批 →
协议 (charges posted) → 缴费 (fees paid, deposit held) → 施工许可 → 施工 (patrols, violations,
suspension) → 完工申报 → 验收 (engineering + CS, rectification loop) → 保证金结算 → 结案.

``renovation.violation``: 违章 open → rectifying → verified, or escalated.

The staff's steps carry time limits in working days of the estate's business calendar
(``LIMITS``); while the application waits for the owner (a revised plan, rectification after
acceptance) the limit pauses. See docs/plugins/renovation.md "Time limits".

A guard is ``guard(session, record, actor, **data) -> None | message``; the message says what is
missing and how to fix it. An effect is ``effect(session, record, actor, **data)`` and runs after
the engine has set the new state, in the same transaction. Each lives with its feature
(``applications``, ``fees``, ``works``, ``site``, ``acceptance``, ``deposit``, ``withdrawal``);
money moves only through ``plugins.billing.services``, unit status only through the core.
"""

from __future__ import annotations

from core import (
    Deadline,
    State,
    Transition,
    Workflow,
    apply,
    attributed,
    authorize,
    transition_context,
    utcnow,
)
from plugins.renovation import acceptance, applications, deposit, fees, site, withdrawal, works
from plugins.renovation.models import RenovationApplication, RenovationViolation
from plugins.renovation.schemas import (
    EscalateSchema,
    OpinionSchema,
    SettleDepositSchema,
    VerifySchema,
    WithdrawSchema,
)

P = "renovation."


# --- effect factories --------------------------------------------------------------------------
def store_opinion(field: str):
    """Effect: keep the reviewer's opinion (初审/二审/审批意见) on the application: the ``opinion``
    data if given, else the transition's comment, whatever route applied it (service, admin button
    with its comment box, API body ``{"comment": ...}``)."""

    def effect(session, record, actor, opinion: str | None = None, **data):
        context = transition_context(session, record)
        opinion = (opinion or "").strip() or (getattr(context, "comment", "") or "").strip()
        if opinion:
            setattr(record, field, opinion)

    effect.__name__ = f"store_{field}"
    return effect


def stamp(field: str):
    """Effect: set ``field`` to now."""

    def effect(session, record, actor, **data):
        setattr(record, field, utcnow())

    effect.__name__ = f"stamp_{field}"
    return effect


# --- time limits (working time on the estate's business calendar, 营业日历) -----------------------
# The manuals give no review times for renovation (spec 2.5 lists roles, not limits), so these are
# common practice [INF], documented in docs/plugins/renovation.md. Each counts working days of the
# application's estate (weekends, public holidays and 调休 make-up days as the calendar says) and is
# escalated to the role that answers for the step by the core job ``core.escalate_overdue``.
LIMITS = {
    "submitted": Deadline(working_days=1, escalate_to="cs_supervisor"),  # CS takes the form in for review
    "cs_review": Deadline(working_days=2, escalate_to="cs_supervisor"),  # 初审: documents and plan
    "engineering_review": Deadline(working_days=3, escalate_to="chief_engineer"),  # 二审, chief engineer reviews
    "manager_approval": Deadline(working_days=2, escalate_to="general_manager"),  # 经理审批
    "fees_paid": Deadline(working_days=1, escalate_to="cs_supervisor"),  # permit and passes once paid
    "completion_reported": Deadline(working_days=2, escalate_to="engineering_supervisor"),  # start 完工验收
    "acceptance": Deadline(working_days=2, escalate_to="engineering_supervisor"),  # conclude the inspection
    "accepted": Deadline(working_days=10, escalate_to="office_manager"),  # settle and refund the deposit
    "deposit_settled": Deadline(working_days=5, escalate_to="cs_supervisor"),  # close and archive
}
# States where the application waits for the owner (等待业主): the open limit stops instead of
# running on. From ``rectification`` the owner reports back to ``acceptance``, whose limit resumes
# with the time it had left; a revised plan goes back to ``cs_review`` and starts that limit afresh.
WAITING_FOR_OWNER = ("revision_requested", "rectification")


def _state(name: str, label: str, label_zh: str, **kw) -> State:
    return State(name, label, label_zh, deadline=LIMITS.get(name), pauses_deadline=name in WAITING_FOR_OWNER, **kw)


APPLICATION_STATES = [
    _state("submitted", "Submitted", "已申报", initial=True),
    _state("cs_review", "Initial review (CS)", "客服初审"),
    _state("engineering_review", "Engineering review", "工程二审"),
    _state("revision_requested", "Revision requested", "退回修改"),
    _state("manager_approval", "Manager approval", "经理审批"),
    _state("approved", "Approved", "已批准"),
    _state("agreement_signed", "Agreement signed", "已签协议"),
    _state("fees_paid", "Fees paid", "已缴费"),
    _state("permit_issued", "Permit issued", "已发施工许可"),
    _state("in_progress", "Works in progress", "施工中"),
    _state("suspended", "Suspended", "停工整改"),
    _state("completion_reported", "Completion reported", "已申报完工"),
    _state("acceptance", "Acceptance", "验收中"),
    _state("rectification", "Rectification", "验收整改"),
    _state("accepted", "Accepted", "验收合格"),
    _state("deposit_settled", "Deposit settled", "保证金已结算"),
    _state("closed", "Closed", "已结案", final=True),
    _state("withdrawn", "Withdrawn", "已撤回", final=True),
    _state("rejected", "Rejected", "不予批准", final=True),
]

# Before works start an application can be withdrawn; unpaid charges are reversed, the deposit (if held)
# refunded. Rejection needs no such effect: it comes before the agreement, the first step that charges.
WITHDRAWABLE = ("submitted", "cs_review", "engineering_review", "revision_requested", "manager_approval",
                "approved", "agreement_signed", "fees_paid", "permit_issued")

APPLICATION_TRANSITIONS = [
    Transition("receive", ("submitted",), "cs_review", P + "cs_review", "Receive for initial review", "受理初审"),
    Transition("pass_cs_review", ("cs_review",), "engineering_review", P + "cs_review",
               "Pass initial review", "初审通过", effects=(store_opinion("cs_opinion"),), schema=OpinionSchema),
    Transition("request_revision", ("engineering_review",), "revision_requested", P + "engineering_review",
               "Send back for revision", "退回修改", effects=(store_opinion("engineering_opinion"),),
               requires_comment=True, bulk=False, schema=OpinionSchema),
    Transition("resubmit", ("revision_requested",), "cs_review", P + "apply", "Resubmit", "重新提交",
               guards=(applications.guard_plan_valid,)),
    Transition("pass_engineering_review", ("engineering_review",), "manager_approval", P + "engineering_review",
               "Pass engineering review", "二审通过", effects=(store_opinion("engineering_opinion"),),
               schema=OpinionSchema),
    Transition("approve", ("manager_approval",), "approved", P + "approve", "Approve", "经理审批通过",
               effects=(store_opinion("manager_opinion"),), schema=OpinionSchema),
    Transition("reject", ("cs_review", "engineering_review", "manager_approval"), "rejected", P + "reject",
               "Reject", "不予批准", requires_comment=True, bulk=False),
    Transition("sign_agreement", ("approved",), "agreement_signed", P + "sign_agreement",
               "Sign the service agreement", "签订装修管理服务协议", guards=(applications.guard_has_workers,),
               effects=(fees.post_fees,), bulk=False),
    Transition("confirm_payment", ("agreement_signed",), "fees_paid", P + "confirm_payment",
               "Confirm fees and deposit paid", "确认已缴费", guards=(fees.guard_paid,)),
    Transition("issue_permit", ("fees_paid",), "permit_issued", P + "issue_permit", "Issue the permit",
               "发放施工许可证", guards=(fees.guard_paid,), effects=(works.issue_permit,), bulk=False),
    Transition("start", ("permit_issued",), "in_progress", P + "start", "Start works", "开工",
               effects=(works.mark_unit_renovating,)),
    Transition("suspend", ("in_progress",), "suspended", P + "suspend", "Suspend works", "停工整改",
               requires_comment=True, bulk=False),
    Transition("resume", ("suspended",), "in_progress", P + "resume", "Resume works", "复工",
               guards=(works.guard_no_suspending_violation,)),
    Transition("report_completion", ("in_progress",), "completion_reported", P + "report_completion",
               "Report completion", "申报完工", effects=(stamp("completion_reported_at"),)),
    Transition("begin_acceptance", ("completion_reported",), "acceptance", P + "accept", "Start acceptance",
               "开始验收", effects=(acceptance.next_acceptance_round,)),
    Transition("require_rectification", ("acceptance",), "rectification", P + "accept",
               "Rectification required", "验收不合格,限期整改", requires_comment=True, bulk=False),
    Transition("report_rectified", ("rectification",), "acceptance", P + "report_completion",
               "Rectified: inspect again", "整改完毕申请复验", effects=(acceptance.next_acceptance_round,)),
    Transition("accept", ("acceptance",), "accepted", P + "accept", "Accept", "验收合格",
               guards=(acceptance.guard_no_open_violations, acceptance.guard_both_checks_passed),
               effects=(stamp("accepted_at"), works.restore_unit_status)),
    Transition("settle_deposit", ("accepted",), "deposit_settled", P + "settle_deposit", "Settle the deposit",
               "保证金结算", guards=(deposit.guard_refund_approver, deposit.guard_settlement_plan),
               effects=(deposit.execute_settlement,), bulk=False, schema=SettleDepositSchema),
    Transition("close", ("deposit_settled",), "closed", P + "close", "Close and archive", "结案归档",
               effects=(stamp("closed_at"), works.restore_unit_status, site.cancel_open_passes)),
    Transition("withdraw", WITHDRAWABLE, "withdrawn", P + "withdraw", "Withdraw", "撤回申请",
               guards=(withdrawal.guard_withdraw_refund, withdrawal.guard_withdraw_charges),
               effects=(withdrawal.reverse_charges_on_withdrawal, withdrawal.refund_on_withdrawal, site.cancel_open_passes),
               requires_comment=True, bulk=False, schema=WithdrawSchema),
]

VIOLATION_STATES = [
    State("open", "Open (notice issued)", "已发整改通知", initial=True),
    State("rectifying", "Rectifying", "整改中"),
    State("escalated", "Escalated", "已上报"),
    State("verified", "Verified rectified", "已复查关闭", final=True),
]

VIOLATION_TRANSITIONS = [
    Transition("start_rectifying", ("open", "escalated"), "rectifying", P + "record_violation",
               "Rectification under way", "开始整改"),
    Transition("escalate", ("open", "rectifying"), "escalated", P + "record_violation", "Escalate", "上报处理",
               effects=(site.store_escalation,), requires_comment=True, bulk=False, schema=EscalateSchema),
    Transition("verify", ("open", "rectifying", "escalated"), "verified", P + "inspect",
               "Verify rectified", "复查合格", effects=(site.stamp_verified,), schema=VerifySchema),
]


def application_workflow() -> Workflow:
    return Workflow(name="renovation.application", model=RenovationApplication, states=APPLICATION_STATES,
                    transitions=APPLICATION_TRANSITIONS, state_field="status",
                    label="Renovation application", label_zh="装修申请审批")


def violation_workflow() -> Workflow:
    return Workflow(name="renovation.violation", model=RenovationViolation, states=VIOLATION_STATES,
                    transitions=VIOLATION_TRANSITIONS, state_field="status",
                    label="Renovation violation", label_zh="装修违章处理")


def workflows() -> list[Workflow]:
    """The plugin's workflows (registered through ``wuye_register_workflows``)."""
    return [application_workflow(), violation_workflow()]


# --- taking a step -------------------------------------------------------------------------------
@attributed
def transition(session, actor, app: RenovationApplication, name: str, comment: str | None = None, **data):
    """Apply a step of ``renovation.application`` (``approve``, ``issue_permit``, ...) for ``actor``.

    A reviewer's ``comment`` is also kept as the step's opinion (初审/二审/审批意见).
    """
    authorize(session, actor, None, app)
    return apply(session, app, name, actor, comment=comment, **data)


@attributed
def violation_transition(session, actor, violation: RenovationViolation, name: str, comment: str | None = None,
                         **data):
    """Apply a step of ``renovation.violation``: ``start_rectifying``, ``escalate`` or ``verify``."""
    authorize(session, actor, None, violation)
    return apply(session, violation, name, actor, comment=comment, **data)
