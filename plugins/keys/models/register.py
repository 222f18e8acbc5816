"""The key register (钥匙登记): the facility rooms whose keys the office keeps, and the key sets.

A key set's ``status`` is a workflow state (``keys.key_set``): it changes only through the
workflow engine (``core.apply``), never by assignment."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, utcnow
from core.models import Estate, Party, StaffUser, Unit
from plugins.keys.models.columns import enum_column, estate_fk, staff_fk


class KeyStatus(enum.StrEnum):
    """Where a key set is (workflow ``keys.key_set``)."""

    with_developer = "with_developer"  # 开发商持有
    sealed = "sealed"  # 封存于管理处
    issued_to_owner = "issued_to_owner"  # 已交业主
    in_custody = "in_custody"  # 托管中
    lent = "lent"  # 借出
    lost = "lost"  # 遗失
    destroyed = "destroyed"  # 销毁

    __labels__ = {  # value -> (English, 中文), shown on every screen
        "with_developer": ("With the developer", "开发商持有"),
        "sealed": ("Sealed at the office", "封存于管理处"),
        "issued_to_owner": ("Issued to the owner", "已交业主"),
        "in_custody": ("In custody", "托管中"),
        "lent": ("Lent out", "借出"),
        "lost": ("Lost", "遗失"),
        "destroyed": ("Destroyed", "已销毁"),
    }


class FacilityRoomKind(enum.StrEnum):
    plant_room = "plant_room"  # 配电房
    cctv_room = "cctv_room"  # 监控室
    office = "office"  # 办公室
    pump_room = "pump_room"  # 水泵房
    lift_machine_room = "lift_machine_room"  # 电梯机房
    fire_control_room = "fire_control_room"  # 消防控制室
    other = "other"

    __labels__ = {  # value -> (English, 中文), shown on every screen
        "plant_room": ("Power distribution room", "配电房"),
        "cctv_room": ("CCTV room", "监控室"),
        "office": ("Office", "办公室"),
        "pump_room": ("Pump room", "水泵房"),
        "lift_machine_room": ("Lift machine room", "电梯机房"),
        "fire_control_room": ("Fire control room", "消防控制室"),
        "other": ("Other", "其他"),
    }


class FacilityRoom(Base):
    """A room of the estate whose keys the office holds: plant room 配电房, CCTV room 监控室, office."""

    __tablename__ = "keys_facility_rooms"
    __table_args__ = (UniqueConstraint("estate_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = estate_fk()
    name: Mapped[str] = mapped_column(String(200), comment="e.g. 1号配电房, 监控室")
    kind: Mapped[FacilityRoomKind] = mapped_column(enum_column(FacilityRoomKind, "keys_room_kind"),
                                                  default=FacilityRoomKind.other)
    location: Mapped[str] = mapped_column(String(200), default="", comment="building / floor")
    responsible_staff_id: Mapped[int | None] = staff_fk("谁使用谁管理: the person who keeps this room's key")
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
    estate_id: Mapped[int] = estate_fk()
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"), index=True)
    facility_room_id: Mapped[int | None] = mapped_column(
        ForeignKey("keys_facility_rooms.id", ondelete="RESTRICT"), index=True)
    tag_no: Mapped[str] = mapped_column(String(32), comment="钥匙牌号, unique per estate")
    key_type: Mapped[str] = mapped_column(String(64), default="", comment="e.g. 入户门, 信报箱, 防盗门")
    copies: Mapped[int] = mapped_column(default=1, comment="number of keys on the tag")
    cabinet_slot: Mapped[str] = mapped_column(String(32), default="", comment="钥匙柜格位")
    status: Mapped[KeyStatus] = mapped_column(enum_column(KeyStatus, "keys_key_status"), default=KeyStatus.with_developer,
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
