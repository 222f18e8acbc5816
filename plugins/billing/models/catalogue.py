"""The fee catalogue (收费项目与收费标准): fee items, their price versions and the tiers of metered prices.

Unit prices need sub-fen precision (物业费 2.35 元/m² on an area of 89.37 m²), so prices are stored in
**centi-fen** (1/100 fen = 0.0001 yuan, ``price_cfen``); a line's amount is rounded half-up to whole
fen once, when it is computed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Numeric, String, UniqueConstraint, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, Text, utcnow
from core.models import Estate

CATEGORIES = {
    "property_service": "物业服务费",
    "shared_utilities": "公摊水电费",
    "water": "水费",
    "electricity": "电费",
    "parking_management": "车位管理费",
    "parking_rent": "车位租金",
    "renovation": "装修费用",
    "convenience": "便民服务费",
    "repair": "维修费",
    "pass_through": "代收代缴",
    "other": "其他",
}
BASES = {
    "built_area": "按建筑面积 (per m²)",
    "interior_area": "按套内面积 (per m²)",
    "per_unit": "按户",
    "fixed": "固定金额",
    "metered": "按表计用量 (阶梯)",
    "per_parking_space": "按车位",
}
CYCLES = {"monthly": "按月", "quarterly": "按季", "yearly": "按年", "one_off": "一次性"}
PAYERS = {"owner": "业主", "occupant": "使用人", "developer": "开发商"}
# Whether a price is for one month (元/m²/月, the usual way fees are published) or for the whole cycle
# (a quarterly item priced per quarter): the run multiplies a per-month price by the cycle's months.
PRICE_PER = {"cycle": "每个收费周期", "month": "每月"}
ROUNDINGS = {"half_up": "四舍五入到分", "down": "舍去分以下"}


class FeeItem(Base):
    """A fee item (收费项目) with its basis and cycle; prices are versioned in :class:`FeePrice`."""

    __tablename__ = "billing_fee_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(
        String(48), unique=True, comment="stable code used by plugins and the CLI"
    )
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str] = mapped_column(String(32), comment="one of CATEGORIES (物业服务费, 公摊水电, ...)")
    basis: Mapped[str] = mapped_column(
        String(32), default="fixed", comment="one of BASES: how the amount is computed"
    )
    cycle: Mapped[str] = mapped_column(
        String(16), default="monthly", comment="monthly, quarterly, yearly, one_off"
    )
    prepaid: Mapped[bool] = mapped_column(
        default=True, comment="预收 (due in the period) or 后收 (due next month)"
    )
    due_day: Mapped[int] = mapped_column(default=15, comment="day of the month the line falls due")
    rounding: Mapped[str] = mapped_column(String(16), default="half_up", comment="half_up (四舍五入) or down")
    price_per: Mapped[str] = mapped_column(
        String(8), default="cycle", server_default="cycle", comment="cycle or month: what the price is for"
    )
    late_fee_daily_permille: Mapped[Decimal | None] = mapped_column(
        Numeric(6, 3), comment="滞纳金 ‰ a day for this item; null: the estate's / config's rate"
    )
    unit_types: Mapped[list] = mapped_column(
        JSON, default=list, comment="unit types billed; empty = all types"
    )
    payer: Mapped[str] = mapped_column(
        String(16), default="owner", comment="owner (业主) or occupant (使用人)"
    )
    estate_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True, comment="null: every estate"
    )
    unit_label: Mapped[str] = mapped_column(String(16), default="", comment="m², kWh, m³ ... shown in 公示")
    description: Mapped[str] = mapped_column(String(1000), default="")
    active: Mapped[bool] = mapped_column(default=True)
    source_plugin: Mapped[str] = mapped_column(String(64), default="", comment="plugin that contributed it")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    estate: Mapped[Estate | None] = relationship()
    prices: Mapped[list[FeePrice]] = relationship(
        back_populates="fee_item", order_by="FeePrice.effective_from"
    )

    def __str__(self) -> str:
        # The name in the reader's language; the code is an identifier for files and the API, not for people.
        return Text(self.name, self.name_zh or self.name).localized()

    @classmethod
    def __estate_clause__(cls, estate_ids):
        """Record rule: company-wide items (no estate) are visible to every office."""
        return or_(cls.estate_id.is_(None), cls.estate_id.in_(estate_ids))


class FeePrice(Base):
    """A price version (收费标准): valid from ``effective_from`` until the next version starts."""

    __tablename__ = "billing_fee_prices"
    __table_args__ = (
        UniqueConstraint("fee_item_id", "estate_id", "effective_from"),
        CheckConstraint("price_cfen >= 0", name="price_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fee_item_id: Mapped[int] = mapped_column(
        ForeignKey("billing_fee_items.id", ondelete="RESTRICT"), index=True
    )
    estate_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_estates.id", ondelete="RESTRICT"),
        index=True,
        comment="null: the company-wide price; an estate's own price overrides it",
    )
    effective_from: Mapped[dt.date] = mapped_column(comment="first day this price applies")
    price_cfen: Mapped[int] = mapped_column(
        BigInteger, comment="price per basis unit in centi-fen (1/100 fen); 2.50 元/m² = 25000"
    )
    approval_ref: Mapped[str] = mapped_column(
        String(200), default="", comment="price-bureau approval / 备案 ref"
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_staff_users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    fee_item: Mapped[FeeItem] = relationship(back_populates="prices")
    tiers: Mapped[list[FeeTier]] = relationship(
        back_populates="price", order_by="FeeTier.from_centi", cascade="all, delete-orphan"
    )

    @classmethod
    def __estate_clause__(cls, estate_ids):
        """Record rule: company-wide prices (no estate) are visible to every office."""
        return or_(cls.estate_id.is_(None), cls.estate_id.in_(estate_ids))


class FeeTier(Base):
    """A tier (阶梯) of a metered price: usage from ``from_centi`` up to ``to_centi`` costs ``price_cfen``."""

    __tablename__ = "billing_fee_tiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    price_id: Mapped[int] = mapped_column(ForeignKey("billing_fee_prices.id", ondelete="CASCADE"), index=True)
    from_centi: Mapped[int] = mapped_column(BigInteger, comment="tier start in 1/100 of the meter unit")
    to_centi: Mapped[int | None] = mapped_column(
        BigInteger, comment="tier end (exclusive); null: no upper end"
    )
    price_cfen: Mapped[int] = mapped_column(BigInteger, comment="price per meter unit in centi-fen")

    price: Mapped[FeePrice] = relationship(back_populates="tiers")
