"""Marshmallow schemas: the one validation of a help request and of a standard answer, shared by
the admin forms, the API and the services (which load their input through them)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from core import Text
from plugins.help_requests.models import CATEGORIES, CHANNELS, KINDS, TOPICS


def _labels(table: dict) -> dict:
    return {k: (v[-2], v[-1]) for k, v in table.items()}


def _label(en: str, zh: str) -> dict:
    return {"label": en, "label_zh": zh}


class HelpRequestSchema(Schema):
    """What the clerk types in; status, times and the owner are set by the services and the workflow."""

    id = fields.Integer(dump_only=True, metadata=_label("Record no.", "记录号"))
    estate_id = fields.Integer(strict=True, load_default=None, allow_none=True, metadata=_label("Estate", "小区"))
    number = fields.String(dump_only=True, metadata=_label("Number", "编号"))
    status = fields.String(dump_only=True, metadata=_label("Status", "状态"))
    kind = fields.String(dump_only=True, metadata={**_label("Kind", "类型"), "labels": KINDS})
    category = fields.String(required=True, validate=validate.OneOf(list(CATEGORIES)),
                             metadata={**_label("Category", "类别"), "labels": _labels(CATEGORIES)})
    channel = fields.String(load_default="phone", validate=validate.OneOf(list(CHANNELS)),
                            metadata={**_label("Channel", "来源渠道"), "labels": CHANNELS})
    unit_id = fields.Integer(strict=True, load_default=None, allow_none=True, metadata=_label("Unit", "房屋"))
    party_id = fields.Integer(strict=True, load_default=None, allow_none=True, metadata=_label("Caller", "求助业主"))
    caller_name = fields.String(load_default="", validate=validate.Length(max=200),
                                metadata=_label("Caller's name", "求助人"))
    caller_phone = fields.String(load_default="", validate=validate.Length(max=40),
                                 metadata=_label("Caller's phone", "联系电话"))
    location = fields.String(load_default="", validate=validate.Length(max=200),
                             metadata=_label("Location", "地点"))
    description = fields.String(load_default="", validate=validate.Length(max=4000),
                                metadata=_label("Description", "求助内容"))
    received_at = fields.AwareDateTime(dump_only=True, metadata=_label("Received at", "受理时间"))
    received_by_id = fields.Integer(dump_only=True, metadata=_label("First receiver", "首问责任人"))
    intake_id = fields.Integer(dump_only=True, metadata=_label("Reception record", "来电来访登记"))
    reply_due_at = fields.AwareDateTime(dump_only=True, metadata=_label("Reply due at", "答复时限"))
    alerted_at = fields.AwareDateTime(dump_only=True, metadata=_label("Alert sent at", "紧急通知时间"))
    reply = fields.String(dump_only=True, metadata=_label("Reply", "答复"))
    replied_at = fields.AwareDateTime(dump_only=True, metadata=_label("Replied at", "答复时间"))
    replied_by_id = fields.Integer(dump_only=True, metadata=_label("Replied by", "答复人"))
    result = fields.String(dump_only=True, metadata=_label("Result", "处理结果"))
    resolved_at = fields.AwareDateTime(dump_only=True, metadata=_label("Resolved at", "处理完成时间"))
    return_visit = fields.String(dump_only=True, metadata=_label("Return visit", "回访情况"))
    closed_at = fields.AwareDateTime(dump_only=True, metadata=_label("Closed at", "结案时间"))

    @validates_schema
    def _where_and_who(self, data, **_):
        """Address and phone are always asked first (002 Help Art.7): a unit or a location, and a way back."""
        errors = {}
        if data.get("unit_id") is None and data.get("estate_id") is None:
            errors["estate_id"] = [Text("give the unit, or the estate when there is no unit",
                                        "请填写房屋；没有房屋时请选择小区")]
        if data.get("unit_id") is None and not (data.get("location") or "").strip():
            errors["location"] = [Text("say where help is needed (a unit or a location)", "请填写地点或房屋")]
        if data.get("party_id") is None and not (data.get("caller_phone") or "").strip():
            errors["caller_phone"] = [Text("ask the caller's phone number first (or choose a known owner)",
                                           "请先询问并填写联系电话（或选择业主）")]
        if errors:
            raise ValidationError(errors)


class RespondSchema(Schema):
    """The reply (答复): required in writing for a written inquiry (书面咨询)."""

    reply = fields.String(load_default="", validate=validate.Length(max=4000), metadata=_label("Reply", "答复"))


class ResolveSchema(Schema):
    result = fields.String(load_default="", validate=validate.Length(max=4000),
                           metadata=_label("Result", "处理结果"))


class CloseSchema(Schema):
    return_visit = fields.String(load_default="", validate=validate.Length(max=4000),
                                 metadata=_label("Return visit", "回访情况"))


class StandardAnswerSchema(Schema):
    """A standard answer (服务口径)."""

    id = fields.Integer(dump_only=True, metadata=_label("Record no.", "记录号"))
    estate_id = fields.Integer(strict=True, load_default=None, allow_none=True,
                               metadata={**_label("Estate", "小区"),
                                         "description": Text("empty: company-wide", "留空：全公司通用")})
    topic = fields.String(load_default="other", validate=validate.OneOf(list(TOPICS)),
                          metadata={**_label("Topic", "主题"), "labels": TOPICS})
    question = fields.String(required=True, validate=validate.Length(min=1, max=200),
                             metadata=_label("Question", "问题"))
    answer = fields.String(required=True, validate=validate.Length(min=1, max=4000),
                           metadata=_label("Answer", "标准答复"))
    answer_en = fields.String(load_default="", validate=validate.Length(max=4000),
                              metadata=_label("Answer in English", "英文答复"))
    keywords = fields.String(load_default="", validate=validate.Length(max=400),
                             metadata=_label("Keywords", "关键词"))
    active = fields.Boolean(load_default=True, metadata=_label("Active", "启用"))
    updated_at = fields.AwareDateTime(dump_only=True, metadata=_label("Updated at", "更新时间"))
    updated_by_id = fields.Integer(dump_only=True, metadata=_label("Updated by", "更新人"))

    @validates_schema
    def _not_blank(self, data, **_):
        for name in ("question", "answer"):
            if name in data and not data[name].strip():
                raise ValidationError({name: [Text("must not be blank", "不能为空")]})
