"""Unit operations. A unit's status, owners and occupants change only through these functions,
so every change fires ``wuye_unit_event`` and plugins (billing, renovation, move-in) can react."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import estate_today
from core.context import wuye_of
from core.errors import Conflict, ValidationError
from core.models import Party, RelationKind, Unit, UnitRelation, UnitStatus

# Which status may follow which (spec 1.3). Kept permissive where real estates are messy (a
# rented unit can fall vacant, a vacant one be renovated), strict where it matters: nothing
# goes back to "not delivered", and "moved out" is reached only from an inhabited state.
ALLOWED_STATUS_CHANGES: dict[UnitStatus, set[UnitStatus]] = {
    UnitStatus.not_delivered: {UnitStatus.notified, UnitStatus.delivered},
    UnitStatus.notified: {UnitStatus.delivered, UnitStatus.deemed_delivered},
    UnitStatus.delivered: {UnitStatus.renovating, UnitStatus.occupied, UnitStatus.rented, UnitStatus.vacant},
    UnitStatus.deemed_delivered: {UnitStatus.delivered, UnitStatus.renovating, UnitStatus.occupied,
                                  UnitStatus.rented, UnitStatus.vacant},
    UnitStatus.renovating: {UnitStatus.occupied, UnitStatus.rented, UnitStatus.vacant, UnitStatus.delivered},
    UnitStatus.occupied: {UnitStatus.renovating, UnitStatus.rented, UnitStatus.vacant, UnitStatus.moved_out},
    UnitStatus.rented: {UnitStatus.renovating, UnitStatus.occupied, UnitStatus.vacant, UnitStatus.moved_out},
    UnitStatus.vacant: {UnitStatus.renovating, UnitStatus.occupied, UnitStatus.rented, UnitStatus.moved_out},
    UnitStatus.moved_out: {UnitStatus.vacant, UnitStatus.occupied, UnitStatus.rented, UnitStatus.renovating},
}


def _fire(session: Session, unit: Unit, event: str, data: dict) -> None:
    wuye_of(session).hook.wuye_unit_event(unit=unit, event=event, data=data)


def change_unit_status(session: Session, unit: Unit, new_status: UnitStatus | str, *, actor=None,
                       reason: str = "", on: dt.date | None = None) -> Unit:
    """Move ``unit`` to ``new_status`` and fire ``wuye_unit_event(event="status_changed")``.

    The delivery date has one source of truth, set here: becoming ``delivered`` or
    ``deemed_delivered`` sets ``delivered_on`` to ``on`` (the business date; default the estate's
    today) unless the unit already has one (a deemed-delivered unit collected later keeps the
    deemed date: its fees already run from it); becoming ``notified`` sets ``notified_on``.
    Billing reads only ``delivered_on``.

    Refuses a change the lifecycle does not allow (``Conflict``) and an unknown status
    (``ValidationError``), changing nothing.
    """
    try:
        target = UnitStatus(new_status)
    except ValueError:
        allowed = ", ".join(s.value for s in UnitStatus)
        raise ValidationError(f"unknown unit status {new_status!r}; use one of {allowed}", field="status") from None
    current = UnitStatus(unit.status)
    if target == current:
        return unit
    if target not in ALLOWED_STATUS_CHANGES[current]:
        raise Conflict(f"unit {unit.label} cannot go from '{current.value}' to '{target.value}'", field="status")
    if target in (UnitStatus.delivered, UnitStatus.deemed_delivered) and unit.delivered_on is None:
        unit.delivered_on = on or estate_today(session, unit.estate)
    elif target == UnitStatus.notified:
        unit.notified_on = on or estate_today(session, unit.estate)
    unit.status = target
    session.flush()
    _fire(session, unit, "status_changed", {"from": current.value, "to": target.value, "actor": actor,
                                            "reason": reason})
    return unit


def current_relations(session: Session, unit: Unit, kind: RelationKind, on: dt.date | None = None) -> list[UnitRelation]:
    """The relations of ``kind`` active on ``on`` (default today), oldest first."""
    on = on or estate_today(session, unit.estate)
    stmt = (select(UnitRelation).where(UnitRelation.unit_id == unit.id, UnitRelation.kind == kind,
                                       UnitRelation.start_on <= on)
            .where((UnitRelation.end_on.is_(None)) | (UnitRelation.end_on >= on))
            .order_by(UnitRelation.start_on, UnitRelation.id))
    return list(session.scalars(stmt))


def owners_of(session: Session, unit: Unit, on: dt.date | None = None) -> list[Party]:
    """The unit's owners on a day (co-owners included)."""
    return [r.party for r in current_relations(session, unit, RelationKind.owner, on)]


def add_relation(session: Session, unit: Unit, party: Party, kind: RelationKind | str, *, start_on: dt.date,
                 end_on: dt.date | None = None, relation_to_owner: str = "", share: str = "",
                 actor=None) -> UnitRelation:
    """Record that ``party`` owns or occupies ``unit`` from ``start_on``; fires owner/occupant events."""
    kind = RelationKind(kind)
    if end_on is not None and end_on < start_on:
        raise ValidationError("end date is before the start date", field="end_on")
    rel = UnitRelation(unit_id=unit.id, party_id=party.id, kind=kind, start_on=start_on, end_on=end_on,
                       relation_to_owner=relation_to_owner, share=share)
    session.add(rel)
    session.flush()
    event = "owner_changed" if kind == RelationKind.owner else "occupant_changed"
    _fire(session, unit, event, {"added": party.id, "kind": kind.value, "start_on": start_on, "actor": actor})
    return rel


def end_relation(session: Session, relation: UnitRelation, end_on: dt.date, *, actor=None) -> UnitRelation:
    """End an ownership or occupancy on ``end_on``; the row stays as history."""
    if relation.end_on is not None:
        raise Conflict(f"this relation already ended on {relation.end_on}", field="end_on")
    if end_on < relation.start_on:
        raise ValidationError(f"end date {end_on} is before the start date {relation.start_on}", field="end_on")
    relation.end_on = end_on
    session.flush()
    event = "owner_changed" if relation.kind == RelationKind.owner else "occupant_changed"
    _fire(session, relation.unit, event, {"removed": relation.party_id, "kind": relation.kind.value,
                                          "end_on": end_on, "actor": actor})
    return relation


def transfer_ownership(session: Session, unit: Unit, new_owners: list[Party], on: dt.date, *, actor=None) -> None:
    """Sale or inheritance: end every current owner's relation the day before ``on``, start the new ones."""
    if not new_owners:
        raise ValidationError("at least one new owner is needed", field="new_owners")
    for rel in current_relations(session, unit, RelationKind.owner, on):
        if rel.start_on >= on:
            raise Conflict(f"owner relation {rel.id} starts on {rel.start_on}, not before {on}", field="on")
        end_relation(session, rel, on - dt.timedelta(days=1), actor=actor)
    for party in new_owners:
        add_relation(session, unit, party, RelationKind.owner, start_on=on, actor=actor)
