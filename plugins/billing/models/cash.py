"""Cash control at the cashier desk (收银台): the daily close per cashier (日清) and voided receipts (作废).

Both are side tables of the ledger: a close never changes a payment, and a void never changes a receipt
(the ledger guard forbids it); each only records a fact about them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, utcnow
from core.models import StaffUser

# the methods a close totals, in the order of the close sheet (prepaid applications move no money)
CLOSE_METHODS = ("cash", "card", "wechat", "alipay", "transfer")


class DailyClose(Base):
    """One cashier's close of one business day (日清): totals by method, receipt range and voids.

    After it, a payment or reversal by this cashier dated on or before ``business_day`` is refused.
    """

    __tablename__ = "billing_daily_closes"
    __table_args__ = (UniqueConstraint("estate_id", "cashier_id", "business_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    cashier_id: Mapped[int] = mapped_column(
        ForeignKey("core_staff_users.id", ondelete="RESTRICT"), index=True, comment="whose payments are closed"
    )
    business_day: Mapped[dt.date] = mapped_column(comment="the day closed (收款日期)")
    payments: Mapped[int] = mapped_column(default=0, comment="receipts issued that day (reversals included)")
    received_fen: Mapped[int] = mapped_column(BigInteger, default=0, comment="money taken, before voids")
    voids: Mapped[int] = mapped_column(default=0, comment="reversals (红冲) booked that day")
    voided_fen: Mapped[int] = mapped_column(BigInteger, default=0, comment="money given back by the reversals")
    net_fen: Mapped[int] = mapped_column(BigInteger, default=0, comment="received minus voided: what is handed in")
    cash_fen: Mapped[int] = mapped_column(BigInteger, default=0, comment="net by method: cash")
    card_fen: Mapped[int] = mapped_column(BigInteger, default=0, comment="net by method: bank card")
    wechat_fen: Mapped[int] = mapped_column(BigInteger, default=0, comment="net by method: WeChat Pay")
    alipay_fen: Mapped[int] = mapped_column(BigInteger, default=0, comment="net by method: Alipay")
    transfer_fen: Mapped[int] = mapped_column(BigInteger, default=0, comment="net by method: bank transfer")
    first_receipt_no: Mapped[str | None] = mapped_column(String(40), comment="lowest receipt number of the day")
    last_receipt_no: Mapped[str | None] = mapped_column(String(40), comment="highest receipt number of the day")
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_staff_users.id", ondelete="SET NULL"))
    closed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(String(400), default="")

    cashier: Mapped[StaffUser] = relationship(foreign_keys=[cashier_id])
    closed_by: Mapped[StaffUser | None] = relationship(foreign_keys=[closed_by_id])

    def __str__(self) -> str:
        return f"{self.business_day.isoformat()} #{self.cashier_id}"


class ReceiptVoid(Base):
    """A receipt made void (作废) by the reversal of its payment, linked to that reversal.

    ``second_person`` is who confirmed the reversal at the desk when the company asks for two people
    (``reversal_needs_second_person``).
    """

    __tablename__ = "billing_receipt_voids"

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    receipt_id: Mapped[int] = mapped_column(
        ForeignKey("billing_receipts.id", ondelete="RESTRICT"), unique=True, comment="the receipt made void"
    )
    payment_id: Mapped[int] = mapped_column(
        ForeignKey("billing_payments.id", ondelete="RESTRICT"), index=True, comment="the payment reversed"
    )
    reversal_id: Mapped[int] = mapped_column(
        ForeignKey("billing_payments.id", ondelete="RESTRICT"), index=True, comment="the reversal payment"
    )
    reason: Mapped[str] = mapped_column(String(400))
    voided_on: Mapped[dt.date] = mapped_column(comment="business day of the reversal")
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_staff_users.id", ondelete="SET NULL"))
    second_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_staff_users.id", ondelete="SET NULL"), comment="who confirmed it (双人复核)"
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
