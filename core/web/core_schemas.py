"""Marshmallow schemas for core records (estates, buildings, units, parties): admin and API validate with them."""

from __future__ import annotations

import zoneinfo
from decimal import Decimal

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
    kind = fields.String(load_default="residential", validate=_short, metadata={"labels": {
        "residential": ("Residential", "住宅小区"), "office": ("Office building", "写字楼"),
        "commercial": ("Commercial", "商业物业"), "villa": ("Villas", "别墅区")}})
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
    # Areas are never unknown in the books (0 until measured): null is refused rather than failing
    # at the NOT NULL column with a misleading conflict.
    built_area = fields.Decimal(places=2, as_string=True, load_default=Decimal("0.00"),
                                validate=validate.Range(min=0, max=99999999))
    interior_area = fields.Decimal(places=2, as_string=True, load_default=Decimal("0.00"),
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
    id_type = fields.String(load_default="id_card", validate=_short, metadata={"labels": {
        "id_card": ("Resident ID card", "居民身份证"), "passport": ("Passport", "护照"),
        "business_licence": ("Business licence", "营业执照"), "hk_macau_permit": ("Hong Kong/Macau permit", "港澳通行证"),
        "taiwan_permit": ("Taiwan compatriot permit", "台胞证"), "other": ("Other", "其他")}})
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


class UnitRelationSchema(Schema):
    """A party's ownership or occupancy of a unit (业主 / 家庭成员 / 租户), dated so history is kept."""

    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=2**31 - 1))
    party_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=2**31 - 1))
    party_name = fields.String(attribute="party.name", dump_only=True,
                               metadata={"label": "Name", "label_zh": "姓名", "description": "the party's name (read /parties/<party_id> for more)"})
    kind = fields.Enum(RelationKind, by_value=True, required=True,
                       metadata={"description": "owner (业主), household_member, tenant, agent or contractor"})
    relation_to_owner = fields.String(load_default="", validate=validate.Length(max=64),
                                      metadata={"label": "Relation to the owner", "label_zh": "与业主关系",
                                                "description": "for household members, e.g. spouse"})
    share = fields.String(load_default="", validate=validate.Length(max=16),
                          metadata={"label": "Share", "label_zh": "产权份额",
                                    "description": "co-ownership share, e.g. 1/2"})
    start_on = fields.Date(metadata={"description": "since when (default today at the unit's estate)"})
    end_on = fields.Date(load_default=None, allow_none=True,
                         metadata={"description": "last day (null: still current); PATCH it to end the relation"})


class StaffMemberSchema(Schema):
    """A staff member (员工) as the API shows them, to look up ids for ``approver``, ``staff_id`` or
    ``collector_id``: never the password hash, tokens or login history. Read-only."""

    id = fields.Integer(dump_only=True)
    username = fields.String(dump_only=True)
    full_name = fields.String(dump_only=True)
    employee_no = fields.String(dump_only=True, metadata={"description": "工号"})
    department_id = fields.Integer(dump_only=True, allow_none=True)
    zone = fields.String(dump_only=True, metadata={"description": "responsibility zone (片区)"})
    active = fields.Boolean(dump_only=True)
    roles = fields.Method("_roles", dump_only=True, metadata={"type": "array", "items": {"type": "string"},
                                                              "description": "role names, e.g. cashier"})
    all_estates = fields.Boolean(dump_only=True, metadata={"label": "All estates", "label_zh": "全部小区",
                                                           "description": "a role sees every estate"})
    estate_ids = fields.Method("_estate_ids", dump_only=True, metadata={
        "label": "Estates", "label_zh": "所属小区", "type": "array", "items": {"type": "integer"},
        "description": "the estates the staff member is assigned to, among those you may see"})

    def _roles(self, user) -> list[str]:
        return sorted(user.role_names)

    def _estate_ids(self, user) -> list[int]:
        # Only estates the viewer works for: another estate's id is not theirs to learn.
        from core.scoping import visible_estate_ids
        from core.web.context import actor

        ids = sorted(e.id for e in user.estates)
        viewer = actor()
        if viewer is None:
            return ids
        visible = visible_estate_ids(None, viewer)
        return ids if visible is None else [i for i in ids if i in visible]
