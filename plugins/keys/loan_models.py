"""The lending register, lock-change tasks and the monthly key inventory (re-exported by ``models``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, utcnow
from core.models import Party, StaffUser
from plugins.keys.models import (
    ConsentChannel,
    CountResult,
    CountStatus,
    CustodyAgreement,
    KeySet,
    KeyUse,
    LoanKind,
    LoanStatus,
    ReturnCondition,
    TaskStatus,
    _enum,
    _estate_fk,
    _staff_fk,
)


class KeyLoan(Base):
    """One line of the 钥匙领(借)用登记表: a key set issued (领用) or lent (借用), and its return.

    At most one line per key set is ``out`` at a time (a partial unique index enforces it even
    under concurrent lending).
    """

    __tablename__ = "keys_loans"
    __table_args__ = (
        UniqueConstraint("estate_id", "number"),
        Index("ix_keys_loans_one_out_per_key", "key_set_id", unique=True,
              sqlite_where=text("status = 'out'"), postgresql_where=text("status = 'out'")),
        Index("ix_keys_loans_status_expected", "status", "expected_return_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = _estate_fk()
    number: Mapped[str] = mapped_column(String(32), comment="KL-YYYY-NNNNNN")
    key_set_id: Mapped[int] = mapped_column(ForeignKey("keys_key_sets.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[LoanKind] = mapped_column(_enum(LoanKind, "keys_loan_kind"), default=LoanKind.lend)
    status: Mapped[LoanStatus] = mapped_column(_enum(LoanStatus, "keys_loan_status"), default=LoanStatus.out)
    from_status: Mapped[str] = mapped_column(String(32), default="", comment="key status before it went out")
    custody_agreement_id: Mapped[int | None] = mapped_column(
        ForeignKey("keys_custody_agreements.id", ondelete="RESTRICT"), comment="agreement a custody key is lent under")
    copies: Mapped[int] = mapped_column(default=1, comment="keys handed over")
    borrower_name: Mapped[str] = mapped_column(String(200), comment="领(借)用人")
    borrower_company: Mapped[str] = mapped_column(String(200), default="", comment="单位")
    borrower_id_number: Mapped[str] = mapped_column(String(64), default="", comment="sensitive: masked in lists")
    borrower_phone: Mapped[str] = mapped_column(String(40), default="", comment="sensitive: masked in lists")
    borrower_party_id: Mapped[int | None] = mapped_column(ForeignKey("core_parties.id", ondelete="RESTRICT"),
                                                          comment="the owner, for an issue line")
    purpose: Mapped[KeyUse] = mapped_column(_enum(KeyUse, "keys_key_use"), default=KeyUse.other)
    purpose_detail: Mapped[str] = mapped_column(String(400), default="")
    approved_by_id: Mapped[int | None] = _staff_fk("holder of keys.approve_loan who approved the lending")
    approved_at: Mapped[dt.datetime | None]
    escort_id: Mapped[int | None] = _staff_fk("陪同人: staff who accompanies the borrower")
    consent_by: Mapped[str] = mapped_column(String(200), default="", comment="owner who consented (custody keys)")
    consent_at: Mapped[dt.datetime | None]
    consent_channel: Mapped[ConsentChannel | None] = mapped_column(_enum(ConsentChannel, "keys_consent_channel"))
    issued_by_id: Mapped[int | None] = _staff_fk("staff who handed the key out")
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expected_return_at: Mapped[dt.datetime | None]
    flagged_overdue_at: Mapped[dt.datetime | None] = mapped_column(comment="set by the job keys.overdue_returns")
    returned_at: Mapped[dt.datetime | None]
    returned_by_name: Mapped[str] = mapped_column(String(200), default="", comment="who brought the key back")
    received_by_id: Mapped[int | None] = _staff_fk("staff who took the key back")
    return_condition: Mapped[ReturnCondition | None] = mapped_column(_enum(ReturnCondition, "keys_return_condition"))
    door_closed: Mapped[bool | None] = mapped_column(comment="entrance door confirmed closed (custody keys)")
    contents_intact: Mapped[bool | None] = mapped_column(comment="indoor items confirmed intact (custody keys)")
    return_notes: Mapped[str] = mapped_column(String(400), default="")

    key_set: Mapped[KeySet] = relationship()
    custody_agreement: Mapped[CustodyAgreement | None] = relationship()
    borrower_party: Mapped[Party | None] = relationship()
    approved_by: Mapped[StaffUser | None] = relationship(foreign_keys=[approved_by_id])
    escort: Mapped[StaffUser | None] = relationship(foreign_keys=[escort_id])

    @property
    def is_overdue(self) -> bool:
        return (self.status == LoanStatus.out and self.expected_return_at is not None
                and self.expected_return_at < utcnow())

    def __str__(self) -> str:
        return self.number


class LockChangeTask(Base):
    """换锁: opened when a key set is reported lost; done once the lock is changed and new keys made."""

    __tablename__ = "keys_lock_change_tasks"
    __table_args__ = (UniqueConstraint("estate_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = _estate_fk()
    number: Mapped[str] = mapped_column(String(32), comment="LC-YYYY-NNNNNN")
    key_set_id: Mapped[int] = mapped_column(ForeignKey("keys_key_sets.id", ondelete="RESTRICT"), index=True)
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("keys_loans.id", ondelete="RESTRICT"),
                                                comment="the loan during which the key was lost")
    status: Mapped[TaskStatus] = mapped_column(_enum(TaskStatus, "keys_task_status"), default=TaskStatus.open)
    description: Mapped[str] = mapped_column(String(1000), default="")
    reported_by_id: Mapped[int | None] = _staff_fk()
    reported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    done_at: Mapped[dt.datetime | None]
    done_by_id: Mapped[int | None] = _staff_fk()
    done_note: Mapped[str] = mapped_column(String(1000), default="")
    new_copies: Mapped[int | None] = mapped_column(comment="keys cut for the new lock")

    key_set: Mapped[KeySet] = relationship()

    def __str__(self) -> str:
        return self.number


class InventoryCount(Base):
    """The monthly key inventory (钥匙盘点) of one estate: the register against the cabinet."""

    __tablename__ = "keys_inventory_counts"
    __table_args__ = (UniqueConstraint("estate_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = _estate_fk()
    period: Mapped[str] = mapped_column(String(7), comment="YYYY-MM in the estate's time zone")
    status: Mapped[CountStatus] = mapped_column(_enum(CountStatus, "keys_count_status"), default=CountStatus.open)
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    opened_by_id: Mapped[int | None] = _staff_fk("null when opened by the monthly reminder job")
    closed_at: Mapped[dt.datetime | None]
    closed_by_id: Mapped[int | None] = _staff_fk()
    expected_count: Mapped[int] = mapped_column(default=0, comment="key sets the register puts in the cabinet")
    found_count: Mapped[int] = mapped_column(default=0)
    discrepancy_count: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str] = mapped_column(String(1000), default="")

    lines: Mapped[list[InventoryLine]] = relationship(back_populates="count", order_by="InventoryLine.id",
                                                      cascade="all, delete-orphan")

    def __str__(self) -> str:
        return f"{self.period}"


class InventoryLine(Base):
    """One key set expected or found during a count."""

    __tablename__ = "keys_inventory_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("keys_inventory_counts.id", ondelete="CASCADE"), index=True)
    estate_id: Mapped[int] = _estate_fk()
    key_set_id: Mapped[int | None] = mapped_column(ForeignKey("keys_key_sets.id", ondelete="RESTRICT"),
                                                   comment="null: a tag not in the register")
    tag_no: Mapped[str] = mapped_column(String(32))
    register_status: Mapped[str] = mapped_column(String(32), default="", comment="key status when the count opened")
    expected_in_cabinet: Mapped[bool] = mapped_column(default=False)
    expected_slot: Mapped[str] = mapped_column(String(32), default="")
    found: Mapped[bool] = mapped_column(default=False)
    found_slot: Mapped[str] = mapped_column(String(32), default="")
    result: Mapped[CountResult] = mapped_column(_enum(CountResult, "keys_count_result"), default=CountResult.pending)
    remarks: Mapped[str] = mapped_column(String(400), default="")

    count: Mapped[InventoryCount] = relationship(back_populates="lines")
    key_set: Mapped[KeySet | None] = relationship()
