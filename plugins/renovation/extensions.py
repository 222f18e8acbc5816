"""Extensions (装修延期申请): the applicant asks to move the planned end; a supervisor decides.

An approved extension moves the planned end and the worker passes with it (they expire at the
planned end). Public through ``plugins.renovation.services``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core import Conflict, Text, ValidationError, attributed, authorize, utcnow
from plugins.renovation.models import RenovationApplication, RenovationExtension
from plugins.renovation.site import extend_passes

# An extension is asked for, and granted, while the permit runs.
EXTENDABLE_STATES = ("permit_issued", "in_progress", "suspended", "rectification")


@attributed
def request_extension(session, actor, app: RenovationApplication, *, requested_end: dt.date,
                      reason: str) -> RenovationExtension:
    """Record the applicant's request to move the planned end."""
    authorize(session, actor, "renovation.apply", app)
    if app.status not in EXTENDABLE_STATES:
        raise Conflict(Text(f"{app.number} is '{app.status}'; an extension is asked for while the permit runs", f"装修申请 {app.number} 当前状态不能申请延期（须在许可证有效期内申请）"),
                       field="status")
    if not isinstance(requested_end, dt.date) or requested_end <= app.planned_end:
        raise ValidationError(Text(f"requested_end must be after the current planned end {app.planned_end}", f"申请延至日期须晚于原计划完工日期 {app.planned_end}"),
                              field="requested_end")
    if not reason.strip():
        raise ValidationError(Text("give the reason for the extension", "请填写延期原因"), field="reason")
    pending = session.scalar(select(RenovationExtension).where(RenovationExtension.application_id == app.id,
                                                               RenovationExtension.status == "pending"))
    if pending is not None:
        raise Conflict(Text(f"an extension to {pending.requested_end} is already waiting for a decision", f"已有延期至 {pending.requested_end} 的申请待审批"),
                       field="requested_end")
    ext = RenovationExtension(estate_id=app.estate_id, application_id=app.id, requested_end=requested_end,
                              previous_end=app.planned_end, reason=reason.strip(), requested_by_id=actor.id)
    session.add(ext)
    session.flush()
    return ext


@attributed
def decide_extension(session, actor, ext: RenovationExtension, *, approve: bool,
                     note: str = "") -> RenovationExtension:
    """Approve (the planned end and the worker passes move) or reject an extension request."""
    authorize(session, actor, "renovation.extend", ext)
    if ext.status != "pending":
        raise Conflict(Text(f"this extension was already {ext.status}", "该延期申请已处理"), field="status")
    app = ext.application
    if approve and app.status not in EXTENDABLE_STATES:
        raise Conflict(Text(f"{app.number} is '{app.status}'; it can no longer be extended", f"装修申请 {app.number} 当前状态不能再延期"), field="status")
    if not approve and not note.strip():
        raise ValidationError(Text("say why the extension is refused", "请说明不予延期的原因"), field="note")
    ext.status = "approved" if approve else "rejected"
    ext.approved_by_id = actor.id
    ext.decided_at = utcnow()
    ext.decision_note = note.strip()
    if approve:
        app.planned_end = ext.requested_end
        extend_passes(session, app)
    session.flush()
    return ext
