"""Marshmallow schemas of the complaint register: the one validation for the admin form, the API,
the workflow's transition data and the services (which load through ``core.load``)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from core import Text, label_fields
from plugins.complaints.labels import (
    CATEGORIES,
    CHANNELS,
    CHOICES,
    DEPARTMENTS,
    FIELDS,
    SATISFACTION,
    SEVERITIES,
)

_SHORT = validate.Length(max=200)
_LONG = validate.Length(max=4000)


class ComplaintSchema(Schema):
    """A complaint as registered: who, about which unit, through which channel, what was said."""

    id = fields.Integer(dump_only=True)
    estate_id = fields.Integer(strict=True, load_default=None, allow_none=True,
                               metadata={"description": "the estate; taken from the unit when one is given"})
    number = fields.String(dump_only=True)
    status = fields.String(dump_only=True)
    unit_id = fields.Integer(strict=True, load_default=None, allow_none=True)
    party_id = fields.Integer(strict=True, load_default=None, allow_none=True)
    complainant_name = fields.String(load_default="", validate=_SHORT)
    complainant_phone = fields.String(load_default="", validate=validate.Length(max=40))
    channel = fields.String(load_default="phone", validate=validate.OneOf(list(CHANNELS)))
    received_at = fields.AwareDateTime(load_default=None, allow_none=True)
    received_by_id = fields.Integer(dump_only=True)
    intake_id = fields.Integer(dump_only=True)
    summary = fields.String(required=True, validate=validate.Length(min=1, max=200))
    content = fields.String(load_default="", validate=_LONG)
    category = fields.String(load_default="other", validate=validate.OneOf(list(CATEGORIES)))
    valid = fields.Boolean(dump_only=True)
    invalid_reason = fields.String(dump_only=True)
    severity = fields.String(dump_only=True)
    department = fields.String(dump_only=True)
    subject_staff_id = fields.Integer(strict=True, load_default=None, allow_none=True)
    escalated_to = fields.String(dump_only=True)
    investigation = fields.String(dump_only=True)
    reply = fields.String(dump_only=True)
    replied_at = fields.AwareDateTime(dump_only=True)
    corrective_action = fields.String(dump_only=True)
    verification = fields.String(dump_only=True)
    satisfaction = fields.String(dump_only=True)
    closed_at = fields.AwareDateTime(dump_only=True)

    @validates_schema
    def _someone(self, data, **_):
        if not data.get("unit_id") and not data.get("estate_id"):
            raise ValidationError({"estate_id": [Text("give the unit, or the estate when no unit is concerned",
                                                      "请选择房屋；不涉及房屋时请选择小区")]})
        if not data.get("party_id") and not (data.get("complainant_name") or "").strip():
            raise ValidationError({"complainant_name": [Text(
                "give the complainant's name, or choose the owner on file", "请填写投诉人姓名或选择业主")]})


class AcknowledgeSchema(Schema):
    """Data of the ``acknowledge`` transition: the classification (分类)."""

    category = fields.String(required=True, validate=validate.OneOf(list(CATEGORIES)))
    severity = fields.String(load_default="ordinary", validate=validate.OneOf(list(SEVERITIES)))
    department = fields.String(required=True, validate=validate.OneOf([d for d in DEPARTMENTS if d]))
    subject_staff_id = fields.Integer(strict=True, load_default=None, allow_none=True)


class ReplySchema(Schema):
    """Data of the ``reply`` transition: what was found and what the complainant is told (书面答复)."""

    investigation = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    reply = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    corrective_action = fields.String(load_default="", validate=_LONG)


class VerifySchema(Schema):
    """Data of the ``verify`` transition: the corrective action checked, the complainant's satisfaction."""

    verification = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    satisfaction = fields.String(required=True, validate=validate.OneOf([s for s in SATISFACTION if s]))


label_fields(globals(), FIELDS, CHOICES)
