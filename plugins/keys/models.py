"""Key custody models (spec 2.12): the key register, developer handover, custody agreements,
the lending register, lock changes and the monthly inventory.

Every table carries ``estate_id`` (denormalised, indexed) so the core's estate scoping filters it
directly. The key set's ``status`` is a workflow state (``keys.key_set``): it changes only through
``core.workflow.apply``; the other status columns are changed by the functions in ``services``.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, utcnow
from core.models import Estate, Party, StaffUser, Unit


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Strings with a CHECK constraint, never a native PostgreSQL ENUM (as core does).
    return Enum(cls, name=name, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


class KeyStatus(enum.StrEnum):
    """Where a key set is (workflow ``keys.key_set``)."""

    with_developer = "with_developer"  # 开发商持有
    sealed = "sealed"  # 封存于管理处
    issued_to_owner = "issued_to_owner"  # 已交业主
    in_custody = "in_custody"  # 托管中
    lent = "lent"  # 借出
    lost = "lost"  # 遗失
    destroyed = "destroyed"  # 销毁


class FacilityRoomKind(enum.StrEnum):
    plant_room = "plant_room"  # 配电房
    cctv_room = "cctv_room"  # 监控室
    office = "office"  # 办公室
    pump_room = "pump_room"  # 水泵房
    lift_machine_room = "lift_machine_room"  # 电梯机房
    fire_control_room = "fire_control_room"  # 消防控制室
    other = "other"


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


class CustodyReason(enum.StrEnum):
    repairs_pending = "repairs_pending"  # 入伙遗留问题待整改 (KF08 §5.4.6 b)
    vacancy = "vacancy"  # 空置
    travel = "travel"  # 外出
    other = "other"


class CustodyStatus(enum.StrEnum):
    active = "active"
    ended = "ended"


class ConsentChannel(enum.StrEnum):
    """How the owner confirmed or consented (spec 2.12 [INF]: phone or app)."""

    in_person = "in_person"  # 当面签字
    phone = "phone"  # 电话 (录音)
    app = "app"
    written = "written"  # 书面授权


class LoanKind(enum.StrEnum):
    issue = "issue"  # 领用: handed to the owner for good, signed on the register
    lend = "lend"  # 借用: to be returned


class LoanStatus(enum.StrEnum):
    out = "out"  # 借出未还
    returned = "returned"  # 已归还
    issued = "issued"  # 已领用 (issue lines never come back)
    lost = "lost"  # 借出期间遗失


class ReturnCondition(enum.StrEnum):
    intact = "intact"  # 完好
    damaged = "damaged"  # 损坏
    incomplete = "incomplete"  # 少件


class BatchStatus(enum.StrEnum):
    received = "received"  # 已接收
    verified = "verified"  # 已逐一核对
    sealed = "sealed"  # 已统一封存


class CheckResult(enum.StrEnum):
    pending = "pending"
    present = "present"
    missing = "missing"
    damaged = "damaged"


class CountStatus(enum.StrEnum):
    open = "open"
    closed = "closed"


class CountResult(enum.StrEnum):
    pending = "pending"
    ok = "ok"
    on_loan = "on_loan"  # lent out per the register, rightly not in the cabinet
    missing = "missing"
    unexpected = "unexpected"
    wrong_slot = "wrong_slot"


class TaskStatus(enum.StrEnum):
    open = "open"
    done = "done"
    cancelled = "cancelled"


def _staff_fk(comment: str = "") -> Mapped[int | None]:
    return mapped_column(ForeignKey("core_staff_users.id", ondelete="RESTRICT"), comment=comment or None)


def _estate_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)


class FacilityRoom(Base):
    """A room of the estate whose keys the office holds: plant room 配电房, CCTV room 监控室, office."""

    __tablename__ = "keys_facility_rooms"
    __table_args__ = (UniqueConstraint("estate_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = _estate_fk()
    name: Mapped[str] = mapped_column(String(200), comment="e.g. 1号配电房, 监控室")
    kind: Mapped[FacilityRoomKind] = mapped_column(_enum(FacilityRoomKind, "keys_room_kind"),
                                                  default=FacilityRoomKind.other)
    location: Mapped[str] = mapped_column(String(200), default="", comment="building / floor")
    responsible_staff_id: Mapped[int | None] = _staff_fk("谁使用谁管理: the person who keeps this room's key")
    active: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str] = mapped_column(String(1000), default="")

    estate: Mapped[Estate] = relationship()
    responsible_staff: Mapped[StaffUser | None] = relationship()

    def __str__(self) -> str:
        return self.name


class KeySet(Base):
    """A set of keys to one unit or one facility room (钥匙), kept under a tag number."""

    __tablename__ = "keys_key_sets"
    __table_args__ = (
        UniqueConstraint("estate_id", "tag_no"),
        CheckConstraint("(unit_id IS NULL) <> (facility_room_id IS NULL)", name="unit_xor_room"),
        CheckConstraint("copies >= 0", name="copies_not_negative"),
        Index("ix_keys_key_sets_estate_status", "estate_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = _estate_fk()
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"), index=True)
    facility_room_id: Mapped[int | None] = mapped_column(
        ForeignKey("keys_facility_rooms.id", ondelete="RESTRICT"), index=True)
    tag_no: Mapped[str] = mapped_column(String(32), comment="钥匙牌号, unique per estate")
    key_type: Mapped[str] = mapped_column(String(64), default="", comment="e.g. 入户门, 信报箱, 防盗门")
    copies: Mapped[int] = mapped_column(default=1, comment="number of keys on the tag")
    cabinet_slot: Mapped[str] = mapped_column(String(32), default="", comment="钥匙柜格位")
    status: Mapped[KeyStatus] = mapped_column(_enum(KeyStatus, "keys_key_status"), default=KeyStatus.with_developer,
                                              comment="workflow keys.key_set: changed only by the engine")
    holder_party_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_parties.id", ondelete="RESTRICT"), comment="owner the keys were issued to")
    notes: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit | None] = relationship()
    facility_room: Mapped[FacilityRoom | None] = relationship()
    holder: Mapped[Party | None] = relationship()

    @property
    def place(self) -> str:
        """What the keys open: the unit label or the room name."""
        if self.unit is not None:
            return self.unit.label
        return self.facility_room.name if self.facility_room is not None else "?"

    def __str__(self) -> str:
        return f"{self.tag_no} ({self.place})"


class HandoverBatch(Base):
    """Keys received from the developer in one go (开发商钥匙移交), checked one by one, then sealed."""

    __tablename__ = "keys_handover_batches"
    __table_args__ = (UniqueConstraint("estate_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = _estate_fk()
    number: Mapped[str] = mapped_column(String(32), comment="KH-YYYY-NNNNNN")
    phase: Mapped[str] = mapped_column(String(64), default="", comment="delivery phase (期) or buildings")
    developer_name: Mapped[str] = mapped_column(String(200), default="", comment="开发商 / 建设单位")
    developer_contact: Mapped[str] = mapped_column(String(200), default="", comment="who handed the keys over")
    status: Mapped[BatchStatus] = mapped_column(_enum(BatchStatus, "keys_batch_status"), default=BatchStatus.received)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    received_by_id: Mapped[int | None] = _staff_fk()
    seal_no: Mapped[str] = mapped_column(String(64), default="", comment="封条编号 of the batch seal")
    sealed_at: Mapped[dt.datetime | None]
    sealed_by_id: Mapped[int | None] = _staff_fk()
    notes: Mapped[str] = mapped_column(String(1000), default="")

    lines: Mapped[list[HandoverLine]] = relationship(back_populates="batch", order_by="HandoverLine.id",
                                                     cascade="all, delete-orphan")


class HandoverLine(Base):
    """One key set on the developer's list, checked one by one (present / missing / damaged)."""

    __tablename__ = "keys_handover_lines"
    __table_args__ = (UniqueConstraint("batch_id", "key_set_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("keys_handover_batches.id", ondelete="CASCADE"), index=True)
    estate_id: Mapped[int] = _estate_fk()
    key_set_id: Mapped[int] = mapped_column(ForeignKey("keys_key_sets.id", ondelete="RESTRICT"), index=True)
    expected_copies: Mapped[int] = mapped_column(default=1, comment="copies on the developer's list")
    counted_copies: Mapped[int | None] = mapped_column(comment="copies actually received")
    result: Mapped[CheckResult] = mapped_column(_enum(CheckResult, "keys_check_result"), default=CheckResult.pending)
    remarks: Mapped[str] = mapped_column(String(400), default="")
    checked_at: Mapped[dt.datetime | None]
    checked_by_id: Mapped[int | None] = _staff_fk()

    batch: Mapped[HandoverBatch] = relationship(back_populates="lines")
    key_set: Mapped[KeySet] = relationship()


class CustodyAgreement(Base):
    """钥匙托管书: the owner leaves a key with the office for stated uses, confirmed and witnessed."""

    __tablename__ = "keys_custody_agreements"
    __table_args__ = (
        UniqueConstraint("estate_id", "number"),
        CheckConstraint("end_on IS NULL OR end_on >= start_on", name="dates_ordered"),
        Index("ix_keys_custody_agreements_unit_status", "unit_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = _estate_fk()
    number: Mapped[str] = mapped_column(String(32), comment="KC-YYYY-NNNNNN")
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("core_parties.id", ondelete="RESTRICT"), index=True,
                                          comment="an owner of the unit on start_on")
    key_set_id: Mapped[int | None] = mapped_column(ForeignKey("keys_key_sets.id", ondelete="RESTRICT"),
                                                   index=True, comment="the key set left in custody")
    reason: Mapped[CustodyReason] = mapped_column(_enum(CustodyReason, "keys_custody_reason"))
    reason_detail: Mapped[str] = mapped_column(String(400), default="")
    permitted_uses: Mapped[list] = mapped_column(JSON, default=list, comment="KeyUse values the owner allows")
    authorised_persons: Mapped[list] = mapped_column(
        JSON, default=list, comment="[{name, phone, relation}] the owner authorises to use or collect the key")
    start_on: Mapped[dt.date]
    end_on: Mapped[dt.date | None] = mapped_column(comment="null: until the owner ends it")
    owner_confirmed_at: Mapped[dt.datetime] = mapped_column(comment="when the owner signed or confirmed")
    confirmation_channel: Mapped[ConsentChannel] = mapped_column(_enum(ConsentChannel, "keys_consent_channel"),
                                                                 default=ConsentChannel.in_person)
    witnessed_by_id: Mapped[int | None] = _staff_fk("staff who witnessed the owner's confirmation")
    status: Mapped[CustodyStatus] = mapped_column(_enum(CustodyStatus, "keys_custody_status"),
                                                  default=CustodyStatus.active)
    ended_at: Mapped[dt.datetime | None]
    ended_by_id: Mapped[int | None] = _staff_fk()
    end_note: Mapped[str] = mapped_column(String(400), default="")
    created_by_id: Mapped[int | None] = _staff_fk()
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


# The lending register, lock changes and the inventory live in their own module (size); import
# them from here like every other model of the plugin.
from plugins.keys.loan_models import (  # noqa: E402
    InventoryCount,
    InventoryLine,
    KeyLoan,
    LockChangeTask,
)

__all__ = [
    "BatchStatus", "CheckResult", "ConsentChannel", "CountResult", "CountStatus", "CustodyAgreement",
    "CustodyReason", "CustodyStatus", "FacilityRoom", "FacilityRoomKind", "HandoverBatch", "HandoverLine",
    "InventoryCount", "InventoryLine", "KeyLoan", "KeySet", "KeyStatus", "KeyUse", "LoanKind", "LoanStatus",
    "LockChangeTask", "ReturnCondition", "TaskStatus",
]
