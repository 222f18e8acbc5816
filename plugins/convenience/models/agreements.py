"""Long-term service agreements (委托服务单); the active ones form 《接受长期服务业主名单》."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, utcnow
from core.models import Party, Unit
from plugins.convenience.models.catalogue import ChargeUnit, ConvenienceItem
from plugins.convenience.models.columns import enum_column, staff_fk


class Frequency(enum.StrEnum):
    weekly = "weekly"
    fortnightly = "fortnightly"
    monthly = "monthly"
    quarterly = "quarterly"
    on_call = "on_call"  # 随叫随到, booked each time

    __labels__ = {  # value -> (English, 中文), shown on every screen
        "weekly": ("Weekly", "每周"),
        "fortnightly": ("Every two weeks", "每两周"),
        "monthly": ("Monthly", "每月"),
        "quarterly": ("Quarterly", "每季度"),
        "on_call": ("On call", "随叫随到"),
    }


class ConvenienceAgreement(Base):
    """A long-term service agreement (委托服务单); the active ones form 《接受长期服务业主名单》."""

    __tablename__ = "convenience_agreements"
    __table_args__ = (CheckConstraint("end_on IS NULL OR end_on >= start_on", name="dates_ordered"),
                      Index("ix_convenience_agreements_item_active", "item_id", "active"))

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    number: Mapped[str] = mapped_column(String(32), unique=True, comment="CA-YYYY-NNNNNN")
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("core_parties.id", ondelete="RESTRICT"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("convenience_items.id", ondelete="RESTRICT"))
    version_id: Mapped[int] = mapped_column(ForeignKey("convenience_catalogue_versions.id", ondelete="RESTRICT"),
                                            comment="price list in force when signed")
    frequency: Mapped[Frequency] = mapped_column(enum_column(Frequency, "convenience_frequency"))
    price_fen: Mapped[int] = mapped_column(comment="price agreed at signing (copied from the price list)")
    unit_of_charge: Mapped[ChargeUnit] = mapped_column(enum_column(ChargeUnit, "convenience_charge_unit"))
    quantity: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("1"), comment="per service/month")
    start_on: Mapped[dt.date]
    end_on: Mapped[dt.date | None]
    active: Mapped[bool] = mapped_column(default=True)
    signed_by_name: Mapped[str] = mapped_column(String(200), default="", comment="customer's signature (签名确认)")
    notes: Mapped[str] = mapped_column(String(2000), default="")
    stopped_on: Mapped[dt.date | None]
    stop_reason: Mapped[str] = mapped_column(String(2000), default="", comment="why the customer stopped (问明原因)")
    stopped_by_id: Mapped[int | None] = staff_fk()
    created_by_id: Mapped[int | None] = staff_fk()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship()
    customer: Mapped[Party] = relationship()
    item: Mapped[ConvenienceItem] = relationship()
