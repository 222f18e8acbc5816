"""Generated screens and API resources of core notifications: the company's templates (通知模板) and
the delivery log (发送记录), read-only and scoped to the user's estates."""

from __future__ import annotations

from marshmallow import Schema, fields, validate, validates_schema
from marshmallow import ValidationError as MmValidationError
from sqlalchemy import select

from core.errors import Conflict, ValidationError
from core.models.notification import DeliveryStatus, Notification, NotificationTemplate
from core.notifications.permissions import MANAGE, VIEW_LOG
from core.notifications.registry import get_event
from core.notifications.templates import check_template
from core.web.specs import SETTINGS_MENU, AdminViewSpec, ApiResourceSpec

LANGUAGES = {"zh_CN": ("Chinese", "中文"), "en": ("English", "英文")}
CHANNELS = {"": ("Every channel", "所有渠道"), "inapp": ("In-app message", "站内消息"), "email": ("E-mail", "电子邮件"),
            "sms": ("SMS", "短信"), "wechat": ("WeChat", "微信")}


class NotificationTemplateSchema(Schema):
    """A company's wording of an event (通知模板); Jinja2 text such as ``{{ recipient }}``."""

    id = fields.Integer(dump_only=True)
    event = fields.String(required=True, validate=validate.Length(min=1, max=120), metadata={
        "label": "Event", "label_zh": "事件", "description": "e.g. core.deadline_escalated (see docs/notifications.md)"})
    language = fields.String(required=True, validate=validate.OneOf(list(LANGUAGES)),
                             metadata={"label": "Language", "label_zh": "语言", "labels": LANGUAGES})
    channel = fields.String(load_default="", validate=validate.OneOf(list(CHANNELS)),
                            metadata={"label": "Channel", "label_zh": "渠道", "labels": CHANNELS})
    subject = fields.String(load_default="", validate=validate.Length(max=400),
                            metadata={"label": "Subject", "label_zh": "标题"})
    body = fields.String(load_default="", validate=validate.Length(max=20000),
                         metadata={"label": "Text", "label_zh": "正文", "description": "Jinja2: {{ recipient }}, "
                                   "{{ record }} and the event's own variables"})
    active = fields.Boolean(load_default=True, metadata={"label": "Active", "label_zh": "启用"})
    updated_by_id = fields.Integer(dump_only=True, metadata={"label": "Last edited by", "label_zh": "最后编辑人"})
    updated_at = fields.AwareDateTime(dump_only=True, metadata={"label": "Last edited at", "label_zh": "最后编辑时间"})

    @validates_schema
    def _syntax(self, data, **_):
        try:
            check_template(data.get("subject", ""), data.get("body", ""))
        except ValidationError as exc:
            raise MmValidationError(exc.errors) from None


class NotificationSchema(Schema):
    """One delivery (发送记录): read-only."""

    id = fields.Integer(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True, metadata={"label": "Queued at", "label_zh": "创建时间"})
    event = fields.String(dump_only=True, metadata={"label": "Event", "label_zh": "事件"})
    channel = fields.String(dump_only=True, metadata={"label": "Channel", "label_zh": "渠道", "labels": CHANNELS})
    status = fields.Enum(DeliveryStatus, by_value=True, dump_only=True, metadata={"label": "Status", "label_zh": "状态"})
    staff_id = fields.Integer(dump_only=True, metadata={"label": "Staff recipient", "label_zh": "员工收件人"})
    party_id = fields.Integer(dump_only=True, metadata={"label": "Owner/tenant recipient", "label_zh": "业主/租户收件人"})
    address = fields.String(dump_only=True, metadata={"label": "Address", "label_zh": "地址"})
    language = fields.String(dump_only=True, metadata={"label": "Language", "label_zh": "语言", "labels": LANGUAGES})
    subject = fields.String(dump_only=True, metadata={"label": "Subject", "label_zh": "标题"})
    body = fields.String(dump_only=True, metadata={"label": "Text", "label_zh": "正文"})
    attempts = fields.Integer(dump_only=True, metadata={"label": "Attempts", "label_zh": "尝试次数"})
    next_attempt_at = fields.AwareDateTime(dump_only=True, metadata={"label": "Next attempt", "label_zh": "下次尝试"})
    last_error = fields.String(dump_only=True, metadata={"label": "Last error", "label_zh": "最近错误"})
    record_table = fields.String(dump_only=True, metadata={"label": "Record type", "label_zh": "记录类型"})
    record_id = fields.Integer(dump_only=True, metadata={"label": "Record", "label_zh": "记录"})
    estate_id = fields.Integer(dump_only=True, metadata={"label": "Estate", "label_zh": "小区"})
    sent_at = fields.AwareDateTime(dump_only=True, metadata={"label": "Sent at", "label_zh": "发送时间"})
    read_at = fields.AwareDateTime(dump_only=True, metadata={"label": "Read at", "label_zh": "阅读时间"})


def _known_event(session, name: str) -> None:
    try:
        get_event(session, name)
    except ValidationError as exc:
        raise ValidationError(exc.message, field="event") from None


def create_template(session, actor, data: dict) -> NotificationTemplate:
    """A company template for a known event; one per event, language and channel."""
    _known_event(session, data["event"])
    taken = session.scalar(select(NotificationTemplate).where(
        NotificationTemplate.event == data["event"], NotificationTemplate.language == data["language"],
        NotificationTemplate.channel == data.get("channel", "")))
    if taken is not None:
        raise Conflict(f"there is already a template for {taken} (id {taken.id}); edit that one", field="event")
    row = NotificationTemplate(**data, updated_by_id=getattr(actor, "id", None))
    session.add(row)
    session.flush()
    return row


def update_template(session, actor, row: NotificationTemplate, data: dict) -> NotificationTemplate:
    if "event" in data:
        _known_event(session, data["event"])
    for key, value in data.items():
        setattr(row, key, value)
    row.updated_by_id = getattr(actor, "id", None)
    session.flush()
    return row


def admin_specs() -> list:
    return [
        AdminViewSpec(model=NotificationTemplate, schema=NotificationTemplateSchema, name="core_notification_templates",
                      label="Notification templates", label_zh="通知模板", view_permission=MANAGE,
                      edit_permission=MANAGE, list_columns=("event", "language", "channel", "subject", "active"),
                      search_fields=("event", "subject"), filters=("event", "language", "channel", "active"),
                      create_service=create_template, menu=SETTINGS_MENU, order=70),
        AdminViewSpec(model=Notification, schema=NotificationSchema, name="core_notifications",
                      label="Notification log", label_zh="发送记录", view_permission=VIEW_LOG,
                      list_columns=("created_at", "event", "channel", "status", "address", "subject", "attempts",
                                    "last_error"),
                      search_fields=("subject", "address"), filters=("status", "channel", "event", "estate_id"),
                      lookups={"estate_id": "estate", "staff_id": "staff"}, can_create=False, can_edit=False,
                      menu=SETTINGS_MENU, order=71),
    ]


def api_specs() -> list:
    return [
        ApiResourceSpec(model=NotificationTemplate, schema=NotificationTemplateSchema, path="notification-templates",
                        view_permission=MANAGE, edit_permission=MANAGE, filters=("event", "language", "channel"),
                        create_service=create_template, update_service=update_template),
        ApiResourceSpec(model=Notification, schema=NotificationSchema, path="notification-log",
                        view_permission=VIEW_LOG, filters=("status", "channel", "event", "estate_id"),
                        can_create=False, can_update=False),
    ]
