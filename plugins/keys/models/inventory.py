"""The monthly key inventory (钥匙盘点): the register against the cabinet, one line per key set."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, utcnow
from plugins.keys.models.columns import enum_column, estate_fk, staff_fk
from plugins.keys.models.register import KeySet


class CountStatus(enum.StrEnum):
    open = "open"
    closed = "closed"

    __labels__ = {  # value -> (English, 中文), shown on every screen
        "open": ("In progress", "盘点中"),
        "closed": ("Closed", "已结束"),
    }


class CountResult(enum.StrEnum):
    pending = "pending"
    ok = "ok"
    on_loan = "on_loan"  # lent out per the register, rightly not in the cabinet
    missing = "missing"
    unexpected = "unexpected"
    wrong_slot = "wrong_slot"

    __labels__ = {  # value -> (English, 中文), shown on every screen
        "pending": ("Not counted", "待盘点"),
        "ok": ("In place", "相符"),
        "on_loan": ("Lent out", "借出中"),
        "missing": ("Missing", "缺失"),
        "unexpected": ("Not in the register", "账外钥匙"),
        "wrong_slot": ("Wrong slot", "位置不符"),
    }


class InventoryCount(Base):
    """The monthly key inventory (钥匙盘点) of one estate: the register against the cabinet."""

    __tablename__ = "keys_inventory_counts"
    __table_args__ = (UniqueConstraint("estate_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = estate_fk()
    period: Mapped[str] = mapped_column(String(7), comment="YYYY-MM in the estate's time zone")
    status: Mapped[CountStatus] = mapped_column(enum_column(CountStatus, "keys_count_status"), default=CountStatus.open)
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    opened_by_id: Mapped[int | None] = staff_fk("null when opened by the monthly reminder job")
    closed_at: Mapped[dt.datetime | None]
    closed_by_id: Mapped[int | None] = staff_fk()
    expected_count: Mapped[int] = mapped_column(default=0, comment="key sets the register puts in the cabinet")
    found_count: Mapped[int] = mapped_column(default=0)
    discrepancy_count: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str] = mapped_column(String(1000), default="")

    lines: Mapped[list[InventoryLine]] = relationship(back_populates="count", order_by="InventoryLine.id",
                                                      cascade="all, delete-orphan")

    def __str__(self) -> str:
        return f"{self.period}"


class InventoryLine(Base):
    """One key set expected or found during a count."""

    __tablename__ = "keys_inventory_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("keys_inventory_counts.id", ondelete="CASCADE"), index=True)
    estate_id: Mapped[int] = estate_fk()
    key_set_id: Mapped[int | None] = mapped_column(ForeignKey("keys_key_sets.id", ondelete="RESTRICT"),
                                                   comment="null: a tag not in the register")
    tag_no: Mapped[str] = mapped_column(String(32))
    register_status: Mapped[str] = mapped_column(String(32), default="", comment="key status when the count opened")
    expected_in_cabinet: Mapped[bool] = mapped_column(default=False)
    expected_slot: Mapped[str] = mapped_column(String(32), default="")
    found: Mapped[bool] = mapped_column(default=False)
    found_slot: Mapped[str] = mapped_column(String(32), default="")
    result: Mapped[CountResult] = mapped_column(enum_column(CountResult, "keys_count_result"), default=CountResult.pending)
    remarks: Mapped[str] = mapped_column(String(400), default="")

    count: Mapped[InventoryCount] = relationship(back_populates="lines")
    key_set: Mapped[KeySet | None] = relationship()
