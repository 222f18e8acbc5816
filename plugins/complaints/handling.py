"""Complaint operations (spec 2.10): register, route from the reception desk, assign, and the
workflow's guards and effects (classification with its escalation, the reply, the verification).

The rule of 回避: a complaint about a staff member is never handled by that person — no transition
(``conflict_message``) and no assignment (``assign_complaint``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from core import (
    Audience,
    Text,
    ValidationError,
    assign,
    attributed,
    authorize,
    estate_today,
    load,
    next_number,
    send_notification,
    transition_context,
    utcnow,
)
from core.models import Party, StaffUser, Unit
from plugins.complaints.labels import CATEGORIES, SEVERITIES
from plugins.complaints.models import Complaint
from plugins.complaints.schemas import ComplaintSchema

# Who is told at once when a complaint is classified major or serious (spec 2.10: a major complaint
# is reported immediately to the manager, a serious one to the company).
ESCALATE_TO = {"major": ("manager", ("cs_center_manager", "office_manager")),
               "serious": ("company", ("cs_center_manager", "office_manager", "general_manager", "quality_dept"))}


def conflict_message(record: Complaint, actor) -> Text | None:
    """Why ``actor`` may not handle ``record`` (the person complained about), or None."""
    if actor is not None and record.subject_staff_id is not None and getattr(actor, "id", None) == record.subject_staff_id:
        return Text("a complaint about you is handled by someone else; ask your supervisor",
                    "投诉涉及本人，须回避，请由其他人员处理")
    return None


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else utcnow()


@attributed
def register_complaint(session: Session, actor, data: dict, *, now: dt.datetime | None = None) -> Complaint:
    """Register a complaint (``data`` as ``ComplaintSchema`` loads it); also the admin and API create service.

    The estate is the unit's; a known party's name and phone fill the blanks. Numbered TS-<year>-<n>
    per estate in the estate's business year."""
    data = load(ComplaintSchema, data)
    unit = session.get(Unit, data["unit_id"]) if data.get("unit_id") else None
    if data.get("unit_id") and unit is None:
        raise ValidationError({"unit_id": [Text(f"no unit with id {data['unit_id']}", "房屋不存在")]})
    estate_id = unit.estate_id if unit is not None else data["estate_id"]
    if unit is not None and data.get("estate_id") not in (None, estate_id):
        raise ValidationError({"estate_id": [Text("the unit is in another estate; leave the estate empty",
                                                  "房屋不属于所选小区，请勿另选小区")]})
    party = session.get(Party, data["party_id"]) if data.get("party_id") else None
    if data.get("party_id") and party is None:
        raise ValidationError({"party_id": [Text(f"no party with id {data['party_id']}", "投诉人不存在")]})
    authorize(session, actor, "complaints.register", estate_id)
    received = data.get("received_at") or _now(now)
    if received > _now(now) + dt.timedelta(minutes=5):
        raise ValidationError({"received_at": [Text("the time received is in the future; give when it came in",
                                                    "受理时间不能晚于现在")]})
    subject = _subject(session, data.get("subject_staff_id"))
    complaint = Complaint(
        estate_id=estate_id, unit_id=unit.id if unit else None, party_id=party.id if party else None,
        complainant_name=(data["complainant_name"] or "").strip() or (party.name if party else ""),
        complainant_phone=(data["complainant_phone"] or "").strip() or (party.phone or "" if party else ""),
        channel=data["channel"], received_at=received, summary=data["summary"].strip(),
        content=data["content"].strip(), category=data["category"],
        subject_staff_id=subject.id if subject else None, received_by_id=getattr(actor, "id", None),
        number=next_number(session, "TS", estate_id=estate_id, year=estate_today(session, estate_id).year))
    session.add(complaint)
    session.flush()
    return complaint


def _subject(session: Session, staff_id: int | None) -> StaffUser | None:
    if staff_id is None:
        return None
    staff = session.get(StaffUser, staff_id)
    if staff is None:
        raise ValidationError({"subject_staff_id": [Text(f"no staff member with id {staff_id}", "被投诉员工不存在")]})
    return staff


# Reception channels (core intake) -> complaint channels.
_INTAKE_CHANNELS = {"phone": "phone", "walk_in": "visit", "portal": "website", "wechat": "wechat", "letter": "letter"}


def from_intake(session: Session, intake, actor) -> Complaint:
    """``IntakeHandler.create`` for category ``complaint``: the reception record becomes a complaint."""
    channel = getattr(intake.channel, "value", intake.channel)
    complaint = register_complaint(session, actor, {
        "estate_id": intake.estate_id, "unit_id": intake.unit_id, "party_id": intake.party_id,
        "complainant_name": intake.caller_name or "", "complainant_phone": intake.caller_phone or "",
        "channel": _INTAKE_CHANNELS.get(str(channel), "other"), "received_at": intake.received_at,
        "summary": intake.summary[:200], "content": intake.content or ""}, now=intake.received_at)
    complaint.intake_id = intake.id
    return complaint


AVOIDANCE = Text("this complaint is about that person; assign it to someone else (回避)",
                 "该投诉涉及此人，须回避，请指派其他人员处理")


def avoidance(record, assignee) -> Text | None:
    """``wuye_check_assignee``: a complaint is never held by the person it is about (回避), however it
    is assigned (core's 指派 form, the API, a grab, round robin)."""
    if isinstance(record, Complaint) and record.subject_staff_id is not None \
            and getattr(assignee, "id", assignee) == record.subject_staff_id:
        return AVOIDANCE
    return None


@attributed
def assign_complaint(session: Session, actor, complaint: Complaint, assignee, *, reason: str = "",
                     now: dt.datetime | None = None):
    """Give ``complaint`` to ``assignee`` (a staff user or id) through core's assignment; the person
    complained about is refused with a message naming the rule, and nothing changes."""
    if avoidance(complaint, assignee):  # also checked by core through the hook; here before any lookup
        raise ValidationError({"assignee": [AVOIDANCE]})
    return assign(session, complaint, assignee=assignee, actor=actor, reason=reason, now=now)


# --- guards and effects of the workflow ----------------------------------------------------------

def check_classification(session, record, actor, category=None, department=None, severity="ordinary",
                         subject_staff_id=None, **_):
    """Guard of ``acknowledge``: a category and the department responsible; the person complained
    about, if named now, may not be the one classifying it."""
    if category not in CATEGORIES:
        return Text("choose the complaint's category", "请选择投诉类别")
    if not department:
        return Text("choose the department responsible", "请选择责任部门")
    if severity not in SEVERITIES:
        return Text("choose the severity: ordinary, major or serious", "请选择投诉级别")
    if subject_staff_id is not None:
        if session.get(StaffUser, subject_staff_id) is None:
            return Text(f"no staff member with id {subject_staff_id} (person complained about)", "被投诉员工不存在")
        if getattr(actor, "id", None) == subject_staff_id:
            return Text("a complaint about you is handled by someone else; ask your supervisor",
                        "投诉涉及本人，须回避，请由其他人员处理")
    return None


def classify(session, record: Complaint, actor, category=None, department=None, severity="ordinary",
             subject_staff_id=None, **_):
    """Effect of ``acknowledge``: store the classification; a major complaint is reported to the
    manager and a serious one to the company at once (event ``complaints.escalated``)."""
    record.category, record.department, record.severity, record.valid = category, department, severity, True
    if subject_staff_id is not None:
        record.subject_staff_id = subject_staff_id
    if severity in ESCALATE_TO:
        level, roles = ESCALATE_TO[severity]
        record.escalated_to = level
        send_notification(session, "complaints.escalated", Audience(roles=roles, estate_id=record.estate_id),
                          context=_context(record), record=record, estate_id=record.estate_id, actor=actor)


def _context(record: Complaint) -> dict:
    return {"number": record.number, "summary": record.summary, "estate": record.estate.name if record.estate else "",
            "severity": SEVERITIES.get(record.severity, ("", ""))[1], "category": CATEGORIES.get(record.category,
                                                                                             ("", ""))[1],
            "reply": record.reply}


def check_reply(session, record, actor, investigation="", reply="", **_):
    """Guard of ``reply``: the investigation and the reply are written down."""
    if not (investigation or "").strip():
        return Text("write what the investigation found (investigation)", "请填写调查情况")
    if not (reply or "").strip():
        return Text("write the reply given to the complainant (reply)", "请填写答复内容")
    return None


def store_reply(session, record: Complaint, actor, investigation="", reply="", corrective_action="", **_):
    """Effect of ``reply``: keep the reply and tell the complainant (event ``complaints.replied``)."""
    record.investigation, record.reply = investigation.strip(), reply.strip()
    record.corrective_action = (corrective_action or "").strip()
    record.replied_at = utcnow()
    audience = Audience(party_ids=(record.party_id,) if record.party_id else (),
                        phones=() if record.party_id or not record.complainant_phone else (record.complainant_phone,))
    if audience.party_ids or audience.phones:
        send_notification(session, "complaints.replied", audience, context=_context(record), record=record,
                          estate_id=record.estate_id, actor=actor)


def check_verification(session, record, actor, verification="", satisfaction="", **_):
    """Guard of ``verify``: say how the corrective action was checked and how satisfied the complainant is."""
    if not (verification or "").strip():
        return Text("write how the corrective action was verified (verification)", "请填写验证情况")
    if not satisfaction:
        return Text("record the complainant's satisfaction", "请填写满意度")
    return None


def store_verification(session, record: Complaint, actor, verification="", satisfaction="", **_):
    record.verification, record.satisfaction = verification.strip(), satisfaction


def mark_closed(session, record: Complaint, actor, **_):
    record.closed_at = utcnow()


def mark_invalid(session, record: Complaint, actor, **_):
    """Effect of ``close_invalid``: not a valid complaint; the comment is the reason kept on record."""
    ctx = transition_context(session, record)
    record.valid, record.invalid_reason = False, (ctx.comment if ctx else "")[:1000]
    record.closed_at = utcnow()


def mark_reopened(session, record: Complaint, actor, **_):
    record.closed_at = None
