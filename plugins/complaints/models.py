"""The complaint register (业主投诉登记表, KF16; spec 2.10). Table names start with ``complaints_``; the
denormalised, indexed ``estate_id`` is what core's estate scoping filters on.

``status`` belongs to the workflow ``complaints.complaint`` (``workflows.py``): it changes only through
``core.apply``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Attachable, Base, utcnow
from core.models import Estate, Party, StaffUser, Unit

_STAFF = "core_staff_users.id"

# Workflow states in which a complaint is still open (the daily stock-take counts these).
OPEN_STATES = ("received", "acknowledged", "investigating", "replied", "verified")
CLOSED_STATES = ("closed", "closed_invalid")


class Complaint(Attachable, Base):
    """投诉: one complaint, from its registration (登记) to its closing after verification (验证).

    The number (TS-<year>-<n>, per estate) is the one written on the handling notice (投诉处理通知单)
    and on the original complaint document. Attachable: the letter, photos, the signed reply."""

    __tablename__ = "complaints_complaints"
    __table_args__ = (UniqueConstraint("estate_id", "number"),)
    attachment_kinds = ("original", "photo", "reply", "other")

    id: Mapped[int] = mapped_column(primary_key=True, comment="record id")
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True,
                                           comment="estate the complaint concerns")
    number: Mapped[str] = mapped_column(String(32), comment="TS-<year>-<n>, per estate and year")
    status: Mapped[str] = mapped_column(String(32), default="received", index=True,
                                        comment="workflow complaints.complaint; changed only by transitions")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"), index=True,
                                                comment="房号: the complainant's unit, if any")
    party_id: Mapped[int | None] = mapped_column(ForeignKey("core_parties.id", ondelete="RESTRICT"), index=True,
                                                 comment="the complainant when known (owner, tenant)")
    complainant_name: Mapped[str] = mapped_column(String(200), default="", comment="投诉人 as given")
    complainant_phone: Mapped[str] = mapped_column(String(40), default="", comment="sensitive: masked in lists")
    channel: Mapped[str] = mapped_column(String(16), default="phone",
                                         comment="投诉方式: phone, visit, letter, email, website, wechat, other")
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow, comment="when it was received (UTC)")
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey(_STAFF, ondelete="RESTRICT"),
                                                       comment="who registered it (首问负责)")
    intake_id: Mapped[int | None] = mapped_column(comment="the reception record (来电来访登记) it came from")
    summary: Mapped[str] = mapped_column(String(200), comment="反映内容摘要: one line for lists")
    content: Mapped[str] = mapped_column(Text, default="", comment="what the complainant said or wrote")

    # Classification (分类), set when the complaint is acknowledged.
    category: Mapped[str] = mapped_column(String(32), default="other", index=True, comment="投诉类别")
    valid: Mapped[bool | None] = mapped_column(comment="有效投诉: None until classified")
    invalid_reason: Mapped[str] = mapped_column(String(1000), default="", comment="why it is not a valid complaint")
    severity: Mapped[str] = mapped_column(String(16), default="ordinary",
                                          comment="ordinary; major (重大, to the manager); serious (to the company)")
    department: Mapped[str] = mapped_column(String(32), default="", index=True, comment="责任部门")
    subject_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey(_STAFF, ondelete="RESTRICT"), index=True,
        comment="被投诉人: the staff member complained about; never handles this complaint")
    escalated_to: Mapped[str] = mapped_column(String(16), default="",
                                              comment="manager or company: who was told at classification")

    # Handling (处理) and its outcome.
    investigation: Mapped[str] = mapped_column(Text, default="", comment="调查情况")
    reply: Mapped[str] = mapped_column(Text, default="", comment="书面答复: the reply given to the complainant")
    replied_at: Mapped[dt.datetime | None] = mapped_column(comment="when the reply was given (UTC)")
    corrective_action: Mapped[str] = mapped_column(Text, default="", comment="纠正措施")
    verification: Mapped[str] = mapped_column(Text, default="", comment="验证: was the corrective action done")
    satisfaction: Mapped[str] = mapped_column(String(24), default="", comment="满意度 at verification")
    closed_at: Mapped[dt.datetime | None] = mapped_column(comment="when it was closed (UTC)")

    estate: Mapped[Estate] = relationship()
    unit: Mapped[Unit | None] = relationship()
    party: Mapped[Party | None] = relationship()
    subject_staff: Mapped[StaffUser | None] = relationship(foreign_keys=[subject_staff_id])

    def __str__(self) -> str:
        return f"{self.number} {self.summary}"


MODELS = (Complaint,)
