"""Developer key handover (开发商钥匙移交): a batch of keys received, checked one by one, sealed."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, utcnow
from plugins.keys.models.columns import enum_column, estate_fk, staff_fk
from plugins.keys.models.register import KeySet


class BatchStatus(enum.StrEnum):
    received = "received"  # 已接收
    verified = "verified"  # 已逐一核对
    sealed = "sealed"  # 已统一封存

    __labels__ = {  # value -> (English, 中文), shown on every screen
        "received": ("Received", "已接收"),
        "verified": ("Checked one by one", "已逐一核对"),
        "sealed": ("Sealed", "已统一封存"),
    }


class CheckResult(enum.StrEnum):
    pending = "pending"
    present = "present"
    missing = "missing"
    damaged = "damaged"

    __labels__ = {  # value -> (English, 中文), shown on every screen
        "pending": ("Not checked", "待核对"),
        "present": ("Present", "在册"),
        "missing": ("Missing", "缺失"),
        "damaged": ("Damaged", "损坏"),
    }


class HandoverBatch(Base):
    """Keys received from the developer in one go (开发商钥匙移交), checked one by one, then sealed."""

    __tablename__ = "keys_handover_batches"
    __table_args__ = (UniqueConstraint("estate_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = estate_fk()
    number: Mapped[str] = mapped_column(String(32), comment="KH-YYYY-NNNNNN")
    phase: Mapped[str] = mapped_column(String(64), default="", comment="delivery phase (期) or buildings")
    developer_name: Mapped[str] = mapped_column(String(200), default="", comment="开发商 / 建设单位")
    developer_contact: Mapped[str] = mapped_column(String(200), default="", comment="who handed the keys over")
    status: Mapped[BatchStatus] = mapped_column(enum_column(BatchStatus, "keys_batch_status"), default=BatchStatus.received)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    received_by_id: Mapped[int | None] = staff_fk()
    seal_no: Mapped[str] = mapped_column(String(64), default="", comment="封条编号 of the batch seal")
    sealed_at: Mapped[dt.datetime | None]
    sealed_by_id: Mapped[int | None] = staff_fk()
    notes: Mapped[str] = mapped_column(String(1000), default="")

    lines: Mapped[list[HandoverLine]] = relationship(back_populates="batch", order_by="HandoverLine.id",
                                                     cascade="all, delete-orphan")


class HandoverLine(Base):
    """One key set on the developer's list, checked one by one (present / missing / damaged)."""

    __tablename__ = "keys_handover_lines"
    __table_args__ = (UniqueConstraint("batch_id", "key_set_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("keys_handover_batches.id", ondelete="CASCADE"), index=True)
    estate_id: Mapped[int] = estate_fk()
    key_set_id: Mapped[int] = mapped_column(ForeignKey("keys_key_sets.id", ondelete="RESTRICT"), index=True)
    expected_copies: Mapped[int] = mapped_column(default=1, comment="copies on the developer's list")
    counted_copies: Mapped[int | None] = mapped_column(comment="copies actually received")
    result: Mapped[CheckResult] = mapped_column(enum_column(CheckResult, "keys_check_result"), default=CheckResult.pending)
    remarks: Mapped[str] = mapped_column(String(400), default="")
    checked_at: Mapped[dt.datetime | None]
    checked_by_id: Mapped[int | None] = staff_fk()

    batch: Mapped[HandoverBatch] = relationship(back_populates="lines")
    key_set: Mapped[KeySet] = relationship()
