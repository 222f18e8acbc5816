"""The catalogue (《便民服务项目及价格表》): items, the approved versions of the price list and their
rows, and the yearly review reminder.

``ConvenienceCatalogueVersion.status`` is the state of workflow ``convenience.catalogue``: it changes
only through ``core.apply``.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, utcnow
from core.models import Department
from plugins.convenience.models.columns import enum_column, staff_fk


class FeeKind(enum.StrEnum):
    """无偿服务 (free) or 有偿服务 (paid)."""

    free = "free"
    paid = "paid"

    __labels__ = {  # value -> (English, 中文), shown on every screen
        "free": ("Free", "无偿服务"),
        "paid": ("Paid", "有偿服务"),
    }


class ChargeUnit(enum.StrEnum):
    """What the price is per (计价单位)."""

    per_job = "per_job"  # 次
    per_hour = "per_hour"  # 小时
    per_m2 = "per_m2"  # 平方米
    per_month = "per_month"  # 月 (long-term services)

    __labels__ = {  # value -> (English, 中文), shown on every screen
        "per_job": ("Per job", "次"),
        "per_hour": ("Per hour", "小时"),
        "per_m2": ("Per m²", "平方米"),
        "per_month": ("Per month", "月"),
    }


class PrepayKind(enum.StrEnum):
    """Whether the price list requires money before the service (需预交服务费用或押金)."""

    none = "none"
    prepayment = "prepayment"  # 预交服务费: part of the price, paid before the work
    deposit = "deposit"  # 押金: held and given back after the service

    __labels__ = {  # value -> (English, 中文), shown on every screen
        "none": ("None", "无"),
        "prepayment": ("Prepayment", "预交服务费"),
        "deposit": ("Deposit", "押金"),
    }


class CustomerType(enum.StrEnum):
    """The manual's three kinds of customer: 居住的居民, 办公的企业, 经商的商铺."""

    residents = "residents"
    offices = "offices"
    shops = "shops"

    __labels__ = {  # value -> (English, 中文), shown on every screen
        "residents": ("Residents", "住户"),
        "offices": ("Offices", "写字楼客户"),
        "shops": ("Shops", "商铺"),
    }


class CatalogueStatus(enum.StrEnum):
    draft = "draft"  # 拟定
    proposed = "proposed"  # 报总经理审批
    approved = "approved"  # 总经理已批准
    published = "published"  # 已公告, can be ordered from
    superseded = "superseded"  # replaced by a newer published version

    __labels__ = {  # value -> (English, 中文), shown on every screen
        "draft": ("Draft", "拟定"),
        "proposed": ("Sent for approval", "报总经理审批"),
        "approved": ("Approved", "总经理已批准"),
        "published": ("Published", "已公告"),
        "superseded": ("Superseded", "已被新版取代"),
    }


class ConvenienceItem(Base):
    """A service item of the catalogue (便民服务项目). Prices bind only through a published version."""

    __tablename__ = "convenience_items"
    __table_args__ = (
        UniqueConstraint("estate_id", "code"),
        CheckConstraint("price_fen >= 0 AND prepay_fen >= 0", name="amounts_not_negative"),
        CheckConstraint("fee_kind = 'paid' OR price_fen = 0", name="free_items_cost_nothing"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    code: Mapped[str] = mapped_column(String(32), comment="short code, unique per estate, e.g. CLEAN-H")
    name: Mapped[str] = mapped_column(String(200), comment="English name")
    name_zh: Mapped[str] = mapped_column(String(200), default="", comment="Chinese name as on the price list")
    category: Mapped[str] = mapped_column(String(32), default="other", comment="see services.CATEGORIES")
    fee_kind: Mapped[FeeKind] = mapped_column(enum_column(FeeKind, "convenience_fee_kind"), default=FeeKind.paid)
    for_residents: Mapped[bool] = mapped_column(default=True, comment="offered to residents (居民)")
    for_offices: Mapped[bool] = mapped_column(default=True, comment="offered to office companies (办公企业)")
    for_shops: Mapped[bool] = mapped_column(default=True, comment="offered to shops (商铺)")
    unit_of_charge: Mapped[ChargeUnit] = mapped_column(enum_column(ChargeUnit, "convenience_charge_unit"),
                                                       default=ChargeUnit.per_job)
    price_fen: Mapped[int] = mapped_column(default=0, comment="price for the next catalogue version, fen")
    prepay_kind: Mapped[PrepayKind] = mapped_column(enum_column(PrepayKind, "convenience_prepay_kind"),
                                                    default=PrepayKind.none)
    prepay_fen: Mapped[int] = mapped_column(default=0, comment="prepayment or deposit required, fen")
    provider_department_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_departments.id", ondelete="SET NULL"), comment="internal department providing it")
    provider_company: Mapped[str] = mapped_column(String(200), default="", comment="partner company, if any")
    target_hours: Mapped[int | None] = mapped_column(comment="target time from booking to delivery (时效)")
    active: Mapped[bool] = mapped_column(default=True, comment="inactive items cannot be ordered")
    description: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    provider_department: Mapped[Department | None] = relationship()

    def offered_to(self, customer_type: CustomerType | str) -> bool:
        return bool(getattr(self, f"for_{CustomerType(customer_type).value}"))

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh or self.name}"


class ConvenienceCatalogueVersion(Base):
    """One version of an estate's price list (《便民服务项目及价格表》); a price change is a new version."""

    __tablename__ = "convenience_catalogue_versions"
    __table_args__ = (UniqueConstraint("estate_id", "year", "version_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    year: Mapped[int] = mapped_column(comment="the year the price list is for")
    version_no: Mapped[int] = mapped_column(default=1, comment="1, 2, ... within the estate and year")
    title: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[CatalogueStatus] = mapped_column(enum_column(CatalogueStatus, "convenience_catalogue_status"),
                                                    default=CatalogueStatus.draft, index=True)
    survey_summary: Mapped[str] = mapped_column(Text, default="", comment="demand survey (便民服务调查表) summary")
    survey_respondents: Mapped[int | None] = mapped_column(comment="number of survey forms returned")
    proposed_by_id: Mapped[int | None] = staff_fk()
    proposed_at: Mapped[dt.datetime | None]
    approved_by_id: Mapped[int | None] = staff_fk("the general manager who approved it")
    approved_at: Mapped[dt.datetime | None]
    published_by_id: Mapped[int | None] = staff_fk()
    published_at: Mapped[dt.datetime | None]
    published_via: Mapped[str] = mapped_column(String(200), default="", comment="notice board, mailboxes, ...")
    superseded_at: Mapped[dt.datetime | None]
    created_by_id: Mapped[int | None] = staff_fk()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    prices: Mapped[list[ConveniencePrice]] = relationship(back_populates="version", cascade="all, delete-orphan",
                                                          order_by="ConveniencePrice.id")

    def __str__(self) -> str:
        return self.title or f"{self.year} v{self.version_no}"


class ConveniencePrice(Base):
    """An item's price in one catalogue version (the row of the price list)."""

    __tablename__ = "convenience_catalogue_prices"
    __table_args__ = (
        UniqueConstraint("version_id", "item_id"),
        CheckConstraint("price_fen >= 0 AND prepay_fen >= 0", name="amounts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("convenience_catalogue_versions.id", ondelete="CASCADE"),
                                            index=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("convenience_items.id", ondelete="RESTRICT"), index=True)
    price_fen: Mapped[int] = mapped_column(default=0)
    unit_of_charge: Mapped[ChargeUnit] = mapped_column(enum_column(ChargeUnit, "convenience_charge_unit"))
    prepay_kind: Mapped[PrepayKind] = mapped_column(enum_column(PrepayKind, "convenience_prepay_kind"),
                                                    default=PrepayKind.none)
    prepay_fen: Mapped[int] = mapped_column(default=0)

    version: Mapped[ConvenienceCatalogueVersion] = relationship(back_populates="prices")
    item: Mapped[ConvenienceItem] = relationship()


class ConvenienceCatalogueReview(Base):
    """The yearly review reminder (每年1月拟定本年度价格表), one per estate and year."""

    __tablename__ = "convenience_catalogue_reviews"
    __table_args__ = (UniqueConstraint("estate_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("convenience_catalogue_versions.id", ondelete="SET NULL"), comment="the version drafted")
    done_at: Mapped[dt.datetime | None]
    note: Mapped[str] = mapped_column(String(2000), default="")
