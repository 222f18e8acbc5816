"""Marshmallow schemas: the one validation of a visit, shared by the admin form, the API and the
services (which load their input through it with ``core.load``)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates

from core import Text


class VisitSchema(Schema):
    """A visit: what the guard types in; the rest is set by the services and the workflow."""

    id = fields.Integer(dump_only=True, metadata={"label": "ID", "label_zh": "编号"})
    estate_id = fields.Integer(dump_only=True, metadata={"label": "Estate", "label_zh": "小区"})
    number = fields.String(dump_only=True, metadata={"label": "Visit no.", "label_zh": "来访编号"})
    unit_id = fields.Integer(required=True, strict=True, metadata={"label": "Unit visited", "label_zh": "拜访房屋"})
    visitor_name = fields.String(required=True, validate=validate.Length(max=100),
                                 metadata={"label": "Visitor", "label_zh": "访客姓名"})
    visitor_phone = fields.String(load_default="", validate=validate.Length(max=40),
                                  metadata={"label": "Phone", "label_zh": "联系电话"})
    purpose = fields.String(load_default="", validate=validate.Length(max=200),
                            metadata={"label": "Purpose", "label_zh": "来访事由"})
    status = fields.String(dump_only=True, metadata={"label": "Status", "label_zh": "状态"})
    arrived_at = fields.AwareDateTime(dump_only=True, metadata={"label": "Arrived at", "label_zh": "到访时间"})
    left_at = fields.AwareDateTime(dump_only=True, metadata={"label": "Left at", "label_zh": "离开时间"})
    overstay_flagged_at = fields.AwareDateTime(dump_only=True,
                                               metadata={"label": "Flagged as overstaying", "label_zh": "超时标记时间"})
    registered_by_id = fields.Integer(dump_only=True, metadata={"label": "Registered by", "label_zh": "登记人"})

    @validates("visitor_name")
    def _named(self, value, **_):
        if not value.strip():
            raise ValidationError(Text("The visitor's name is required.", "请填写访客姓名。"))
