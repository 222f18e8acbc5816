"""Repairs tables (报修, spec 2.9). Every table starts with ``repairs_`` and carries an indexed
``estate_id`` (the company-wide categories leave it empty) so the core's estate scoping filters it.

An order's ``status`` belongs to the workflow engine (``repairs.order``, see ``workflows.py``): it
changes only through ``core.workflow.apply``. Who holds an order is the core's assignment record
(``core.current_assignment``), not a column here.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Attachable, Base, utcnow
from core.models import Estate, Party, Unit

_STAFF = "core_staff_users.id"
# States in which an order is still open (counted as work in hand).
OPEN_STATES = ("received", "dispatched", "accepted", "quoting", "awaiting_approval", "on_site",
               "in_progress", "waiting_parts", "reopened")


class RepairCategory(Base):
    """报修类别: plumbing (水), electrical (电), doors and windows (门窗) ... of one estate, or of the
    whole company when ``estate_id`` is empty. ``code`` names the core DispatchRule
    ``repairs.<code>`` that dispatches its orders."""

    __tablename__ = "repairs_categories"
    __table_args__ = (UniqueConstraint("estate_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True, comment="record id")
    estate_id: Mapped[int | None] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True,
                                                  comment="the estate, or empty for every estate of the company")
    code: Mapped[str] = mapped_column(String(32), comment="short code, e.g. plumbing; dispatch rule repairs.<code>")
    name: Mapped[str] = mapped_column(String(100), comment="English name")
    name_zh: Mapped[str] = mapped_column(String(100), comment="中文名称")
    dispatch_mode: Mapped[str] = mapped_column(String(16), default="assign",
                                               comment="default dispatch mode: assign, grab or round_robin")
    paid: Mapped[bool] = mapped_column(Boolean, default=False, comment="有偿维修: repairs of this kind are charged")
    labour_fen: Mapped[int] = mapped_column(default=0, comment="price-list labour charge (维修项目收费标准), fen")
    active: Mapped[bool] = mapped_column(Boolean, default=True, comment="offered for new orders")

    def __str__(self) -> str:
        return self.name_zh or self.name


class RepairOrder(Attachable, Base):
    """报修单 / 维修派工单: one repair request and its work order, from the call to the owner's
    confirmation. Attachable: photos of the fault and of the finished work (完工照片)."""

    __tablename__ = "repairs_orders"
    attachment_kinds = {"photo": ("Photo", "照片"), "quote": ("Quote", "报价单"), "other": ("Other", "其他")}
    __table_args__ = (UniqueConstraint("estate_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True, comment="record id")
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True,
                                           comment="the estate (the unit's)")
    number: Mapped[str] = mapped_column(String(32), comment="RP-<year>-<n>, per estate and year")
    status: Mapped[str] = mapped_column(String(32), default="received", index=True,
                                        comment="workflow repairs.order; changed only by transitions")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"), index=True,
                                                comment="the unit (房屋报修), or empty for a common area")
    location: Mapped[str] = mapped_column(String(200), default="", comment="common area (公共区域) or spot in the unit")
    reporter_party_id: Mapped[int | None] = mapped_column(ForeignKey("core_parties.id", ondelete="RESTRICT"),
                                                          comment="the reporter when on file")
    reporter_name: Mapped[str] = mapped_column(String(200), default="", comment="报修人 as given")
    reporter_phone: Mapped[str] = mapped_column(String(40), default="", comment="sensitive: masked in lists")
    channel: Mapped[str] = mapped_column(String(16), default="phone", comment="phone, walk_in, portal, wechat, letter, patrol")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("repairs_categories.id", ondelete="RESTRICT"),
                                                    comment="报修类别; empty until the clerk chooses one")
    description: Mapped[str] = mapped_column(String(4000), comment="报修内容")
    urgency: Mapped[str] = mapped_column(String(16), default="normal", comment="normal, urgent or emergency")
    booked_at: Mapped[dt.datetime | None] = mapped_column(comment="预约维修时间 (UTC)")
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow, comment="when it was received (UTC)")
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey(_STAFF, ondelete="RESTRICT"),
                                                       comment="staff who registered it")
    intake_id: Mapped[int | None] = mapped_column(ForeignKey("core_intakes.id", ondelete="RESTRICT"),
                                                  comment="the reception record it was routed from")
    on_price_list: Mapped[bool] = mapped_column(Boolean, default=True,
                                                comment="item on the price list (else quoted within 15 minutes)")
    paid: Mapped[bool] = mapped_column(Boolean, default=False, comment="有偿维修: charged to the unit")
    warranty: Mapped[bool] = mapped_column(Boolean, default=False,
                                           comment="保修期内: the developer repairs it (routed, not dispatched)")
    labour_fen: Mapped[int] = mapped_column(default=0, comment="labour charge, fen")
    material_fen: Mapped[int] = mapped_column(default=0, comment="materials charge, fen")
    quote_accepted_at: Mapped[dt.datetime | None] = mapped_column(comment="when the owner accepted the price")
    charge_posted: Mapped[bool] = mapped_column(Boolean, default=False, comment="the charge is on the unit's bill")
    diagnosis: Mapped[str] = mapped_column(String(2000), default="", comment="故障原因 / work done")
    arrived_at: Mapped[dt.datetime | None] = mapped_column(comment="technician on site")
    completed_at: Mapped[dt.datetime | None] = mapped_column(comment="work finished")
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(comment="owner tested and signed (业主验收签字)")
    closed_at: Mapped[dt.datetime | None] = mapped_column(comment="order closed")
    satisfaction: Mapped[str] = mapped_column(String(16), default="", comment="satisfied, unsatisfied or empty")
    rework_count: Mapped[int] = mapped_column(default=0, comment="times reopened for rework (返修)")

    estate: Mapped[Estate] = relationship()
    unit: Mapped[Unit | None] = relationship()
    reporter: Mapped[Party | None] = relationship()
    category: Mapped[RepairCategory | None] = relationship()

    @property
    def amount_fen(self) -> int:
        """What the owner pays: labour plus materials."""
        return self.labour_fen + self.material_fen

    @property
    def source(self) -> str:
        """The billing source of its charge."""
        return f"repairs:order:{self.id}"

    def __str__(self) -> str:
        return self.number


MODELS = (RepairCategory, RepairOrder)
