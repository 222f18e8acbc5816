"""Renovation tables (装修管理, KF10/KF11; spec 2.5). Every table starts with ``renovation_`` and
carries a denormalised, indexed ``estate_id`` so the core's estate scoping filters it directly.

The application's ``status`` and a violation's ``status`` belong to the workflow engine: they are
changed only by ``core.workflow.apply`` (see ``workflows.py``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Attachable, Base, utcnow
from core.models import Estate, Party, StaffUser, Unit

# States after which an application no longer blocks a new one for the same unit.
FINAL_STATES = ("closed", "withdrawn", "rejected")
# States in which works may go on at the site (passes are honoured at the gate).
WORKS_STATES = ("permit_issued", "in_progress", "completion_reported", "acceptance", "rectification")
# Violation states that still count as open (block acceptance).
OPEN_VIOLATION_STATES = ("open", "rectifying", "escalated")

_STAFF = "core_staff_users.id"


class RenovationApplication(Attachable, Base):
    """装修申请审批表: an owner's or occupant's application to renovate a unit, through to closure.

    Attachable: drawings, the contractor's licence, ID copies and site photos go on its 附件 card."""

    __tablename__ = "renovation_applications"
    attachment_kinds = ("drawing", "contract", "id_copy", "photo", "other")
    # Numbers run per estate (core.sequences), so they are unique within an estate.
    __table_args__ = (Index("ix_renovation_applications_unit_status", "unit_id", "status"),
                      UniqueConstraint("estate_id", "number"), UniqueConstraint("estate_id", "permit_no"))

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"))
    number: Mapped[str] = mapped_column(String(32), comment="RN-<year>-<n>, per estate and year")
    status: Mapped[str] = mapped_column(String(32), default="submitted", index=True,
                                        comment="workflow renovation.application; changed only by transitions")
    applied_on: Mapped[dt.date] = mapped_column(comment="application date; ownership is checked on this day")

    # Applicant (装修人): an owner (产权人) or an occupant (使用人) with the owner's written consent.
    applicant_id: Mapped[int] = mapped_column(ForeignKey("core_parties.id", ondelete="RESTRICT"), index=True)
    applicant_kind: Mapped[str] = mapped_column(String(16), comment="owner | occupant")
    consent_document: Mapped[str] = mapped_column(String(200), default="",
                                                  comment="occupant only: reference of the owner's written consent")
    consenting_owner_id: Mapped[int | None] = mapped_column(ForeignKey("core_parties.id", ondelete="RESTRICT"),
                                                            comment="occupant only: the owner who consented")

    # Contractor (装修企业) or self-renovation (自行装修).
    self_renovation: Mapped[bool] = mapped_column(Boolean, default=False)
    contractor_party_id: Mapped[int | None] = mapped_column(ForeignKey("core_parties.id", ondelete="RESTRICT"),
                                                            comment="the contractor as a core party, if recorded")
    contractor_name: Mapped[str] = mapped_column(String(200), default="")
    contractor_licence_no: Mapped[str] = mapped_column(String(64), default="", comment="营业执照注册号")
    contractor_qualification_no: Mapped[str] = mapped_column(String(64), default="", comment="装修企业资质证书编号")
    contractor_site_manager: Mapped[str] = mapped_column(String(100), default="", comment="装修施工负责人")
    contractor_phone: Mapped[str] = mapped_column(String(40), default="", comment="sensitive: masked in lists")
    worker_guarantee_ref: Mapped[str] = mapped_column(String(200), default="",
                                                      comment="self-renovation: 施工人员身份担保证明书 reference")

    scope: Mapped[list] = mapped_column(JSON, default=list, comment="scope item codes (data/scope_items.json)")
    scope_notes: Mapped[str] = mapped_column(Text, default="")
    undertakings: Mapped[list] = mapped_column(JSON, default=list,
                                               comment="written undertakings given (codes U01-U04)")
    drawings: Mapped[list] = mapped_column(JSON, default=list, comment="装修设计图纸: attached file names")
    planned_start: Mapped[dt.date]
    planned_end: Mapped[dt.date] = mapped_column(comment="moved by approved extensions")
    original_end: Mapped[dt.date] = mapped_column(comment="planned end as first applied for")

    # Review opinions (初审 / 二审 / 经理审批), filled by the transitions' `opinion` data.
    cs_opinion: Mapped[str] = mapped_column(Text, default="")
    engineering_opinion: Mapped[str] = mapped_column(Text, default="")
    manager_opinion: Mapped[str] = mapped_column(Text, default="")

    # Money, fixed when the agreement is signed (config may change later).
    deposit_required_fen: Mapped[int] = mapped_column(default=0, comment="装修保证金 expected, fen")
    waste_fee_fen: Mapped[int] = mapped_column(default=0, comment="装修垃圾清运费 posted, fen")
    pass_fee_fen: Mapped[int] = mapped_column(default=0, comment="出入证 fees posted, fen (all workers)")

    agreement_signed_at: Mapped[dt.datetime | None] = mapped_column(comment="装修管理服务协议 signed")
    permit_no: Mapped[str | None] = mapped_column(String(32), comment="施工许可证 RP-<year>-<n>")
    permit_issued_at: Mapped[dt.datetime | None]
    started_at: Mapped[dt.datetime | None]
    previous_unit_status: Mapped[str] = mapped_column(String(32), default="",
                                                      comment="unit status before works; restored on acceptance")
    completion_reported_at: Mapped[dt.datetime | None]
    acceptance_round: Mapped[int] = mapped_column(default=0, comment="increments each time acceptance starts")
    accepted_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]

    created_by_id: Mapped[int | None] = mapped_column(ForeignKey(_STAFF, ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    estate: Mapped[Estate] = relationship()
    unit: Mapped[Unit] = relationship()
    applicant: Mapped[Party] = relationship(foreign_keys=[applicant_id])
    consenting_owner: Mapped[Party | None] = relationship(foreign_keys=[consenting_owner_id])
    contractor_party: Mapped[Party | None] = relationship(foreign_keys=[contractor_party_id])
    workers: Mapped[list[RenovationWorker]] = relationship(back_populates="application",
                                                           order_by="RenovationWorker.id")

    @property
    def source(self) -> str:
        """The billing source naming this application (charges and the deposit ledger)."""
        return f"renovation:application:{self.id}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATES

    def __str__(self) -> str:
        return self.number


class RenovationWorker(Base):
    """A worker on the application's list (施工人员), identified by ID number."""

    __tablename__ = "renovation_workers"
    __table_args__ = (UniqueConstraint("application_id", "id_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("renovation_applications.id", ondelete="CASCADE"),
                                                index=True)
    name: Mapped[str] = mapped_column(String(100))
    id_number: Mapped[str] = mapped_column(String(64), comment="身份证号; sensitive: masked in lists")
    phone: Mapped[str] = mapped_column(String(40), default="", comment="sensitive: masked in lists")
    trade: Mapped[str] = mapped_column(String(32), default="general", comment="see services.TRADES")
    skill_certificate_no: Mapped[str] = mapped_column(String(64), default="",
                                                      comment="技能考核合格证明; required for licensed trades")
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    application: Mapped[RenovationApplication] = relationship(back_populates="workers")

    def __str__(self) -> str:
        return f"{self.name} ({self.trade})"


class RenovationWorkerPass(Base):
    """临时出入证: one pass per worker, issued against the worker's ID; the guard keeps the duplicate."""

    __tablename__ = "renovation_worker_passes"
    __table_args__ = (UniqueConstraint("estate_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("renovation_applications.id", ondelete="CASCADE"),
                                                index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("renovation_workers.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(32), comment="RW-<year>-<n>")
    id_number: Mapped[str] = mapped_column(String(64), comment="the ID the pass was issued against")
    status: Mapped[str] = mapped_column(String(16), default="issued", comment="issued | returned | cancelled")
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey(_STAFF, ondelete="SET NULL"))
    expires_on: Mapped[dt.date] = mapped_column(comment="the planned end; moved by approved extensions")
    returned_at: Mapped[dt.datetime | None]
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey(_STAFF, ondelete="SET NULL"))

    worker: Mapped[RenovationWorker] = relationship()
    application: Mapped[RenovationApplication] = relationship()


class RenovationExtension(Base):
    """A request to move the planned end (延期申请), approved or rejected by a holder of renovation.extend."""

    __tablename__ = "renovation_extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("renovation_applications.id", ondelete="CASCADE"),
                                                index=True)
    requested_end: Mapped[dt.date]
    previous_end: Mapped[dt.date] = mapped_column(comment="planned end when the request was made")
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending", comment="pending | approved | rejected")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey(_STAFF, ondelete="SET NULL"))
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey(_STAFF, ondelete="SET NULL"),
                                                       comment="who decided (approved or rejected)")
    decided_at: Mapped[dt.datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")

    application: Mapped[RenovationApplication] = relationship()


class RenovationInspection(Base):
    """A patrol visit (装修巡查) by CS, engineering, security or a manager, with its findings."""

    __tablename__ = "renovation_inspections"
    __table_args__ = (Index("ix_renovation_inspections_app_at", "application_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("renovation_applications.id", ondelete="CASCADE"))
    inspector_id: Mapped[int | None] = mapped_column(ForeignKey(_STAFF, ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16), comment="cs | engineering | security | manager")
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    findings: Mapped[list] = mapped_column(JSON, default=list,
                                           comment='[{"code": "P03" | "T01" ..., "note": "..."}]')
    notes: Mapped[str] = mapped_column(Text, default="")
    # Measurements the technical rules are checked against (null: not measured on this visit).
    load_w: Mapped[int | None] = mapped_column(comment="household electrical load measured, watts")
    closed_water_test_hours: Mapped[int | None] = mapped_column(
        comment="hours the bathroom closed-water test lasted, when tiling was found started")
    slab_drilling: Mapped[bool | None] = mapped_column(comment="drilling/bolts into floor slabs seen")
    works_observed: Mapped[bool | None] = mapped_column(comment="noisy works going on during the visit")
    fire_extinguisher: Mapped[bool | None] = mapped_column(comment="a fire extinguisher is on site")

    inspector: Mapped[StaffUser | None] = relationship()
    application: Mapped[RenovationApplication] = relationship()

    @property
    def all_clear(self) -> bool:
        return not self.findings


class RenovationViolation(Base):
    """违章: a numbered notice (违章处理通知单/整改通知书) with a deadline and a deposit deduction."""

    __tablename__ = "renovation_violations"
    __table_args__ = (Index("ix_renovation_violations_app_status", "application_id", "status"),
                      UniqueConstraint("estate_id", "number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("renovation_applications.id", ondelete="CASCADE"))
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("renovation_inspections.id", ondelete="SET NULL"))
    number: Mapped[str] = mapped_column(String(32), comment="RV-<year>-<n>")
    code: Mapped[str] = mapped_column(String(8), comment="prohibited act P01-P14 or technical rule T01-T15")
    description: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list] = mapped_column(JSON, default=list, comment="photo / document file names")
    detected_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    deadline: Mapped[dt.date] = mapped_column(comment="rectify by this day")
    status: Mapped[str] = mapped_column(String(16), default="open",
                                        comment="workflow renovation.violation: open/rectifying/verified/escalated")
    deduction_fen: Mapped[int] = mapped_column(default=0, comment="deducted from the deposit at settlement")
    suspended_works: Mapped[bool] = mapped_column(Boolean, default=False, comment="works were stopped for it")
    escalated_to: Mapped[str] = mapped_column(String(200), default="", comment="manager, 城管, 房管, gas company")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey(_STAFF, ondelete="SET NULL"))
    rectification_note: Mapped[str] = mapped_column(Text, default="")
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey(_STAFF, ondelete="SET NULL"))
    verified_at: Mapped[dt.datetime | None]

    application: Mapped[RenovationApplication] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_VIOLATION_STATES

    def __str__(self) -> str:
        return self.number


class RenovationAcceptanceCheck(Base):
    """One side's completion acceptance (完工验收): engineering or customer service, per round."""

    __tablename__ = "renovation_acceptance_checks"
    __table_args__ = (UniqueConstraint("application_id", "round", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("renovation_applications.id", ondelete="CASCADE"),
                                                index=True)
    round: Mapped[int] = mapped_column(comment="the application's acceptance_round when checked")
    kind: Mapped[str] = mapped_column(String(16), comment="engineering | cs")
    passed: Mapped[bool] = mapped_column(Boolean)
    checks: Mapped[dict] = mapped_column(JSON, default=dict,
                                         comment="structure, pipes, closed_water_test, ... -> true/false")
    rectification_items: Mapped[str] = mapped_column(Text, default="")
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey(_STAFF, ondelete="SET NULL"))
    checked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class RenovationSettlement(Base):
    """装修保证金结算: the deposit, its deductions and the refund, with the second-person approval."""

    __tablename__ = "renovation_settlements"

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("renovation_applications.id", ondelete="CASCADE"),
                                                unique=True)
    deposit_fen: Mapped[int] = mapped_column(comment="deposit balance before settlement")
    violation_deductions_fen: Mapped[int] = mapped_column(default=0)
    damage_fen: Mapped[int] = mapped_column(default=0, comment="damage to common parts found at acceptance")
    damage_reason: Mapped[str] = mapped_column(Text, default="")
    refund_fen: Mapped[int] = mapped_column(default=0)
    settled_by_id: Mapped[int | None] = mapped_column(ForeignKey(_STAFF, ondelete="SET NULL"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey(_STAFF, ondelete="SET NULL"),
                                                       comment="second person holding billing.approve_refund")
    settled_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class RenovationInspectionShortfall(Base):
    """A day on which a renovating unit had fewer manager inspections than required (KF02 §2 j: ≥2)."""

    __tablename__ = "renovation_inspection_shortfalls"
    __table_args__ = (UniqueConstraint("application_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("renovation_applications.id", ondelete="CASCADE"))
    day: Mapped[dt.date] = mapped_column(comment="the estate's local day")
    manager_inspections: Mapped[int]
    required: Mapped[int]
    flagged_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    application: Mapped[RenovationApplication] = relationship()


MODELS = (RenovationApplication, RenovationWorker, RenovationWorkerPass, RenovationExtension,
          RenovationInspection, RenovationViolation, RenovationAcceptanceCheck, RenovationSettlement,
          RenovationInspectionShortfall)
