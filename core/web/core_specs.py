"""Core's own admin screens and API resources, declared with the same specs plugins use."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import estate_today
from core.errors import Conflict, NotFound, ValidationError
from core.models import Building, Estate, Party, RelationKind, Role, StaffUser, Unit, UnitRelation
from core.scoping import get_scoped
from core.services.units import add_relation, end_relation
from core.web.calendar_admin import calendar_admin_specs
from core.web.core_schemas import (
    BuildingSchema,
    EstateSchema,
    PartySchema,
    StaffMemberSchema,
    UnitRelationSchema,
    UnitSchema,
)
from core.web.specs import AdminViewSpec, ApiResourceSpec

PARTY_SENSITIVE = ("id_number", "phone", "phone2")


def create_unit(session: Session, actor, data: dict) -> Unit:
    """A new unit takes its estate from its building."""
    try:
        building = get_scoped(session, actor, Building, data["building_id"])
    except NotFound:
        raise ValidationError("no such building among the estates you work for", field="building_id") from None
    unit = Unit(estate_id=building.estate_id, **data)
    session.add(unit)
    session.flush()
    return unit


def update_unit(session: Session, actor, unit: Unit, data: dict) -> Unit:
    for key, value in data.items():
        setattr(unit, key, value)
    if "building_id" in data:
        building = session.get(Building, data["building_id"])
        unit.estate_id = building.estate_id
    session.flush()
    return unit


def create_party(session: Session, actor, data: dict) -> Party:
    """A new owner, tenant or household member, related to a unit from ``start_on`` (default today)."""
    unit_id = data.pop("unit_id", None)
    kind = data.pop("relation", RelationKind.owner)
    if unit_id is None and not actor.all_estates:
        raise ValidationError("choose the unit this person owns or lives in", field="unit_id")
    unit = None
    if unit_id is not None:
        try:
            unit = get_scoped(session, actor, Unit, unit_id)
        except NotFound:
            raise ValidationError("no such unit among the estates you work for", field="unit_id") from None
    start_on = data.pop("start_on", None) or estate_today(session, unit.estate if unit is not None else None)
    party = Party(**data)
    session.add(party)
    session.flush()
    if unit is not None:
        add_relation(session, unit, party, kind, start_on=start_on, actor=actor)
    return party


def update_party(session: Session, actor, party: Party, data: dict) -> Party:
    for key in ("unit_id", "relation", "start_on"):
        if key in data:
            raise ValidationError("set only when creating; relate the party to units from the unit", field=key)
    for key, value in data.items():
        setattr(party, key, value)
    session.flush()
    return party


def create_relation(session: Session, actor, data: dict) -> UnitRelation:
    """Relate a party the actor may see to a unit of theirs (``core.services.units.add_relation``,
    which fires ``wuye_unit_event``). The same party in the same role over an overlapping period is
    refused (409), so a retried request does not record a co-owner twice."""
    try:
        unit = get_scoped(session, actor, Unit, data["unit_id"])
    except NotFound:
        raise ValidationError("no such unit among the estates you work for", field="unit_id") from None
    try:
        party = get_scoped(session, actor, Party, data["party_id"])
    except NotFound:
        raise ValidationError("no such party among the records you may see; create one with POST /parties "
                              "(with unit_id) first", field="party_id") from None
    kind = RelationKind(data["kind"])
    start_on = data.get("start_on") or estate_today(session, unit.estate)
    end_on = data.get("end_on")
    overlap = (select(UnitRelation).where(UnitRelation.unit_id == unit.id, UnitRelation.party_id == party.id,
                                          UnitRelation.kind == kind)
               .where(UnitRelation.end_on.is_(None) | (UnitRelation.end_on >= start_on)))
    if end_on is not None:
        overlap = overlap.where(UnitRelation.start_on <= end_on)
    clash = session.scalars(overlap.order_by(UnitRelation.id)).first()
    if clash is not None:
        raise Conflict(f"{party.name} is already {kind.value} of this unit from {clash.start_on} "
                       f"(unit relation {clash.id}); end that one first", field="party_id")
    return add_relation(session, unit, party, kind, start_on=start_on, end_on=end_on,
                        relation_to_owner=data.get("relation_to_owner", ""), share=data.get("share", ""),
                        actor=actor)


def update_relation(session: Session, actor, relation: UnitRelation, data: dict) -> UnitRelation:
    """A relation changes only by ending (``end_relation``): sale, move-out, end of a lease."""
    for key in data:
        if key != "end_on":
            raise ValidationError("only end_on can change; to correct anything else, end this relation "
                                  "and create a new one", field=key)
    if data.get("end_on") is None:
        raise ValidationError("send end_on, the last day of the relation (YYYY-MM-DD)", field="end_on")
    return end_relation(session, relation, data["end_on"], actor=actor)


def staff_with_role(raw: str):
    """``?role=cashier``: the holders of the role."""
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,63}", raw):
        raise ValueError("Not a role name, e.g. cashier (`wuye roles list`).")
    return StaffUser.roles.any(Role.name == raw)


def staff_of_estate(raw: str):
    """``?estate_id=3``: staff who work for the estate: assigned to it, or in a role that sees every estate."""
    if not re.fullmatch(r"\d{1,10}", raw) or not 0 < int(raw) < 2**31:
        raise ValueError("Not a valid estate id.")
    return StaffUser.estates.any(Estate.id == int(raw)) | StaffUser.roles.any(Role.all_estates.is_(True))


STAFF_FILTERS = {
    "role": (staff_with_role, {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,63}$"}),
    "estate_id": (staff_of_estate, {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}),
}


def admin_specs() -> list[AdminViewSpec]:
    return [
        AdminViewSpec(model=Estate, schema=EstateSchema, name="core_estates", label="Estates", label_zh="小区/项目", view_permission="core.estates.view",
                      edit_permission="core.estates.manage", list_columns=("code", "name", "kind", "management_office",
                                                           "office_phone"),
                      search_fields=("code", "name"), filters=("kind",), order=10),
        AdminViewSpec(model=Building, schema=BuildingSchema, name="core_buildings", label="Buildings", label_zh="楼栋", view_permission="core.estates.view",
                      edit_permission="core.estates.manage", list_columns=("estate_id", "code", "name", "phase", "floors"),
                      search_fields=("code", "name"), filters=("estate_id", "phase"),
                      lookups={"estate_id": "estate"}, order=20),
        AdminViewSpec(model=Unit, schema=UnitSchema, name="core_units", label="Units", label_zh="房屋", view_permission="core.units.view", edit_permission="core.units.manage",
                      list_columns=("estate_id", "building_id", "entrance", "room_no", "unit_type", "built_area",
                                    "status", "delivered_on"),
                      search_fields=("room_no",), filters=("estate_id", "status", "unit_type"),
                      lookups={"building_id": "building"}, order=30, create_service=create_unit),
        AdminViewSpec(model=Party, schema=PartySchema, name="core_parties", label="Owners and tenants", label_zh="业主住户", view_permission="core.parties.view",
                      edit_permission="core.parties.manage", list_columns=("name", "kind", "unit_labels", "phone", "id_number", "created_at"),
                      column_labels={"unit_labels": ("Units", "房屋")},
                      search_fields=("name", "phone"), filters=("kind",), sensitive_fields=PARTY_SENSITIVE,
                      lookups={"unit_id": "unit"}, create_service=create_party, order=40),
        *calendar_admin_specs(),  # holidays, make-up days and working hours (core.web.calendar_admin)
        *_front_door("admin_specs"),
    ]


def _front_door(kind: str) -> list:
    """The generated screens (``admin_specs``) or API resources (``api_specs``) of the front-door features."""
    from core.web import assignment_specs, attachments_specs, intake_specs, notifications_specs

    return [s for m in (notifications_specs, assignment_specs, attachments_specs, intake_specs) for s in getattr(m, kind)()]


def api_specs() -> list[ApiResourceSpec]:
    return [
        ApiResourceSpec(model=Estate, schema=EstateSchema, path="estates", view_permission="core.estates.view", edit_permission="core.estates.manage",
                        filters=("code", "kind")),
        ApiResourceSpec(model=Building, schema=BuildingSchema, path="buildings", view_permission="core.estates.view", edit_permission="core.estates.manage",
                        filters=("estate_id", "code")),
        ApiResourceSpec(model=Unit, schema=UnitSchema, path="units", view_permission="core.units.view", edit_permission="core.units.manage",
                        filters=("estate_id", "building_id", "status", "unit_type", "room_no"),
                        eager=("building",), create_service=create_unit, update_service=update_unit),
        ApiResourceSpec(model=Party, schema=PartySchema, path="parties", view_permission="core.parties.view", edit_permission="core.parties.manage",
                        filters=("kind", "name"), sensitive_fields=PARTY_SENSITIVE,
                        create_service=create_party, update_service=update_party),
        # Owners, household members and tenants of units: ?unit_id= gives a unit's owners.
        ApiResourceSpec(model=UnitRelation, schema=UnitRelationSchema, path="unit-relations",
                        view_permission="core.parties.view", edit_permission="core.parties.manage",
                        filters=("unit_id", "party_id", "kind"), eager=("party",),
                        create_service=create_relation, update_service=update_relation),
        # Read-only staff directory, to find the ids transitions take (approver, staff_id, collector_id).
        ApiResourceSpec(model=StaffUser, schema=StaffMemberSchema, path="staff", view_permission="core.staff.view",
                        filters=("username", "active", "department_id", "employee_no"),
                        filter_clauses=STAFF_FILTERS, can_create=False, can_update=False),
        *_front_door("api_specs"),
    ]
