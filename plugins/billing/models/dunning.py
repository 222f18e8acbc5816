"""Dunning (催缴): arrears cases (欠费跟进) and their follow-up actions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, utcnow
from core.models import Building, StaffUser, Unit

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
    # Late fees pause from disputed_on until the day before dispute_resolved_on (open: still disputed)
    disputed_on: Mapped[dt.date | None] = mapped_column(comment="day the owner disputed the fees")
    dispute_resolved_on: Mapped[dt.date | None] = mapped_column(comment="day the dispute ended")
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


class CollectionZone(Base):
    """A collector's zone (片区): a building whose collection a staff member answers for (收缴率考核)."""

    __tablename__ = "billing_collection_zones"
    __table_args__ = (UniqueConstraint("building_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("core_buildings.id", ondelete="RESTRICT"))
    collector_id: Mapped[int] = mapped_column(
        ForeignKey("core_staff_users.id", ondelete="RESTRICT"), index=True, comment="the responsible collector"
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    building: Mapped[Building] = relationship()
    collector: Mapped[StaffUser] = relationship()

    def __str__(self) -> str:
        return f"{self.building} → {self.collector}"
