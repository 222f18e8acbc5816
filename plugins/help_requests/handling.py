"""Help requests (求助登记): registration, the reply limit, the emergency alert and the workflow's
guards and effects (002 Help Art.4-9; spec 2.19, limits 4.1 rows 15-17).

The reply limit is a company setting (``[plugins.help_requests] reply_minutes``, the blank
"在 分钟内" of Art.4, 30 minutes by default), so the state ``received`` carries a computed deadline,
``Deadline(due=reply_deadline)``: the engine asks :func:`reply_deadline` when the request is
inserted, and it answers from the request and the setting: ``reply_minutes`` after the request was
received for help and emergencies, ``written_reply_days`` days for a written inquiry (Art.9). A
changed setting applies to requests received after the restart; open ones keep the limit they got.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from core import (
    Audience,
    Text,
    ValidationError,
    as_system,
    assign,
    attributed,
    authorize,
    estate_today,
    has_permission,
    load,
    next_number,
    send_notification,
    transition_context,
    utcnow,
)
from core.models import Party, StaffUser, Unit
from plugins.help_requests.models import CATEGORIES, HelpRequest
from plugins.help_requests.schemas import HelpRequestSchema
from plugins.help_requests.settings import current

# Who is told at once of an emergency call (Art.8: major emergencies to the CS supervisor at once;
# the manager and the security team on duty act on it).
EMERGENCY_ROLES = ("cs_supervisor", "office_manager", "security_manager", "squad_leader")
EMERGENCY_CHANNELS = ("inapp", "sms")


def reply_due(session: Session, request: HelpRequest, received: dt.datetime | None = None) -> dt.datetime:
    """When the request must be replied to: ``written_reply_days`` days after it was received for a
    written inquiry (calendar days, as Art.9 says "两天内"), else ``reply_minutes`` minutes."""
    settings = current(session)
    received = received or request.received_at
    if received.tzinfo is None:
        received = received.replace(tzinfo=dt.UTC)
    if request.category == "written_inquiry":
        return received + dt.timedelta(days=settings["written_reply_days"])
    return received + dt.timedelta(minutes=settings["reply_minutes"])


def reply_deadline(session: Session, request: HelpRequest, started_at: dt.datetime) -> dt.datetime:
    """The computed due time of the state ``received`` (``Deadline(due=...)``): :func:`reply_due`,
    counted from when the request was received (the reception desk may have taken it earlier)."""
    return reply_due(session, request, received=request.received_at or started_at)


def alert_emergency(session: Session, request: HelpRequest, now: dt.datetime | None = None) -> list:
    """Queue the emergency alert (in-app and SMS) to the estate's CS supervisor, manager and security
    leads at once; returns the deliveries."""
    label = CATEGORIES[request.category]
    unit = request.unit.label if request.unit is not None else ""
    context = {"number": request.number, "category": label[2], "category_en": label[1],
               "location": " ".join(p for p in (unit, request.location) if p),
               "caller": request.caller_name, "phone": request.caller_phone,
               "description": request.description}
    deliveries = send_notification(session, "help_requests.emergency",
                                   Audience(roles=EMERGENCY_ROLES, estate_id=request.estate_id), context=context,
                                   record=request, channels=EMERGENCY_CHANNELS, now=now)
    request.alerted_at = now or utcnow()
    return deliveries


def _tell_supervisor_of_written_inquiry(session: Session, request: HelpRequest, now) -> None:
    send_notification(session, "help_requests.written_inquiry",
                      Audience(roles=("cs_supervisor",), estate_id=request.estate_id),
                      context={"number": request.number, "due": request.reply_due_at.strftime("%Y-%m-%d %H:%M UTC"),
                               "description": request.description},
                      record=request, now=now)


@attributed
def register_request(session: Session, actor: StaffUser | None, data: dict, *, now: dt.datetime | None = None,
                     received_at: dt.datetime | None = None, intake_id: int | None = None) -> HelpRequest:
    """Register a help request, emergency call or inquiry (``data`` as ``HelpRequestSchema`` loads it).

    The actor is the first receiver (首问负责). An emergency alerts the estate's leads at once; a
    written inquiry tells the CS supervisor, who replies in writing. The create service of the admin
    screen and the API resource."""
    data = load(HelpRequestSchema, data)
    unit = party = None
    if data.get("unit_id") is not None:
        unit = session.get(Unit, data["unit_id"])
        if unit is None:
            raise ValidationError(Text("no unit with id {id}", "没有编号为 {id} 的房屋").format(id=data["unit_id"]),
                                  field="unit_id")
        if data.get("estate_id") not in (None, unit.estate_id):
            raise ValidationError(Text("the unit is not in this estate", "该房屋不属于所选小区"), field="unit_id")
    estate_id = unit.estate_id if unit is not None else data["estate_id"]
    if data.get("party_id") is not None:
        party = session.get(Party, data["party_id"])
        if party is None:
            raise ValidationError(Text("no owner or tenant with id {id}", "没有编号为 {id} 的业主/住户")
                                  .format(id=data["party_id"]), field="party_id")
    authorize(session, actor, "help_requests.register", unit if unit is not None else estate_id)
    now = now or utcnow()
    request = HelpRequest(
        estate_id=estate_id, kind=CATEGORIES[data["category"]][0], category=data["category"],
        channel=data["channel"], unit_id=unit.id if unit else None, party_id=party.id if party else None,
        caller_name=(data["caller_name"].strip() or (party.name if party else "")),
        caller_phone=(data["caller_phone"].strip() or (party.phone or "" if party else "")),
        location=data["location"].strip(), description=data["description"].strip(),
        received_at=received_at or now, received_by_id=actor.id if actor is not None else None,
        intake_id=intake_id,
        number=next_number(session, "HR", estate_id=estate_id, year=estate_today(session, estate_id).year))
    request.reply_due_at = reply_due(session, request)
    session.add(request)
    session.flush()  # the engine opens the reply deadline (reply_deadline) at the insert
    if actor is not None:
        _own(session, request, actor, now)
    if request.kind == "emergency":
        alert_emergency(session, request, now)
    elif request.category == "written_inquiry":
        _tell_supervisor_of_written_inquiry(session, request, now)
    session.flush()
    return request


def _own(session: Session, request: HelpRequest, receiver: StaffUser, now: dt.datetime) -> None:
    """首问负责制: the first receiver holds the request (core assignment) to the return visit, so it is in
    his inbox and he is told with the supervisor when the reply is late. A receiver without
    ``core.assignment.assign`` (a front-desk clerk) is assigned by the system on the rule's behalf."""
    if has_permission(session, receiver, "core.assignment.assign"):
        assign(session, request, assignee=receiver, actor=receiver, now=now)
        return
    with as_system(session):
        assign(session, request, assignee=receiver, actor=None, now=now)


# --- the workflow's guards and effects ------------------------------------------------------------

def _text(session, record, given: str | None) -> str:
    context = transition_context(session, record)
    return (given or "").strip() or (getattr(context, "comment", "") or "").strip()


def written_reply_required(session, record, actor, reply: str | None = None, **_):
    """Guard: a written inquiry is answered in writing (Art.9): the reply text is required."""
    if record.category == "written_inquiry" and not _text(session, record, reply):
        return Text("reply: a written inquiry needs the written reply", "reply: 书面咨询须填写书面答复")
    return None


def store_reply(session, record, actor, reply: str | None = None, **_):
    record.reply = _text(session, record, reply)
    record.replied_at = utcnow()
    record.replied_by_id = actor.id if actor is not None else None


def store_result(session, record, actor, result: str | None = None, **_):
    record.result = _text(session, record, result)
    record.resolved_at = utcnow()


def store_return_visit(session, record, actor, return_visit: str | None = None, **_):
    record.return_visit = _text(session, record, return_visit)
    record.closed_at = utcnow()


def stamp_closed(session, record, actor, **_):
    record.closed_at = utcnow()
