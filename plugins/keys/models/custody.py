"""Custody agreements (钥匙托管书): the owner leaves a key with the office for stated uses."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, utcnow
from core.models import Party, StaffUser, Unit
from plugins.keys.models.columns import enum_column, estate_fk, staff_fk
from plugins.keys.models.register import KeySet


class KeyUse(enum.StrEnum):
    """What a key may be used for: a custody agreement's permitted uses and a loan's purpose."""

    repairs = "repairs"  # 维修
    inspection = "inspection"  # 查验 / 空置房巡查
    meter_reading = "meter_reading"  # 抄表
    emergency = "emergency"  # 紧急情况 (漏水, 火警)
    showing_to_tenant = "showing_to_tenant"  # 带客看房
    cleaning = "cleaning"  # 开荒 / 保洁
    sales_viewing = "sales_viewing"  # 开发商销售部看房
    maintenance = "maintenance"  # 设备房维护
    other = "other"

    __labels__ = {  # value -> (English, 中文), shown on every screen
        "repairs": ("Repairs", "维修"),
        "inspection": ("Inspection", "查验/空置房巡查"),
        "meter_reading": ("Meter reading", "抄表"),
        "emergency": ("Emergency", "紧急情况"),
        "showing_to_tenant": ("Showing to a tenant", "带客看房"),
        "cleaning": ("Cleaning", "开荒/保洁"),
        "sales_viewing": ("Developer's sales viewing", "开发商销售部看房"),
        "maintenance": ("Equipment maintenance", "设备房维护"),
        "other": ("Other", "其他"),
    }


class CustodyReason(enum.StrEnum):
    repairs_pending = "repairs_pending"  # 入伙遗留问题待整改 (KF08 §5.4.6 b)
    vacancy = "vacancy"  # 空置
    travel = "travel"  # 外出
    other = "other"

    __labels__ = {  # value -> (English, 中文), shown on every screen
        "repairs_pending": ("Move-in defects to fix", "入伙遗留问题待整改"),
        "vacancy": ("Vacant", "空置"),
        "travel": ("Owner away", "外出"),
        "other": ("Other", "其他"),
    }


class CustodyStatus(enum.StrEnum):
    active = "active"
    ended = "ended"

    __labels__ = {  # value -> (English, 中文), shown on every screen
        "active": ("In force", "托管中"),
        "ended": ("Ended", "已结束"),
    }


class ConsentChannel(enum.StrEnum):
    """How the owner confirmed or consented (spec 2.12 [INF]: phone or app)."""

    in_person = "in_person"  # 当面签字
    phone = "phone"  # 电话 (录音)
    app = "app"
    written = "written"  # 书面授权

    __labels__ = {  # value -> (English, 中文), shown on every screen
        "in_person": ("Signed in person", "当面签字"),
        "phone": ("By phone (recorded)", "电话（录音）"),
        "app": ("In the app", "APP"),
        "written": ("Written authorisation", "书面授权"),
    }


class CustodyAgreement(Base):
    """钥匙托管书: the owner leaves a key with the office for stated uses, confirmed and witnessed."""

    __tablename__ = "keys_custody_agreements"
    __table_args__ = (
        UniqueConstraint("estate_id", "number"),
        CheckConstraint("end_on IS NULL OR end_on >= start_on", name="dates_ordered"),
        Index("ix_keys_custody_agreements_unit_status", "unit_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = estate_fk()
    number: Mapped[str] = mapped_column(String(32), comment="KC-YYYY-NNNNNN")
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("core_parties.id", ondelete="RESTRICT"), index=True,
                                          comment="an owner of the unit on start_on")
    key_set_id: Mapped[int | None] = mapped_column(ForeignKey("keys_key_sets.id", ondelete="RESTRICT"),
                                                   index=True, comment="the key set left in custody")
    reason: Mapped[CustodyReason] = mapped_column(enum_column(CustodyReason, "keys_custody_reason"))
    reason_detail: Mapped[str] = mapped_column(String(400), default="")
    permitted_uses: Mapped[list] = mapped_column(JSON, default=list, comment="KeyUse values the owner allows")
    authorised_persons: Mapped[list] = mapped_column(
        JSON, default=list, comment="[{name, phone, relation}] the owner authorises to use or collect the key")
    start_on: Mapped[dt.date]
    end_on: Mapped[dt.date | None] = mapped_column(comment="null: until the owner ends it")
    owner_confirmed_at: Mapped[dt.datetime] = mapped_column(comment="when the owner signed or confirmed")
    confirmation_channel: Mapped[ConsentChannel] = mapped_column(enum_column(ConsentChannel, "keys_consent_channel"),
                                                                 default=ConsentChannel.in_person)
    witnessed_by_id: Mapped[int | None] = staff_fk("staff who witnessed the owner's confirmation")
    status: Mapped[CustodyStatus] = mapped_column(enum_column(CustodyStatus, "keys_custody_status"),
                                                  default=CustodyStatus.active)
    ended_at: Mapped[dt.datetime | None]
    ended_by_id: Mapped[int | None] = staff_fk()
    end_note: Mapped[str] = mapped_column(String(400), default="")
    created_by_id: Mapped[int | None] = staff_fk()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship()
    owner: Mapped[Party] = relationship()
    key_set: Mapped[KeySet | None] = relationship()
    witnessed_by: Mapped[StaffUser | None] = relationship(foreign_keys=[witnessed_by_id])

    def covers(self, day: dt.date) -> bool:
        """True when the agreement is active and ``day`` lies within its dates."""
        return (self.status == CustodyStatus.active and self.start_on <= day
                and (self.end_on is None or day <= self.end_on))

    def __str__(self) -> str:
        return self.number
