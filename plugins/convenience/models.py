"""Convenience-service models (spec 2.20): the catalogue and its approved versions, orders,
long-term agreements (委托服务单), monthly statements (月结统计表) and item costs.

Every table carries ``estate_id`` (denormalised, indexed) so the core's estate scoping filters it
directly. ``ConvenienceCatalogueVersion.status`` and ``ConvenienceOrder.status`` are workflow states
(``convenience.catalogue`` and ``convenience.order``): they change only through
``core.workflow.apply``. Orders have no "paid" column on purpose: whether an order is paid is read
from the billing ledger (``services.order_outstanding_fen``), so nobody can settle privately.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, utcnow
from core.models import Department, Party, StaffUser, Unit


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Strings with a CHECK constraint, never a native PostgreSQL ENUM (as core does).
    return Enum(cls, name=name, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


def _staff_fk(comment: str = "") -> Mapped[int | None]:
    return mapped_column(ForeignKey("core_staff_users.id", ondelete="SET NULL"), comment=comment or None)


class FeeKind(enum.StrEnum):
    """无偿服务 (free) or 有偿服务 (paid)."""

    free = "free"
    paid = "paid"


class ChargeUnit(enum.StrEnum):
    """What the price is per (计价单位)."""

    per_job = "per_job"  # 次
    per_hour = "per_hour"  # 小时
    per_m2 = "per_m2"  # 平方米
    per_month = "per_month"  # 月 (long-term services)


class PrepayKind(enum.StrEnum):
    """Whether the price list requires money before the service (需预交服务费用或押金)."""

    none = "none"
    prepayment = "prepayment"  # 预交服务费: part of the price, paid before the work
    deposit = "deposit"  # 押金: held and given back after the service


class CustomerType(enum.StrEnum):
    """The manual's three kinds of customer: 居住的居民, 办公的企业, 经商的商铺."""

    residents = "residents"
    offices = "offices"
    shops = "shops"


class CatalogueStatus(enum.StrEnum):
    draft = "draft"  # 拟定
    proposed = "proposed"  # 报总经理审批
    approved = "approved"  # 总经理已批准
    published = "published"  # 已公告, can be ordered from
    superseded = "superseded"  # replaced by a newer published version


class OrderStatus(enum.StrEnum):
    registered = "registered"  # 登记
    prepaid = "prepaid"  # 已预交费用/押金
    dispatched = "dispatched"  # 已派工
    delivered = "delivered"  # 已完成服务
    confirmed = "confirmed"  # 住户签字确认
    charged = "charged"  # 已计费 (per job) / 已列入月结 (monthly)
    visited = "visited"  # 已回访
    closed = "closed"
    cancelled = "cancelled"


class BillingMode(enum.StrEnum):
    """次结 (charged per job) or 记账月结 (on the monthly statement)."""

    per_job = "per_job"
    monthly = "monthly"


class Channel(enum.StrEnum):
    phone = "phone"  # 电话预约
    visit = "visit"  # 上门/来访
    api = "api"
    agreement = "agreement"  # under a long-term agreement (委托服务单)


class Frequency(enum.StrEnum):
    weekly = "weekly"
    fortnightly = "fortnightly"
    monthly = "monthly"
    quarterly = "quarterly"
    on_call = "on_call"  # 随叫随到, booked each time


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
    fee_kind: Mapped[FeeKind] = mapped_column(_enum(FeeKind, "convenience_fee_kind"), default=FeeKind.paid)
    for_residents: Mapped[bool] = mapped_column(default=True, comment="offered to residents (居民)")
    for_offices: Mapped[bool] = mapped_column(default=True, comment="offered to office companies (办公企业)")
    for_shops: Mapped[bool] = mapped_column(default=True, comment="offered to shops (商铺)")
    unit_of_charge: Mapped[ChargeUnit] = mapped_column(_enum(ChargeUnit, "convenience_charge_unit"),
                                                       default=ChargeUnit.per_job)
    price_fen: Mapped[int] = mapped_column(default=0, comment="price for the next catalogue version, fen")
    prepay_kind: Mapped[PrepayKind] = mapped_column(_enum(PrepayKind, "convenience_prepay_kind"),
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
    status: Mapped[CatalogueStatus] = mapped_column(_enum(CatalogueStatus, "convenience_catalogue_status"),
                                                    default=CatalogueStatus.draft, index=True)
    survey_summary: Mapped[str] = mapped_column(Text, default="", comment="demand survey (便民服务调查表) summary")
    survey_respondents: Mapped[int | None] = mapped_column(comment="number of survey forms returned")
    proposed_by_id: Mapped[int | None] = _staff_fk()
    proposed_at: Mapped[dt.datetime | None]
    approved_by_id: Mapped[int | None] = _staff_fk("the general manager who approved it")
    approved_at: Mapped[dt.datetime | None]
    published_by_id: Mapped[int | None] = _staff_fk()
    published_at: Mapped[dt.datetime | None]
    published_via: Mapped[str] = mapped_column(String(200), default="", comment="notice board, mailboxes, ...")
    superseded_at: Mapped[dt.datetime | None]
    created_by_id: Mapped[int | None] = _staff_fk()
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
    unit_of_charge: Mapped[ChargeUnit] = mapped_column(_enum(ChargeUnit, "convenience_charge_unit"))
    prepay_kind: Mapped[PrepayKind] = mapped_column(_enum(PrepayKind, "convenience_prepay_kind"),
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
    frequency: Mapped[Frequency] = mapped_column(_enum(Frequency, "convenience_frequency"))
    price_fen: Mapped[int] = mapped_column(comment="price agreed at signing (copied from the price list)")
    unit_of_charge: Mapped[ChargeUnit] = mapped_column(_enum(ChargeUnit, "convenience_charge_unit"))
    quantity: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("1"), comment="per service/month")
    start_on: Mapped[dt.date]
    end_on: Mapped[dt.date | None]
    active: Mapped[bool] = mapped_column(default=True)
    signed_by_name: Mapped[str] = mapped_column(String(200), default="", comment="customer's signature (签名确认)")
    notes: Mapped[str] = mapped_column(String(2000), default="")
    stopped_on: Mapped[dt.date | None]
    stop_reason: Mapped[str] = mapped_column(String(2000), default="", comment="why the customer stopped (问明原因)")
    stopped_by_id: Mapped[int | None] = _staff_fk()
    created_by_id: Mapped[int | None] = _staff_fk()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship()
    customer: Mapped[Party] = relationship()
    item: Mapped[ConvenienceItem] = relationship()


class ConvenienceOrder(Base):
    """A booked service (便民服务登记 / 活动记录): the price is copied from the version it was booked at."""

    __tablename__ = "convenience_orders"
    __table_args__ = (
        CheckConstraint("satisfaction IS NULL OR (satisfaction >= 1 AND satisfaction <= 5)", name="satisfaction_1_5"),
        CheckConstraint("amount_fen >= 0 AND prepay_fen >= 0 AND (prepay_fen <= amount_fen OR prepay_kind = 'deposit')",
                        name="amounts_valid"),
        Index("ix_convenience_orders_estate_status", "estate_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    number: Mapped[str] = mapped_column(String(32), unique=True, comment="CV-YYYY-NNNNNN")
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("core_parties.id", ondelete="RESTRICT"), index=True)
    customer_type: Mapped[CustomerType] = mapped_column(_enum(CustomerType, "convenience_customer_type"))
    is_tenant: Mapped[bool] = mapped_column(default=False, comment="tenants always prepay (P5 4.3.2)")
    item_id: Mapped[int] = mapped_column(ForeignKey("convenience_items.id", ondelete="RESTRICT"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("convenience_catalogue_versions.id", ondelete="RESTRICT"),
                                            comment="price list the order was booked from")
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("convenience_agreements.id", ondelete="RESTRICT"),
                                                     index=True)
    fee_kind: Mapped[FeeKind] = mapped_column(_enum(FeeKind, "convenience_fee_kind"))
    price_fen: Mapped[int] = mapped_column(comment="unit price at booking (kept when prices change)")
    unit_of_charge: Mapped[ChargeUnit] = mapped_column(_enum(ChargeUnit, "convenience_charge_unit"))
    quantity: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("1"), comment="jobs, hours, m²")
    amount_fen: Mapped[int] = mapped_column(default=0, comment="quoted and accepted before the work (先报价)")
    prepay_kind: Mapped[PrepayKind] = mapped_column(_enum(PrepayKind, "convenience_prepay_kind"),
                                                    default=PrepayKind.none)
    prepay_fen: Mapped[int] = mapped_column(default=0, comment="prepayment (part of amount) or deposit")
    billing_mode: Mapped[BillingMode] = mapped_column(_enum(BillingMode, "convenience_billing_mode"),
                                                      default=BillingMode.per_job)
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "convenience_channel"), default=Channel.phone)
    requested_for: Mapped[dt.datetime | None] = mapped_column(comment="when the customer wants it")
    description: Mapped[str] = mapped_column(String(2000), default="")
    status: Mapped[OrderStatus] = mapped_column(_enum(OrderStatus, "convenience_order_status"),
                                                default=OrderStatus.registered)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("core_departments.id", ondelete="SET NULL"),
                                                      comment="department dispatched")
    assigned_staff_id: Mapped[int | None] = _staff_fk("staff member dispatched")
    assigned_partner: Mapped[str] = mapped_column(String(200), default="", comment="partner company dispatched")
    dispatched_by_id: Mapped[int | None] = _staff_fk()
    dispatched_at: Mapped[dt.datetime | None]
    delivered_by_id: Mapped[int | None] = _staff_fk()
    delivered_at: Mapped[dt.datetime | None]
    service_record: Mapped[str] = mapped_column(String(2000), default="", comment="what was done")
    confirmed_by_name: Mapped[str] = mapped_column(String(200), default="", comment="customer who signed")
    confirmation_method: Mapped[str] = mapped_column(String(32), default="", comment="signature, phone, ...")
    confirmed_at: Mapped[dt.datetime | None]
    confirmation_recorded_by_id: Mapped[int | None] = _staff_fk()
    charged_at: Mapped[dt.datetime | None]
    charged_by_id: Mapped[int | None] = _staff_fk()
    satisfaction: Mapped[int | None] = mapped_column(comment="return visit: 1 (poor) to 5 (excellent)")
    visit_comment: Mapped[str] = mapped_column(String(2000), default="")
    visited_by_id: Mapped[int | None] = _staff_fk()
    visited_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]
    cancel_reason: Mapped[str] = mapped_column(String(2000), default="")
    cancelled_at: Mapped[dt.datetime | None]
    created_by_id: Mapped[int | None] = _staff_fk()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship()
    customer: Mapped[Party] = relationship()
    item: Mapped[ConvenienceItem] = relationship()
    assigned_staff: Mapped[StaffUser | None] = relationship(foreign_keys=[assigned_staff_id])

    @property
    def source(self) -> str:
        """The billing source of this order's charges and deposit."""
        return f"convenience:order:{self.id}"

    def __str__(self) -> str:
        return self.number


class ConvenienceStatement(Base):
    """A customer's monthly statement (《有偿便民服务月结统计表》), posted to billing once."""

    __tablename__ = "convenience_statements"
    __table_args__ = (UniqueConstraint("customer_id", "unit_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("core_parties.id", ondelete="RESTRICT"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True, comment="YYYY-MM")
    total_fen: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = _staff_fk()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    posted_by_id: Mapped[int | None] = _staff_fk("who sent it to the cashier (billing)")
    posted_at: Mapped[dt.datetime | None] = mapped_column(comment="null until posted to billing")

    lines: Mapped[list[ConvenienceStatementLine]] = relationship(
        back_populates="statement", cascade="all, delete-orphan", order_by="ConvenienceStatementLine.id")
    customer: Mapped[Party] = relationship()
    unit: Mapped[Unit] = relationship()

    @property
    def source(self) -> str:
        """The billing source of this statement's charge."""
        return f"convenience:statement:{self.id}"


class ConvenienceStatementLine(Base):
    """One line of a monthly statement: a delivered order or a month of an agreement."""

    __tablename__ = "convenience_statement_lines"
    __table_args__ = (UniqueConstraint("order_id"), UniqueConstraint("agreement_id", "period"))

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("convenience_statements.id", ondelete="CASCADE"),
                                              index=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    period: Mapped[str] = mapped_column(String(7), comment="YYYY-MM, as on the statement")
    item_id: Mapped[int] = mapped_column(ForeignKey("convenience_items.id", ondelete="RESTRICT"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("convenience_orders.id", ondelete="RESTRICT"))
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("convenience_agreements.id", ondelete="RESTRICT"))
    description: Mapped[str] = mapped_column(String(400), default="")
    amount_fen: Mapped[int] = mapped_column(default=0)

    statement: Mapped[ConvenienceStatement] = relationship(back_populates="lines")


class ConvenienceItemCost(Base):
    """The cost entered for an item and month, for the profitability review (保本微利)."""

    __tablename__ = "convenience_item_costs"
    __table_args__ = (UniqueConstraint("item_id", "period"),
                      CheckConstraint("cost_fen >= 0", name="cost_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("convenience_items.id", ondelete="RESTRICT"))
    period: Mapped[str] = mapped_column(String(7), comment="YYYY-MM")
    cost_fen: Mapped[int]
    note: Mapped[str] = mapped_column(String(2000), default="")
    entered_by_id: Mapped[int | None] = _staff_fk()
    entered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


__all__ = [
    "BillingMode", "CatalogueStatus", "Channel", "ChargeUnit", "ConvenienceAgreement", "ConvenienceCatalogueReview",
    "ConvenienceCatalogueVersion", "ConvenienceItem", "ConvenienceItemCost", "ConvenienceOrder",
    "ConveniencePrice", "ConvenienceStatement", "ConvenienceStatementLine", "CustomerType", "FeeKind",
    "Frequency", "OrderStatus", "PrepayKind",
]
