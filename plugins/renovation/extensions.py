"""Extensions (装修延期申请): the applicant asks to move the planned end; a supervisor decides.

An approved extension moves the planned end and the worker passes with it (they expire at the
planned end). Public through ``plugins.renovation.services``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core import Conflict, ValidationError, attributed, authorize, utcnow
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
        raise Conflict(f"{app.number} is '{app.status}'; an extension is asked for while the permit runs",
                       field="status")
    if not isinstance(requested_end, dt.date) or requested_end <= app.planned_end:
        raise ValidationError(f"requested_end must be after the current planned end {app.planned_end}",
                              field="requested_end")
    if not reason.strip():
        raise ValidationError("give the reason for the extension", field="reason")
    pending = session.scalar(select(RenovationExtension).where(RenovationExtension.application_id == app.id,
                                                               RenovationExtension.status == "pending"))
    if pending is not None:
        raise Conflict(f"an extension to {pending.requested_end} is already waiting for a decision",
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
        raise Conflict(f"this extension was already {ext.status}", field="status")
    app = ext.application
    if approve and app.status not in EXTENDABLE_STATES:
        raise Conflict(f"{app.number} is '{app.status}'; it can no longer be extended", field="status")
    if not approve and not note.strip():
        raise ValidationError("say why the extension is refused", field="note")
    ext.status = "approved" if approve else "rejected"
    ext.approved_by_id = actor.id
    ext.decided_at = utcnow()
    ext.decision_note = note.strip()
    if approve:
        app.planned_end = ext.requested_end
        extend_passes(session, app)
    session.flush()
    return ext
