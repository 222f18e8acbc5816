"""Move-in tables (入伙, spec 2.3). Every table starts with ``move_in_`` and carries an indexed
``estate_id`` so the core's estate scoping filters it.

A case's ``status`` belongs to the workflow engine (``move_in.case``, see ``workflows.py``) and
changes only through ``core.workflow.apply``. The unit's own status (notified, delivered, deemed
delivered) is core's and changes only through ``core.change_unit_status``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Attachable, Base, utcnow
from core.models import Estate, Party, Unit

_STAFF = "core_staff_users.id"
# Cases still waiting for the owner (the deemed-delivery job looks at these).
WAITING_STATES = ("notified", "booked")
OPEN_STATES = ("notified", "booked", "documents_checked", "fees_paid", "inspected", "signed", "keys_issued")


class MoveInBatch(Base):
    """开发商交房清单 / 入伙批次: one phase of units the developer hands over to the property company,
    notified in a batch to spread the crowd (001 L279)."""

    __tablename__ = "move_in_batches"
    __table_args__ = (UniqueConstraint("estate_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True, comment="record id")
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True,
                                           comment="the estate")
    number: Mapped[str] = mapped_column(String(32), comment="MB-<year>-<n>, per estate and year")
    name: Mapped[str] = mapped_column(String(100), comment="phase / buildings, e.g. 一期 1-3栋")
    developer_name: Mapped[str] = mapped_column(String(200), default="", comment="the developer handing over")
    handed_over_on: Mapped[dt.date | None] = mapped_column(Date, comment="the developer's handover to us")
    move_in_from: Mapped[dt.date | None] = mapped_column(Date, comment="first day of move-in procedures")
    move_in_to: Mapped[dt.date | None] = mapped_column(Date, comment="last planned day of move-in procedures")
    notes: Mapped[str] = mapped_column(String(1000), default="", comment="site layout, developer's desk ...")

    estate: Mapped[Estate] = relationship()
    units: Mapped[list[MoveInBatchUnit]] = relationship(back_populates="batch", order_by="MoveInBatchUnit.id")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class MoveInBatchUnit(Base):
    """One line of the developer's handover list: a unit handed to the property company."""

    __tablename__ = "move_in_batch_units"
    __table_args__ = (UniqueConstraint("batch_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, comment="record id")
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True,
                                           comment="the estate (the unit's)")
    batch_id: Mapped[int] = mapped_column(ForeignKey("move_in_batches.id", ondelete="RESTRICT"), index=True,
                                          comment="the handover list")
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"), index=True,
                                         comment="the unit handed over")
    remarks: Mapped[str] = mapped_column(String(400), default="", comment="the developer's remarks on the unit")

    batch: Mapped[MoveInBatch] = relationship(back_populates="units")
    unit: Mapped[Unit] = relationship()


class MoveInSlot(Base):
    """An appointment slot (预约时段) at the move-in office, taking up to ``capacity`` owners."""

    __tablename__ = "move_in_slots"

    id: Mapped[int] = mapped_column(primary_key=True, comment="record id")
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True,
                                           comment="the estate")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("move_in_batches.id", ondelete="RESTRICT"), index=True,
                                                 comment="the batch it serves, or any")
    starts_at: Mapped[dt.datetime] = mapped_column(comment="slot start (UTC)")
    ends_at: Mapped[dt.datetime] = mapped_column(comment="slot end (UTC)")
    capacity: Mapped[int] = mapped_column(default=10, comment="owners the office can receive in the slot")

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class MoveInCase(Attachable, Base):
    """入伙办理: one unit's move-in for its owner, from the notice (入伙通知书) to the keys.

    Attachable: copies of IDs and the purchase contract, photos, the power of attorney (委托书) and
    the signed handover form (收楼确认书)."""

    __tablename__ = "move_in_cases"
    __table_args__ = (UniqueConstraint("estate_id", "number"),)
    attachment_kinds = {"id_copy": ("ID copy", "身份证复印件"), "contract": ("Purchase contract", "购房合同"),
                        "photo": ("Photo", "照片"), "power_of_attorney": ("Power of attorney", "业主委托书"),
                        "handover_form": ("Signed handover form", "收楼确认书"), "other": ("Other", "其他")}

    id: Mapped[int] = mapped_column(primary_key=True, comment="record id")
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True,
                                           comment="the estate (the unit's)")
    number: Mapped[str] = mapped_column(String(32), comment="MI-<year>-<n>, per estate and year")
    status: Mapped[str] = mapped_column(String(32), default="notified", index=True,
                                        comment="workflow move_in.case; changed only by transitions")
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"), index=True,
                                         comment="the unit")
    owner_id: Mapped[int] = mapped_column(ForeignKey("core_parties.id", ondelete="RESTRICT"), index=True,
                                          comment="the owner notified")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("move_in_batches.id", ondelete="RESTRICT"),
                                                 comment="the handover batch")
    notice_sent_on: Mapped[dt.date] = mapped_column(Date, comment="入伙通知书 issued")
    notice_received_on: Mapped[dt.date] = mapped_column(Date, comment="owner received the notice")
    notified_by: Mapped[dt.date] = mapped_column(Date, index=True,
                                                 comment="come by this date; after it the unit is deemed delivered")
    reminded_on: Mapped[dt.date | None] = mapped_column(Date, comment="reminder letter/call 3 days before (KF08 §5.3.2)")
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("move_in_slots.id", ondelete="RESTRICT"), index=True,
                                                comment="the booked appointment slot")
    id_checked: Mapped[bool] = mapped_column(Boolean, default=False, comment="ID originals seen, copies kept")
    contract_checked: Mapped[bool] = mapped_column(Boolean, default=False, comment="purchase contract seen, copy kept")
    persons: Mapped[int] = mapped_column(default=1, comment="owner and household members registering")
    photos_count: Mapped[int] = mapped_column(default=0, comment="one-inch photos received")
    agent_name: Mapped[str] = mapped_column(String(200), default="", comment="受托人 when the owner delegates")
    agent_id_number: Mapped[str] = mapped_column(String(64), default="", comment="sensitive: masked in lists")
    power_of_attorney_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_attachments.id", ondelete="RESTRICT"), comment="业主委托书 (an attachment of this case)")
    open_at_check_fen: Mapped[int | None] = mapped_column(comment="the unit's open amount when fees were checked, fen")
    fees_paid_at: Mapped[dt.datetime | None] = mapped_column(comment="fees confirmed paid (UTC)")
    inspected_at: Mapped[dt.datetime | None] = mapped_column(comment="joint inspection (联合验房) done (UTC)")
    inspectors: Mapped[str] = mapped_column(String(200), default="", comment="who inspected with the owner")
    water_reading: Mapped[str] = mapped_column(String(32), default="", comment="water meter at handover")
    electricity_reading: Mapped[str] = mapped_column(String(32), default="", comment="electricity meter at handover")
    gas_reading: Mapped[str] = mapped_column(String(32), default="", comment="gas meter at handover, if any")
    signed_at: Mapped[dt.datetime | None] = mapped_column(comment="收楼确认书 signed (UTC)")
    signed_by_name: Mapped[str] = mapped_column(String(200), default="", comment="who signed: owner or agent")
    keys_issued_at: Mapped[dt.datetime | None] = mapped_column(comment="keys handed over (UTC)")
    keys_count: Mapped[int] = mapped_column(default=0, comment="key sets issued")
    done_at: Mapped[dt.datetime | None] = mapped_column(comment="procedures completed, unit delivered (UTC)")
    deemed_on: Mapped[dt.date | None] = mapped_column(Date, comment="视同交付: owner did not come by the notified date")
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey(_STAFF, ondelete="RESTRICT"),
                                                      comment="CS specialist handling the case")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, comment="when recorded (UTC)")

    estate: Mapped[Estate] = relationship()
    unit: Mapped[Unit] = relationship()
    owner: Mapped[Party] = relationship()
    batch: Mapped[MoveInBatch | None] = relationship()
    slot: Mapped[MoveInSlot | None] = relationship()
    defects: Mapped[list[MoveInDefect]] = relationship(back_populates="case", order_by="MoveInDefect.id")

    def __str__(self) -> str:
        return self.number


class MoveInDefect(Base):
    """整改项 (房屋整改工程记录表): a defect found at the joint inspection, rectified by engineering
    within a week (a repair order when repairs is enabled) or by the developer under warranty."""

    __tablename__ = "move_in_defects"

    id: Mapped[int] = mapped_column(primary_key=True, comment="record id")
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True,
                                           comment="the estate (the case's)")
    case_id: Mapped[int] = mapped_column(ForeignKey("move_in_cases.id", ondelete="RESTRICT"), index=True,
                                         comment="the move-in case")
    location: Mapped[str] = mapped_column(String(200), default="", comment="room or spot, e.g. 主卧窗台")
    description: Mapped[str] = mapped_column(String(1000), comment="what is wrong")
    responsible: Mapped[str] = mapped_column(String(16), default="engineering",
                                             comment="engineering (repair order) or developer (warranty)")
    state: Mapped[str] = mapped_column(String(16), default="open", comment="open, rectified, accepted or failed")
    due_on: Mapped[dt.date] = mapped_column(Date, comment="rectify by (1 week, KF08 §5.4.5)")
    repair_order_id: Mapped[int | None] = mapped_column(comment="the repairs plugin's order (repairs_orders.id)")
    repair_number: Mapped[str] = mapped_column(String(32), default="", comment="its number, e.g. RP-2026-000012")
    rectified_on: Mapped[dt.date | None] = mapped_column(Date, comment="rectification reported done")
    reinspection_note: Mapped[str] = mapped_column(String(400), default="", comment="second inspection result")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, comment="when recorded (UTC)")

    case: Mapped[MoveInCase] = relationship(back_populates="defects")

    def __str__(self) -> str:
        return self.description[:40]


MODELS = (MoveInBatch, MoveInBatchUnit, MoveInSlot, MoveInCase, MoveInDefect)
