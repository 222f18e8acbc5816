"""Incidents (事件): many reception records about one happening (a water cut reported by 40 units)
merged into one incident, resolved once, with every reporter told the resolution."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.activity import acting_as
from core.clock import estate_today, utcnow
from core.errors import Conflict, ValidationError
from core.intake.schemas import IncidentSchema
from core.models import Estate
from core.models.intake import Incident, IncidentStatus, Intake, IntakeCategory, IntakeStatus
from core.scoping import authorize
from core.sequences import next_number
from core.text import Text
from core.validation import load

DUPLICATE_HOURS = 6  # reports of one happening come in within hours of each other
RESOLVED_EVENT = "core.incident_resolved"


def open_incident(session: Session, actor, estate_id: int, title: str, category: str = "repair",
                  description: str = "", *, now: dt.datetime | None = None) -> Incident:
    """Open an incident (numbered ``SJ-YYYY-NNNNNN``) at ``estate_id``; merge reports into it next."""
    values = load(IncidentSchema, {"estate_id": estate_id, "title": title, "category": category,
                                   "description": description})
    if session.get(Estate, values["estate_id"]) is None:
        raise ValidationError(Text(f"no estate with id {estate_id}", f"没有编号为 {estate_id} 的小区"), field="estate_id")
    authorize(session, actor, "core.incidents.manage", values["estate_id"])
    now = now or utcnow()
    year = estate_today(session, values["estate_id"], now=now).year
    incident = Incident(number=next_number(session, "SJ", estate_id=values["estate_id"], year=year),
                        estate_id=values["estate_id"], title=values["title"].strip(), category=values["category"],
                        description=values["description"], status=IncidentStatus.open, opened_at=now,
                        opened_by_id=getattr(actor, "id", None))
    with acting_as(session, actor):
        session.add(incident)
        session.flush()
    return incident


def merge_into_incident(session: Session, actor, incident: Incident, intakes: Iterable[Intake]) -> Incident:
    """Merge reception records into ``incident``: each becomes one of its reports (status ``merged``).

    Only records of the incident's estate that are still new (or already in this incident, which
    is left as is) are merged; anything else is refused before any record changes.
    """
    authorize(session, actor, "core.incidents.manage", incident)
    if IncidentStatus(incident.status) != IncidentStatus.open:
        raise Conflict(Text(f"{incident.number} is already resolved; open a new incident",
                            f"{incident.number} 已解决，请另开事件"), field="incident_id")
    intakes = list(intakes)
    if not intakes:
        raise ValidationError(Text("choose the reception records to merge", "请选择要并入的来电来访登记"),
                              field="intake_ids")
    problems = []
    for intake in intakes:
        if intake.estate_id != incident.estate_id:
            problems.append(Text(f"{intake.number} is from another estate than {incident.number}; only reports of "
                                 "the same estate merge", f"{intake.number} 与 {incident.number} 不属于同一小区，不能合并"))
        elif intake.incident_id == incident.id:
            continue
        elif IntakeStatus(intake.status) != IntakeStatus.new:
            en, zh = IntakeStatus.__labels__[IntakeStatus(intake.status).value]
            problems.append(Text(f"{intake.number} is {en.lower()}; only new records merge",
                                 f"{intake.number} 状态为{zh}，只有待处理的登记才能合并"))
    if problems:
        raise ValidationError({"intake_ids": problems})
    for intake in intakes:  # estate scope of each record follows from the incident's (same estate)
        authorize(session, actor, "core.intake.view", intake)
    with acting_as(session, actor):
        for intake in intakes:
            if intake.incident_id != incident.id:
                intake.incident_id, intake.status = incident.id, IntakeStatus.merged
        session.flush()
    session.expire(incident, ["intakes"])
    return incident


def incident_from_intake(session: Session, actor, intake: Intake, title: str = "", *,
                         now: dt.datetime | None = None) -> Incident:
    """Open an incident from one reception record (its summary as title unless given) and merge it in."""
    authorize(session, actor, "core.intake.view", intake)
    incident = open_incident(session, actor, intake.estate_id, (title or "").strip() or intake.summary,
                             IntakeCategory(intake.category).value, intake.content, now=now)
    return merge_into_incident(session, actor, incident, [intake])


def find_possible_duplicates(session: Session, intake: Intake, *, hours: int = DUPLICATE_HOURS) -> list[Intake]:
    """Other open reception records that may report the same happening as ``intake``.

    Same estate and category, received within ``hours`` before or after it, and still new or
    merged into an incident that is open; oldest first.
    """
    window = dt.timedelta(hours=hours)
    open_incident_ids = select(Incident.id).where(Incident.estate_id == intake.estate_id,
                                                  Incident.status == IncidentStatus.open)
    stmt = (select(Intake).where(
        Intake.estate_id == intake.estate_id, Intake.category == intake.category, Intake.id != intake.id,
        Intake.received_at >= intake.received_at - window, Intake.received_at <= intake.received_at + window,
        (Intake.status == IntakeStatus.new)
        | ((Intake.status == IntakeStatus.merged) & Intake.incident_id.in_(open_incident_ids)))
        .order_by(Intake.received_at, Intake.id))
    return list(session.scalars(stmt))


def open_incidents(session: Session, estate_id: int, category: str | None = None) -> list[Incident]:
    """The estate's open incidents (of ``category`` if given), newest first: where a report may merge."""
    stmt = select(Incident).where(Incident.estate_id == estate_id, Incident.status == IncidentStatus.open)
    if category is not None:
        stmt = stmt.where(Incident.category == category)
    return list(session.scalars(stmt.order_by(Incident.opened_at.desc(), Incident.id.desc())))


@dataclass(frozen=True)
class Reporters:
    """Who reported an incident: known parties (told through notifications) and phone-only callers."""

    party_ids: tuple[int, ...]
    phones: tuple[str, ...]  # walk-in strangers: no party to address, the desk calls them back


def reporters_of(session: Session, incident: Incident) -> Reporters:
    """The incident's reporters, each once (a party who called twice is told once)."""
    parties: dict[int, None] = {}
    phones: dict[str, None] = {}
    for intake in session.scalars(select(Intake).where(Intake.incident_id == incident.id)
                                  .order_by(Intake.received_at, Intake.id)):
        if intake.party_id is not None:
            parties[intake.party_id] = None
        elif intake.caller_phone:
            phones[intake.caller_phone] = None
    return Reporters(tuple(parties), tuple(phones))


def resolve_incident(session: Session, actor, incident: Incident, resolution: str, *,
                     now: dt.datetime | None = None) -> list:
    """Resolve ``incident`` and every report merged into it, and tell each reporter by SMS.

    Every reporter gets the event ``core.incident_resolved`` by SMS, once however many times they
    called: owners and tenants on file at their phone, callers registered with only a phone at that
    number. Returns the deliveries queued.
    """
    authorize(session, actor, "core.incidents.manage", incident)
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError(Text("write what was done: it is sent to every reporter",
                                   "请填写处理结果（将发送给每位报告人）"), field="resolution")
    if len(resolution) > 4000:
        raise ValidationError(Text("the resolution is longer than 4000 characters", "处理结果超过 4000 字"),
                              field="resolution")
    if IncidentStatus(incident.status) != IncidentStatus.open:
        raise Conflict(Text(f"{incident.number} is already resolved", f"{incident.number} 已解决"), field="status")
    now = now or utcnow()
    with acting_as(session, actor):
        incident.status, incident.resolved_at = IncidentStatus.resolved, now
        incident.resolved_by_id, incident.resolution = getattr(actor, "id", None), resolution
        for intake in session.scalars(select(Intake).where(Intake.incident_id == incident.id)):
            if IntakeStatus(intake.status) == IntakeStatus.merged:
                intake.status, intake.resolved_at = IntakeStatus.resolved, now
        session.flush()
    reporters = reporters_of(session, incident)
    if not reporters.party_ids and not reporters.phones:
        return []
    from core.notifications import Audience, send_notification

    estate = session.get(Estate, incident.estate_id)
    context = {"number": incident.number, "title": incident.title, "resolution": resolution,
               "estate": estate.name if estate else "", "resolved_at": now.isoformat()}
    # Callers who left only a phone are texted at that number, like the owners and tenants on file.
    audience = Audience(party_ids=reporters.party_ids, phones=reporters.phones)
    return send_notification(session, RESOLVED_EVENT, audience, context=context,
                             record=incident, estate_id=incident.estate_id, channels=("sms",), actor=actor)
