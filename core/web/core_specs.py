"""Core's own admin screens and API resources, declared with the same specs plugins use."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

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
    start_on = data.pop("start_on", None) or dt.date.today()
    if unit_id is None and not actor.all_estates:
        raise ValidationError("choose the unit this person owns or lives in", field="unit_id")
    party = Party(**data)
    session.add(party)
    session.flush()
    if unit_id is not None:
        try:
            unit = get_scoped(session, actor, Unit, unit_id)
        except NotFound:
            raise ValidationError("no such unit among the estates you work for", field="unit_id") from None
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
        AdminViewSpec(Estate, EstateSchema, "core_estates", "Estates", "小区/项目", "core.estates.view",
                      "core.estates.manage", list_columns=("code", "name", "kind", "management_office",
                                                           "office_phone"),
                      search_fields=("code", "name"), filters=("kind",), order=10),
        AdminViewSpec(Building, BuildingSchema, "core_buildings", "Buildings", "楼栋", "core.estates.view",
                      "core.estates.manage", list_columns=("estate_id", "code", "name", "phase", "floors"),
                      search_fields=("code", "name"), filters=("estate_id", "phase"),
                      lookups={"estate_id": "estate"}, order=20),
        AdminViewSpec(Unit, UnitSchema, "core_units", "Units", "房屋", "core.units.view", "core.units.manage",
                      list_columns=("estate_id", "building_id", "entrance", "room_no", "unit_type", "built_area",
                                    "status", "delivered_on"),
                      search_fields=("room_no",), filters=("estate_id", "status", "unit_type"),
                      lookups={"building_id": "building"}, order=30, create_service=create_unit),
        AdminViewSpec(Party, PartySchema, "core_parties", "Owners and tenants", "业主住户", "core.parties.view",
                      "core.parties.manage", list_columns=("name", "kind", "phone", "id_number", "created_at"),
                      search_fields=("name", "phone"), filters=("kind",), sensitive_fields=PARTY_SENSITIVE,
                      lookups={"unit_id": "unit"}, create_service=create_party, order=40),
    ]


def api_specs() -> list[ApiResourceSpec]:
    return [
        ApiResourceSpec(Estate, EstateSchema, "estates", "core.estates.view", "core.estates.manage",
                        filters=("code", "kind")),
        ApiResourceSpec(Building, BuildingSchema, "buildings", "core.estates.view", "core.estates.manage",
                        filters=("estate_id", "code")),
        ApiResourceSpec(Unit, UnitSchema, "units", "core.units.view", "core.units.manage",
                        filters=("estate_id", "building_id", "status", "unit_type", "room_no"),
                        eager=("building",), create_service=create_unit, update_service=update_unit),
        ApiResourceSpec(Party, PartySchema, "parties", "core.parties.view", "core.parties.manage",
                        filters=("kind", "name"), sensitive_fields=PARTY_SENSITIVE,
                        create_service=create_party, update_service=update_party),
    ]
