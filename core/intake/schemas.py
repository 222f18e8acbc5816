"""Marshmallow schemas of intake: the one validation of reception records and incidents for the
services, the admin screens and the API (the services check the business rules on top)."""

from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields, validate, validates

from core.models.intake import IncidentStatus, IntakeCategory, IntakeChannel, IntakeStatus
from core.text import Text
from core.validation import label_fields

PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,30}$")


def _id(**kw):
    return fields.Integer(strict=True, allow_none=True, load_default=None, validate=validate.Range(min=1), **kw)


class IntakeSchema(Schema):
    """A reception record (来电来访登记). Creating one registers it (``register_intake``)."""

    id = fields.Integer(dump_only=True)
    number = fields.String(dump_only=True)
    estate_id = _id(metadata={"description": "empty: the unit's estate"})
    unit_id = _id()
    party_id = _id(metadata={"description": "a known owner or tenant; else give the caller's name and phone"})
    caller_name = fields.String(load_default="", validate=validate.Length(max=200))
    caller_phone = fields.String(load_default="", validate=validate.Length(max=40))
    channel = fields.Enum(IntakeChannel, by_value=True, load_default=IntakeChannel.phone)
    category = fields.Enum(IntakeCategory, by_value=True, required=True)
    summary = fields.String(required=True, validate=validate.Length(min=1, max=200))
    content = fields.String(load_default="", validate=validate.Length(max=4000))
    received_at = fields.AwareDateTime(load_default=None, allow_none=True,
                                       metadata={"description": "empty: now"})
    received_by_id = fields.Integer(dump_only=True)
    status = fields.Enum(IntakeStatus, by_value=True, dump_only=True)
    routed_table = fields.String(dump_only=True)
    routed_id = fields.Integer(dump_only=True)
    incident_id = fields.Integer(dump_only=True)
    reply = fields.String(dump_only=True)
    replied_at = fields.AwareDateTime(dump_only=True)
    replied_by_id = fields.Integer(dump_only=True)
    resolved_at = fields.AwareDateTime(dump_only=True)

    @validates("caller_phone")
    def _phone(self, value, **_):
        if value.strip() and not PHONE.match(value.strip()):
            raise ValidationError(Text("a phone number has digits only (spaces, dashes and a leading + allowed), "
                                       "e.g. 13912345678", "电话号码只能包含数字（可有空格、横线和开头的 +），"
                                       "例如 13912345678"))


class IncidentSchema(Schema):
    """An incident (事件) many reception records merge into. Creating one opens it (``open_incident``)."""

    id = fields.Integer(dump_only=True)
    number = fields.String(dump_only=True)
    estate_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    category = fields.Enum(IntakeCategory, by_value=True, load_default=IntakeCategory.repair)
    description = fields.String(load_default="", validate=validate.Length(max=4000))
    status = fields.Enum(IncidentStatus, by_value=True, dump_only=True)
    opened_at = fields.AwareDateTime(dump_only=True)
    opened_by_id = fields.Integer(dump_only=True)
    resolved_at = fields.AwareDateTime(dump_only=True)
    resolved_by_id = fields.Integer(dump_only=True)
    resolution = fields.String(dump_only=True)
    reporters = fields.Integer(dump_only=True)


class ReplySchema(Schema):
    """The answer given at the front desk (inquiries, suggestions, praise)."""

    reply = fields.String(required=True, validate=validate.Length(min=1, max=4000))


class CloseSchema(Schema):
    """Why a reception record needs nothing more."""

    reason = fields.String(required=True, validate=validate.Length(min=1, max=4000))


class MergeSchema(Schema):
    """Reception records to merge into an incident: an existing one, or a new one titled ``title``."""

    intake_ids = fields.List(fields.Integer(strict=True, validate=validate.Range(min=1)), required=True,
                             validate=validate.Length(min=1, max=1000))
    incident_id = _id()
    title = fields.String(load_default="", validate=validate.Length(max=200))


class ResolveSchema(Schema):
    """What was done about an incident; sent to every reporter."""

    resolution = fields.String(required=True, validate=validate.Length(min=1, max=4000))


FIELDS = {
    "number": ("Number", "编号"), "estate_id": ("Estate", "小区"), "unit_id": ("Unit", "房屋"),
    "party_id": ("Caller (known party)", "来电人(业主/住户)"), "caller_name": ("Caller's name", "来电/来访人"),
    "caller_phone": ("Caller's phone", "联系电话"), "channel": ("Channel", "来源渠道"),
    "category": ("Category", "类别"), "summary": ("Summary", "事由"), "content": ("Content", "内容"),
    "received_at": ("Received at", "受理时间"), "received_by_id": ("Received by", "受理人"),
    "status": ("Status", "状态"), "routed_table": ("Routed to", "转派到"), "routed_id": ("Routed record", "转派单据"),
    "incident_id": ("Incident", "所属事件"), "reply": ("Reply", "答复"), "replied_at": ("Replied at", "答复时间"),
    "replied_by_id": ("Replied by", "答复人"), "resolved_at": ("Resolved at", "解决时间"),
    "title": ("Title", "事件名称"), "description": ("Description", "事件描述"), "opened_at": ("Opened at", "发生/登记时间"),
    "opened_by_id": ("Opened by", "登记人"), "resolved_by_id": ("Resolved by", "处理人"),
    "resolution": ("Resolution", "处理结果"), "reporters": ("Reports", "报告数"),
    "intake_ids": ("Reception records", "来电来访登记"), "reason": ("Reason", "关闭原因"),
}
CHOICES = {
    "channel": IntakeChannel.__labels__, "category": IntakeCategory.__labels__,
}
label_fields(globals(), FIELDS, CHOICES)
for _schema, _enum in ((IntakeSchema, IntakeStatus), (IncidentSchema, IncidentStatus)):
    _schema._declared_fields["status"].metadata.setdefault("labels", _enum.__labels__)
