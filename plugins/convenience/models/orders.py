"""Orders (便民服务登记 / 活动记录): a booked service with the price copied from its version.

``ConvenienceOrder.status`` is the state of workflow ``convenience.order``: it changes only through
``core.apply``. There is no "paid" column on purpose: whether an order is paid is read from the
billing ledger (``services.order_outstanding_fen``), so nobody can settle privately.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, utcnow
from core.models import Party, StaffUser, Unit
from plugins.convenience.models.catalogue import (
    ChargeUnit,
    ConvenienceItem,
    CustomerType,
    FeeKind,
    PrepayKind,
)
from plugins.convenience.models.columns import enum_column, staff_fk


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

    __labels__ = {  # value -> (English, 中文), shown on every screen
        "registered": ("Registered", "已登记"),
        "prepaid": ("Prepaid", "已预交费用/押金"),
        "dispatched": ("Dispatched", "已派工"),
        "delivered": ("Service done", "已完成服务"),
        "confirmed": ("Confirmed by the customer", "住户已签字确认"),
        "charged": ("Charged", "已计费"),
        "visited": ("Follow-up visit done", "已回访"),
        "closed": ("Closed", "已关闭"),
        "cancelled": ("Cancelled", "已取消"),
    }


class BillingMode(enum.StrEnum):
    """次结 (charged per job) or 记账月结 (on the monthly statement)."""

    per_job = "per_job"
    monthly = "monthly"

    __labels__ = {  # value -> (English, 中文), shown on every screen
        "per_job": ("Per job", "按次结算"),
        "monthly": ("Monthly statement", "月结"),
    }


class Channel(enum.StrEnum):
    phone = "phone"  # 电话预约
    visit = "visit"  # 上门/来访
    api = "api"
    agreement = "agreement"  # under a long-term agreement (委托服务单)

    __labels__ = {  # value -> (English, 中文), shown on every screen
        "phone": ("Phone booking", "电话预约"),
        "visit": ("In person", "上门/来访"),
        "api": ("Online (API)", "线上（接口）"),
        "agreement": ("Under an agreement", "委托服务协议"),
    }


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
    customer_type: Mapped[CustomerType] = mapped_column(enum_column(CustomerType, "convenience_customer_type"))
    is_tenant: Mapped[bool] = mapped_column(default=False, comment="tenants always prepay (P5 4.3.2)")
    item_id: Mapped[int] = mapped_column(ForeignKey("convenience_items.id", ondelete="RESTRICT"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("convenience_catalogue_versions.id", ondelete="RESTRICT"),
                                            comment="price list the order was booked from")
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("convenience_agreements.id", ondelete="RESTRICT"),
                                                     index=True)
    fee_kind: Mapped[FeeKind] = mapped_column(enum_column(FeeKind, "convenience_fee_kind"))
    price_fen: Mapped[int] = mapped_column(comment="unit price at booking (kept when prices change)")
    unit_of_charge: Mapped[ChargeUnit] = mapped_column(enum_column(ChargeUnit, "convenience_charge_unit"))
    quantity: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("1"), comment="jobs, hours, m²")
    amount_fen: Mapped[int] = mapped_column(default=0, comment="quoted and accepted before the work (先报价)")
    prepay_kind: Mapped[PrepayKind] = mapped_column(enum_column(PrepayKind, "convenience_prepay_kind"),
                                                    default=PrepayKind.none)
    prepay_fen: Mapped[int] = mapped_column(default=0, comment="prepayment (part of amount) or deposit")
    billing_mode: Mapped[BillingMode] = mapped_column(enum_column(BillingMode, "convenience_billing_mode"),
                                                      default=BillingMode.per_job)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "convenience_channel"), default=Channel.phone)
    requested_for: Mapped[dt.datetime | None] = mapped_column(comment="when the customer wants it")
    description: Mapped[str] = mapped_column(String(2000), default="")
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus, "convenience_order_status"),
                                                default=OrderStatus.registered)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("core_departments.id", ondelete="SET NULL"),
                                                      comment="department dispatched")
    assigned_staff_id: Mapped[int | None] = staff_fk("staff member dispatched")
    assigned_partner: Mapped[str] = mapped_column(String(200), default="", comment="partner company dispatched")
    dispatched_by_id: Mapped[int | None] = staff_fk()
    dispatched_at: Mapped[dt.datetime | None]
    delivered_by_id: Mapped[int | None] = staff_fk()
    delivered_at: Mapped[dt.datetime | None]
    service_record: Mapped[str] = mapped_column(String(2000), default="", comment="what was done")
    confirmed_by_name: Mapped[str] = mapped_column(String(200), default="", comment="customer who signed")
    confirmation_method: Mapped[str] = mapped_column(String(32), default="", comment="signature, phone, ...")
    confirmed_at: Mapped[dt.datetime | None]
    confirmation_recorded_by_id: Mapped[int | None] = staff_fk()
    charged_at: Mapped[dt.datetime | None]
    charged_by_id: Mapped[int | None] = staff_fk()
    satisfaction: Mapped[int | None] = mapped_column(comment="return visit: 1 (poor) to 5 (excellent)")
    visit_comment: Mapped[str] = mapped_column(String(2000), default="")
    visited_by_id: Mapped[int | None] = staff_fk()
    visited_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]
    cancel_reason: Mapped[str] = mapped_column(String(2000), default="")
    cancelled_at: Mapped[dt.datetime | None]
    created_by_id: Mapped[int | None] = staff_fk()
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
