"""Issued documents (单据打印记录): every print of a receipt, notice, permit or agreement (issue 16).

One row per issue. The first issue of a document for a record (and its parameters, e.g. the
period of a payment notice) takes a number; every later issue is a reprint (补打/副本) that keeps
the same number, points at the original and counts its copy.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, utcnow


class DocumentIssue(Base):
    """One issue of a printable document (单据开具记录): original (copy 0) or a reprint (补打)."""

    __tablename__ = "core_document_issues"
    __table_args__ = (
        UniqueConstraint("document", "record_table", "record_id", "params_key", "copy_no",
                         name="uq_core_document_issues_copy"),  # the default name passes 63 chars
        Index("ix_core_document_issues_estate_number", "estate_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="row id")
    document: Mapped[str] = mapped_column(String(120), comment="document name, e.g. billing.receipt")
    record_table: Mapped[str] = mapped_column(String(120), comment="table of the printed record")
    record_id: Mapped[int] = mapped_column(comment="id of the printed record")
    params_key: Mapped[str] = mapped_column(String(200), default="", comment="parameters of the issue, e.g. period=2026-12")
    estate_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_estates.id", ondelete="CASCADE"), index=True, comment="estate of the record")
    number: Mapped[str | None] = mapped_column(String(40), comment="document number (编号); same on reprints")
    copy_no: Mapped[int] = mapped_column(default=0, comment="0: the original; n: the n-th reprint (补打)")
    reprint_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_document_issues.id", ondelete="SET NULL"), comment="the original issue of a reprint")
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow, comment="when it was issued (UTC)")
    issued_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_staff_users.id", ondelete="SET NULL"), comment="staff member who printed it; NULL: the system")

    def __str__(self) -> str:
        return f"{self.document} {self.number or ''}".strip()


MODELS = (DocumentIssue,)
