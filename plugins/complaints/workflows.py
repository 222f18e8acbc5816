"""The complaint's lifecycle, workflow ``complaints.complaint`` (spec 2.10, limits 4.1 rows 12-14)::

    received ──acknowledge──▶ acknowledged ──investigate──▶ investigating ──reply──▶ replied
       │                          │                              ▲                    │
       └──close_invalid───────────┴──▶ closed_invalid            └────reopen──────────┤
                                                                                      ▼
                                                          closed ◀──close── verified ◀──verify

Limits (calendar or working time of the estate's business calendar):

* ``received``: handled within 24 hours (acknowledged and classified) — 001 L215/L231;
* ``acknowledged``: the investigation starts within the same 24 hours;
* ``investigating``: the written reply within 2 working days.

Each overdue limit escalates cs_supervisor (at the due time) → office_manager (an hour later) →
general_manager (four hours late). Every transition refuses the staff member the complaint is about
(``not_the_person_complained_about``), whichever plugin adds it (``guard_transition``, the
``wuye_before_transition`` hook).
"""

from __future__ import annotations

from core import Deadline, Escalation, State, Transition, Workflow, WorkflowError
from plugins.complaints import handling
from plugins.complaints.models import Complaint
from plugins.complaints.schemas import AcknowledgeSchema, ReplySchema, VerifySchema

NAME = "complaints.complaint"
CHAIN = (Escalation("cs_supervisor", 0), Escalation("office_manager", 60), Escalation("general_manager", 240))
HANDLE_WITHIN = Deadline(hours=24, chain=CHAIN)
REPLY_WITHIN = Deadline(working_days=2, chain=CHAIN)


def not_the_person_complained_about(session, record, actor, **_):
    """Guard: the staff member the complaint is about never handles it (回避)."""
    return handling.conflict_message(record, actor)


def guard_transition(record, transition, actor) -> None:
    """``wuye_before_transition``: the same rule for transitions other plugins add to this workflow."""
    if isinstance(record, Complaint):
        message = handling.conflict_message(record, actor)
        if message:
            raise WorkflowError(message)


def _t(name, sources, target, permission, label, label_zh, **kw):
    guards = (not_the_person_complained_about, *kw.pop("guards", ()))
    return Transition(name, sources, target, permission, label=label, label_zh=label_zh, guards=guards, **kw)


COMPLAINT = Workflow(
    name=NAME, model=Complaint, state_field="status", label="Complaint", label_zh="投诉",
    states=[
        State("received", "Received", "已受理", initial=True, deadline=HANDLE_WITHIN),
        State("acknowledged", "Acknowledged", "已分类", deadline=HANDLE_WITHIN),
        State("investigating", "Investigating", "调查处理中", deadline=REPLY_WITHIN),
        State("replied", "Replied", "已答复"),
        State("verified", "Verified", "已验证"),
        State("closed", "Closed", "已结案", final=True),
        State("closed_invalid", "Closed (not valid)", "无效投诉结案", final=True),
    ],
    transitions=[
        _t("acknowledge", ("received",), "acknowledged", "complaints.handle", "Acknowledge and classify",
           "受理分类", schema=AcknowledgeSchema, guards=(handling.check_classification,),
           effects=(handling.classify,), bulk=False),
        _t("investigate", ("acknowledged",), "investigating", "complaints.handle", "Start investigating",
           "开始调查"),
        _t("reply", ("investigating",), "replied", "complaints.handle", "Reply to the complainant", "书面答复",
           schema=ReplySchema, guards=(handling.check_reply,), effects=(handling.store_reply,), bulk=False),
        _t("verify", ("replied",), "verified", "complaints.verify", "Verify the corrective action", "验证",
           schema=VerifySchema, guards=(handling.check_verification,), effects=(handling.store_verification,),
           bulk=False),
        _t("close", ("verified",), "closed", "complaints.verify", "Close", "结案", effects=(handling.mark_closed,),
           backward=False),
        _t("close_invalid", ("received", "acknowledged"), "closed_invalid", "complaints.handle",
           "Close as not valid", "无效投诉结案", requires_comment=True, bulk=False, effects=(handling.mark_invalid,)),
        _t("reopen", ("replied", "verified", "closed"), "investigating", "complaints.reopen", "Reopen",
           "重新处理", requires_comment=True, bulk=False, effects=(handling.mark_reopened,)),
    ],
)


def workflows() -> list[Workflow]:
    return [COMPLAINT]
