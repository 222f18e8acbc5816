"""The escalation chain (升级): the job ``core.escalate_overdue`` and who it tells.

Each level of a deadline's chain (``Deadline(chain=(Escalation(role, after_minutes), ...))``, or the
single ``escalate_to`` level at due time) comes due ``after_minutes`` past the deadline's due time.
When it does, the job marks the deadline escalated to the level's role, writes the history row and the
timeline entry (:func:`core.workflow.deadlines.escalate_level`), and sends the notification
``core.deadline_escalated`` to the holders of the level's role at the record's estate *and* to the
record's assignee (so the technician knows his supervisor now knows). Paused deadlines (the record
waits for the owner) never escalate; a level is done once, however often the job runs.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.orm import Session

from core.clock import as_utc, estate_now
from core.notifications import Audience, NotificationEvent
from core.notifications.sending import record_label, send
from core.workflow.deadlines import chain_of, due_escalations, escalate_level

log = logging.getLogger(__name__)

EVENT = "core.deadline_escalated"

DEADLINE_ESCALATED = NotificationEvent(
    EVENT, "Deadline escalated", "超时升级",
    templates={
        "zh_CN": ("【超时升级】{{ record }} 已超时 {{ minutes_late }} 分钟",
                  "{{ record }}（{{ workflow_zh }}）在“{{ state_zh }}”状态已超时 {{ minutes_late }} 分钟"
                  "（应于 {{ due }} 前完成），已升级至第 {{ level }} 级：{{ role_zh }}。"
                  "{% if assignee %}处理人：{{ assignee }}。{% endif %}"),
        "en": ("[Escalated] {{ record }} is {{ minutes_late }} min overdue",
               "{{ record }} ({{ workflow }}) has been in state '{{ state }}' {{ minutes_late }} min past its due "
               "time ({{ due }}); escalated to level {{ level }}: {{ role }}."
               "{% if assignee %} Assignee: {{ assignee }}.{% endif %}"),
    },
    channels=("inapp", "email", "sms"))  # SMS: supervisors are on the move; no mobile on file = skipped


ASSIGNED_EVENT = "core.record_assigned"

RECORD_ASSIGNED = NotificationEvent(
    ASSIGNED_EVENT, "Record assigned to you or offered to your team", "派工通知",
    templates={
        "zh_CN": ("{% if offered %}【待抢单】{% else %}【派工】{% endif %}{{ record }}",
                  "{% if offered %}{{ record }} 已开放给班组 {{ team }} 抢单，先到先得。"
                  "{% else %}{{ record }} 已{{ how }}给您{% if by %}（派工人：{{ by }}）{% endif %}。{% endif %}"
                  "{% if reason %}原因：{{ reason }}{% endif %}"),
        "en": ("{% if offered %}[To grab] {% else %}[Assigned] {% endif %}{{ record }}",
               "{% if offered %}{{ record }} is offered to team {{ team }}: the first to grab it has it."
               "{% else %}{{ record }} was assigned to you{% if by %} by {{ by }}{% endif %}.{% endif %}"
               "{% if reason %} Reason: {{ reason }}{% endif %}"),
    },
    channels=("inapp",))


def _record(session: Session, row):
    from core.assignment.service import model_for_table

    model = model_for_table(row.record_table)
    return session.get(model, row.record_id) if model is not None else None


def _context(session: Session, row, index: int, level, record, now: dt.datetime) -> dict:
    from core.models import StaffUser

    due = as_utc(row.due_at)
    assignee = session.get(StaffUser, row.assignee_id) if row.assignee_id else None
    workflow, state, role = _labels(session, row.workflow, row.state, level.role)
    return {"record": record_label(record, row.record_table, row.record_id),
            "record_table": row.record_table, "record_id": row.record_id, "workflow": workflow[0],
            "workflow_zh": workflow[1], "state": state[0], "state_zh": state[1], "role": role[0], "role_zh": role[1],
            "workflow_name": row.workflow, "state_name": row.state, "role_name": level.role,
            # the due time as the estate's staff read it on screen (local, to the minute), not UTC ISO
            "due": estate_now(session, row.estate_id, now=due).strftime("%Y-%m-%d %H:%M"), "minutes_late": int((now - due).total_seconds() // 60),
            "level": index + 1, "levels": len(chain_of(row)), "assignee": str(assignee) if assignee else ""}


def _labels(session: Session, workflow: str, state: str, role: str) -> tuple[tuple[str, str], ...]:
    """(English, 中文) names of the workflow, the state and the role: a message names them as staff
    read them on screen, never as codes (``engineering_review``, ``cs_supervisor``)."""
    from core.context import wuye_of

    registry = getattr(wuye_of(session), "registry", None)
    wf = registry.workflows.get(workflow) if registry is not None else None
    names = (workflow, workflow)
    state_names = (state, state)
    if wf is not None:
        names = (wf.label or workflow, wf.label_zh or wf.label or workflow)
        try:
            st = wf.state(state)
            state_names = (st.label or state, st.label_zh or st.label or state)
        except KeyError:
            pass
    roledef = registry.roles.get(role) if registry is not None else None
    role_names = (roledef.label, roledef.label_zh or roledef.label) if roledef is not None else (role, role)
    return names, state_names, role_names


def escalate_overdue(session: Session, now: dt.datetime) -> dict:
    """Job ``core.escalate_overdue`` (every 5 minutes): escalate every level come due and tell its
    people. Returns ``{"escalated": n, "items": [...]}``; each item carries its ``level`` and ``notified`` (the
    delivery rows queued for it)."""
    items = []
    for row, index, level in due_escalations(session, now):
        item = escalate_level(session, row, index, level, now)
        record = _record(session, row)
        audience = Audience(staff_ids=(row.assignee_id,) if row.assignee_id else (), roles=(level.role,),
                            estate_id=row.estate_id)
        # core.notifications.send_notification, with the job's ``now``: deliveries are queued as of the
        # run (a catch-up run or a test with its own clock), not the wall clock.
        try:
            with session.begin_nested():  # a broken company template must not stop the escalations
                sent = send(session, EVENT, audience, context=_context(session, row, index, level, record, now),
                            record=record, estate_id=row.estate_id, now=now)
        except Exception as exc:
            log.exception("escalation of %s #%s: the notification could not be queued", row.record_table,
                          row.record_id)
            items.append({**item, "level": index + 1, "notified": 0, "error": str(exc)[:300]})
            continue
        items.append({**item, "level": index + 1, "notified": len(sent or ())})
    session.flush()
    return {"escalated": len(items), "items": items}
