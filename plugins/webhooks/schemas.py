"""Marshmallow schemas: the one validation of an endpoint, shared by the admin form, the API, the CLI
and the services (which load their input through it with ``core.load``); the delivery log is
read-only."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from marshmallow import Schema, ValidationError, fields, validate

from core import Text
from plugins.webhooks.events import EVENTS

SECRET_HINT = ("give a secret of at least 16 characters, e.g. the output of "
               "python -c \"import secrets; print(secrets.token_hex(32))\"; receivers verify signatures with it")


class Url(fields.String):
    """An ``http://`` or ``https://`` address with a host (surrounding spaces dropped)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        try:
            parts = urlsplit(text)
            host = parts.hostname
            parts.port  # noqa: B018  (raises ValueError for a port out of range)
        except ValueError:
            raise ValidationError(Text("not a valid address; use http:// or https://, e.g. "
                                       "https://erp.example.com/wuye/hooks",
                                       "地址无效：请使用 http:// 或 https://，例如 https://erp.example.com/wuye/hooks")) from None
        if parts.scheme not in ("http", "https") or not host:
            raise ValidationError(Text("use an http:// or https:// address with a host, e.g. "
                                       "https://erp.example.com/wuye/hooks",
                                       "请使用带主机名的 http:// 或 https:// 地址，例如 https://erp.example.com/wuye/hooks"))
        if parts.username or parts.password:
            raise ValidationError(Text("put no user name or password in the address; the receiver checks the "
                                       "X-Wuye-Signature header instead",
                                       "地址中不要包含用户名或密码；接收方改为校验 X-Wuye-Signature 请求头"))
        if any(c.isspace() for c in text):
            raise ValidationError(Text("an address has no spaces; percent-encode them (%20)",
                                       "地址中不能有空格，请编码为 %20"))
        return text


class EventTypes(fields.String):
    """Event types separated by spaces or commas (a JSON list of names is accepted too), kept as one
    string in the order of :data:`~plugins.webhooks.events.EVENTS`."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            value = " ".join(value)
        text = super()._deserialize(value, attr, data, **kwargs)
        names = [n for n in re.split(r"[\s,]+", text) if n]
        known = ", ".join(EVENTS)
        if not names:
            raise ValidationError(Text(f"name at least one event: {known}", f"请至少填写一个事件：{known}"))
        for name in names:
            if name not in EVENTS:
                raise ValidationError(Text(f"unknown event {name!r}; use one or more of {known}",
                                           f"未知事件 {name!r}，可选：{known}"))
        return " ".join(e for e in EVENTS if e in names)


class EndpointSchema(Schema):
    """A webhook endpoint: where events go and which ones. ``secret`` is write-only."""

    id = fields.Integer(dump_only=True, metadata={"label": "ID", "label_zh": "编号"})
    estate_id = fields.Integer(load_default=None, allow_none=True, strict=True,
                               metadata={"label": "Estate (empty: every estate)", "label_zh": "小区（空：全部小区）",
                                         "description": "the estate whose events it receives; null: every estate "
                                                        "(only staff of every estate may choose it)"})
    url = Url(required=True, validate=validate.Length(min=1, max=500),
              metadata={"label": "Address (URL)", "label_zh": "推送地址",
                        "description": "http:// or https:// address the events are POSTed to"})
    secret = fields.String(load_only=True, required=True,
                           validate=validate.Length(min=16, max=200, error="the secret is 16 to 200 characters; "
                                                                          + SECRET_HINT),
                           error_messages={"required": SECRET_HINT},
                           metadata={"label": "Secret (write-only)", "label_zh": "签名密钥（只写）",
                                     "description": "HMAC-SHA256 key of X-Wuye-Signature, at least 16 characters; "
                                                    "never shown again (leave empty to keep it)"})
    events = EventTypes(required=True, validate=validate.Length(max=200),
                        metadata={"label": "Events", "label_zh": "推送事件",
                                  "description": "one or more of " + ", ".join(EVENTS)
                                                 + ", separated by spaces or commas"})
    active = fields.Boolean(load_default=True, metadata={"label": "Active", "label_zh": "启用"})
    description = fields.String(load_default="", validate=validate.Length(max=200),
                                metadata={"label": "Description", "label_zh": "说明"})
    created_at = fields.AwareDateTime(dump_only=True, metadata={"label": "Created at", "label_zh": "创建时间"})
    created_by_id = fields.Integer(dump_only=True, allow_none=True,
                                   metadata={"label": "Created by", "label_zh": "创建人"})


class DeliverySchema(Schema):
    """One delivery of the log (read-only: the job writes it)."""

    id = fields.Integer(dump_only=True, metadata={"label": "ID", "label_zh": "编号"})
    uid = fields.String(dump_only=True, metadata={"label": "Delivery id", "label_zh": "推送编号"})
    endpoint_id = fields.Integer(dump_only=True, metadata={"label": "Endpoint", "label_zh": "推送地址"})
    event = fields.String(dump_only=True, metadata={"label": "Event", "label_zh": "事件"})
    record_type = fields.String(dump_only=True, metadata={"label": "Record type", "label_zh": "记录类型"})
    record_id = fields.String(dump_only=True, metadata={"label": "Record id", "label_zh": "记录编号"})
    estate_id = fields.Integer(dump_only=True, allow_none=True, metadata={"label": "Estate", "label_zh": "小区"})
    payload = fields.Dict(dump_only=True, metadata={"label": "Payload", "label_zh": "内容"})
    status = fields.String(dump_only=True, metadata={"label": "Status", "label_zh": "状态", "labels": {
        "pending": ("Pending", "待推送"), "delivered": ("Delivered", "已送达"), "failed": ("Failed", "推送失败")}})
    attempts = fields.Integer(dump_only=True, metadata={"label": "Attempts", "label_zh": "尝试次数"})
    next_attempt_at = fields.AwareDateTime(dump_only=True, allow_none=True,
                                           metadata={"label": "Next attempt", "label_zh": "下次尝试"})
    last_attempt_at = fields.AwareDateTime(dump_only=True, allow_none=True,
                                           metadata={"label": "Last attempt", "label_zh": "上次尝试"})
    last_status_code = fields.Integer(dump_only=True, allow_none=True,
                                      metadata={"label": "HTTP status", "label_zh": "响应状态"})
    last_error = fields.String(dump_only=True, metadata={"label": "Last error", "label_zh": "错误信息"})
    created_at = fields.AwareDateTime(dump_only=True, metadata={"label": "Created at", "label_zh": "创建时间"})
    delivered_at = fields.AwareDateTime(dump_only=True, allow_none=True,
                                        metadata={"label": "Delivered at", "label_zh": "送达时间"})
