"""The property hierarchy: estate (小区/项目) → building (栋/楼) → unit (房屋)."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import Enum, ForeignKey, Index, Numeric, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, prefix_search_index, utcnow


class UnitType(enum.StrEnum):
    """What a unit is used as (房屋类型)."""

    residential = "residential"  # 住宅
    shop = "shop"  # 商铺
    office = "office"  # 写字楼
    parking = "parking"  # 车位
    storage = "storage"  # 储藏室

    # value -> (English, 中文): how screens show a value (dunder names are not enum members)
    __labels__ = {"residential": ("Residential", "住宅"), "shop": ("Shop", "商铺"), "office": ("Office", "写字楼"),
                  "parking": ("Parking space", "车位"), "storage": ("Storage room", "储藏室")}


class UnitStatus(enum.StrEnum):
    """Occupancy lifecycle of a unit (spec 1.3). Changed only through ``core.services.units``."""

    not_delivered = "not_delivered"  # 未交付: the developer still holds the keys
    notified = "notified"  # 入伙通知 sent
    delivered = "delivered"  # 收楼/交房 done
    deemed_delivered = "deemed_delivered"  # 视为入住: no procedures within a month of notice
    renovating = "renovating"  # 装修中
    occupied = "occupied"  # 入住 by the owner
    rented = "rented"  # 出租
    vacant = "vacant"  # 空置
    moved_out = "moved_out"  # 迁出/退房

    __labels__ = {
        "not_delivered": ("Not delivered", "未交付"), "notified": ("Move-in notified", "已发入伙通知"),
        "delivered": ("Delivered", "已交付"), "deemed_delivered": ("Deemed delivered", "视为入住"),
        "renovating": ("Renovating", "装修中"), "occupied": ("Occupied", "已入住"), "rented": ("Rented", "出租"),
        "vacant": ("Vacant", "空置"), "moved_out": ("Moved out", "已迁出"),
    }


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Stored as strings with a CHECK constraint, never as a native PostgreSQL ENUM: plugins and
    # later versions add values with a plain migration.
    return Enum(cls, name=name, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


class Estate(Base):
    """A project or estate (小区 / 大厦 / 园区) run by one management office (管理处)."""

    __tablename__ = "core_estates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True, comment="short code used in CLI and numbers")
    name: Mapped[str] = mapped_column(String(200), comment="estate name, e.g. 翠湖花园")
    kind: Mapped[str] = mapped_column(String(32), default="residential", comment="住宅, 写字楼, 商业, 别墅 ...")
    address: Mapped[str] = mapped_column(String(400), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai", comment="for 'which day is it'")
    management_office: Mapped[str] = mapped_column(String(200), default="", comment="管理处 / 物业服务中心")
    office_phone: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    buildings: Mapped[list[Building]] = relationship(back_populates="estate", order_by="Building.code")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Building(Base):
    """A building (栋 / 幢 / 楼) of an estate."""

    __tablename__ = "core_buildings"
    __table_args__ = (UniqueConstraint("estate_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    code: Mapped[str] = mapped_column(String(32), comment="building number (栋号/楼号)")
    name: Mapped[str] = mapped_column(String(200), default="")
    phase: Mapped[str] = mapped_column(String(64), default="", comment="phase or cluster (期/组团)")
    floors: Mapped[int] = mapped_column(default=1, comment="number of floors above ground")

    estate: Mapped[Estate] = relationship(back_populates="buildings")
    units: Mapped[list[Unit]] = relationship(back_populates="building", order_by="Unit.room_no")

    def __str__(self) -> str:
        return self.name or self.code


class Unit(Base):
    """A unit (房屋 / 房号): flat, shop, office, parking space or storage room."""

    __tablename__ = "core_units"
    __table_args__ = (
        UniqueConstraint("building_id", "entrance", "room_no"),
        Index("ix_core_units_estate_status", "estate_id", "status"),
        # Counting by status across every estate (the general manager's vacant-units card) cannot use the
        # (estate_id, status) index and scanned half the table: 46 ms of the home page at 1M units.
        Index("ix_core_units_status_estate", "status", "estate_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # estate_id is denormalised from the building: every scoped query filters on it directly.
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("core_buildings.id", ondelete="RESTRICT"), index=True)
    entrance: Mapped[str] = mapped_column(String(16), default="", comment="unit entrance / stairwell (单元)")
    floor: Mapped[int] = mapped_column(default=1, comment="floor number (层)")
    room_no: Mapped[str] = mapped_column(String(32), index=True, comment="room number (房号)")
    unit_type: Mapped[UnitType] = mapped_column(_enum(UnitType, "unit_type"), default=UnitType.residential)
    built_area: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("0"), comment="建筑面积 m²")
    interior_area: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("0"), comment="套内面积 m²")
    status: Mapped[UnitStatus] = mapped_column(
        _enum(UnitStatus, "unit_status"), default=UnitStatus.not_delivered, comment="see spec 1.3"
    )
    delivered_on: Mapped[dt.date | None] = mapped_column(comment="delivery (交房) date; fees start from it")
    # 入伙通知 date: a unit not collected within a month of it is deemed delivered (视同交付, KF08 §4)
    notified_on: Mapped[dt.date | None] = mapped_column(comment="move-in notice (入伙通知) date")
    usage_nature: Mapped[str] = mapped_column(String(64), default="", comment="使用性质")

    building: Mapped[Building] = relationship(back_populates="units")
    estate: Mapped[Estate] = relationship()

    @property
    def label(self) -> str:
        """The label staff use: building-entrance-room, e.g. ``3-2-1201``."""
        parts = [self.building.code if self.building else str(self.building_id)]
        if self.entrance:
            parts.append(self.entrance)
        parts.append(self.room_no)
        return "-".join(parts)

    def __str__(self) -> str:
        return self.label


# The admin searches units by room number from its first characters (core.web.admin.search).
prefix_search_index(Unit.room_no)
# The workplace search finds a typed room ("1201", "3-1-1201") in label order: an index holding both the
# filter and the order, so a room that exists nowhere costs one probe instead of walking every unit
# (measured at 1M units: 185-500 ms -> 0.04 ms; docs/performance.md).
Index("ix_core_units_room_search", func.lower(Unit.room_no), Unit.estate_id, Unit.building_id, Unit.entrance,
      Unit.id)
