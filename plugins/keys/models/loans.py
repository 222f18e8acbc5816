"""The lending register (钥匙领(借)用登记表): keys issued to owners (领用) and lent (借用)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Attachable, Base, utcnow
from core.models import Party, StaffUser
from plugins.keys.models.columns import enum_column, estate_fk, staff_fk
from plugins.keys.models.custody import ConsentChannel, CustodyAgreement, KeyUse
from plugins.keys.models.register import KeySet


class LoanKind(enum.StrEnum):
    issue = "issue"  # 领用: handed to the owner for good, signed on the register
    lend = "lend"  # 借用: to be returned

    __labels__ = {  # value -> (English, 中文), shown on every screen
        "issue": ("Issue to the owner", "领用"),
        "lend": ("Lend", "借用"),
    }


class LoanStatus(enum.StrEnum):
    out = "out"  # 借出未还
    returned = "returned"  # 已归还
    issued = "issued"  # 已领用 (issue lines never come back)
    lost = "lost"  # 借出期间遗失

    __labels__ = {  # value -> (English, 中文), shown on every screen
        "out": ("Lent out", "借出未还"),
        "returned": ("Returned", "已归还"),
        "issued": ("Issued", "已领用"),
        "lost": ("Lost while lent", "借出期间遗失"),
    }


class ReturnCondition(enum.StrEnum):
    intact = "intact"  # 完好
    damaged = "damaged"  # 损坏
    incomplete = "incomplete"  # 少件

    __labels__ = {  # value -> (English, 中文), shown on every screen
        "intact": ("Intact", "完好"),
        "damaged": ("Damaged", "损坏"),
        "incomplete": ("Pieces missing", "少件"),
    }


class KeyLoan(Attachable, Base):
    """One line of the 钥匙领(借)用登记表: a key set issued (领用) or lent (借用), and its return.

    An owner's agent (受托人) may sign for the keys when the owner's power of attorney (业主委托书,
    KF08 §5.3 e) is on file: ``by_agent`` is set, the borrower columns hold the agent's name and ID,
    ``borrower_party_id`` the owner represented and ``power_of_attorney_id`` the scanned letter.

    At most one line per key set is ``out`` at a time (a partial unique index enforces it even
    under concurrent lending).
    """

    __tablename__ = "keys_loans"
    attachment_kinds = {"power_of_attorney": ("Power of attorney", "业主委托书"), "id_copy": ("ID copy", "证件复印件"),
                        "other": ("Other", "其他")}
    __table_args__ = (
        UniqueConstraint("estate_id", "number"),
        Index("ix_keys_loans_one_out_per_key", "key_set_id", unique=True,
              sqlite_where=text("status = 'out'"), postgresql_where=text("status = 'out'")),
        Index("ix_keys_loans_status_expected", "status", "expected_return_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = estate_fk()
    number: Mapped[str] = mapped_column(String(32), comment="KL-YYYY-NNNNNN")
    key_set_id: Mapped[int] = mapped_column(ForeignKey("keys_key_sets.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[LoanKind] = mapped_column(enum_column(LoanKind, "keys_loan_kind"), default=LoanKind.lend)
    status: Mapped[LoanStatus] = mapped_column(enum_column(LoanStatus, "keys_loan_status"), default=LoanStatus.out)
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
    by_agent: Mapped[bool] = mapped_column(default=False,
                                           comment="受托人代领/代借: the borrower is the owner's agent with a power of attorney")
    power_of_attorney_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_attachments.id", ondelete="RESTRICT"), comment="the owner's power of attorney (业主委托书) on file")
    purpose: Mapped[KeyUse] = mapped_column(enum_column(KeyUse, "keys_key_use"), default=KeyUse.other)
    purpose_detail: Mapped[str] = mapped_column(String(400), default="")
    approved_by_id: Mapped[int | None] = staff_fk("holder of keys.approve_loan who approved the lending")
    approved_at: Mapped[dt.datetime | None]
    escort_id: Mapped[int | None] = staff_fk("陪同人: staff who accompanies the borrower")
    consent_by: Mapped[str] = mapped_column(String(200), default="", comment="owner who consented (custody keys)")
    consent_at: Mapped[dt.datetime | None]
    consent_channel: Mapped[ConsentChannel | None] = mapped_column(enum_column(ConsentChannel, "keys_consent_channel"))
    issued_by_id: Mapped[int | None] = staff_fk("staff who handed the key out")
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expected_return_at: Mapped[dt.datetime | None]
    flagged_overdue_at: Mapped[dt.datetime | None] = mapped_column(comment="set by the job keys.overdue_returns")
    returned_at: Mapped[dt.datetime | None]
    returned_by_name: Mapped[str] = mapped_column(String(200), default="", comment="who brought the key back")
    received_by_id: Mapped[int | None] = staff_fk("staff who took the key back")
    return_condition: Mapped[ReturnCondition | None] = mapped_column(enum_column(ReturnCondition, "keys_return_condition"))
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
