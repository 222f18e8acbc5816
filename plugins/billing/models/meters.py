"""Meters (水表/电表) and their readings (抄表): a unit's own meter, or a common meter (公共表) whose
usage is apportioned (公摊)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, utcnow
from core.models import Building, StaffUser, Unit
from plugins.billing.models.catalogue import FeeItem


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
