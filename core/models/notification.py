"""Notifications (通知): templates per event and language, and the delivery log (发送记录) (issue 17 part 3).

:class:`NotificationTemplate` is a company's own wording of an event (通知模板); without one, the
event's default template applies. :class:`Notification` is one delivery: one recipient, one channel.
An in-app delivery is itself the message shown in the recipient's inbox (我的消息); the others are
sent by the job ``core.deliver_notifications`` with retries, and the row logs what happened.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, utcnow


class DeliveryStatus(enum.StrEnum):
    """Where a delivery stands."""

    queued = "queued"  # waiting for the job (or for its next attempt after a failure)
    delivered = "delivered"  # in-app: the row is the message, shown in the inbox
    sent = "sent"  # handed to the mail server / gateway
    failed = "failed"  # gave up after the last attempt
    skipped = "skipped"  # the recipient has no address for the channel (reason in last_error)

    __labels__ = {"queued": ("Queued", "待发送"), "delivered": ("Delivered", "已送达"), "sent": ("Sent", "已发送"),
                  "failed": ("Failed", "发送失败"), "skipped": ("Skipped", "已跳过")}


class NotificationTemplate(Base):
    """A company's wording of one event (通知模板) for a language and a channel ("" = every channel)."""

    __tablename__ = "core_notification_templates"
    __table_args__ = (UniqueConstraint("event", "language", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True, comment="row id")
    event: Mapped[str] = mapped_column(String(120), comment="event name, e.g. core.deadline_escalated")
    language: Mapped[str] = mapped_column(String(8), comment="zh_CN or en")
    channel: Mapped[str] = mapped_column(String(32), default="", comment="channel it is for; empty: every channel")
    subject: Mapped[str] = mapped_column(String(400), default="", comment="Jinja2 text (sandboxed)")
    body: Mapped[str] = mapped_column(Text, default="", comment="Jinja2 text (sandboxed)")
    active: Mapped[bool] = mapped_column(default=True, comment="false: the event's default applies")
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_staff_users.id", ondelete="SET NULL"), comment="who last edited it")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow, comment="last edit (UTC)")

    def __str__(self) -> str:
        return f"{self.event} {self.language} {self.channel or '*'}"


class Notification(Base):
    """One delivery of a notification to one recipient over one channel (发送记录 / 我的消息)."""

    __tablename__ = "core_notifications"
    __table_args__ = (
        Index("ix_core_notifications_due", "status", "next_attempt_at"),
        Index("ix_core_notifications_mine", "staff_id", "channel", "read_at"),
        Index("ix_core_notifications_record", "record_table", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="row id")
    event: Mapped[str] = mapped_column(String(120), index=True, comment="event name")
    channel: Mapped[str] = mapped_column(String(32), comment="inapp, email, sms, wechat or a plugin's")
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_staff_users.id", ondelete="CASCADE"), comment="recipient when staff")
    party_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_parties.id", ondelete="CASCADE"), index=True, comment="recipient when an owner/tenant")
    address: Mapped[str] = mapped_column(String(200), default="", comment="e-mail, mobile, openid; empty in-app")
    language: Mapped[str] = mapped_column(String(8), default="zh_CN", comment="language rendered in")
    subject: Mapped[str] = mapped_column(String(400), default="", comment="rendered subject")
    body: Mapped[str] = mapped_column(Text, default="", comment="rendered body")
    status: Mapped[DeliveryStatus] = mapped_column(
        Enum(DeliveryStatus, name="core_delivery_status", native_enum=False, length=16,
             values_callable=lambda e: [m.value for m in e]),
        default=DeliveryStatus.queued, comment="queued, delivered, sent, failed, skipped")
    attempts: Mapped[int] = mapped_column(default=0, comment="sending attempts so far")
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(comment="when the job tries (again), UTC")
    last_error: Mapped[str] = mapped_column(String(1000), default="", comment="why the last attempt failed/skipped")
    record_table: Mapped[str] = mapped_column(String(64), default="", comment="table of the record it is about")
    record_id: Mapped[int | None] = mapped_column(comment="id of the record it is about")
    estate_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_estates.id", ondelete="SET NULL"), index=True, comment="estate it belongs to (scoping)")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, comment="queued at (UTC)")
    sent_at: Mapped[dt.datetime | None] = mapped_column(comment="sent or delivered at (UTC)")
    read_at: Mapped[dt.datetime | None] = mapped_column(comment="in-app: read by the recipient at (UTC)")

    def __str__(self) -> str:
        return f"{self.event} → {self.channel} #{self.id}"


MODELS: tuple = (NotificationTemplate, Notification)  # every model of this module, registered by core.builtin_hooks
