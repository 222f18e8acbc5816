"""The workflow ``move_in.case`` (spec 2.3, KF08 §5.3-5.4) with the manual's limits (spec 4.2)::

    notified ─book─▶ booked ─check_documents─▶ documents_checked ─confirm_fees─▶ fees_paid
       │  (notified also goes straight to check_documents: a walk-in owner)                │
       └─deem─▶ deemed ─check_documents─▶ ...                                        inspect
    fees_paid ─inspect─▶ inspected ─sign─▶ signed ─issue_keys─▶ keys_issued ─complete─▶ done

* ``notified`` / ``booked``: the owner comes by ``notified_by`` (notice received + 1 month, row 22);
  past it the case is overdue and escalates to the CS supervisor, then the office manager, who
  decides on a newspaper notice (row 24); the job ``move_in.deemed_delivery`` marks it ``deemed``
  and the unit ``deemed_delivered`` (视同交付). A deemed owner who comes later still completes.
* the reminder 3 days before the date (row 23) is the job ``move_in.reminders``;
* defects found at ``inspect`` are rectified within a week (row 25), on the defect list.
"""

from __future__ import annotations

import datetime as dt

from core import (
    Deadline,
    Escalation,
    State,
    Transition,
    Workflow,
    apply,
    attributed,
    authorize,
    zone_of,
)
from plugins.move_in import steps
from plugins.move_in.models import MoveInCase
from plugins.move_in.schemas import BookSchema, DocumentsSchema, InspectSchema, SignSchema

CHAIN = (Escalation("cs_supervisor", 0), Escalation("office_manager", 24 * 60))


def _by_notified_date(session, case: MoveInCase, started_at):
    """Due at the end of the notified date, the estate's local time."""
    day = case.notified_by + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=zone_of(case.estate))


NOTIFIED_LIMIT = Deadline(due=_by_notified_date, chain=CHAIN)

STATES = [
    State("notified", "Notified", "已发通知", initial=True, deadline=NOTIFIED_LIMIT),
    State("booked", "Appointment booked", "已预约", deadline=NOTIFIED_LIMIT),
    State("documents_checked", "Documents checked", "资料已核验"),
    State("fees_paid", "Fees paid", "费用已缴"),
    State("inspected", "Jointly inspected", "已验房"),
    State("signed", "Handover form signed", "已签收楼确认书"),
    State("keys_issued", "Keys issued", "钥匙已交付"),
    State("done", "Moved in", "入伙办结", final=True),
    State("deemed", "Deemed delivered", "视同交付"),
]


def _t(name, sources, target, permission, label, label_zh, **kw) -> Transition:
    return Transition(name, tuple(sources), target, f"move_in.{permission}", label, label_zh, **kw)


TRANSITIONS = [
    _t("book", ["notified"], "booked", "manage", "Book an appointment", "预约办理", schema=BookSchema,
       guards=(steps.guard_slot,), effects=(steps.book,), bulk=False),
    _t("check_documents", ["notified", "booked", "deemed"], "documents_checked", "manage", "Check the documents",
       "核验资料", schema=DocumentsSchema, guards=(steps.guard_documents,), effects=(steps.record_documents,),
       bulk=False),
    _t("confirm_fees", ["documents_checked"], "fees_paid", "confirm_fees", "Fees paid", "确认已缴费",
       guards=(steps.guard_fees_paid,), effects=(steps.record_fees,), bulk=False),
    _t("inspect", ["fees_paid"], "inspected", "manage", "Joint inspection done", "联合验房完成", schema=InspectSchema,
       effects=(steps.record_inspection,), bulk=False),
    _t("sign", ["inspected"], "signed", "manage", "Owner signs the handover form", "签署收楼确认书", schema=SignSchema,
       effects=(steps.record_signature,), bulk=False),
    _t("issue_keys", ["signed"], "keys_issued", "manage", "Issue the keys", "交付钥匙", effects=(steps.issue_keys,),
       bulk=False),
    _t("complete", ["keys_issued"], "done", "manage", "Complete the move-in", "入伙办结", effects=(steps.deliver,),
       bulk=False),
    _t("deem", ["notified", "booked"], "deemed", "deem", "Deemed delivered (owner did not come)", "视同交付",
       guards=(steps.guard_past_notified_date,), effects=(steps.deem,), backward=False),
]


def case_workflow() -> Workflow:
    """``move_in.case``."""
    return Workflow("move_in.case", MoveInCase, STATES, TRANSITIONS, label="Move-in case", label_zh="入伙办理")


def workflows() -> list[Workflow]:
    """The plugin's workflows (registered through ``wuye_register_workflows``)."""
    return [case_workflow()]


@attributed
def transition(session, actor, case: MoveInCase, name: str, comment: str | None = None, **data) -> MoveInCase:
    """Apply a step of ``move_in.case`` (``book``, ``check_documents``, ...) for ``actor``."""
    authorize(session, actor, None, case)
    return apply(session, case, name, actor, comment=comment, **data)
