"""Intake (来电来访登记): reception records and the incidents duplicates merge into (issue 17 part 5).

Everything that reaches the front desk (a call, a visit, a portal or WeChat message, a letter) is
registered once as an :class:`Intake`; staff route it to the plugin that handles its category (a
repair becomes a repair order), answer it at the desk (inquiries, suggestions, praise), or merge it
into an :class:`Incident` when many people report the same thing (a water cut reported by 40 units).
The rules live in :mod:`core.intake`.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, utcnow
from core.models.property import _enum


class IntakeChannel(enum.StrEnum):
    """How the matter reached the front desk."""

    phone = "phone"  # 来电
    walk_in = "walk_in"  # 来访
    portal = "portal"  # 业主端 (owner portal / app)
    wechat = "wechat"  # 微信
    letter = "letter"  # 来函 / 书面

    __labels__ = {"phone": ("Phone call", "来电"), "walk_in": ("Walk-in", "来访"),
                  "portal": ("Owner portal", "业主端"), "wechat": ("WeChat", "微信"),
                  "letter": ("Letter", "来函")}


class IntakeCategory(enum.StrEnum):
    """What the caller wants; repair, complaint and help are handled by plugins, the rest at the desk."""

    inquiry = "inquiry"  # 咨询
    repair = "repair"  # 报修
    complaint = "complaint"  # 投诉
    help = "help"  # 求助
    suggestion = "suggestion"  # 建议
    praise = "praise"  # 表扬
    other = "other"  # 其他

    __labels__ = {"inquiry": ("Inquiry", "咨询"), "repair": ("Repair", "报修"), "complaint": ("Complaint", "投诉"),
                  "help": ("Help request", "求助"), "suggestion": ("Suggestion", "建议"),
                  "praise": ("Praise", "表扬"), "other": ("Other", "其他")}


class IntakeStatus(enum.StrEnum):
    """Where a reception record stands; changed only by the services of :mod:`core.intake`."""

    new = "new"  # 待处理
    routed = "routed"  # 已转派: became a record of the plugin that handles it
    answered = "answered"  # 已答复: answered at the front desk
    merged = "merged"  # 已并入事件: one report of an incident
    resolved = "resolved"  # 已解决: its incident was resolved and the caller told
    closed = "closed"  # 已关闭

    __labels__ = {"new": ("New", "待处理"), "routed": ("Routed", "已转派"), "answered": ("Answered", "已答复"),
                  "merged": ("Merged into an incident", "已并入事件"), "resolved": ("Resolved", "已解决"),
                  "closed": ("Closed", "已关闭")}


class IncidentStatus(enum.StrEnum):
    open = "open"  # 处理中
    resolved = "resolved"  # 已解决

    __labels__ = {"open": ("Open", "处理中"), "resolved": ("Resolved", "已解决")}


def _staff_fk(comment: str) -> Mapped[int | None]:
    return mapped_column(ForeignKey("core_staff_users.id", ondelete="RESTRICT"), comment=comment)


class Incident(Base):
    """An incident (事件): one happening many people report (停水, a lift stuck), resolved once.

    Every reception record merged into it is a report; resolving it resolves them all and tells
    every reporter.
    """

    __tablename__ = "core_incidents"
    __table_args__ = (
        UniqueConstraint("estate_id", "number"),
        Index("ix_core_incidents_estate_status", "estate_id", "status", "opened_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="record id")
    number: Mapped[str] = mapped_column(String(32), comment="SJ-YYYY-NNNNNN, per estate and year")
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"),
                                           comment="the estate where it happens")
    title: Mapped[str] = mapped_column(String(200), comment="e.g. 3栋停水 water cut in building 3")
    category: Mapped[IntakeCategory] = mapped_column(_enum(IntakeCategory, "core_intake_category"),
                                                     default=IntakeCategory.repair, comment="what kind of matter")
    description: Mapped[str] = mapped_column(String(4000), default="", comment="what happened, what is done")
    status: Mapped[IncidentStatus] = mapped_column(_enum(IncidentStatus, "core_incident_status"),
                                                   default=IncidentStatus.open, comment="open or resolved")
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow, comment="when it was opened (UTC)")
    opened_by_id: Mapped[int | None] = _staff_fk("staff who opened it")
    resolved_at: Mapped[dt.datetime | None] = mapped_column(comment="when it was resolved (UTC)")
    resolved_by_id: Mapped[int | None] = _staff_fk("staff who resolved it")
    resolution: Mapped[str] = mapped_column(String(4000), default="", comment="what was done; told to reporters")

    intakes: Mapped[list[Intake]] = relationship(back_populates="incident", order_by="Intake.received_at")

    @property
    def reporters(self) -> int:
        """How many reception records (reports) were merged into it."""
        return len(self.intakes)

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Intake(Base):
    """A reception record (来电来访登记): time received, caller, unit, channel, category, content, reply.

    The caller is a known party (``party_id``) or a stranger with a name and phone (a walk-in).
    """

    __tablename__ = "core_intakes"
    __table_args__ = (
        UniqueConstraint("estate_id", "number"),
        # the duplicate finder: same estate and category, open, received within the last hours
        Index("ix_core_intakes_duplicates", "estate_id", "category", "status", "received_at"),
        Index("ix_core_intakes_estate_received", "estate_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="record id")
    number: Mapped[str] = mapped_column(String(32), comment="JD-YYYY-NNNNNN, per estate and year")
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"),
                                           comment="the estate it concerns (the unit's, when a unit is given)")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"), index=True,
                                                comment="the unit concerned, if any")
    party_id: Mapped[int | None] = mapped_column(ForeignKey("core_parties.id", ondelete="RESTRICT"), index=True,
                                                 comment="the caller when known (owner, tenant...)")
    caller_name: Mapped[str] = mapped_column(String(200), default="", comment="来电/来访人 as given")
    caller_phone: Mapped[str] = mapped_column(String(40), default="", comment="sensitive: masked in lists")
    channel: Mapped[IntakeChannel] = mapped_column(_enum(IntakeChannel, "core_intake_channel"),
                                                   default=IntakeChannel.phone, comment="how it reached us")
    category: Mapped[IntakeCategory] = mapped_column(_enum(IntakeCategory, "core_intake_category"),
                                                     comment="what the caller wants")
    summary: Mapped[str] = mapped_column(String(200), comment="one line shown in lists")
    content: Mapped[str] = mapped_column(String(4000), default="", comment="what the caller said")
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow, comment="when it was received (UTC)")
    received_by_id: Mapped[int | None] = _staff_fk("staff who received it (首问负责)")
    status: Mapped[IntakeStatus] = mapped_column(_enum(IntakeStatus, "core_intake_status"),
                                                 default=IntakeStatus.new, comment="changed by core.intake only")
    routed_table: Mapped[str] = mapped_column(String(64), default="", comment="table of the record it became")
    routed_id: Mapped[int | None] = mapped_column(comment="id of the record it became")
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("core_incidents.id", ondelete="RESTRICT"), index=True,
                                                    comment="the incident it was merged into")
    reply: Mapped[str] = mapped_column(String(4000), default="", comment="answer given at the front desk")
    replied_at: Mapped[dt.datetime | None] = mapped_column(comment="when it was answered (UTC)")
    replied_by_id: Mapped[int | None] = _staff_fk("staff who answered")
    resolved_at: Mapped[dt.datetime | None] = mapped_column(comment="when its incident was resolved (UTC)")

    incident: Mapped[Incident | None] = relationship(back_populates="intakes")

    def __str__(self) -> str:
        return f"{self.number} {self.summary}"


MODELS: tuple = (Incident, Intake)  # every model of this module, registered by core.builtin_hooks
