"""Owner-archive models (spec 2.4, KF09): the archive (业主档案), its documents, access requests and
the access log, and the household census (住户普查).

Every table carries ``estate_id`` (indexed) so the core's estate scoping filters it directly.
``MODELS`` lists every mapped class of the plugin.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Attachable, Base, utcnow
from core.models import Party, Unit


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    """Stored as the values with a CHECK constraint (never a native PostgreSQL ENUM), as core does."""
    return Enum(cls, name=name, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


def _estate() -> Mapped[int]:
    return mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True, comment="the estate")


def _staff(comment: str) -> Mapped[int | None]:
    return mapped_column(ForeignKey("core_staff_users.id", ondelete="RESTRICT"), comment=comment)


class ArchiveStatus(enum.StrEnum):
    active = "active"
    closed = "closed"

    __labels__ = {"active": ("Active", "在档"), "closed": ("Closed (owner moved out)", "已结档(业主迁出)")}


class DocumentType(enum.StrEnum):
    """The document types of KF09 §4.1 a)-j) (and 001 L103)."""

    owner_covenant = "owner_covenant"
    fire_safety_letter = "fire_safety_letter"
    household_form = "household_form"
    receipt_form = "receipt_form"
    key_register = "key_register"
    handover_form = "handover_form"
    renovation_approval = "renovation_approval"
    violation_notice = "violation_notice"
    owner_certificate = "owner_certificate"
    purchase_contract = "purchase_contract"
    other = "other"

    __labels__ = {
        "owner_covenant": ("Owners' covenant and preliminary service agreement", "业主公约及前期物业服务协议"),
        "fire_safety_letter": ("Fire-safety responsibility letter", "消防安全责任书"),
        "household_form": ("Household registration form", "业主(住户)情况登记表"),
        "receipt_form": ("Document receipt form", "资料签收表"),
        "key_register": ("Key issue register", "钥匙领(借)用登记表"),
        "handover_form": ("Unit handover acceptance form", "房屋交付验收表"),
        "renovation_approval": ("Renovation approval form", "装修申请审批表"),
        "violation_notice": ("Violation notice and result", "违章处理通知单"),
        "owner_certificate": ("Copy of owner certificates (ID, title)", "业主证件复印件"),
        "purchase_contract": ("Purchase contract", "购房合同"),
        "other": ("Other", "其他"),
    }


class Sensitivity(enum.StrEnum):
    """How secret a part of an archive is: ``normal`` needs ``archive.view``; ``confidential`` (ID
    numbers, contracts) needs an approved access request too (KF09 §4.5: archives are 绝密)."""

    normal = "normal"
    confidential = "confidential"

    __labels__ = {"normal": ("Normal", "一般"), "confidential": ("Confidential (manager approval)", "绝密(需经理批准)")}


class AccessOutcome(enum.StrEnum):
    granted = "granted"
    refused = "refused"

    __labels__ = {"granted": ("Opened", "已查阅"), "refused": ("Refused", "已拒绝")}


class CensusResult(enum.StrEnum):
    pending = "pending"
    confirmed = "confirmed"
    changed = "changed"
    unreachable = "unreachable"

    __labels__ = {"pending": ("Not yet checked", "待普查"), "confirmed": ("Confirmed, no change", "已核实无变化"),
                  "changed": ("Changed (see notes)", "有变化(见备注)"), "unreachable": ("Unreachable", "联系不上")}


class CensusStatus(enum.StrEnum):
    open = "open"
    closed = "closed"

    __labels__ = {"open": ("Open", "进行中"), "closed": ("Closed", "已结束")}


class OwnerArchive(Attachable, Base):
    """业主档案: one archive per unit and owner (party), the row of the 业主档案目录表 (archive index).

    Attachable: scans of the archive's paper documents go on its 附件 card."""

    __tablename__ = "archive_archives"
    __table_args__ = (UniqueConstraint("unit_id", "party_id"), UniqueConstraint("estate_id", "number"))
    attachment_kinds = ("scan", "photo", "other")

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = _estate()
    number: Mapped[str] = mapped_column(String(32), comment="档案编号 DA-<year>-<n>, per estate")
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"), index=True,
                                         comment="the unit (楼号房号)")
    party_id: Mapped[int] = mapped_column(ForeignKey("core_parties.id", ondelete="RESTRICT"), index=True,
                                          comment="the owner the archive is about")
    status: Mapped[ArchiveStatus] = mapped_column(_enum(ArchiveStatus, "archive_status"), default=ArchiveStatus.active,
                                                  index=True, comment="closed when the owner moves out; kept")
    opened_on: Mapped[dt.date] = mapped_column(comment="the day the archive was started (入住时间 if known)")
    closed_on: Mapped[dt.date | None] = mapped_column(comment="the day ownership ended; retention counts from it")
    location: Mapped[str] = mapped_column(String(100), default="", comment="cabinet / box of the paper file (存放位置)")
    remarks: Mapped[str] = mapped_column(String(1000), default="", comment="备注")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, comment="when it was registered")

    unit: Mapped[Unit] = relationship()
    party: Mapped[Party] = relationship()
    documents: Mapped[list[ArchiveDocument]] = relationship(back_populates="archive",
                                                            order_by="ArchiveDocument.id")

    def __str__(self) -> str:
        return self.number


class ArchiveDocument(Base):
    """A document (资料) filed in an archive: type, date, pages and how secret it is."""

    __tablename__ = "archive_documents"
    __table_args__ = (Index("ix_archive_documents_archive_type", "archive_id", "doc_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = _estate()
    archive_id: Mapped[int] = mapped_column(ForeignKey("archive_archives.id", ondelete="RESTRICT"),
                                            comment="the archive it is filed in")
    doc_type: Mapped[DocumentType] = mapped_column(_enum(DocumentType, "archive_doc_type"), comment="KF09 §4.1 type")
    title: Mapped[str] = mapped_column(String(200), default="", comment="what it is, if more than the type")
    dated_on: Mapped[dt.date | None] = mapped_column(comment="the date on the document")
    pages: Mapped[int] = mapped_column(default=1, comment="档案页数")
    sensitivity: Mapped[Sensitivity] = mapped_column(_enum(Sensitivity, "archive_sensitivity"),
                                                     default=Sensitivity.normal,
                                                     comment="confidential: only with the manager's approval")
    filed_by_id: Mapped[int | None] = _staff("who filed it")
    filed_at: Mapped[dt.datetime] = mapped_column(default=utcnow, comment="when it was filed")

    archive: Mapped[OwnerArchive] = relationship(back_populates="documents")

    def __str__(self) -> str:
        return self.title or self.doc_type.value


class AccessRequestStatus(enum.StrEnum):
    requested = "requested"
    approved = "approved"
    refused = "refused"
    withdrawn = "withdrawn"


class ArchiveAccessRequest(Base):
    """查阅申请: who wants to see which confidential part of an archive and why; the office manager
    (never the requester) approves it, and access lasts ``access_hours`` from approval."""

    __tablename__ = "archive_access_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = _estate()
    archive_id: Mapped[int] = mapped_column(ForeignKey("archive_archives.id", ondelete="RESTRICT"), index=True,
                                            comment="the archive asked for")
    section: Mapped[str] = mapped_column(String(64), comment="the confidential section asked for, e.g. identity")
    reason: Mapped[str] = mapped_column(String(500), comment="why the requester needs it")
    requester_id: Mapped[int] = mapped_column(ForeignKey("core_staff_users.id", ondelete="RESTRICT"), index=True,
                                              comment="who asked")
    status: Mapped[str] = mapped_column(String(32), default=AccessRequestStatus.requested.value, index=True,
                                        comment="workflow archive.access_request; changed only by transitions")
    decided_by_id: Mapped[int | None] = _staff("the manager who approved or refused")
    decided_at: Mapped[dt.datetime | None] = mapped_column(comment="when it was decided")
    valid_until: Mapped[dt.datetime | None] = mapped_column(comment="access ends at this time (UTC)")
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow, comment="when it was asked")

    archive: Mapped[OwnerArchive] = relationship()

    def __str__(self) -> str:
        return f"{self.archive.number if self.archive else self.archive_id} · {self.section}"


class ArchiveAccessEvent(Base):
    """查阅登记: one opening of a part of an archive, granted or refused (who, when, which part)."""

    __tablename__ = "archive_access_events"
    __table_args__ = (Index("ix_archive_access_events_archive_at", "archive_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = _estate()
    archive_id: Mapped[int] = mapped_column(ForeignKey("archive_archives.id", ondelete="RESTRICT"),
                                            comment="the archive opened")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("core_staff_users.id", ondelete="SET NULL"), index=True,
                                                 comment="who opened it")
    section: Mapped[str] = mapped_column(String(64), comment="the part opened: index, identity, keys, ...")
    sensitivity: Mapped[Sensitivity] = mapped_column(_enum(Sensitivity, "archive_sensitivity"),
                                                     comment="how secret that part is")
    outcome: Mapped[AccessOutcome] = mapped_column(_enum(AccessOutcome, "archive_access_outcome"), index=True,
                                                   comment="granted or refused")
    request_id: Mapped[int | None] = mapped_column(ForeignKey("archive_access_requests.id", ondelete="SET NULL"),
                                                   comment="the approval it was opened under")
    reason: Mapped[str] = mapped_column(String(500), default="", comment="the stated reason, or why refused")
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, comment="when (UTC)")

    def __str__(self) -> str:
        return f"{self.section} {self.outcome.value}"


class CensusRound(Base):
    """住户普查: one round of the household census of an estate (quarterly by default, KF09 §4.4.2)."""

    __tablename__ = "archive_census_rounds"
    __table_args__ = (UniqueConstraint("estate_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = _estate()
    period: Mapped[str] = mapped_column(String(16), comment="e.g. 2026-Q1")
    starts_on: Mapped[dt.date] = mapped_column(comment="first day of the round")
    due_on: Mapped[dt.date] = mapped_column(comment="every unit should be checked by this day")
    status: Mapped[CensusStatus] = mapped_column(_enum(CensusStatus, "archive_census_status"),
                                                 default=CensusStatus.open, comment="open or closed")
    created_by_id: Mapped[int | None] = _staff("who opened the round")
    closed_at: Mapped[dt.datetime | None] = mapped_column(comment="when it was closed")
    reminded_on: Mapped[dt.date | None] = mapped_column(comment="last reminder of unchecked units")

    entries: Mapped[list[CensusEntry]] = relationship(back_populates="round", order_by="CensusEntry.id")

    def __str__(self) -> str:
        return self.period


class CensusEntry(Base):
    """One unit's line of a census round: confirmed, changed (with notes) or unreachable."""

    __tablename__ = "archive_census_entries"
    __table_args__ = (UniqueConstraint("round_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = _estate()
    round_id: Mapped[int] = mapped_column(ForeignKey("archive_census_rounds.id", ondelete="CASCADE"),
                                          comment="the round")
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"), comment="the unit")
    result: Mapped[CensusResult] = mapped_column(_enum(CensusResult, "archive_census_result"),
                                                 default=CensusResult.pending, index=True, comment="the check's result")
    notes: Mapped[str] = mapped_column(String(1000), default="", comment="what changed (occupants, phones)")
    checked_by_id: Mapped[int | None] = _staff("the specialist who checked")
    checked_at: Mapped[dt.datetime | None] = mapped_column(comment="when")

    round: Mapped[CensusRound] = relationship(back_populates="entries")
    unit: Mapped[Unit] = relationship()

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.result.value}"


MODELS = (OwnerArchive, ArchiveDocument, ArchiveAccessRequest, ArchiveAccessEvent, CensusRound, CensusEntry)
