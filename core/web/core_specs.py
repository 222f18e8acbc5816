"""Core's own admin screens and API resources, declared with the same specs plugins use."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.clock import estate_today
from core.errors import NotFound, ValidationError
from core.models import Building, Estate, Party, RelationKind, Unit
from core.scoping import get_scoped
from core.services.units import add_relation
from core.web.core_schemas import BuildingSchema, EstateSchema, PartySchema, UnitSchema
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
                      edit_permission="core.parties.manage", list_columns=("name", "kind", "phone", "id_number", "created_at"),
                      search_fields=("name", "phone"), filters=("kind",), sensitive_fields=PARTY_SENSITIVE,
                      lookups={"unit_id": "unit"}, create_service=create_party, order=40),
    ]


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
    ]
