"""Billing operations tables: meters and readings (抄表), dunning cases and actions (催缴)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, utcnow
from core.models import Building, StaffUser, Unit
from plugins.billing.models import FeeItem

DUNNING_KINDS = {
    "phone": "电话预约",
    "sms": "短信提醒",
    "notice": "张贴催费通知",
    "visit": "上门拜访",
    "letter": "催缴函/违约函",
    "legal": "法律途径",
}
CASE_STATUSES = {
    "open": "跟进中",
    "promised": "承诺缴费",
    "disputed": "有争议",
    "legal": "法律程序",
    "closed": "已结清",
}


class Meter(Base):
    """A water or electricity meter (水表/电表): a unit's own, or a common meter (公共表) to apportion."""

    __tablename__ = "billing_meters"
    __table_args__ = (UniqueConstraint("estate_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    code: Mapped[str] = mapped_column(String(48), comment="meter number painted on the box")
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_units.id", ondelete="RESTRICT"), index=True, comment="null: a common meter (公共表)"
    )
    building_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_buildings.id", ondelete="RESTRICT"),
        comment="common meter: apportion over this building (null: the whole estate)",
    )
    fee_item_id: Mapped[int] = mapped_column(
        ForeignKey("billing_fee_items.id", ondelete="RESTRICT"),
        comment="metered fee item whose price values the usage",
    )
    serial_no: Mapped[str] = mapped_column(
        String(64), default="", comment="manufacturer serial; changes on replacement"
    )
    initial_reading: Mapped[Decimal] = mapped_column(
        Numeric(14, 2), default=Decimal("0"), comment="reading when the (current) meter was fitted"
    )
    max_value: Mapped[Decimal | None] = mapped_column(
        Numeric(14, 2), comment="dial capacity: the reading wraps to 0 here (e.g. 100000 for 5 digits)"
    )
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit | None] = relationship()
    building: Mapped[Building | None] = relationship()
    fee_item: Mapped[FeeItem] = relationship()

    def __str__(self) -> str:
        return self.code


class MeterReading(Base):
    """One reading per meter and period: previous and current value, usage, who read and who checked."""

    __tablename__ = "billing_meter_readings"
    __table_args__ = (UniqueConstraint("meter_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    meter_id: Mapped[int] = mapped_column(ForeignKey("billing_meters.id", ondelete="RESTRICT"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True, comment="billing period the usage belongs to")
    read_on: Mapped[dt.date] = mapped_column()
    previous_value: Mapped[Decimal] = mapped_column(
        Numeric(14, 2), comment="last reading (or the new meter's start)"
    )
    value: Mapped[Decimal] = mapped_column(Numeric(14, 2), comment="current reading")
    usage: Mapped[Decimal] = mapped_column(Numeric(14, 2), comment="consumption of the period")
    usage_centi: Mapped[int] = mapped_column(
        BigInteger, comment="usage in 1/100 unit: what billing multiplies"
    )
    rollover: Mapped[bool] = mapped_column(
        default=False, comment="the dial passed max_value and restarted at 0"
    )
    replacement: Mapped[bool] = mapped_column(
        default=False, comment="meter replaced during the period (换表)"
    )
    old_meter_final: Mapped[Decimal | None] = mapped_column(
        Numeric(14, 2), comment="old meter's last reading"
    )
    read_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_staff_users.id", ondelete="SET NULL"))
    checked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_staff_users.id", ondelete="SET NULL"),
        comment="second person who double-checked (复核)",
    )
    note: Mapped[str] = mapped_column(String(400), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    meter: Mapped[Meter] = relationship()
    read_by: Mapped[StaffUser | None] = relationship(foreign_keys=[read_by_id])
    checked_by: Mapped[StaffUser | None] = relationship(foreign_keys=[checked_by_id])


class DunningCase(Base):
    """An arrears case (欠费跟进) for a unit whose arrears are older than a month."""

    __tablename__ = "billing_dunning_cases"
    __table_args__ = (Index("ix_billing_dunning_cases_unit_status", "unit_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(
        String(16), default="open", comment="open, promised, disputed, legal, closed"
    )
    opened_on: Mapped[dt.date] = mapped_column()
    closed_on: Mapped[dt.date | None] = mapped_column()
    arrears_fen: Mapped[int] = mapped_column(
        BigInteger, default=0, comment="overdue amount when last checked"
    )
    oldest_due_on: Mapped[dt.date | None] = mapped_column(comment="due date of the oldest unpaid line")
    assigned_role: Mapped[str] = mapped_column(
        String(64), default="cs_specialist", comment="zone specialist role"
    )
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("core_staff_users.id", ondelete="SET NULL"))
    dispute_reason: Mapped[str] = mapped_column(
        String(400), default="", comment="owner's grounds for refusal"
    )
    promised_on: Mapped[dt.date | None] = mapped_column(comment="day the owner promised to pay")
    note: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship()
    assignee: Mapped[StaffUser | None] = relationship()
    actions: Mapped[list[DunningAction]] = relationship(
        back_populates="case", order_by="DunningAction.due_on"
    )


class DunningAction(Base):
    """A follow-up (催缴动作): phone, SMS, notice, visit, letter or legal step, due and done."""

    __tablename__ = "billing_dunning_actions"
    __table_args__ = (Index("ix_billing_dunning_actions_case_done", "case_id", "done_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("billing_dunning_cases.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(
        String(16), default="phone", comment="phone, sms, notice, visit, letter, legal"
    )
    due_on: Mapped[dt.date] = mapped_column()
    done_on: Mapped[dt.date | None] = mapped_column()
    assigned_role: Mapped[str] = mapped_column(String(64), default="cs_specialist")
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_staff_users.id", ondelete="SET NULL"), comment="who did it"
    )
    overdue: Mapped[bool] = mapped_column(default=False, comment="flagged by billing.arrears_followup")
    result: Mapped[str] = mapped_column(
        String(1000), default="", comment="what the owner said; promise; dispute"
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    case: Mapped[DunningCase] = relationship(back_populates="actions")
    staff: Mapped[StaffUser | None] = relationship()
