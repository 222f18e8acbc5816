"""Marshmallow schemas for core records (estates, buildings, units, parties): admin and API validate with them."""

from __future__ import annotations

import zoneinfo

from marshmallow import Schema, fields, validate, validates
from marshmallow import ValidationError as MmValidationError

from core.models import PartyKind, RelationKind, UnitStatus, UnitType

_short = validate.Length(max=32)


class EstateSchema(Schema):
    """An estate (小区/项目)."""

    id = fields.Integer(dump_only=True)
    code = fields.String(required=True, validate=validate.Length(min=1, max=32),
                         metadata={"description": "short code used in numbers, e.g. CH"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(load_default="residential", validate=_short)
    address = fields.String(load_default="", validate=validate.Length(max=400))
    timezone = fields.String(load_default="Asia/Shanghai", validate=validate.Length(min=1, max=64))
    management_office = fields.String(load_default="", validate=validate.Length(max=200))
    office_phone = fields.String(load_default="", validate=validate.Length(max=40))
    created_at = fields.AwareDateTime(dump_only=True)

    @validates("timezone")
    def _tz(self, value, **_):
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise MmValidationError("Not a known time zone, e.g. Asia/Shanghai.") from None


class BuildingSchema(Schema):
    """A building (栋/楼) of an estate."""

    id = fields.Integer(dump_only=True)
    estate_id = fields.Integer(required=True, strict=True)
    code = fields.String(required=True, validate=validate.Length(min=1, max=32))
    name = fields.String(load_default="", validate=validate.Length(max=200))
    phase = fields.String(load_default="", validate=validate.Length(max=64))
    floors = fields.Integer(load_default=1, strict=True, validate=validate.Range(min=1, max=300))


class UnitSchema(Schema):
    """A unit (房屋): its estate follows from the building; its status changes only by status moves."""

    id = fields.Integer(dump_only=True)
    estate_id = fields.Integer(dump_only=True)
    building_id = fields.Integer(required=True, strict=True)
    entrance = fields.String(load_default="", validate=validate.Length(max=16))
    floor = fields.Integer(load_default=1, strict=True, validate=validate.Range(min=-10, max=300))
    room_no = fields.String(required=True, validate=validate.Length(min=1, max=32))
    unit_type = fields.Enum(UnitType, by_value=True, load_default=UnitType.residential)
    built_area = fields.Decimal(places=2, as_string=True, load_default=None, allow_none=True,
                                validate=validate.Range(min=0, max=99999999))
    interior_area = fields.Decimal(places=2, as_string=True, load_default=None, allow_none=True,
                                   validate=validate.Range(min=0, max=99999999))
    status = fields.Enum(UnitStatus, by_value=True, dump_only=True)
    delivered_on = fields.Date(allow_none=True)
    usage_nature = fields.String(load_default="", validate=validate.Length(max=64))
    label = fields.String(dump_only=True)


class PartySchema(Schema):
    """A person or company: owner, household member, tenant, agent, contractor."""

    id = fields.Integer(dump_only=True)
    kind = fields.Enum(PartyKind, by_value=True, load_default=PartyKind.person)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    id_type = fields.String(load_default="id_card", validate=_short)
    id_number = fields.String(load_default="", validate=validate.Length(max=64))
    phone = fields.String(load_default="", validate=validate.Length(max=40))
    phone2 = fields.String(load_default="", validate=validate.Length(max=40))
    email = fields.String(load_default="", validate=validate.Length(max=200))
    address = fields.String(load_default="", validate=validate.Length(max=400))
    notes = fields.String(load_default="", validate=validate.Length(max=2000))
    created_at = fields.AwareDateTime(dump_only=True)
    # Only when creating: the unit the party owns or occupies (staff see parties through their units).
    unit_id = fields.Integer(load_only=True, strict=True, metadata={"description": "unit the party relates to"})
    relation = fields.Enum(RelationKind, by_value=True, load_only=True, load_default=RelationKind.owner)
    start_on = fields.Date(load_only=True, metadata={"description": "since when (default today)"})
