"""The ledger (账务): accounts, charge lines (应收), payments (实收) and their allocations (核销),
receipts (收款收据) and deposit entries (押金/保证金).

Money is integer fen (分) everywhere. Posted lines, payments, allocations, receipts and deposit
entries are a ledger: their amounts are never updated and rows are never deleted (enforced at flush
by :func:`_ledger_guard`); a mistake is corrected by a reversal row (红冲).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    event,
    inspect,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from core import Attachable, Base, Conflict, Text, utcnow
from core.models import StaffUser, Unit
from plugins.billing.models.catalogue import FeeItem

ORIGINS = ("run", "posted", "apportion", "late_fee", "reversal")
METHODS = {
    "cash": "现金",
    "card": "刷卡",
    "transfer": "转账",
    "wechat": "微信",
    "alipay": "支付宝",
    "prepaid": "预存抵扣",
}
DEPOSIT_KINDS = {"hold": "收取", "deduct": "扣除", "refund": "退还", "reversal": "冲销"}


class Account(Base):
    """A unit's billing account (one per unit): the prepaid balance (预存款) and the payment lock row."""

    __tablename__ = "billing_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"), unique=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    prepaid_fen: Mapped[int] = mapped_column(
        BigInteger, default=0, comment="money received but not yet allocated"
    )
    lock_version: Mapped[int] = mapped_column(
        default=0, comment="bumped to take the row lock on every backend"
    )
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit] = relationship()


class ChargeLine(Base):
    """One charge (应收): a unit owes ``amount_fen`` for a fee item, usually for a period.

    Lines made by a billing run carry ``run_period``; the unique constraint on (unit, fee item,
    run_period) makes reruns idempotent. Lines posted by other plugins carry ``source``; (source,
    fee item) is unique, which makes ``post_charge`` idempotent.
    """

    __tablename__ = "billing_charge_lines"
    # Every index here is written for each of a billing run's lines (three per unit per month), so
    # there is none that another one already serves: estate_id alone is the prefix of
    # estate_period, source alone the prefix of the unique (source, fee item), and that unique index
    # is partial because run lines have no source (measured: -12% on a 600k-line insert).
    __table_args__ = (
        UniqueConstraint("unit_id", "fee_item_id", "run_period"),
        Index("uq_billing_charge_lines_source_fee_item_id", "source", "fee_item_id", unique=True,
              postgresql_where=text("source IS NOT NULL"), sqlite_where=text("source IS NOT NULL")),
        Index("ix_billing_charge_lines_estate_period", "estate_id", "period"),
        Index("ix_billing_charge_lines_unit_due", "unit_id", "due_on"),
        # "is this line reversed?" (arrears, ageing) probes by reverses_id; only reversals are indexed,
        # so the billing run's lines (reverses_id NULL) cost nothing.
        Index("ix_billing_charge_lines_reverses_id", "reverses_id", postgresql_where=text("reverses_id IS NOT NULL"),
              sqlite_where=text("reverses_id IS NOT NULL")),
        CheckConstraint(
            "origin IN ('run', 'posted', 'apportion', 'late_fee', 'reversal')", name="origin_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"))
    fee_item_id: Mapped[int] = mapped_column(
        ForeignKey("billing_fee_items.id", ondelete="RESTRICT"), index=True
    )
    period: Mapped[str | None] = mapped_column(String(7), comment="billing period YYYY-MM (账期), if any")
    run_period: Mapped[str | None] = mapped_column(String(7), comment="set only on billing-run lines")
    origin: Mapped[str] = mapped_column(String(16), comment="run, posted, apportion, late_fee or reversal")
    amount_fen: Mapped[int] = mapped_column(BigInteger, comment="amount in fen; negative only on reversals")
    due_on: Mapped[dt.date] = mapped_column(comment="arrears age counts from this day")
    posted_on: Mapped[dt.date] = mapped_column(comment="business day the charge was raised")
    payer: Mapped[str] = mapped_column(String(16), default="owner")
    description: Mapped[str] = mapped_column(String(400), default="")
    source: Mapped[str | None] = mapped_column(
        String(160), comment="originating record, e.g. renovation:application:12"
    )
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("billing_charge_lines.id", ondelete="RESTRICT")
    )
    reversed_at: Mapped[dt.datetime | None] = mapped_column(
        comment="set when a reversal line cancels this one"
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_staff_users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship()
    fee_item: Mapped[FeeItem] = relationship()
    allocations: Mapped[list[Allocation]] = relationship(back_populates="charge_line")

    @property
    def paid_fen(self) -> int:
        return sum(a.amount_fen for a in self.allocations)

    def __str__(self) -> str:
        return f"#{self.id} {self.period or ''} {self.amount_fen}"


class Payment(Base):
    """Money received for a unit (实收), or a ``prepaid`` application of its balance; never edited."""

    __tablename__ = "billing_payments"
    __table_args__ = (
        Index("ix_billing_payments_estate_paid_on", "estate_id", "paid_on"),
        UniqueConstraint("estate_id", "receipt_no"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger, comment="received (negative on a reversal)")
    to_prepaid_fen: Mapped[int] = mapped_column(BigInteger, default=0, comment="surplus credited to prepaid")
    method: Mapped[str] = mapped_column(String(16), comment="cash, card, transfer, wechat, alipay, prepaid")
    payer: Mapped[str] = mapped_column(String(200), default="")
    reference: Mapped[str] = mapped_column(String(200), default="", comment="bank / wechat transaction no.")
    paid_on: Mapped[dt.date] = mapped_column(comment="business day the money was received")
    receipt_no: Mapped[str | None] = mapped_column(String(40), comment="收款收据 number (unique per estate)")
    collector_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_staff_users.id", ondelete="SET NULL"), index=True, comment="staff who recorded it"
    )
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("billing_payments.id", ondelete="RESTRICT"))
    reversed_at: Mapped[dt.datetime | None] = mapped_column()
    note: Mapped[str] = mapped_column(String(400), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship()
    collector: Mapped[StaffUser | None] = relationship()
    allocations: Mapped[list[Allocation]] = relationship(back_populates="payment")

    def __str__(self) -> str:
        return self.receipt_no or f"payment #{self.id}"


class Allocation(Base):
    """How much of a payment settled which charge line (核销)."""

    __tablename__ = "billing_allocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    payment_id: Mapped[int] = mapped_column(
        ForeignKey("billing_payments.id", ondelete="RESTRICT"), index=True
    )
    charge_line_id: Mapped[int] = mapped_column(
        ForeignKey("billing_charge_lines.id", ondelete="RESTRICT"), index=True
    )
    amount_fen: Mapped[int] = mapped_column(BigInteger, comment="negative when a payment is reversed")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    payment: Mapped[Payment] = relationship(back_populates="allocations")
    charge_line: Mapped[ChargeLine] = relationship(back_populates="allocations")


class Receipt(Base):
    """A receipt (收款收据) for money received: a payment or a deposit; numbered RC-YEAR-000001.

    Written once by ``payments.issue_receipt_last`` and never changed (the ledger guard), it carries its
    issuer and time itself, so it is not in the activity trail.
    """

    __tablename__ = "billing_receipts"
    __activity__ = False
    __table_args__ = (UniqueConstraint("estate_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    number: Mapped[str] = mapped_column(String(40), comment="RC-<year>-000001, numbered per estate")
    payment_id: Mapped[int | None] = mapped_column(
        ForeignKey("billing_payments.id", ondelete="RESTRICT"), index=True
    )
    deposit_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("billing_deposit_entries.id", ondelete="RESTRICT"), index=True
    )
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    payer: Mapped[str] = mapped_column(String(200), default="")
    issued_on: Mapped[dt.date] = mapped_column()
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_staff_users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    payment: Mapped[Payment | None] = relationship()


class DepositEntry(Attachable, Base):
    """A deposit ledger entry (押金/保证金): hold, deduct or refund, grouped by ``source``."""

    __tablename__ = "billing_deposit_entries"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("kind IN ('hold', 'deduct', 'refund', 'reversal')", name="kind_known"),
    )
    attachment_kinds = ("photo", "invoice", "report", "other")  # evidence of a deduction

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"), index=True)
    source: Mapped[str] = mapped_column(String(160), index=True, comment="e.g. renovation:application:12")
    kind: Mapped[str] = mapped_column(String(16), comment="hold, deduct or refund")
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    method: Mapped[str] = mapped_column(String(16), default="cash")
    reason: Mapped[str] = mapped_column(String(400), default="")
    receipt_no: Mapped[str | None] = mapped_column(String(40), comment="receipt for money held")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("core_staff_users.id", ondelete="SET NULL"))
    approved_by_id: Mapped[int | None] = mapped_column(
        # also the manager who approved a deduction (the column's comment predates deductions' approval)
        ForeignKey("core_staff_users.id", ondelete="SET NULL"), comment="second person who approved a refund"
    )
    payee: Mapped[str] = mapped_column(String(200), default="", server_default="", comment="退款收款人")
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("billing_deposit_entries.id", ondelete="RESTRICT"), comment="the entry a reversal cancels"
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship()


class PrepaidBalance(Base):
    """The part of an account's prepaid balance earmarked for one fee category (预收款专款专用).

    ``category`` "" is the general (unearmarked) balance: money prepaid before earmarking existed,
    and payment surpluses; it pays any line. The rows of an account sum to ``Account.prepaid_fen``.
    """

    __tablename__ = "billing_prepaid_balances"
    __table_args__ = (UniqueConstraint("account_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("billing_accounts.id", ondelete="RESTRICT"))
    category: Mapped[str] = mapped_column(String(32), default="", comment="fee category; '' = general")
    balance_fen: Mapped[int] = mapped_column(BigInteger, default=0)


# --- the ledger guard ------------------------------------------------------------------------
# Amount-bearing columns of posted records; changing one, or deleting the row, is refused.
LEDGER_COLUMNS: dict[type, tuple[str, ...]] = {
    ChargeLine: ("amount_fen", "unit_id", "fee_item_id"),
    Payment: ("amount_fen", "to_prepaid_fen", "unit_id", "method"),
    Allocation: ("amount_fen", "charge_line_id", "payment_id"),
    Receipt: ("amount_fen", "number"),
    DepositEntry: ("amount_fen", "kind", "source"),
}


@event.listens_for(Session, "before_flush")
def _ledger_guard(session, flush_context, instances) -> None:
    """Refuse updates of amounts and deletes of ledger rows: corrections are reversal entries."""
    for obj in session.deleted:
        if type(obj) in LEDGER_COLUMNS:
            raise Conflict(
                Text(f"{type(obj).__name__} #{obj.id} is a posted record and cannot be deleted; "
                "post a reversal instead", f"已入账记录 #{obj.id} 不能删除，请做冲销")
            )
    for obj in session.dirty:
        cols = LEDGER_COLUMNS.get(type(obj))
        if not cols:
            continue
        state = inspect(obj)
        for col in cols:
            hist = state.attrs[col].history
            if hist.added and (not hist.deleted or list(hist.added) != list(hist.deleted)):
                raise Conflict(
                    Text(f"{type(obj).__name__} #{obj.id}: '{col}' of a posted record cannot be changed; "
                    "post a reversal and a new entry instead", f"已入账记录 #{obj.id} 的“{col}”不能修改，请做冲销并重新入账"),
                    field=col,
                )
