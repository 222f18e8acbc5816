"""Marshmallow schemas: the one validation of a visit, shared by the admin form, the API and the
services (which load their input through it with ``core.load``)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates


class VisitSchema(Schema):
    """A visit: what the guard types in; the rest is set by the services and the workflow."""

    id = fields.Integer(dump_only=True)
    estate_id = fields.Integer(dump_only=True)
    number = fields.String(dump_only=True)
    unit_id = fields.Integer(required=True, strict=True, metadata={"label": "Unit visited", "label_zh": "拜访房屋"})
    visitor_name = fields.String(required=True, validate=validate.Length(max=100),
                                 metadata={"label": "Visitor", "label_zh": "访客姓名"})
    visitor_phone = fields.String(load_default="", validate=validate.Length(max=40),
                                  metadata={"label": "Phone", "label_zh": "联系电话"})
    purpose = fields.String(load_default="", validate=validate.Length(max=200),
                            metadata={"label": "Purpose", "label_zh": "来访事由"})
    status = fields.String(dump_only=True)
    arrived_at = fields.AwareDateTime(dump_only=True)
    left_at = fields.AwareDateTime(dump_only=True)
    overstay_flagged_at = fields.AwareDateTime(dump_only=True)
    registered_by_id = fields.Integer(dump_only=True)

    @validates("visitor_name")
    def _named(self, value, **_):
        if not value.strip():
            raise ValidationError("The visitor's name is required.")
